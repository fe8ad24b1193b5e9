      *----------------------------------------------------------------
      * CEESECS (Language Environment): a timestamp read by a picture
      * string to Lilian seconds (seconds since 00:00:00 14 October
      * 1582). CALL 'CEESECS' USING timestamp VSTRING, picture
      * VSTRING, seconds FLOAT8 (out, 0 on error), fc.
      * The workbench's stub for the GnuCOBOL twin: it behaves as
      * modernize/runtime/services.py documents, byte for byte.
      *----------------------------------------------------------------
       IDENTIFICATION DIVISION.
       PROGRAM-ID. CEESECS.
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
       01  LS-SECONDS                COMP-2.
       COPY LEFC.
       PROCEDURE DIVISION USING LS-DATE LS-PIC LS-SECONDS LS-FC.
       CEESECS-MAIN.
           MOVE 'CEESECS' TO LE-SERVICE
           PERFORM LE-START
           IF ADDRESS OF LS-DATE = NULL
               MOVE 1 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-PIC = NULL
               MOVE 2 TO LE-I
               PERFORM LE-MISSING
           END-IF
           IF ADDRESS OF LS-SECONDS = NULL
               MOVE 3 TO LE-I
               PERFORM LE-MISSING
           END-IF
           PERFORM LE-READ-DATE
           IF LE-MSGNO = 0
               EVALUATE TRUE
               WHEN LE-HOUR > 23
                   MOVE 2510 TO LE-MSGNO
               WHEN LE-MINUTE > 59
                   MOVE 2516 TO LE-MSGNO
               WHEN LE-SECOND > 59
                   MOVE 2519 TO LE-MSGNO
               END-EVALUATE
           END-IF
           IF LE-MSGNO = 0
               COMPUTE LE-SECS = LE-LILIAN * 86400 + LE-HOUR * 3600
                   + LE-MINUTE * 60 + LE-SECOND + LE-MILLI / 1000
           ELSE
               MOVE 0 TO LE-SECS
           END-IF
           MOVE LE-SECS TO LS-SECONDS
           PERFORM LE-FINISH
           GOBACK.

       COPY LEREAD.
       COPY LEPICT.
       COPY LEPROC.
