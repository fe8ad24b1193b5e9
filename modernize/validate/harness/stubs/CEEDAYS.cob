      *----------------------------------------------------------------
      * CEEDAYS (Language Environment): a date string read by a
      * picture string to a Lilian day number (1 = 15 October 1582).
      * CALL 'CEEDAYS' USING date VSTRING, picture VSTRING,
      *      Lilian INT4 (out, 0 on error), fc (12-byte token).
      * The workbench's stub for the GnuCOBOL twin: it behaves as
      * modernize/runtime/services.py documents, byte for byte.
      *----------------------------------------------------------------
       IDENTIFICATION DIVISION.
       PROGRAM-ID. CEEDAYS.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       COPY LEWS.
       LINKAGE SECTION.
       01  LS-DATE.
           05  LS-DATE-LEN           PIC S9(4) BINARY.
           05  LS-DATE-TXT           PIC X(255).
       01  LS-PIC.
           05  LS-PIC-LEN            PIC S9(4) BINARY.
           05  LS-PIC-TXT            PIC X(255).
       01  LS-LILIAN                 PIC S9(9) BINARY.
       COPY LEFC.
       PROCEDURE DIVISION USING LS-DATE LS-PIC LS-LILIAN LS-FC.
       CEEDAYS-MAIN.
           MOVE 'CEEDAYS' TO LE-SERVICE
           PERFORM LE-START
           IF ADDRESS OF LS-DATE = NULL
               MOVE 1 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-PIC = NULL
               MOVE 2 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-LILIAN = NULL
               MOVE 3 TO LE-I
               PERFORM LE-MISSING
           END-IF
           PERFORM LE-READ-DATE
           IF LE-MSGNO = 0
               MOVE LE-LILIAN TO LS-LILIAN
           ELSE
               MOVE 0 TO LS-LILIAN
           END-IF
           PERFORM LE-FINISH
           GOBACK.

       COPY LEREAD.
       COPY LEPICT.
       COPY LEPROC.
