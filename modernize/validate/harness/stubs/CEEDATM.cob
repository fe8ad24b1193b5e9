      *----------------------------------------------------------------
      * CEEDATM (Language Environment): Lilian seconds written by a
      * picture string. CALL 'CEEDATM' USING seconds FLOAT8, picture
      * VSTRING, timestamp CHAR80 (out, blanks on error), fc.
      * The workbench's stub for the GnuCOBOL twin: it behaves as
      * modernize/runtime/services.py documents, byte for byte.
      *----------------------------------------------------------------
       IDENTIFICATION DIVISION.
       PROGRAM-ID. CEEDATM.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       COPY LEWS.
       LINKAGE SECTION.
       01  LS-SECONDS                COMP-2.
       01  LS-PIC.
           05  LS-PIC-LEN            PIC S9(4) BINARY.
           05  LS-PIC-TXT            PIC X(255).
       01  LS-OUT                    PIC X(80).
       COPY LEFC.
       PROCEDURE DIVISION USING LS-SECONDS LS-PIC LS-OUT LS-FC.
       CEEDATM-MAIN.
           MOVE 'CEEDATM' TO LE-SERVICE
           PERFORM LE-START
           IF ADDRESS OF LS-SECONDS = NULL
               MOVE 1 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-PIC = NULL
               MOVE 2 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-OUT = NULL
               MOVE 3 TO LE-I
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
               MOVE LS-PIC-LEN TO LE-PIC-LEN
               IF LE-PIC-LEN >= 1 AND LE-PIC-LEN <= 255
                   MOVE LS-PIC-TXT(1:LE-PIC-LEN) TO LE-PIC-TXT
               END-IF
               PERFORM LE-TOKENISE
           ELSE
               MOVE 2505 TO LE-MSGNO
           END-IF
           IF LE-MSGNO = 0
               PERFORM LE-FORMAT
               MOVE LE-OUT-TXT(1:80) TO LS-OUT
               IF LE-OUT-LEN > 80
                   MOVE 2527 TO LE-MSGNO
               END-IF
           ELSE
               MOVE SPACES TO LS-OUT
           END-IF
           PERFORM LE-FINISH
           GOBACK.

       COPY LEPICT.
       COPY LEPROC.
