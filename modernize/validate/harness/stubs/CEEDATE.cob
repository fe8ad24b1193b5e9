      *----------------------------------------------------------------
      * CEEDATE (Language Environment): a Lilian day number written by
      * a picture string. CALL 'CEEDATE' USING Lilian INT4, picture
      * VSTRING, date CHAR80 (out, blanks on error), fc.
      * The workbench's stub for the GnuCOBOL twin: it behaves as
      * modernize/runtime/services.py documents, byte for byte.
      *----------------------------------------------------------------
       IDENTIFICATION DIVISION.
       PROGRAM-ID. CEEDATE.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       COPY LEWS.
       LINKAGE SECTION.
       01  LS-LILIAN                 PIC S9(9) BINARY.
       01  LS-PIC.
           05  LS-PIC-LEN            PIC S9(4) BINARY.
           05  LS-PIC-TXT            PIC X(255).
       01  LS-OUT                    PIC X(80).
       COPY LEFC.
       PROCEDURE DIVISION USING LS-LILIAN LS-PIC LS-OUT LS-FC.
       CEEDATE-MAIN.
           MOVE 'CEEDATE' TO LE-SERVICE
           PERFORM LE-START
           IF ADDRESS OF LS-LILIAN = NULL
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
           IF LS-LILIAN < 1 OR LS-LILIAN > 3074324
               MOVE 2512 TO LE-MSGNO
           ELSE
               MOVE LS-LILIAN TO LE-LILIAN
               MOVE LS-PIC-LEN TO LE-PIC-LEN
               IF LE-PIC-LEN >= 1 AND LE-PIC-LEN <= 255
                   MOVE LS-PIC-TXT(1:LE-PIC-LEN) TO LE-PIC-TXT
               END-IF
               PERFORM LE-TOKENISE
           END-IF
           IF LE-MSGNO = 0
               PERFORM LE-LILIAN-TO-YMD
               MOVE 0 TO LE-HOUR LE-MINUTE LE-SECOND LE-MILLI
               PERFORM LE-FORMAT
               MOVE LE-OUT-TXT(1:80) TO LS-OUT
               IF LE-OUT-LEN > 80
                   MOVE 2526 TO LE-MSGNO
               END-IF
           ELSE
               MOVE SPACES TO LS-OUT
           END-IF
           PERFORM LE-FINISH
           GOBACK.

       COPY LEPICT.
       COPY LEPROC.
