      *----------------------------------------------------------------
      * LEREAD: parameters 1 and 2 of CEEDAYS and CEESECS (input and
      * picture VSTRINGs, LS-DATE and LS-PIC) to LE-PARTS and
      * LE-LILIAN, or LE-MSGNO.
      *----------------------------------------------------------------
       LE-READ-DATE.
           MOVE LS-PIC-LEN TO LE-PIC-LEN
           IF LE-PIC-LEN >= 1 AND LE-PIC-LEN <= 255
               MOVE LS-PIC-TXT(1:LE-PIC-LEN) TO LE-PIC-TXT
           END-IF
           PERFORM LE-TOKENISE
           IF LE-MSGNO = 0
               PERFORM LE-DATE-PICTURE
           END-IF
           MOVE LS-DATE-LEN TO LE-IN-LEN
           IF LE-MSGNO = 0 AND LE-IN-LEN < 1
               MOVE 2507 TO LE-MSGNO
           END-IF
           IF LE-MSGNO = 0
               IF LE-IN-LEN > 255
                   MOVE 255 TO LE-IN-LEN
               END-IF
               MOVE LS-DATE-TXT(1:LE-IN-LEN) TO LE-IN-TXT
               PERFORM LE-PARSE
           END-IF
           IF LE-MSGNO = 0
               PERFORM LE-DAY-OF
           END-IF.
