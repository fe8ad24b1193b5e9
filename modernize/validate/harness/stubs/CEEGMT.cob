      *----------------------------------------------------------------
      * CEEGMT (Language Environment): Greenwich Mean Time as a Lilian
      * day and Lilian seconds: the clock (FUNCTION CURRENT-DATE) less
      * its offset from GMT. CALL 'CEEGMT' USING Lilian INT4, seconds
      * FLOAT8 (out), fc.
      * The workbench's stub for the GnuCOBOL twin: it behaves as
      * modernize/runtime/services.py documents, byte for byte.
      *----------------------------------------------------------------
       IDENTIFICATION DIVISION.
       PROGRAM-ID. CEEGMT.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       COPY LEWS.
       LINKAGE SECTION.
       01  LS-LILIAN                 PIC S9(9) BINARY.
       01  LS-SECONDS                COMP-2.
       COPY LEFC.
       PROCEDURE DIVISION USING LS-LILIAN LS-SECONDS LS-FC.
       CEEGMT-MAIN.
           MOVE 'CEEGMT' TO LE-SERVICE
           PERFORM LE-START
           IF ADDRESS OF LS-LILIAN = NULL
               MOVE 1 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-SECONDS = NULL
               MOVE 2 TO LE-I
               PERFORM LE-MISSING
           END-IF
           PERFORM LE-CLOCK
           COMPUTE LE-TOTAL-HS = LE-LILIAN * 8640000
               + LE-NOW-HOUR * 360000 + LE-NOW-MINUTE * 6000
               + LE-NOW-SECOND * 100 + LE-NOW-HUNDREDTHS
               - LE-NOW-OFFSET * 6000
           COMPUTE LS-LILIAN = LE-TOTAL-HS / 8640000
           COMPUTE LE-SECS = LE-TOTAL-HS / 100
           MOVE LE-SECS TO LS-SECONDS
           PERFORM LE-FINISH
           GOBACK.

       COPY LEPROC.
