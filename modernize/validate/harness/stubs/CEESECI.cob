      *----------------------------------------------------------------
      * CEESECI (Language Environment): Lilian seconds to year, month,
      * day, hours, minutes, seconds, milliseconds. CALL 'CEESECI'
      * USING seconds FLOAT8, the 7 INT4 (out, 0 on error), fc.
      * The workbench's stub for the GnuCOBOL twin: it behaves as
      * modernize/runtime/services.py documents, byte for byte.
      *----------------------------------------------------------------
       IDENTIFICATION DIVISION.
       PROGRAM-ID. CEESECI.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       COPY LEWS.
       LINKAGE SECTION.
       01  LS-SECONDS                COMP-2.
       01  LS-YEAR                   PIC S9(9) BINARY.
       01  LS-MONTH                  PIC S9(9) BINARY.
       01  LS-DAY                    PIC S9(9) BINARY.
       01  LS-HOURS                  PIC S9(9) BINARY.
       01  LS-MINUTES                PIC S9(9) BINARY.
       01  LS-SECS                   PIC S9(9) BINARY.
       01  LS-MILLIS                 PIC S9(9) BINARY.
       COPY LEFC.
       PROCEDURE DIVISION USING LS-SECONDS LS-YEAR LS-MONTH LS-DAY
           LS-HOURS LS-MINUTES LS-SECS LS-MILLIS LS-FC.
       CEESECI-MAIN.
           MOVE 'CEESECI' TO LE-SERVICE
           PERFORM LE-START
           IF ADDRESS OF LS-SECONDS = NULL
               MOVE 1 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-YEAR = NULL
               MOVE 2 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-MONTH = NULL
               MOVE 3 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-DAY = NULL
               MOVE 4 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-HOURS = NULL
               MOVE 5 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-MINUTES = NULL
               MOVE 6 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-SECS = NULL
               MOVE 7 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-MILLIS = NULL
               MOVE 8 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF LS-SECONDS >= 86400 AND LS-SECONDS < 265621680000
               COMPUTE LE-SECS ROUNDED = LS-SECONDS
           ELSE
               MOVE 265621680000 TO LE-SECS
           END-IF
           IF LE-SECS < 265621680000
               COMPUTE LE-TOTAL-MS = LE-SECS * 1000
               PERFORM LE-MS-TO-PARTS
               MOVE LE-YEAR TO LS-YEAR
               MOVE LE-MONTH TO LS-MONTH
               MOVE LE-DAY TO LS-DAY
               MOVE LE-HOUR TO LS-HOURS
               MOVE LE-MINUTE TO LS-MINUTES
               MOVE LE-SECOND TO LS-SECS
               MOVE LE-MILLI TO LS-MILLIS
           ELSE
               MOVE 2505 TO LE-MSGNO
               MOVE 0 TO LS-YEAR LS-MONTH LS-DAY LS-HOURS LS-MINUTES
                   LS-SECS LS-MILLIS
           END-IF
           PERFORM LE-FINISH
           GOBACK.

       COPY LEPROC.
