      *----------------------------------------------------------------
      * CEE3DMP (Language Environment): a dump. The stub writes
      * "CEE3DMP: dump requested: <title>" on standard error and the
      * run goes on. CALL 'CEE3DMP' USING title CHAR80, options
      * CHAR255, fc.
      * The workbench's stub for the GnuCOBOL twin: it behaves as
      * modernize/runtime/services.py documents, byte for byte.
      *----------------------------------------------------------------
       IDENTIFICATION DIVISION.
       PROGRAM-ID. CEE3DMP.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       COPY LEWS.
       LINKAGE SECTION.
       01  LS-TITLE                  PIC X(80).
       01  LS-OPTIONS                PIC X(255).
       COPY LEFC.
       PROCEDURE DIVISION USING LS-TITLE LS-OPTIONS LS-FC.
       CEE3DMP-MAIN.
           MOVE 'CEE3DMP' TO LE-SERVICE
           PERFORM LE-START
           IF ADDRESS OF LS-TITLE = NULL
               MOVE 1 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-OPTIONS = NULL
               MOVE 2 TO LE-I
               PERFORM LE-MISSING
           END-IF
           DISPLAY 'CEE3DMP: dump requested: '
               FUNCTION TRIM(LS-TITLE TRAILING) UPON SYSERR
           PERFORM LE-FINISH
           GOBACK.

       COPY LEPROC.
