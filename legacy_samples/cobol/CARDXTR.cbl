       IDENTIFICATION DIVISION.
       PROGRAM-ID. CARDXTR.
       AUTHOR. M NGATA.
       INSTALLATION. HARBOR FEDERAL CARD SERVICES - BATCH SYSTEMS.
       DATE-WRITTEN. 04/02/2013.
       DATE-COMPILED.
      *================================================================*
      * CARDXTR  - WEEKLY PLASTIC REISSUE EXTRACT                      *
      *                                                                *
      *   SCANS THE CARDHOLDER PLASTICS FILE (1-4 PLASTICS PER         *
      *   ACCOUNT, VARIABLE LENGTH) AND EXTRACTS EVERY ACTIVE PLASTIC  *
      *   THAT EXPIRES BEFORE THE END OF THE REISSUE WINDOW (RUN       *
      *   MONTH + 2) FOR THE EMBOSSING VENDOR.  NEW EXPIRY = OLD + 3   *
      *   YEARS.  BLOCKED PLASTICS (LOST/STOLEN/FRAUD) ARE SKIPPED.    *
      *   THE EXTRACT SEQUENCE NUMBER IS KEPT IN THE RUN CONTROL FILE, *
      *   WHICH IS UPDATED IN PLACE (REWRITE) AT THE END OF THE RUN.   *
      *                                                                *
      *   DD NAMES : CTLCARD  RUN CONTROL CARD                         *
      *              CARDIN   CARDHOLDER PLASTICS FILE                 *
      *              RUNCTL   RUN CONTROL RECORD (FB 80, DISP=OLD)     *
      *              XTRACT   REISSUE EXTRACT (HEADER/DETAIL/TRAILER)  *
      *----------------------------------------------------------------*
      * 04/02/13 MNG  ORIGINAL                                         *
      * 09/19/16 MNG  SKIP FRAUD-BLOCKED PLASTICS ('F')        CHG1733 *
      *================================================================*
       ENVIRONMENT DIVISION.
       CONFIGURATION SECTION.
       SOURCE-COMPUTER. IBM-370.
       OBJECT-COMPUTER. IBM-370.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT CTL-CARD-FILE    ASSIGN TO CTLCARD
                  ORGANIZATION IS LINE SEQUENTIAL
                  FILE STATUS  IS WS-CTL-STATUS.
           SELECT CARD-IN-FILE     ASSIGN TO CARDIN
                  ORGANIZATION IS LINE SEQUENTIAL
                  FILE STATUS  IS WS-CARDIN-STATUS.
           SELECT RUN-CTL-FILE     ASSIGN TO RUNCTL
                  ORGANIZATION IS SEQUENTIAL
                  ACCESS MODE  IS SEQUENTIAL
                  FILE STATUS  IS WS-RUNCTL-STATUS.
           SELECT EXTRACT-FILE     ASSIGN TO XTRACT
                  ORGANIZATION IS LINE SEQUENTIAL
                  FILE STATUS  IS WS-XTRACT-STATUS.
       DATA DIVISION.
       FILE SECTION.
       FD  CTL-CARD-FILE.
       01  CTL-CARD-REC.
           05  CTL-RUN-DATE                PIC 9(8).
           05  CTL-RUN-DATE-R REDEFINES CTL-RUN-DATE.
               10  CTL-RUN-CCYYMM          PIC 9(6).
               10  CTL-RUN-DD              PIC 9(2).
           05  FILLER                      PIC X(72).
       FD  CARD-IN-FILE
           RECORD IS VARYING IN SIZE FROM 57 TO 132 CHARACTERS.
           COPY CARDREC.
       FD  RUN-CTL-FILE
           RECORD CONTAINS 80 CHARACTERS.
       01  RUN-CTL-REC.
           05  RC-RECORD-ID                PIC X(8).
               88  RC-VALID-ID                 VALUE 'CARDXTR '.
           05  RC-LAST-SEQ                 PIC 9(6).
           05  RC-LAST-RUN-DATE            PIC 9(8).
           05  RC-LAST-COUNT               PIC 9(7).
           05  RC-LAST-HASH                PIC 9(15).
           05  FILLER                      PIC X(36).
       FD  EXTRACT-FILE.
       01  EXTRACT-REC                     PIC X(80).
      /
       WORKING-STORAGE SECTION.
       01  WS-FILE-STATUSES.
           05  WS-CTL-STATUS               PIC X(2).
           05  WS-CARDIN-STATUS            PIC X(2).
               88  WS-CARDIN-OK                VALUE '00' '04'.
               88  WS-CARDIN-EOF               VALUE '10'.
           05  WS-RUNCTL-STATUS            PIC X(2).
           05  WS-XTRACT-STATUS            PIC X(2).
       01  WS-WORK.
           05  WS-RUN-DATE                 PIC 9(8).
           05  WS-RUN-CCYYMM               PIC 9(6).
           05  WS-WINDOW.
               10  WS-WINDOW-CCYY          PIC 9(4).
               10  WS-WINDOW-MM            PIC 9(2).
           05  WS-WINDOW-N REDEFINES WS-WINDOW
                                           PIC 9(6).
           05  WS-NEW-SEQ                  PIC 9(6).
           05  WS-BAD-RECS                 PIC S9(5)  COMP-3 VALUE 0.
           05  WS-PLASTICS-SEEN            PIC S9(7)  COMP-3 VALUE 0.
           05  WS-EDIT-COUNT               PIC ZZZ,ZZ9.
           05  WS-EDIT-HASH                PIC Z(14)9.

       COPY CTLTOTS.

       01  WS-XT-HEADER.
           05  XH-REC-TYPE                 PIC X(1)   VALUE 'H'.
           05  XH-SEQ                      PIC 9(6).
           05  XH-RUN-DATE                 PIC 9(8).
           05  XH-WINDOW                   PIC 9(6).
           05  FILLER                      PIC X(1)   VALUE SPACE.
           05  XH-TITLE                    PIC X(30)
                                   VALUE 'HFCS PLASTIC REISSUE EXTRACT'.
       01  WS-XT-DETAIL.
           05  XD-REC-TYPE                 PIC X(1)   VALUE 'D'.
           05  XD-ACCT-NO                  PIC 9(10).
           05  XD-CARD-NUMBER              PIC X(16).
           05  XD-ROLE                     PIC X(1).
           05  XD-OLD-EXPIRY               PIC 9(6).
           05  XD-NEW-EXPIRY               PIC 9(6).
           05  XD-EMBOSS-NAME              PIC X(21).
           05  XD-PLASTIC-TYPE             PIC X(1).
           05  XD-SEQ                      PIC 9(6).
       01  WS-XT-TRAILER.
           05  XT-REC-TYPE                 PIC X(1)   VALUE 'T'.
           05  XT-SEQ                      PIC 9(6).
           05  XT-COUNT                    PIC 9(7).
           05  XT-HASH                     PIC 9(15).
      /
       PROCEDURE DIVISION.
       0000-MAINLINE.
           PERFORM 1000-INITIALIZE
           PERFORM 2000-PROCESS-CARD-REC
               UNTIL WS-CARDIN-EOF
           PERFORM 3000-FINISH
           STOP RUN.

       1000-INITIALIZE.
           INITIALIZE CTL-TOTALS
           OPEN INPUT CTL-CARD-FILE
           READ CTL-CARD-FILE
               AT END
                   DISPLAY 'CARDXTR  - CONTROL CARD MISSING'
                   PERFORM 9999-ABEND
           END-READ
           MOVE CTL-RUN-DATE   TO WS-RUN-DATE
           MOVE CTL-RUN-CCYYMM TO WS-RUN-CCYYMM WS-WINDOW-N
           CLOSE CTL-CARD-FILE
      *    REISSUE WINDOW = RUN MONTH + 2, ROLLING INTO NEXT YEAR
           ADD 2 TO WS-WINDOW-MM
           IF WS-WINDOW-MM > 12
               SUBTRACT 12 FROM WS-WINDOW-MM
               ADD 1 TO WS-WINDOW-CCYY
           END-IF
      *    RUN CONTROL RECORD - NEXT EXTRACT SEQUENCE NUMBER
           OPEN I-O RUN-CTL-FILE
           IF WS-RUNCTL-STATUS NOT = '00'
               DISPLAY 'CARDXTR  - RUNCTL OPEN ERROR, STATUS '
                       WS-RUNCTL-STATUS
               PERFORM 9999-ABEND
           END-IF
           READ RUN-CTL-FILE
               AT END
                   DISPLAY 'CARDXTR  - RUNCTL IS EMPTY'
                   PERFORM 9999-ABEND
           END-READ
           IF NOT RC-VALID-ID
               DISPLAY 'CARDXTR  - RUNCTL RECORD ID INVALID: '
                       RC-RECORD-ID
               PERFORM 9999-ABEND
           END-IF
           IF RC-LAST-RUN-DATE NOT < WS-RUN-DATE
               DISPLAY 'CARDXTR  - ALREADY RUN FOR ' WS-RUN-DATE
               PERFORM 9999-ABEND
           END-IF
           ADD 1 TO RC-LAST-SEQ GIVING WS-NEW-SEQ
           DISPLAY 'CARDXTR  - REISSUE EXTRACT ' WS-NEW-SEQ
                   '  RUN DATE ' WS-RUN-DATE '  WINDOW ' WS-WINDOW-N
           OPEN INPUT  CARD-IN-FILE
           OPEN OUTPUT EXTRACT-FILE
           IF NOT WS-CARDIN-OK
               DISPLAY 'CARDXTR  - CARDIN OPEN ERROR, STATUS '
                       WS-CARDIN-STATUS
               PERFORM 9999-ABEND
           END-IF
           MOVE WS-NEW-SEQ  TO XH-SEQ
           MOVE WS-RUN-DATE TO XH-RUN-DATE
           MOVE WS-WINDOW-N TO XH-WINDOW
           WRITE EXTRACT-REC FROM WS-XT-HEADER
           PERFORM 2100-READ-CARD-REC.

      /
      *----------------------------------------------------------------*
      * 2000 - ONE ACCOUNT: LOOK AT EVERY PLASTIC ON THE RECORD        *
      *----------------------------------------------------------------*
       2000-PROCESS-CARD-REC.
           ADD 1 TO CT-RECS-READ
           IF CM-CARD-COUNT NOT NUMERIC
              OR CM-CARD-COUNT < 1 OR CM-CARD-COUNT > 4
               DISPLAY 'CARDXTR  - BAD PLASTIC COUNT, ACCOUNT '
                       CM-ACCT-NUMBER
               ADD 1 TO WS-BAD-RECS
           ELSE
               PERFORM 2200-CHECK-PLASTIC
                   VARYING CM-CX FROM 1 BY 1
                   UNTIL CM-CX > CM-CARD-COUNT
           END-IF
           PERFORM 2100-READ-CARD-REC.

       2100-READ-CARD-REC.
           READ CARD-IN-FILE
               AT END
                   CONTINUE
           END-READ
           IF NOT WS-CARDIN-OK AND NOT WS-CARDIN-EOF
               DISPLAY 'CARDXTR  - CARDIN READ ERROR, STATUS '
                       WS-CARDIN-STATUS
               PERFORM 9999-ABEND
           END-IF.

       2200-CHECK-PLASTIC.
           ADD 1 TO WS-PLASTICS-SEEN
           EVALUATE TRUE
               WHEN CE-CARD-BLOCKED (CM-CX)                             CHG1733
                   ADD 1 TO CT-RECS-REJECTED
               WHEN CE-CARD-ACTIVE (CM-CX)
                AND CE-EXPIRY (CM-CX) NOT > WS-WINDOW-N
                   PERFORM 2300-WRITE-DETAIL
               WHEN OTHER
                   CONTINUE
           END-EVALUATE.

       2300-WRITE-DETAIL.
           MOVE CM-ACCT-NUMBER              TO XD-ACCT-NO
           MOVE CE-CARD-NUMBER (CM-CX)      TO XD-CARD-NUMBER
           MOVE CE-CARD-ROLE (CM-CX)        TO XD-ROLE
           MOVE CE-EXPIRY (CM-CX)           TO XD-OLD-EXPIRY
           COMPUTE XD-NEW-EXPIRY = CE-EXPIRY (CM-CX) + 300
           MOVE CM-EMBOSS-NAME              TO XD-EMBOSS-NAME
           MOVE CE-PLASTIC-TYPE (CM-CX)     TO XD-PLASTIC-TYPE
           MOVE WS-NEW-SEQ                  TO XD-SEQ
           WRITE EXTRACT-REC FROM WS-XT-DETAIL
           ADD 1 TO CT-RECS-WRITTEN
           ADD CM-ACCT-NUMBER TO CT-HASH-TOTAL.

      /
      *----------------------------------------------------------------*
      * 3000 - TRAILER, UPDATE THE RUN CONTROL RECORD IN PLACE         *
      *----------------------------------------------------------------*
       3000-FINISH.
           MOVE WS-NEW-SEQ      TO XT-SEQ
           MOVE CT-RECS-WRITTEN TO XT-COUNT
           MOVE CT-HASH-TOTAL   TO XT-HASH
           WRITE EXTRACT-REC FROM WS-XT-TRAILER
           MOVE WS-NEW-SEQ      TO RC-LAST-SEQ
           MOVE WS-RUN-DATE     TO RC-LAST-RUN-DATE
           MOVE CT-RECS-WRITTEN TO RC-LAST-COUNT
           MOVE CT-HASH-TOTAL   TO RC-LAST-HASH
           REWRITE RUN-CTL-REC
           IF WS-RUNCTL-STATUS NOT = '00'
               DISPLAY 'CARDXTR  - RUNCTL REWRITE ERROR, STATUS '
                       WS-RUNCTL-STATUS
               PERFORM 9999-ABEND
           END-IF
           CLOSE CARD-IN-FILE
                 EXTRACT-FILE
                 RUN-CTL-FILE
           MOVE CT-RECS-READ TO WS-EDIT-COUNT
           DISPLAY 'CARDXTR  - CARDHOLDER RECORDS READ ... '
                   WS-EDIT-COUNT
           MOVE WS-PLASTICS-SEEN TO WS-EDIT-COUNT
           DISPLAY 'CARDXTR  - PLASTICS EXAMINED ......... '
                   WS-EDIT-COUNT
           MOVE CT-RECS-REJECTED TO WS-EDIT-COUNT
           DISPLAY 'CARDXTR  - BLOCKED PLASTICS SKIPPED .. '
                   WS-EDIT-COUNT
           MOVE CT-RECS-WRITTEN TO WS-EDIT-COUNT
           DISPLAY 'CARDXTR  - PLASTICS EXTRACTED ........ '
                   WS-EDIT-COUNT
           MOVE CT-HASH-TOTAL TO WS-EDIT-HASH
           DISPLAY 'CARDXTR  - ACCOUNT HASH TOTAL ........ '
                   WS-EDIT-HASH
           IF WS-BAD-RECS > ZERO
               MOVE 4 TO RETURN-CODE
           ELSE
               MOVE ZERO TO RETURN-CODE
           END-IF.

       9999-ABEND.
           DISPLAY 'CARDXTR  - *** RUN ABENDED ***'
           MOVE 16 TO RETURN-CODE
           STOP RUN.
