      *----------------------------------------------------------------
      * CEE3ABD (Language Environment): end the run with an abend.
      * CALL 'CEE3ABD' USING abend code INT4, clean-up INT4. Writes
      * "CEE3ABD: abend U<code> (clean-up <n>): the run ends with exit
      * status <s>" on standard error, then STOP RUN (open files are
      * closed) with the code modulo 256 (255 for 0) as exit status.
      * The workbench's stub for the GnuCOBOL twin: it behaves as
      * modernize/runtime/services.py documents, byte for byte.
      *----------------------------------------------------------------
       IDENTIFICATION DIVISION.
       PROGRAM-ID. CEE3ABD.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       COPY LEWS.
       LINKAGE SECTION.
       01  LS-CODE                   PIC S9(9) BINARY.
       01  LS-CLEANUP                PIC S9(9) BINARY.
       COPY LEFC.
       PROCEDURE DIVISION USING LS-CODE LS-CLEANUP.
       CEE3ABD-MAIN.
           MOVE 'CEE3ABD' TO LE-SERVICE
           PERFORM LE-START
           IF ADDRESS OF LS-CODE = NULL
               MOVE 1 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-CLEANUP = NULL
               MOVE 2 TO LE-I
               PERFORM LE-MISSING
           END-IF
           MOVE LS-CODE TO LE-ABEND-CODE
           MOVE LS-CLEANUP TO LE-ABEND-NUMBER
           STRING ' (clean-up ' FUNCTION TRIM(LE-ABEND-NUMBER) ')'
               DELIMITED BY SIZE INTO LE-ABEND-DETAIL
           PERFORM LE-DO-ABEND.

       COPY LEPROC.
