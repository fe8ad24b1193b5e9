      *----------------------------------------------------------------
      * ILBOABN0 (OS/VS COBOL library): end the run with an abend.
      * CALL 'ILBOABN0' USING abend code INT2. Writes "ILBOABN0: abend
      * U<code>: the run ends with exit status <s>" on standard error,
      * then STOP RUN (open files are closed) with the code modulo
      * 256 (255 for 0) as exit status.
      * The workbench's stub for the GnuCOBOL twin: it behaves as
      * modernize/runtime/services.py documents, byte for byte.
      *----------------------------------------------------------------
       IDENTIFICATION DIVISION.
       PROGRAM-ID. ILBOABN0.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       COPY LEWS.
       LINKAGE SECTION.
       01  LS-CODE                   PIC S9(4) BINARY.
       COPY LEFC.
       PROCEDURE DIVISION USING LS-CODE.
       ILBOABN0-MAIN.
           MOVE 'ILBOABN0' TO LE-SERVICE
           PERFORM LE-START
           IF ADDRESS OF LS-CODE = NULL
               MOVE 1 TO LE-I
               PERFORM LE-MISSING
           END-IF
           MOVE LS-CODE TO LE-ABEND-CODE
           PERFORM LE-DO-ABEND.

       COPY LEPROC.
