      *----------------------------------------------------------------
      * LEPROC: paragraphs every stub shares: start, feedback code,
      * abend, Lilian day arithmetic and the clock. Needs LEWS in
      * WORKING-STORAGE and LEFC in the LINKAGE SECTION.
      *----------------------------------------------------------------
       LE-START.
           MOVE 0 TO LE-SEV LE-MSGNO
           MOVE SPACES TO LE-ABEND-REASON LE-ABEND-DETAIL.

      * LE-I holds the number of the parameter not passed.
       LE-MISSING.
           MOVE LE-I TO LE-DIGIT
           MOVE SPACES TO LE-ABEND-REASON
           STRING 'parameter ' LE-DIGIT ' is missing'
               DELIMITED BY SIZE INTO LE-ABEND-REASON
           MOVE 4095 TO LE-ABEND-CODE
           PERFORM LE-DO-ABEND.

       LE-FINISH.
           IF LE-MSGNO = 2526 OR LE-MSGNO = 2527
               MOVE 2 TO LE-SEV
           ELSE
               MOVE 3 TO LE-SEV
           END-IF
           IF ADDRESS OF LS-FC = NULL
               IF LE-MSGNO NOT = 0
                   MOVE LE-MSGNO TO LE-N4
                   MOVE LE-SEV TO LE-DIGIT
                   MOVE SPACES TO LE-ABEND-REASON
                   STRING 'condition ' LE-N4 ' (severity ' LE-DIGIT
                       ') and no feedback code'
                       DELIMITED BY SIZE INTO LE-ABEND-REASON
                   MOVE 4038 TO LE-ABEND-CODE
                   PERFORM LE-DO-ABEND
               END-IF
           ELSE
               IF LE-MSGNO = 0
                   MOVE LOW-VALUES TO LS-FC
               ELSE
                   MOVE LE-SEV TO LS-FC-SEV
                   MOVE LE-MSGNO TO LS-FC-MSGNO
                   IF LE-SEV = 2
                       MOVE X'51' TO LS-FC-CTL
                   ELSE
                       MOVE X'59' TO LS-FC-CTL
                   END-IF
                   MOVE X'C3C5C5' TO LS-FC-FACILITY
                   MOVE 0 TO LS-FC-ISI
               END-IF
           END-IF.

      * The run ends: a message on standard error, then STOP RUN with
      * the abend code modulo 256 (255 for 0) as the exit status.
       LE-DO-ABEND.
           COMPUTE LE-ABEND-STATUS = FUNCTION MOD(LE-ABEND-CODE, 256)
           IF LE-ABEND-STATUS = 0
               MOVE 255 TO LE-ABEND-STATUS
           END-IF
           MOVE LE-ABEND-CODE TO LE-ABEND-U
           MOVE LE-ABEND-STATUS TO LE-ABEND-E3
           MOVE SPACES TO LE-MESSAGE
           IF LE-ABEND-REASON = SPACES
               STRING FUNCTION TRIM(LE-SERVICE) ': abend U' LE-ABEND-U
                   FUNCTION TRIM(LE-ABEND-DETAIL TRAILING)
                   ': the run ends with exit status '
                   FUNCTION TRIM(LE-ABEND-E3)
                   DELIMITED BY SIZE INTO LE-MESSAGE
           ELSE
               STRING FUNCTION TRIM(LE-SERVICE) ': '
                   FUNCTION TRIM(LE-ABEND-REASON TRAILING)
                   ': abend U' LE-ABEND-U
                   FUNCTION TRIM(LE-ABEND-DETAIL TRAILING)
                   ': the run ends with exit status '
                   FUNCTION TRIM(LE-ABEND-E3)
                   DELIMITED BY SIZE INTO LE-MESSAGE
           END-IF
           DISPLAY FUNCTION TRIM(LE-MESSAGE TRAILING) UPON SYSERR
           MOVE LE-ABEND-STATUS TO RETURN-CODE
           STOP RUN.

      * LE-YEAR, LE-MONTH, LE-DAY (a valid date) to LE-LILIAN; years
      * before 1601 are shifted by 400 years (146097 days).
       LE-YMD-TO-LILIAN.
           IF LE-YEAR >= 1601
               COMPUTE LE-YMD = LE-YEAR * 10000 + LE-MONTH * 100
                   + LE-DAY
               COMPUTE LE-LILIAN = FUNCTION INTEGER-OF-DATE(LE-YMD)
                   + 6653
           ELSE
               COMPUTE LE-YMD = (LE-YEAR + 400) * 10000
                   + LE-MONTH * 100 + LE-DAY
               COMPUTE LE-LILIAN = FUNCTION INTEGER-OF-DATE(LE-YMD)
                   + 6653 - 146097
           END-IF.

      * LE-LILIAN (1 - 3074324) to LE-YEAR, LE-MONTH, LE-DAY, LE-DDD.
       LE-LILIAN-TO-YMD.
           IF LE-LILIAN >= 6654
               COMPUTE LE-YMD =
                   FUNCTION DATE-OF-INTEGER(LE-LILIAN - 6653)
           ELSE
               COMPUTE LE-YMD =
                   FUNCTION DATE-OF-INTEGER(LE-LILIAN - 6653 + 146097)
           END-IF
           COMPUTE LE-DDD = FUNCTION INTEGER-OF-DATE(LE-YMD)
               - FUNCTION INTEGER-OF-DATE(LE-YMD-Y * 10000 + 101) + 1
           MOVE LE-YMD-Y TO LE-YEAR
           IF LE-LILIAN < 6654
               SUBTRACT 400 FROM LE-YEAR
           END-IF
           MOVE LE-YMD-M TO LE-MONTH
           MOVE LE-YMD-D TO LE-DAY.

      * LE-DIM: the days of LE-MONTH in LE-YEAR.
       LE-DAYS-IN-MONTH.
           MOVE LE-MDAYS(LE-MONTH) TO LE-DIM
           IF LE-MONTH = 2
               PERFORM LE-LEAP
               IF LE-CH = 'Y'
                   MOVE 29 TO LE-DIM
               END-IF
           END-IF.

      * LE-CH: 'Y' when LE-YEAR is a leap year.
       LE-LEAP.
           MOVE 'N' TO LE-CH
           IF FUNCTION MOD(LE-YEAR, 4) = 0
               IF FUNCTION MOD(LE-YEAR, 100) NOT = 0
                  OR FUNCTION MOD(LE-YEAR, 400) = 0
                   MOVE 'Y' TO LE-CH
               END-IF
           END-IF.

      * LE-TOTAL-MS (whole milliseconds since 00:00 14 October 1582)
      * to LE-LILIAN and the date and time parts.
       LE-MS-TO-PARTS.
           COMPUTE LE-LILIAN = LE-TOTAL-MS / 86400000
           COMPUTE LE-TOD-MS = LE-TOTAL-MS - LE-LILIAN * 86400000
           COMPUTE LE-VALUE = LE-TOD-MS / 1000
           COMPUTE LE-MILLI = LE-TOD-MS - LE-VALUE * 1000
           COMPUTE LE-HOUR = LE-VALUE / 3600
           COMPUTE LE-MINUTE = (LE-VALUE - LE-HOUR * 3600) / 60
           COMPUTE LE-SECOND = LE-VALUE - LE-HOUR * 3600
               - LE-MINUTE * 60
           PERFORM LE-LILIAN-TO-YMD.

      * The clock (FUNCTION CURRENT-DATE): LE-NOW, its Lilian day in
      * LE-LILIAN and its offset from GMT in minutes in LE-NOW-OFFSET.
       LE-CLOCK.
           MOVE FUNCTION CURRENT-DATE TO LE-NOW
           MOVE LE-NOW-YEAR TO LE-YEAR
           MOVE LE-NOW-MONTH TO LE-MONTH
           MOVE LE-NOW-DAY TO LE-DAY
           PERFORM LE-YMD-TO-LILIAN
           COMPUTE LE-NOW-OFFSET = LE-NOW-OFF-HOURS * 60
               + LE-NOW-OFF-MINUTES
           IF LE-NOW-SIGN = '-'
               COMPUTE LE-NOW-OFFSET = 0 - LE-NOW-OFFSET
           END-IF.
