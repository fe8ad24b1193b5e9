      *----------------------------------------------------------------
      * CEEDYWK (Language Environment): the day of the week of a
      * Lilian day, 1 = Sunday ... 7 = Saturday. CALL 'CEEDYWK' USING
      * Lilian INT4, day INT4 (out, 0 on error), fc.
      * The workbench's stub for the GnuCOBOL twin: it behaves as
      * modernize/runtime/services.py documents, byte for byte.
      *----------------------------------------------------------------
       IDENTIFICATION DIVISION.
       PROGRAM-ID. CEEDYWK.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       COPY LEWS.
       LINKAGE SECTION.
       01  LS-LILIAN                 PIC S9(9) BINARY.
       01  LS-DAY                    PIC S9(9) BINARY.
       COPY LEFC.
       PROCEDURE DIVISION USING LS-LILIAN LS-DAY LS-FC.
       CEEDYWK-MAIN.
           MOVE 'CEEDYWK' TO LE-SERVICE
           PERFORM LE-START
           IF ADDRESS OF LS-LILIAN = NULL
               MOVE 1 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-DAY = NULL
               MOVE 2 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF LS-LILIAN < 1 OR LS-LILIAN > 3074324
               MOVE 2512 TO LE-MSGNO
               MOVE 0 TO LS-DAY
           ELSE
               MOVE LS-LILIAN TO LE-LILIAN
               COMPUTE LS-DAY = FUNCTION MOD(LE-LILIAN + 4, 7) + 1
           END-IF
           PERFORM LE-FINISH
           GOBACK.

       COPY LEPROC.
