      *----------------------------------------------------------------
      * CEEGMTO (Language Environment): the offset of local time from
      * GMT (FUNCTION CURRENT-DATE's, set by TZ or COB_CURRENT_DATE):
      * hours (signed), minutes (0-59) and seconds (signed). CALL
      * 'CEEGMTO' USING hours INT4, minutes INT4, seconds FLOAT8
      * (out), fc.
      * The workbench's stub for the GnuCOBOL twin: it behaves as
      * modernize/runtime/services.py documents, byte for byte.
      *----------------------------------------------------------------
       IDENTIFICATION DIVISION.
       PROGRAM-ID. CEEGMTO.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       COPY LEWS.
       LINKAGE SECTION.
       01  LS-HOURS                  PIC S9(9) BINARY.
       01  LS-MINUTES                PIC S9(9) BINARY.
       01  LS-SECONDS                COMP-2.
       COPY LEFC.
       PROCEDURE DIVISION USING LS-HOURS LS-MINUTES LS-SECONDS LS-FC.
       CEEGMTO-MAIN.
           MOVE 'CEEGMTO' TO LE-SERVICE
           PERFORM LE-START
           IF ADDRESS OF LS-HOURS = NULL
               MOVE 1 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-MINUTES = NULL
               MOVE 2 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-SECONDS = NULL
               MOVE 3 TO LE-I
               PERFORM LE-MISSING
           END-IF
           PERFORM LE-CLOCK
           IF LE-NOW-OFFSET < 0
               COMPUTE LS-HOURS = 0 - LE-NOW-OFF-HOURS
           ELSE
               MOVE LE-NOW-OFF-HOURS TO LS-HOURS
           END-IF
           MOVE LE-NOW-OFF-MINUTES TO LS-MINUTES
           COMPUTE LE-SECS = LE-NOW-OFFSET * 60
           MOVE LE-SECS TO LS-SECONDS
           PERFORM LE-FINISH
           GOBACK.

       COPY LEPROC.
