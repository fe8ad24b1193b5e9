      *----------------------------------------------------------------
      * CEELOCT (Language Environment): the local date and time as a
      * Lilian day, Lilian seconds and YYYYMMDDHHMISS999. CALL
      * 'CEELOCT' USING Lilian INT4, seconds FLOAT8, Gregorian CHAR17
      * (out), fc. The clock is FUNCTION CURRENT-DATE's, so
      * COB_CURRENT_DATE fixes it; milliseconds are its hundredths
      * times 10.
      * The workbench's stub for the GnuCOBOL twin: it behaves as
      * modernize/runtime/services.py documents, byte for byte.
      *----------------------------------------------------------------
       IDENTIFICATION DIVISION.
       PROGRAM-ID. CEELOCT.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       COPY LEWS.
       LINKAGE SECTION.
       01  LS-LILIAN                 PIC S9(9) BINARY.
       01  LS-SECONDS                COMP-2.
       01  LS-GREGORIAN              PIC X(17).
       COPY LEFC.
       PROCEDURE DIVISION USING LS-LILIAN LS-SECONDS LS-GREGORIAN
           LS-FC.
       CEELOCT-MAIN.
           MOVE 'CEELOCT' TO LE-SERVICE
           PERFORM LE-START
           IF ADDRESS OF LS-LILIAN = NULL
               MOVE 1 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-SECONDS = NULL
               MOVE 2 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-GREGORIAN = NULL
               MOVE 3 TO LE-I
               PERFORM LE-MISSING
           END-IF
           PERFORM LE-CLOCK
           MOVE LE-LILIAN TO LS-LILIAN
           COMPUTE LE-SECS = LE-LILIAN * 86400 + LE-NOW-HOUR * 3600
               + LE-NOW-MINUTE * 60 + LE-NOW-SECOND
               + LE-NOW-HUNDREDTHS / 100
           MOVE LE-SECS TO LS-SECONDS
           COMPUTE LE-N3 = LE-NOW-HUNDREDTHS * 10
           MOVE LE-NOW(1:14) TO LS-GREGORIAN(1:14)
           MOVE LE-N3 TO LS-GREGORIAN(15:3)
           PERFORM LE-FINISH
           GOBACK.

       COPY LEPROC.
