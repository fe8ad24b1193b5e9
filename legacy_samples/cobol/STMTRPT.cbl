       IDENTIFICATION DIVISION.
       PROGRAM-ID. STMTRPT.
       AUTHOR. P ASHWORTH.
       INSTALLATION. HARBOR FEDERAL CARD SERVICES - BATCH SYSTEMS.
       DATE-WRITTEN. 10/03/1995.
       DATE-COMPILED.
      *================================================================*
      * STMTRPT  - ACCOUNT BALANCE REPORT BY REGION AND BRANCH         *
      *                                                                *
      *   PRINTS THE NEW ACCOUNT MASTER (IN ACCOUNT NUMBER ORDER, SO   *
      *   ALSO IN REGION / BRANCH ORDER - THE FIRST DIGIT OF THE       *
      *   ACCOUNT NUMBER IS THE REGION, THE FIRST THREE THE BRANCH).   *
      *   CONTROL BREAKS: BRANCH (MINOR) AND REGION (MAJOR, NEW PAGE). *
      *   SUBTOTALS ON EACH BREAK, GRAND TOTAL AT END OF FILE.         *
      *                                                                *
      *   DD NAMES : CTLCARD  RUN CONTROL CARD                         *
      *              ACCTIN   ACCOUNT MASTER (FROM INTCALC)            *
      *              RPTOUT   PRINT FILE (RECFM=FBA LRECL=133)         *
      *----------------------------------------------------------------*
      * 10/03/95 PSA  ORIGINAL                                         *
      * 11/19/98 RJM  Y2K - PRINT DATE MM/DD/CCYY              PRJ0199 *
      * 07/11/05 KLT  UTILIZATION PERCENT AND FLAGS            CHG0577 *
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
           SELECT ACCT-IN-FILE     ASSIGN TO ACCTIN
                  ORGANIZATION IS LINE SEQUENTIAL
                  FILE STATUS  IS WS-ACCTIN-STATUS.
           SELECT REPORT-FILE      ASSIGN TO RPTOUT
                  ORGANIZATION IS LINE SEQUENTIAL
                  FILE STATUS  IS WS-RPTOUT-STATUS.
       DATA DIVISION.
       FILE SECTION.
       FD  CTL-CARD-FILE.
       01  CTL-CARD-REC.
           05  CTL-RUN-DATE                PIC 9(8).
           05  FILLER                      PIC X(72).
       FD  ACCT-IN-FILE.
       01  ACCT-IN-REC                     PIC X(120).
       FD  REPORT-FILE.
       01  REPORT-LINE                     PIC X(132).
      / STMTRPT - WORKING STORAGE
       WORKING-STORAGE SECTION.
       01  WS-FILE-STATUSES.
           05  WS-CTL-STATUS               PIC X(2).
           05  WS-ACCTIN-STATUS            PIC X(2).
           05  WS-RPTOUT-STATUS            PIC X(2).
       01  WS-SWITCHES.
           05  WS-EOF-SW                   PIC X(1)   VALUE 'N'.
               88  WS-EOF                      VALUE 'Y'.
           05  WS-FIRST-SW                 PIC X(1)   VALUE 'Y'.
               88  WS-FIRST-RECORD             VALUE 'Y'.
       01  WS-PAGE-CONTROL.
           05  WS-PAGE-COUNT               PIC S9(4)  COMP VALUE 0.
           05  WS-LINE-COUNT               PIC S9(4)  COMP VALUE 99.
           05  WS-LINES-PER-PAGE           PIC S9(4)  COMP VALUE 15.
           05  WS-ADVANCE                  PIC S9(4)  COMP VALUE 1.
       01  WS-CONTROL-FIELDS.
           05  WS-PREV-REGION              PIC 9(1).
           05  WS-PREV-BRANCH              PIC X(3).
       01  WS-CALC.
           05  WS-AVAILABLE                PIC S9(9)V99  COMP-3.
           05  WS-UTIL-PCT                 PIC S9(3)V9   COMP-3.
      *
      * ACCUMULATORS: 1 = BRANCH, 2 = REGION, 3 = GRAND TOTAL
      *
       01  WS-TOTALS-TABLE.
           05  WS-TOTALS                   OCCURS 3 TIMES.
               10  WS-TOT-ACCTS            PIC S9(7)     COMP-3.
               10  WS-TOT-LIMIT            PIC S9(11)V99 COMP-3.
               10  WS-TOT-BALANCE          PIC S9(11)V99 COMP-3.
               10  WS-TOT-AVAIL            PIC S9(11)V99 COMP-3.
               10  WS-TOT-OVERLIMIT        PIC S9(5)     COMP-3.
       01  WS-LVL                          PIC 9(1).
       01  WS-SUB                          PIC 9(1).

       COPY ACCTREC.

       COPY DATEWRK.

      *----------------------------------------------------------------*
      * PRINT LINES                                                    *
      *----------------------------------------------------------------*
       01  WS-HEAD-1.
           05  FILLER                      PIC X(10)  VALUE 'STMTRPT'.
           05  FILLER                      PIC X(30)  VALUE SPACES.
           05  FILLER                      PIC X(60)  VALUE 'HARBOR FEDE
      -    'RAL CARD SERVICES'.
           05  FILLER                      PIC X(5)   VALUE 'PAGE '.
           05  H1-PAGE                     PIC ZZZ9.
       01  WS-HEAD-2.
           05  FILLER                      PIC X(10)  VALUE 'RUN DATE'.
           05  H2-RUN-DATE                 PIC X(10).
           05  FILLER                      PIC X(20)  VALUE SPACES.
           05  FILLER                      PIC X(60)  VALUE
               'ACCOUNT BALANCE REPORT BY REGION AND BRANCH'.
       01  WS-HEAD-3.
           05  FILLER                      PIC X(50)  VALUE
               'RGN BRN ACCOUNT NO NAME                     ST PR '.
           05  FILLER                      PIC X(50)  VALUE
               'CREDIT LIMIT      BALANCE     AVAILABLE  UTIL%  FL'.
           05  FILLER                      PIC X(2)   VALUE 'AG'.
       01  WS-DETAIL.
           05  D-REGION                    PIC X(1).
           05  FILLER                      PIC X(3)   VALUE SPACES.
           05  D-BRANCH                    PIC X(3).
           05  FILLER                      PIC X(1)   VALUE SPACES.
           05  D-ACCT-NO                   PIC 9(10).
           05  FILLER                      PIC X(1)   VALUE SPACES.
           05  D-NAME                      PIC X(24).
           05  FILLER                      PIC X(1)   VALUE SPACES.
           05  D-STATUS                    PIC X(1).
           05  FILLER                      PIC X(2)   VALUE SPACES.
           05  D-PRODUCT                   PIC X(2).
           05  FILLER                      PIC X(1)   VALUE SPACES.
           05  D-LIMIT                     PIC Z,ZZZ,ZZ9.99.
           05  FILLER                      PIC X(1)   VALUE SPACES.
           05  D-BALANCE                   PIC Z,ZZZ,ZZ9.99-.
           05  FILLER                      PIC X(1)   VALUE SPACES.
           05  D-AVAILABLE                 PIC Z,ZZZ,ZZ9.99-.
           05  FILLER                      PIC X(1)   VALUE SPACES.
           05  D-UTIL                      PIC ZZ9.9.
           05  FILLER                      PIC X(2)   VALUE SPACES.
           05  D-FLAG                      PIC X(12).
       01  WS-TOTAL-LINE.
           05  T-LABEL                     PIC X(22).
           05  T-KEY                       PIC X(3).
           05  FILLER                      PIC X(2)   VALUE SPACES.
           05  T-ACCTS                     PIC ZZZ,ZZ9.
           05  FILLER                      PIC X(9)   VALUE ' ACCOUNTS'.
           05  FILLER                      PIC X(6)   VALUE SPACES.
           05  T-LIMIT                     PIC ZZ,ZZZ,ZZ9.99.
           05  T-BALANCE                   PIC ZZ,ZZZ,ZZ9.99-.
           05  T-AVAIL                     PIC ZZ,ZZZ,ZZ9.99-.
           05  FILLER                      PIC X(2)   VALUE SPACES.
           05  T-OVERLIMIT                 PIC ZZ9.
           05  FILLER                      PIC X(10)
                                           VALUE ' OVERLIMIT'.
      /
       PROCEDURE DIVISION.
       0000-MAINLINE.
           PERFORM 1000-INITIALIZE
           PERFORM 2000-PROCESS-ACCOUNT
               UNTIL WS-EOF
           IF NOT WS-FIRST-RECORD
               PERFORM 3100-BRANCH-BREAK
               PERFORM 3200-REGION-BREAK
           END-IF
           PERFORM 3300-GRAND-TOTAL
           CLOSE ACCT-IN-FILE
                 REPORT-FILE
           MOVE WS-PAGE-COUNT TO H1-PAGE
           DISPLAY 'STMTRPT  - REPORT COMPLETE, PAGES PRINTED ' H1-PAGE
           MOVE ZERO TO RETURN-CODE
           STOP RUN.

       1000-INITIALIZE.
           INITIALIZE WS-TOTALS-TABLE
           OPEN INPUT CTL-CARD-FILE
           READ CTL-CARD-FILE
               AT END
                   DISPLAY 'STMTRPT  - CONTROL CARD MISSING'
                   MOVE 16 TO RETURN-CODE
                   STOP RUN
           END-READ
           CLOSE CTL-CARD-FILE
           MOVE CTL-RUN-DATE TO DW-DATE
           MOVE DW-MM   TO DW-P-MM
           MOVE DW-DD   TO DW-P-DD
           MOVE DW-CCYY TO DW-P-CCYY
           MOVE DW-PRINT-DATE TO H2-RUN-DATE
           OPEN INPUT  ACCT-IN-FILE
           OPEN OUTPUT REPORT-FILE
           IF WS-ACCTIN-STATUS NOT = '00'
              OR WS-RPTOUT-STATUS NOT = '00'
               DISPLAY 'STMTRPT  - OPEN ERROR, STATUS '
                       WS-ACCTIN-STATUS ' ' WS-RPTOUT-STATUS
               MOVE 16 TO RETURN-CODE
               STOP RUN
           END-IF
           PERFORM 2100-READ-ACCOUNT.

      /
      *----------------------------------------------------------------*
      * 2000 - ONE ACCOUNT: CHECK FOR BREAKS, THEN PRINT IT            *
      *----------------------------------------------------------------*
       2000-PROCESS-ACCOUNT.
           EVALUATE TRUE
               WHEN WS-FIRST-RECORD
                   MOVE 'N' TO WS-FIRST-SW
                   MOVE ACCT-REGION TO WS-PREV-REGION
                   MOVE ACCT-BRANCH TO WS-PREV-BRANCH
               WHEN ACCT-REGION NOT = WS-PREV-REGION
                   PERFORM 3100-BRANCH-BREAK
                   PERFORM 3200-REGION-BREAK
      *            EACH REGION STARTS ON A NEW PAGE
                   MOVE WS-LINES-PER-PAGE TO WS-LINE-COUNT
               WHEN ACCT-BRANCH NOT = WS-PREV-BRANCH
                   PERFORM 3100-BRANCH-BREAK
           END-EVALUATE
           PERFORM 2200-FORMAT-DETAIL
           PERFORM 2100-READ-ACCOUNT.

       2100-READ-ACCOUNT.
           READ ACCT-IN-FILE INTO ACCT-MASTER-REC
               AT END
                   SET WS-EOF TO TRUE
           END-READ.

       2200-FORMAT-DETAIL.
           MOVE SPACES TO D-REGION D-BRANCH
           IF WS-LINE-COUNT >= WS-LINES-PER-PAGE
               PERFORM 4000-PAGE-HEADINGS
           END-IF
      *    GROUP INDICATE: BRANCH ONLY ON ITS FIRST LINE OF A PAGE
           IF ACCT-BRANCH NOT = WS-PREV-BRANCH
              OR WS-LINE-COUNT = 4
               MOVE ACCT-REGION TO D-REGION
               MOVE ACCT-BRANCH TO D-BRANCH
           END-IF
           MOVE ACCT-REGION TO WS-PREV-REGION
           MOVE ACCT-BRANCH TO WS-PREV-BRANCH
           MOVE ACCT-NUMBER       TO D-ACCT-NO
           MOVE ACCT-NAME         TO D-NAME
           MOVE ACCT-STATUS       TO D-STATUS
           MOVE ACCT-PRODUCT      TO D-PRODUCT
           MOVE ACCT-CREDIT-LIMIT TO D-LIMIT
           MOVE ACCT-BALANCE      TO D-BALANCE
           SUBTRACT ACCT-BALANCE FROM ACCT-CREDIT-LIMIT
               GIVING WS-AVAILABLE
           MOVE WS-AVAILABLE      TO D-AVAILABLE
           IF ACCT-BALANCE > ZERO AND ACCT-CREDIT-LIMIT > ZERO          CHG0577
               COMPUTE WS-UTIL-PCT ROUNDED =                            CHG0577
                       ACCT-BALANCE * 100 / ACCT-CREDIT-LIMIT           CHG0577
           ELSE
               MOVE ZERO TO WS-UTIL-PCT
           END-IF
           MOVE WS-UTIL-PCT TO D-UTIL
           MOVE SPACES TO D-FLAG
           EVALUATE TRUE
               WHEN ACCT-CLOSED
                   MOVE 'CLOSED' TO D-FLAG
               WHEN ACCT-BALANCE > ACCT-CREDIT-LIMIT
                   MOVE '*OVERLIMIT' TO D-FLAG
                   ADD 1 TO WS-TOT-OVERLIMIT (1)
               WHEN ACCT-CHARGE-OFF
                   MOVE 'CHARGE-OFF' TO D-FLAG
               WHEN ACCT-DELINQUENT
                   STRING 'DELQ '            DELIMITED BY SIZE
                          ACCT-DELINQ-CYCLES DELIMITED BY SIZE
                          ' CYC'             DELIMITED BY SIZE
                          INTO D-FLAG
                   END-STRING
               WHEN ACCT-FROZEN
                   MOVE 'FROZEN' TO D-FLAG
           END-EVALUATE
           MOVE 1 TO WS-ADVANCE
           PERFORM 4100-PRINT-LINE
           ADD 1                 TO WS-TOT-ACCTS (1)
           ADD ACCT-CREDIT-LIMIT TO WS-TOT-LIMIT (1)
           ADD ACCT-BALANCE      TO WS-TOT-BALANCE (1)
           ADD WS-AVAILABLE      TO WS-TOT-AVAIL (1).

      /
      *----------------------------------------------------------------*
      * 3000 - CONTROL BREAKS.  PRINT LEVEL, ROLL IT UP, CLEAR IT.     *
      *----------------------------------------------------------------*
       3100-BRANCH-BREAK.
           MOVE 1 TO WS-LVL
           MOVE 'BRANCH TOTAL' TO T-LABEL
           MOVE WS-PREV-BRANCH TO T-KEY
           PERFORM 3900-PRINT-AND-ROLL.

       3200-REGION-BREAK.
           MOVE 2 TO WS-LVL
           MOVE 'REGION TOTAL' TO T-LABEL
           MOVE SPACES TO T-KEY
           MOVE WS-PREV-REGION TO T-KEY (1:1)
           PERFORM 3900-PRINT-AND-ROLL.

       3300-GRAND-TOTAL.
           MOVE 3 TO WS-LVL
           MOVE '*** GRAND TOTAL ***' TO T-LABEL
           MOVE SPACES TO T-KEY
           PERFORM 3900-PRINT-AND-ROLL.

       3900-PRINT-AND-ROLL.
           MOVE WS-TOT-ACCTS (WS-LVL)     TO T-ACCTS
           MOVE WS-TOT-LIMIT (WS-LVL)     TO T-LIMIT
           MOVE WS-TOT-BALANCE (WS-LVL)   TO T-BALANCE
           MOVE WS-TOT-AVAIL (WS-LVL)     TO T-AVAIL
           MOVE WS-TOT-OVERLIMIT (WS-LVL) TO T-OVERLIMIT
           IF WS-LINE-COUNT + 2 > WS-LINES-PER-PAGE
               PERFORM 4000-PAGE-HEADINGS
           END-IF
           MOVE WS-TOTAL-LINE TO REPORT-LINE
           MOVE 2 TO WS-ADVANCE
           PERFORM 4200-WRITE-LINE
           MOVE SPACES TO REPORT-LINE
           MOVE 1 TO WS-ADVANCE
           PERFORM 4200-WRITE-LINE
           IF WS-LVL < 3
               ADD 1 TO WS-LVL GIVING WS-SUB
               ADD WS-TOT-ACCTS (WS-LVL)     TO WS-TOT-ACCTS (WS-SUB)
               ADD WS-TOT-LIMIT (WS-LVL)     TO WS-TOT-LIMIT (WS-SUB)
               ADD WS-TOT-BALANCE (WS-LVL)   TO WS-TOT-BALANCE (WS-SUB)
               ADD WS-TOT-AVAIL (WS-LVL)     TO WS-TOT-AVAIL (WS-SUB)
               ADD WS-TOT-OVERLIMIT (WS-LVL)
                                         TO WS-TOT-OVERLIMIT (WS-SUB)
               INITIALIZE WS-TOTALS (WS-LVL)
           END-IF.

      /
      *----------------------------------------------------------------*
      * 4000 - PAGE HEADINGS AND LINE COUNTING                         *
      *----------------------------------------------------------------*
       4000-PAGE-HEADINGS.
           ADD 1 TO WS-PAGE-COUNT
           MOVE WS-PAGE-COUNT TO H1-PAGE
           WRITE REPORT-LINE FROM WS-HEAD-1
               AFTER ADVANCING PAGE
           WRITE REPORT-LINE FROM WS-HEAD-2
               AFTER ADVANCING 1 LINE
           WRITE REPORT-LINE FROM WS-HEAD-3
               AFTER ADVANCING 2 LINES
           MOVE 4 TO WS-LINE-COUNT.

       4100-PRINT-LINE.
           MOVE WS-DETAIL TO REPORT-LINE
           PERFORM 4200-WRITE-LINE.

       4200-WRITE-LINE.
           WRITE REPORT-LINE
               AFTER ADVANCING WS-ADVANCE LINES
           ADD WS-ADVANCE TO WS-LINE-COUNT.
