       IDENTIFICATION DIVISION.
       PROGRAM-ID. TRANSORT.
       AUTHOR. D OKONKWO.
       INSTALLATION. HARBOR FEDERAL CARD SERVICES - BATCH SYSTEMS.
       DATE-WRITTEN. 06/09/1997.
      *================================================================*
      * TRANSORT - SORT EDITED TRANSACTIONS INTO POSTING SEQUENCE      *
      *                                                                *
      *   SORT KEY : ACCOUNT NUMBER, TRANSACTION DATE, TIME (ASCENDING)*
      *   INPUT PROCEDURE  COUNTS ITEMS BY TRANSACTION CODE.           *
      *   OUTPUT PROCEDURE DROPS EXACT DUPLICATES (NETWORK RESENDS)    *
      *   BEFORE THEY REACH POSTTRAN.                                  *
      *                                                                *
      *   DD NAMES : SORTIN   EDITED TRANSACTIONS (FROM TRANVAL)       *
      *              SORTOUT  SORTED TRANSACTIONS (TO POSTTRAN)        *
      *              SORTWK01 SORT WORK                                *
      *----------------------------------------------------------------*
      * 06/09/97 DO   ORIGINAL - REPLACES DFSORT STEP                  *
      * 08/21/08 KLT  DUPLICATE RESEND SUPPRESSION             CHG0911 *
      *================================================================*
       ENVIRONMENT DIVISION.
       CONFIGURATION SECTION.
       SOURCE-COMPUTER. IBM-370.
       OBJECT-COMPUTER. IBM-370.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT SORT-IN-FILE   ASSIGN TO SORTIN
                  ORGANIZATION IS LINE SEQUENTIAL
                  FILE STATUS  IS WS-SORTIN-STATUS.
           SELECT SORT-OUT-FILE  ASSIGN TO SORTOUT
                  ORGANIZATION IS LINE SEQUENTIAL
                  FILE STATUS  IS WS-SORTOUT-STATUS.
           SELECT SORT-WORK-FILE ASSIGN TO SORTWK01.
       DATA DIVISION.
       FILE SECTION.
       FD  SORT-IN-FILE.
       01  SORT-IN-REC                     PIC X(80).
       FD  SORT-OUT-FILE.
       01  SORT-OUT-REC                    PIC X(80).
       SD  SORT-WORK-FILE.
           COPY TRANREC REPLACING ==:TAG:== BY ==SW==.
       WORKING-STORAGE SECTION.
       01  WS-SORTIN-STATUS                PIC X(2).
       01  WS-SORTOUT-STATUS               PIC X(2).
       01  WS-SWITCHES.
           05  WS-SORTIN-EOF-SW            PIC X(1)   VALUE 'N'.
               88  WS-SORTIN-EOF               VALUE 'Y'.
           05  WS-RETURN-EOF-SW            PIC X(1)   VALUE 'N'.
               88  WS-RETURN-EOF               VALUE 'Y'.
       01  WS-COUNTERS.
           05  WS-RELEASED                 PIC S9(7)  COMP-3 VALUE 0.
           05  WS-RETURNED                 PIC S9(7)  COMP-3 VALUE 0.
           05  WS-WRITTEN                  PIC S9(7)  COMP-3 VALUE 0.
           05  WS-DUPLICATES               PIC S9(7)  COMP-3 VALUE 0.
       01  WS-PREV-REC                     PIC X(80)  VALUE LOW-VALUES.
      *
      * COUNTS BY TRANSACTION CODE - ONE SLOT PER VALID CODE
      *
       01  WS-CODE-VALUES                  PIC X(10)
                                           VALUE 'PUCAPYRFFE'.
       01  WS-CODE-TBL REDEFINES WS-CODE-VALUES.
           05  WS-CODE                     PIC X(2)   OCCURS 5 TIMES.
       01  WS-CODE-COUNTS.
           05  WS-CODE-COUNT               PIC S9(5)  COMP
                                           OCCURS 5 TIMES.
       01  WS-SUB                          PIC 9(2)   COMP.
       01  WS-EDIT-COUNT                   PIC ZZZ,ZZ9.

       PROCEDURE DIVISION.
      *================================================================*
       0000-MAINLINE SECTION.
      *================================================================*
       0000-START.
           DISPLAY 'TRANSORT - SORT OF EDITED TRANSACTIONS STARTED'
           INITIALIZE WS-CODE-COUNTS
           SORT SORT-WORK-FILE
               ON ASCENDING KEY SW-TRAN-ACCT-NO
                                SW-TRAN-DATE
                                SW-TRAN-TIME
               INPUT  PROCEDURE IS 1000-SORT-INPUT
               OUTPUT PROCEDURE IS 2000-SORT-OUTPUT
           IF SORT-RETURN NOT = ZERO
               DISPLAY 'TRANSORT - SORT FAILED, SORT-RETURN '
                       SORT-RETURN
               MOVE 16 TO RETURN-CODE
               STOP RUN
           END-IF
           PERFORM 3000-PRINT-TOTALS
           IF WS-DUPLICATES > ZERO
               MOVE 4 TO RETURN-CODE
           ELSE
               MOVE ZERO TO RETURN-CODE
           END-IF
           STOP RUN.

      *================================================================*
       1000-SORT-INPUT SECTION.
      *================================================================*
       1000-START.
           OPEN INPUT SORT-IN-FILE
           IF WS-SORTIN-STATUS NOT = '00'
               DISPLAY 'TRANSORT - SORTIN OPEN ERROR, STATUS '
                       WS-SORTIN-STATUS
               MOVE 16 TO RETURN-CODE
               STOP RUN
           END-IF
           PERFORM 1100-READ-RELEASE UNTIL WS-SORTIN-EOF
           CLOSE SORT-IN-FILE
           GO TO 1000-EXIT.

       1100-READ-RELEASE.
           READ SORT-IN-FILE INTO SW-TRAN-REC
               AT END
                   SET WS-SORTIN-EOF TO TRUE
               NOT AT END
                   PERFORM VARYING WS-SUB FROM 1 BY 1
                           UNTIL WS-SUB > 5
                              OR WS-CODE (WS-SUB) = SW-TRAN-CODE
                       CONTINUE
                   END-PERFORM
                   IF WS-SUB NOT > 5
                       ADD 1 TO WS-CODE-COUNT (WS-SUB)
                   END-IF
                   RELEASE SW-TRAN-REC
                   ADD 1 TO WS-RELEASED
           END-READ.

       1000-EXIT.
           EXIT.

      *================================================================*
       2000-SORT-OUTPUT SECTION.
      *================================================================*
       2000-START.
           OPEN OUTPUT SORT-OUT-FILE
           IF WS-SORTOUT-STATUS NOT = '00'
               DISPLAY 'TRANSORT - SORTOUT OPEN ERROR, STATUS '
                       WS-SORTOUT-STATUS
               MOVE 16 TO RETURN-CODE
               STOP RUN
           END-IF
           PERFORM 2100-RETURN-WRITE UNTIL WS-RETURN-EOF
           CLOSE SORT-OUT-FILE
           GO TO 2000-EXIT.

       2100-RETURN-WRITE.
           RETURN SORT-WORK-FILE
               AT END
                   SET WS-RETURN-EOF TO TRUE
               NOT AT END
                   ADD 1 TO WS-RETURNED
                   IF SW-TRAN-REC = WS-PREV-REC                         CHG0911
                       ADD 1 TO WS-DUPLICATES                           CHG0911
                       DISPLAY 'TRANSORT - DUPLICATE DROPPED: '         CHG0911
                               SW-TRAN-ACCT-NO ' ' SW-TRAN-DATE         CHG0911
                               ' ' SW-TRAN-TIME ' ' SW-TRAN-AUTH-CODE   CHG0911
                   ELSE
                       WRITE SORT-OUT-REC FROM SW-TRAN-REC
                       ADD 1 TO WS-WRITTEN
                       MOVE SW-TRAN-REC TO WS-PREV-REC
                   END-IF
           END-RETURN.

       2000-EXIT.
           EXIT.

      *================================================================*
       3000-PRINT-TOTALS SECTION.
      *================================================================*
       3000-START.
           MOVE WS-RELEASED TO WS-EDIT-COUNT
           DISPLAY 'TRANSORT - RECORDS RELEASED ...... ' WS-EDIT-COUNT
           PERFORM VARYING WS-SUB FROM 1 BY 1 UNTIL WS-SUB > 5
               MOVE WS-CODE-COUNT (WS-SUB) TO WS-EDIT-COUNT
               DISPLAY 'TRANSORT -   TRAN CODE ' WS-CODE (WS-SUB)
                       ' ........ ' WS-EDIT-COUNT
           END-PERFORM
           MOVE WS-RETURNED TO WS-EDIT-COUNT
           DISPLAY 'TRANSORT - RECORDS RETURNED ...... ' WS-EDIT-COUNT
           MOVE WS-DUPLICATES TO WS-EDIT-COUNT
           DISPLAY 'TRANSORT - DUPLICATES DROPPED .... ' WS-EDIT-COUNT
           MOVE WS-WRITTEN TO WS-EDIT-COUNT
           DISPLAY 'TRANSORT - RECORDS WRITTEN ....... ' WS-EDIT-COUNT.
