      *----------------------------------------------------------------
      * CEEISEC (Language Environment): year, month, day, hours,
      * minutes, seconds, milliseconds (INT4 each) to Lilian seconds.
      * CALL 'CEEISEC' USING the 7 INT4, seconds FLOAT8 (out, 0 on
      * error), fc.
      * The workbench's stub for the GnuCOBOL twin: it behaves as
      * modernize/runtime/services.py documents, byte for byte.
      *----------------------------------------------------------------
       IDENTIFICATION DIVISION.
       PROGRAM-ID. CEEISEC.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       COPY LEWS.
       LINKAGE SECTION.
       01  LS-YEAR                   PIC S9(9) BINARY.
       01  LS-MONTH                  PIC S9(9) BINARY.
       01  LS-DAY                    PIC S9(9) BINARY.
       01  LS-HOURS                  PIC S9(9) BINARY.
       01  LS-MINUTES                PIC S9(9) BINARY.
       01  LS-SECS                   PIC S9(9) BINARY.
       01  LS-MILLIS                 PIC S9(9) BINARY.
       01  LS-SECONDS                COMP-2.
       COPY LEFC.
       PROCEDURE DIVISION USING LS-YEAR LS-MONTH LS-DAY LS-HOURS
           LS-MINUTES LS-SECS LS-MILLIS LS-SECONDS LS-FC.
       CEEISEC-MAIN.
           MOVE 'CEEISEC' TO LE-SERVICE
           PERFORM LE-START
           IF ADDRESS OF LS-YEAR = NULL
               MOVE 1 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-MONTH = NULL
               MOVE 2 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-DAY = NULL
               MOVE 3 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-HOURS = NULL
               MOVE 4 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-MINUTES = NULL
               MOVE 5 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-SECS = NULL
               MOVE 6 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-MILLIS = NULL
               MOVE 7 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-SECONDS = NULL
               MOVE 8 TO LE-I
               PERFORM LE-MISSING
           END-IF
           EVALUATE TRUE
           WHEN LS-YEAR < 1582 OR LS-YEAR > 9999
               MOVE 2514 TO LE-MSGNO
           WHEN LS-MONTH < 1 OR LS-MONTH > 12
               MOVE 2517 TO LE-MSGNO
           WHEN OTHER
               MOVE LS-YEAR TO LE-YEAR
               MOVE LS-MONTH TO LE-MONTH
               PERFORM LE-DAYS-IN-MONTH
               EVALUATE TRUE
               WHEN LS-DAY < 1 OR LS-DAY > LE-DIM
                   MOVE 2511 TO LE-MSGNO
               WHEN LS-HOURS < 0 OR LS-HOURS > 23
                   MOVE 2510 TO LE-MSGNO
               WHEN LS-MINUTES < 0 OR LS-MINUTES > 59
                   MOVE 2516 TO LE-MSGNO
               WHEN LS-SECS < 0 OR LS-SECS > 59
                   MOVE 2519 TO LE-MSGNO
               WHEN LS-MILLIS < 0 OR LS-MILLIS > 999
                   MOVE 2515 TO LE-MSGNO
               WHEN OTHER
                   MOVE LS-DAY TO LE-DAY
                   PERFORM LE-YMD-TO-LILIAN
                   IF LE-LILIAN < 1
                       MOVE 2513 TO LE-MSGNO
                   END-IF
               END-EVALUATE
           END-EVALUATE
           IF LE-MSGNO = 0
               COMPUTE LE-SECS = LE-LILIAN * 86400 + LS-HOURS * 3600
                   + LS-MINUTES * 60 + LS-SECS + LS-MILLIS / 1000
           ELSE
               MOVE 0 TO LE-SECS
           END-IF
           MOVE LE-SECS TO LS-SECONDS
           PERFORM LE-FINISH
           GOBACK.

       COPY LEPROC.
