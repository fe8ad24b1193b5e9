       IDENTIFICATION DIVISION.
       PROGRAM-ID. ACCTUPDT.
       AUTHOR. R MCKENZIE.
       INSTALLATION. HARBOR FEDERAL CARD SERVICES - BATCH SYSTEMS.
       DATE-WRITTEN. 03/28/1994.
       DATE-COMPILED.
      *================================================================*
      * ACCTUPDT - WEEKLY ACCOUNT MASTER MAINTENANCE                   *
      *                                                                *
      *   CLASSIC BALANCED-LINE UPDATE OF THE ACCOUNT MASTER FROM THE  *
      *   SORTED MAINTENANCE FILE (ADD / CHANGE / DELETE).  SEVERAL    *
      *   MAINTENANCE ITEMS MAY APPLY TO ONE ACCOUNT, INCLUDING AN ADD *
      *   FOLLOWED BY CHANGES IN THE SAME RUN.                         *
      *   OPEN DATES ON ADDS ARE EDITED BY DATEVAL, CALLED DYNAMICALLY *
      *   (LOADED AT RUN TIME FROM THE LOAD LIBRARY) SO THAT A NEW     *
      *   DATEVAL NEEDS NO RELINK OF THIS PROGRAM.                     *
      *                                                                *
      *   DD NAMES : CTLCARD  RUN CONTROL CARD                         *
      *              OLDMAST  ACCOUNT MASTER - CURRENT GENERATION      *
      *              MAINTIN  SORTED MAINTENANCE TRANSACTIONS          *
      *              NEWMAST  ACCOUNT MASTER - NEW GENERATION          *
      *              AUDITRPT MAINTENANCE AUDIT LISTING                *
      *   RETURN   : 0 CLEAN, 4 SOME ITEMS REJECTED, 16 ABEND          *
      *----------------------------------------------------------------*
      * 03/28/94 RJM  ORIGINAL                                         *
      * 11/19/98 RJM  Y2K - OPEN DATE CCYYMMDD VIA DATEVAL     PRJ0199 *
      * 08/14/01 KLT  DATEVAL NOW CALLED DYNAMICALLY           CHG0301 *
      * 02/02/06 KLT  LIMIT MAY NOT GO BELOW BALANCE           CHG0611 *
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
           SELECT OLD-MAST-FILE    ASSIGN TO OLDMAST
                  ORGANIZATION IS LINE SEQUENTIAL
                  FILE STATUS  IS WS-OLDMAST-STATUS.
           SELECT MAINT-FILE       ASSIGN TO MAINTIN
                  ORGANIZATION IS LINE SEQUENTIAL
                  FILE STATUS  IS WS-MAINT-STATUS.
           SELECT NEW-MAST-FILE    ASSIGN TO NEWMAST
                  ORGANIZATION IS LINE SEQUENTIAL
                  FILE STATUS  IS WS-NEWMAST-STATUS.
           SELECT AUDIT-FILE       ASSIGN TO AUDITRPT
                  ORGANIZATION IS LINE SEQUENTIAL
                  FILE STATUS  IS WS-AUDIT-STATUS.
       DATA DIVISION.
       FILE SECTION.
       FD  CTL-CARD-FILE.
       01  CTL-CARD-REC.
           05  CTL-RUN-DATE                PIC 9(8).
           05  FILLER                      PIC X(72).
       FD  OLD-MAST-FILE.
       01  OLD-MAST-REC                    PIC X(120).
       FD  MAINT-FILE.
       01  MAINT-REC.
           05  MT-ACCT-NUMBER              PIC 9(10).
           05  MT-ACTION                   PIC X(1).
               88  MT-ADD                      VALUE 'A'.
               88  MT-CHANGE                   VALUE 'C'.
               88  MT-DELETE                   VALUE 'D'.
           05  MT-DATA                     PIC X(69).
           05  MT-ADD-DATA REDEFINES MT-DATA.
               10  MT-ADD-NAME             PIC X(24).
               10  MT-ADD-PRODUCT          PIC X(2).
               10  MT-ADD-LIMIT            PIC 9(7)V99.
               10  MT-ADD-OPEN-DATE        PIC 9(8).
               10  FILLER                  PIC X(26).
           05  MT-CHG-DATA REDEFINES MT-DATA.
               10  MT-CHG-FIELD            PIC X(2).
                   88  MT-CHG-NAME             VALUE 'NM'.
                   88  MT-CHG-LIMIT            VALUE 'LM'.
                   88  MT-CHG-STATUS           VALUE 'ST'.
                   88  MT-CHG-PRODUCT          VALUE 'PR'.
               10  MT-CHG-VALUE            PIC X(24).
               10  MT-CHG-LIMIT-R REDEFINES MT-CHG-VALUE.
                   15  MT-CHG-NEW-LIMIT    PIC 9(7)V99.
                   15  FILLER              PIC X(15).
               10  FILLER                  PIC X(43).
       FD  NEW-MAST-FILE.
       01  NEW-MAST-REC                    PIC X(120).
       FD  AUDIT-FILE.
       01  AUDIT-LINE                      PIC X(120).
      / WORKING-STORAGE
       WORKING-STORAGE SECTION.
       01  WS-PGM                          PIC X(8)   VALUE 'DATEVAL'.
       01  WS-FILE-STATUSES.
           05  WS-CTL-STATUS               PIC X(2).
           05  WS-OLDMAST-STATUS           PIC X(2).
           05  WS-MAINT-STATUS             PIC X(2).
           05  WS-NEWMAST-STATUS           PIC X(2).
           05  WS-AUDIT-STATUS             PIC X(2).
       01  WS-KEYS.
           05  WS-OLD-KEY                  PIC X(10).
           05  WS-MAINT-KEY                PIC X(10).
           05  WS-CURRENT-KEY              PIC X(10).
       01  WS-SWITCHES.
           05  WS-ON-FILE-SW               PIC X(1).
               88  WS-REC-ON-FILE              VALUE 'Y'.
               88  WS-REC-NOT-ON-FILE          VALUE 'N'.
       01  WS-WORK.
           05  WS-RUN-DATE                 PIC 9(8).
           05  WS-SAVE-STATUS              PIC X(1).
           05  WS-SAVE-PRODUCT             PIC X(2).
           05  WS-RESULT                   PIC X(60).
           05  WS-RESULT-PTR               PIC 9(3).
           05  WS-EDIT-LIMIT-1             PIC Z,ZZZ,ZZ9.99.
           05  WS-EDIT-LIMIT-2             PIC Z,ZZZ,ZZ9.99.
       01  WS-COUNTS.
           05  WS-OLD-READ                 PIC S9(7)  COMP.
           05  WS-MAINT-READ               PIC S9(7)  COMP.
           05  WS-ADDS                     PIC S9(7)  COMP.
           05  WS-CHANGES                  PIC S9(7)  COMP.
           05  WS-DELETES                  PIC S9(7)  COMP.
           05  WS-REJECTS                  PIC S9(7)  COMP.
           05  WS-NEW-WRITTEN              PIC S9(7)  COMP.
       01  WS-EDIT-COUNT                   PIC ZZZ,ZZ9.

       COPY ACCTREC.

       COPY DATEPARM.

       01  WS-AUDIT-HEAD-1.
           05  FILLER                      PIC X(60)  VALUE 'ACCTUPDT  H
      -    'ARBOR FEDERAL CARD SERVICES - MASTER MAINTENANCE'.
           05  FILLER                      PIC X(12)  VALUE
               '  RUN DATE  '.
           05  AH1-RUN-DATE                PIC 9(8).
       01  WS-AUDIT-HEAD-2.
           05  FILLER                      PIC X(60)  VALUE
               'ACCOUNT NO  A  MAINTENANCE DATA'.
           05  FILLER                      PIC X(6)   VALUE 'RESULT'.
       01  WS-AUDIT-DETAIL.
           05  AD-ACCT-NO                  PIC X(10).
           05  FILLER                      PIC X(2)   VALUE SPACES.
           05  AD-ACTION                   PIC X(1).
           05  FILLER                      PIC X(2)   VALUE SPACES.
           05  AD-DATA                     PIC X(43).
           05  FILLER                      PIC X(2)   VALUE SPACES.
           05  AD-RESULT                   PIC X(60).
      /
       PROCEDURE DIVISION.
       0000-MAINLINE.
           PERFORM 1000-INITIALIZE
           PERFORM 2000-PROCESS-KEY THRU 2000-EXIT
               UNTIL WS-CURRENT-KEY = HIGH-VALUES
           PERFORM 8000-TOTALS
           CLOSE OLD-MAST-FILE
                 MAINT-FILE
                 NEW-MAST-FILE
                 AUDIT-FILE
           IF WS-REJECTS > ZERO
               MOVE 4 TO RETURN-CODE
           ELSE
               MOVE ZERO TO RETURN-CODE
           END-IF
           STOP RUN.

       1000-INITIALIZE.
           INITIALIZE WS-COUNTS
           OPEN INPUT CTL-CARD-FILE
           READ CTL-CARD-FILE
               AT END
                   DISPLAY 'ACCTUPDT - CONTROL CARD MISSING'
                   PERFORM 9999-ABEND
           END-READ
           MOVE CTL-RUN-DATE TO WS-RUN-DATE
           CLOSE CTL-CARD-FILE
           OPEN INPUT  OLD-MAST-FILE
                       MAINT-FILE
           OPEN OUTPUT NEW-MAST-FILE
                       AUDIT-FILE
           IF WS-OLDMAST-STATUS NOT = '00'
              OR WS-MAINT-STATUS NOT = '00'
               DISPLAY 'ACCTUPDT - INPUT OPEN ERROR, STATUS '
                       WS-OLDMAST-STATUS ' ' WS-MAINT-STATUS
               PERFORM 9999-ABEND
           END-IF
           DISPLAY 'ACCTUPDT - MASTER MAINTENANCE   RUN DATE '
                   WS-RUN-DATE
           MOVE WS-RUN-DATE TO AH1-RUN-DATE
           WRITE AUDIT-LINE FROM WS-AUDIT-HEAD-1
           WRITE AUDIT-LINE FROM WS-AUDIT-HEAD-2
           MOVE SPACES TO AUDIT-LINE
           WRITE AUDIT-LINE
           PERFORM 2100-READ-OLD-MASTER
           PERFORM 2200-READ-MAINT
           PERFORM 2900-SET-CURRENT-KEY.

      /
      *----------------------------------------------------------------*
      * 2000 - ONE KEY: PICK UP THE MASTER (IF ANY), APPLY EVERY       *
      *        MAINTENANCE ITEM FOR THE KEY, WRITE WHAT IS LEFT.       *
      *----------------------------------------------------------------*
       2000-PROCESS-KEY.
           IF WS-OLD-KEY = WS-CURRENT-KEY
               MOVE OLD-MAST-REC TO ACCT-MASTER-REC
               SET WS-REC-ON-FILE TO TRUE
               PERFORM 2100-READ-OLD-MASTER
           ELSE
               SET WS-REC-NOT-ON-FILE TO TRUE
           END-IF
           PERFORM 3000-APPLY-MAINT THRU 3000-EXIT
               UNTIL WS-MAINT-KEY NOT = WS-CURRENT-KEY
           IF WS-REC-ON-FILE
               PERFORM 2300-WRITE-NEW-MASTER
           END-IF
           PERFORM 2900-SET-CURRENT-KEY.
       2000-EXIT.
           EXIT.

       2100-READ-OLD-MASTER.
           READ OLD-MAST-FILE
               AT END
                   MOVE HIGH-VALUES TO WS-OLD-KEY
               NOT AT END
                   MOVE OLD-MAST-REC (1:10) TO WS-OLD-KEY
                   ADD 1 TO WS-OLD-READ
           END-READ.

       2200-READ-MAINT.
           READ MAINT-FILE
               AT END
                   MOVE HIGH-VALUES TO WS-MAINT-KEY
               NOT AT END
                   MOVE MT-ACCT-NUMBER TO WS-MAINT-KEY
                   ADD 1 TO WS-MAINT-READ
           END-READ.

       2300-WRITE-NEW-MASTER.
           WRITE NEW-MAST-REC FROM ACCT-MASTER-REC
           IF WS-NEWMAST-STATUS NOT = '00'
               DISPLAY 'ACCTUPDT - NEWMAST WRITE ERROR, STATUS '
                       WS-NEWMAST-STATUS
               PERFORM 9999-ABEND
           END-IF
           ADD 1 TO WS-NEW-WRITTEN.

       2900-SET-CURRENT-KEY.
           IF WS-OLD-KEY < WS-MAINT-KEY
               MOVE WS-OLD-KEY   TO WS-CURRENT-KEY
           ELSE
               MOVE WS-MAINT-KEY TO WS-CURRENT-KEY
           END-IF.

      /
      *----------------------------------------------------------------*
      * 3000 - APPLY ONE MAINTENANCE ITEM                              *
      *----------------------------------------------------------------*
       3000-APPLY-MAINT.
           MOVE SPACES TO WS-RESULT
           EVALUATE TRUE
               WHEN MT-ADD
                   PERFORM 3100-ADD-ACCOUNT THRU 3100-EXIT
               WHEN MT-CHANGE
                   PERFORM 3200-CHANGE-ACCOUNT THRU 3200-EXIT
               WHEN MT-DELETE
                   PERFORM 3300-DELETE-ACCOUNT
               WHEN OTHER
                   MOVE 'REJECTED - INVALID ACTION CODE' TO WS-RESULT
           END-EVALUATE
           IF WS-RESULT (1:8) = 'REJECTED'
               ADD 1 TO WS-REJECTS
           END-IF
           PERFORM 3900-WRITE-AUDIT
           PERFORM 2200-READ-MAINT.
       3000-EXIT.
           EXIT.

       3100-ADD-ACCOUNT.
           IF WS-REC-ON-FILE
               MOVE 'REJECTED - ACCOUNT ALREADY ON FILE' TO WS-RESULT
               GO TO 3100-EXIT
           END-IF
           MOVE 'V'              TO DP-FUNCTION
           MOVE MT-ADD-OPEN-DATE TO DP-DATE-1
           CALL WS-PGM USING DATE-PARMS                                 CHG0301
               ON EXCEPTION                                             CHG0301
                   DISPLAY 'ACCTUPDT - CANNOT LOAD ' WS-PGM             CHG0301
                   PERFORM 9999-ABEND                                   CHG0301
           END-CALL                                                     CHG0301
           IF NOT DP-OK
               STRING 'REJECTED - BAD OPEN DATE: ' DELIMITED BY SIZE
                      DP-MESSAGE                   DELIMITED BY '  '
                      INTO WS-RESULT
               END-STRING
               GO TO 3100-EXIT
           END-IF
           IF MT-ADD-OPEN-DATE > WS-RUN-DATE
               MOVE 'REJECTED - OPEN DATE AFTER RUN DATE' TO WS-RESULT
               GO TO 3100-EXIT
           END-IF
           MOVE SPACES TO ACCT-MASTER-REC
           INITIALIZE ACCT-MASTER-REC
           MOVE MT-ADD-PRODUCT TO ACCT-PRODUCT
           IF NOT ACCT-VALID-PRODUCT
               MOVE 'REJECTED - INVALID PRODUCT CODE' TO WS-RESULT
               GO TO 3100-EXIT
           END-IF
           MOVE MT-ACCT-NUMBER   TO ACCT-NUMBER
           SET ACCT-ACTIVE       TO TRUE
           MOVE MT-ADD-NAME      TO ACCT-NAME
           MOVE MT-ADD-OPEN-DATE TO ACCT-OPEN-DATE
           MOVE MT-ADD-LIMIT     TO ACCT-CREDIT-LIMIT
           MOVE ZERO             TO ACCT-BALANCE
           MOVE WS-RUN-DATE      TO ACCT-LAST-STMT-DATE
                                    ACCT-LAST-MAINT-DATE
           MOVE MT-ADD-OPEN-DATE TO ACCT-LAST-ACTV-DATE
           SET WS-REC-ON-FILE    TO TRUE
           ADD 1 TO WS-ADDS
           MOVE 'ADDED' TO WS-RESULT.
       3100-EXIT.
           EXIT.

       3200-CHANGE-ACCOUNT.
           IF WS-REC-NOT-ON-FILE
               MOVE 'REJECTED - ACCOUNT NOT ON FILE' TO WS-RESULT
               GO TO 3200-EXIT
           END-IF
           EVALUATE TRUE
               WHEN MT-CHG-NAME
                   MOVE MT-CHG-VALUE TO ACCT-NAME
                   MOVE 'CHANGED NAME' TO WS-RESULT
               WHEN MT-CHG-LIMIT
                   IF MT-CHG-NEW-LIMIT NOT NUMERIC
                       MOVE 'REJECTED - LIMIT NOT NUMERIC' TO WS-RESULT
                       GO TO 3200-EXIT
                   END-IF
                   IF MT-CHG-NEW-LIMIT < ACCT-BALANCE                   CHG0611
                       MOVE 'REJECTED - LIMIT BELOW BALANCE'            CHG0611
                         TO WS-RESULT                                   CHG0611
                       GO TO 3200-EXIT                                  CHG0611
                   END-IF
                   MOVE ACCT-CREDIT-LIMIT TO WS-EDIT-LIMIT-1
                   MOVE MT-CHG-NEW-LIMIT  TO WS-EDIT-LIMIT-2
                   MOVE MT-CHG-NEW-LIMIT  TO ACCT-CREDIT-LIMIT
                   MOVE 1 TO WS-RESULT-PTR
                   STRING 'CHANGED LIMIT FROM ' DELIMITED BY SIZE
                          WS-EDIT-LIMIT-1       DELIMITED BY SIZE
                          ' TO '                DELIMITED BY SIZE
                          WS-EDIT-LIMIT-2       DELIMITED BY SIZE
                          INTO WS-RESULT
                          WITH POINTER WS-RESULT-PTR
                   END-STRING
               WHEN MT-CHG-STATUS
                   MOVE ACCT-STATUS TO WS-SAVE-STATUS
                   MOVE MT-CHG-VALUE (1:1) TO ACCT-STATUS
                   IF NOT ACCT-VALID-STATUS
                       MOVE WS-SAVE-STATUS TO ACCT-STATUS
                       MOVE 'REJECTED - INVALID STATUS CODE'
                         TO WS-RESULT
                       GO TO 3200-EXIT
                   END-IF
                   STRING 'CHANGED STATUS FROM ' DELIMITED BY SIZE
                          WS-SAVE-STATUS         DELIMITED BY SIZE
                          ' TO '                 DELIMITED BY SIZE
                          ACCT-STATUS            DELIMITED BY SIZE
                          INTO WS-RESULT
                   END-STRING
               WHEN MT-CHG-PRODUCT
                   MOVE ACCT-PRODUCT TO WS-SAVE-PRODUCT
                   MOVE MT-CHG-VALUE (1:2) TO ACCT-PRODUCT
                   IF NOT ACCT-VALID-PRODUCT
                       MOVE WS-SAVE-PRODUCT TO ACCT-PRODUCT
                       MOVE 'REJECTED - INVALID PRODUCT CODE'
                         TO WS-RESULT
                       GO TO 3200-EXIT
                   END-IF
                   STRING 'CHANGED PRODUCT FROM ' DELIMITED BY SIZE
                          WS-SAVE-PRODUCT         DELIMITED BY SIZE
                          ' TO '                  DELIMITED BY SIZE
                          ACCT-PRODUCT            DELIMITED BY SIZE
                          INTO WS-RESULT
                   END-STRING
               WHEN OTHER
                   MOVE 'REJECTED - INVALID FIELD CODE' TO WS-RESULT
                   GO TO 3200-EXIT
           END-EVALUATE
           MOVE WS-RUN-DATE TO ACCT-LAST-MAINT-DATE
           ADD 1 TO WS-CHANGES.
       3200-EXIT.
           EXIT.

       3300-DELETE-ACCOUNT.
           EVALUATE TRUE
               WHEN WS-REC-NOT-ON-FILE
                   MOVE 'REJECTED - ACCOUNT NOT ON FILE' TO WS-RESULT
               WHEN ACCT-BALANCE NOT = ZERO
                   MOVE 'REJECTED - BALANCE NOT ZERO' TO WS-RESULT
               WHEN OTHER
                   SET WS-REC-NOT-ON-FILE TO TRUE
                   ADD 1 TO WS-DELETES
                   MOVE 'DELETED' TO WS-RESULT
           END-EVALUATE.

       3900-WRITE-AUDIT.
           MOVE MT-ACCT-NUMBER TO AD-ACCT-NO
           MOVE MT-ACTION      TO AD-ACTION
           MOVE MT-DATA        TO AD-DATA
           MOVE WS-RESULT      TO AD-RESULT
           WRITE AUDIT-LINE FROM WS-AUDIT-DETAIL.

      /
       8000-TOTALS.
           MOVE SPACES TO AUDIT-LINE
           WRITE AUDIT-LINE
           MOVE WS-OLD-READ TO WS-EDIT-COUNT
           STRING 'OLD MASTER RECORDS READ ..... ' WS-EDIT-COUNT
                  DELIMITED BY SIZE INTO AUDIT-LINE
           PERFORM 8100-PUT-TOTAL
           MOVE WS-MAINT-READ TO WS-EDIT-COUNT
           STRING 'MAINTENANCE ITEMS READ ...... ' WS-EDIT-COUNT
                  DELIMITED BY SIZE INTO AUDIT-LINE
           PERFORM 8100-PUT-TOTAL
           MOVE WS-ADDS TO WS-EDIT-COUNT
           STRING 'ACCOUNTS ADDED .............. ' WS-EDIT-COUNT
                  DELIMITED BY SIZE INTO AUDIT-LINE
           PERFORM 8100-PUT-TOTAL
           MOVE WS-CHANGES TO WS-EDIT-COUNT
           STRING 'CHANGES APPLIED ............. ' WS-EDIT-COUNT
                  DELIMITED BY SIZE INTO AUDIT-LINE
           PERFORM 8100-PUT-TOTAL
           MOVE WS-DELETES TO WS-EDIT-COUNT
           STRING 'ACCOUNTS DELETED ............ ' WS-EDIT-COUNT
                  DELIMITED BY SIZE INTO AUDIT-LINE
           PERFORM 8100-PUT-TOTAL
           MOVE WS-REJECTS TO WS-EDIT-COUNT
           STRING 'ITEMS REJECTED .............. ' WS-EDIT-COUNT
                  DELIMITED BY SIZE INTO AUDIT-LINE
           PERFORM 8100-PUT-TOTAL
           MOVE WS-NEW-WRITTEN TO WS-EDIT-COUNT
           STRING 'NEW MASTER RECORDS WRITTEN .. ' WS-EDIT-COUNT
                  DELIMITED BY SIZE INTO AUDIT-LINE
           PERFORM 8100-PUT-TOTAL.

       8100-PUT-TOTAL.
           DISPLAY 'ACCTUPDT - ' AUDIT-LINE (1:40)
           WRITE AUDIT-LINE
           MOVE SPACES TO AUDIT-LINE.

       9999-ABEND.
           DISPLAY 'ACCTUPDT - *** RUN ABENDED ***'
           MOVE 16 TO RETURN-CODE
           STOP RUN.
