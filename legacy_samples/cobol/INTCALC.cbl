       IDENTIFICATION DIVISION.
       PROGRAM-ID. INTCALC.
       AUTHOR. K TANAKA.
       INSTALLATION. HARBOR FEDERAL CARD SERVICES - BATCH SYSTEMS.
       DATE-WRITTEN. 05/22/2002.
       DATE-COMPILED.
      *================================================================*
      * INTCALC  - CYCLE INTEREST AND FEE ASSESSMENT                   *
      *                                                                *
      *   FOR EVERY OPEN ACCOUNT ON THE POSTED MASTER:                 *
      *     - FINANCE CHARGE = BALANCE X DAILY PERIODIC RATE X DAYS    *
      *       SINCE THE LAST STATEMENT (DAYS FROM DATEVAL FUNCTION D)  *
      *       DAILY PERIODIC RATE = APR / 365, ROUNDED TO 9 PLACES     *
      *     - ANNUAL FEE ON THE ANNIVERSARY OF THE OPEN DATE           *
      *     - LATE FEE WHILE THE ACCOUNT IS 1-5 CYCLES DELINQUENT      *
      *     - MINIMUM PAYMENT = PCT OF NEW BALANCE, AT LEAST THE       *
      *       PRODUCT FLOOR, NEVER MORE THAN THE BALANCE               *
      *   CLOSED AND CHARGED-OFF ACCOUNTS ARE COPIED UNCHANGED.        *
      *   PRICING COMES FROM THE RATE TABLE FILE (ONE CARD/PRODUCT).   *
      *                                                                *
      *   DD NAMES : CTLCARD  RUN CONTROL CARD                         *
      *              ACCTIN   POSTED ACCOUNT MASTER (FROM POSTTRAN)    *
      *              RATEIN   PRODUCT PRICING TABLE                    *
      *              ACCTOUT  ACCOUNT MASTER - NEW GENERATION          *
      *              INTRPT   ASSESSMENT REGISTER                      *
      *----------------------------------------------------------------*
      * CHANGE LOG                                                     *
      * 05/22/02 KLT  ORIGINAL - REPLACES ASSEMBLER MODULE HFCI040     *
      * 01/09/07 KLT  DAILY PERIODIC RATE 9 DECIMALS           CHG0702 *
      * 06/30/10 PSA  MINIMUM PAYMENT FLOOR BY PRODUCT         CHG1011 *
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
           SELECT RATE-IN-FILE     ASSIGN TO RATEIN
                  ORGANIZATION IS LINE SEQUENTIAL
                  FILE STATUS  IS WS-RATEIN-STATUS.
           SELECT ACCT-OUT-FILE    ASSIGN TO ACCTOUT
                  ORGANIZATION IS LINE SEQUENTIAL
                  FILE STATUS  IS WS-ACCTOUT-STATUS.
           SELECT INT-RPT-FILE     ASSIGN TO INTRPT
                  ORGANIZATION IS LINE SEQUENTIAL
                  FILE STATUS  IS WS-INTRPT-STATUS.
       DATA DIVISION.
       FILE SECTION.
       FD  CTL-CARD-FILE.
       01  CTL-CARD-REC.
           05  CTL-RUN-DATE                PIC 9(8).
           05  FILLER                      PIC X(72).
       FD  ACCT-IN-FILE.
       01  ACCT-IN-REC                     PIC X(120).
       FD  RATE-IN-FILE.
       01  RATE-IN-REC.
           05  RI-PRODUCT                  PIC X(2).
               88  RI-COMMENT-CARD             VALUE '* ' '**'.
           05  FILLER                      PIC X(1).
           05  RI-APR                      PIC 9(2)V9(4).
           05  FILLER                      PIC X(1).
           05  RI-ANNUAL-FEE               PIC 9(5)V99.
           05  FILLER                      PIC X(1).
           05  RI-LATE-FEE                 PIC 9(3)V99.
           05  FILLER                      PIC X(1).
           05  RI-MIN-PAY-PCT              PIC 9(2)V9.
           05  FILLER                      PIC X(1).
           05  RI-MIN-PAY-AMT              PIC 9(3)V99.
           05  FILLER                      PIC X(47).
       FD  ACCT-OUT-FILE.
       01  ACCT-OUT-REC                    PIC X(120).
       FD  INT-RPT-FILE.
       01  INT-RPT-LINE                    PIC X(132).
      /
       WORKING-STORAGE SECTION.
       01  WS-FILE-STATUSES.
           05  WS-CTL-STATUS               PIC X(2).
           05  WS-ACCTIN-STATUS            PIC X(2).
           05  WS-RATEIN-STATUS            PIC X(2).
           05  WS-ACCTOUT-STATUS           PIC X(2).
           05  WS-INTRPT-STATUS            PIC X(2).
       01  WS-SWITCHES.
           05  WS-ACCT-EOF-SW              PIC X(1)   VALUE 'N'.
               88  WS-ACCT-EOF                 VALUE 'Y'.
           05  WS-RATE-EOF-SW              PIC X(1)   VALUE 'N'.
               88  WS-RATE-EOF                 VALUE 'Y'.
       01  WS-CALC-FIELDS.
           05  WS-DAYS-IN-CYCLE            PIC S9(5)      COMP-3.
           05  WS-DAILY-RATE               PIC S9V9(9)    COMP-3.       CHG0702
           05  WS-INTEREST                 PIC S9(7)V99   COMP-3.
           05  WS-ANNUAL-FEE               PIC S9(5)V99   COMP-3.
           05  WS-LATE-FEE                 PIC S9(3)V99   COMP-3.
           05  WS-OLD-BALANCE              PIC S9(9)V99   COMP-3.
           05  WS-NEW-BALANCE              PIC S9(9)V99   COMP-3.
           05  WS-MIN-PAY                  PIC S9(7)V99   COMP-3.
           05  WS-REMARK                   PIC X(24).
       01  WS-RUN-TOTALS.
           05  WS-ACCTS-READ               PIC S9(7)      COMP-3.
           05  WS-ACCTS-ASSESSED           PIC S9(7)      COMP-3.
           05  WS-ACCTS-SKIPPED            PIC S9(7)      COMP-3.
           05  WS-TOT-INTEREST             PIC S9(9)V99   COMP-3.
           05  WS-TOT-ANNUAL-FEES          PIC S9(9)V99   COMP-3.
           05  WS-TOT-LATE-FEES            PIC S9(9)V99   COMP-3.
           05  WS-RETURN-CODE              PIC S9(4)      COMP.

       COPY ACCTREC.

       COPY RATETBL.

       COPY DATEWRK.

       COPY DATEPARM.

      *----------------------------------------------------------------*
      * ASSESSMENT REGISTER                                            *
      *----------------------------------------------------------------*
       01  WS-RPT-HEAD-1.
           05  FILLER                      PIC X(48)  VALUE
               'INTCALC   HARBOR FEDERAL CARD SERVICES - INTERES'.
           05  FILLER                      PIC X(30)  VALUE
               'T AND FEE ASSESSMENT REGISTER '.
           05  FILLER                      PIC X(12)  VALUE
               '  RUN DATE  '.
           05  RH1-RUN-DATE                PIC X(10).
       01  WS-RPT-HEAD-2.
           05  FILLER                      PIC X(50)  VALUE
               'ACCOUNT NO  PR  DAYS      APR      BALANCE   INTER'.
           05  FILLER                      PIC X(50)  VALUE
               'EST  ANNUAL FEE   LATE FEE NEW BALANCE    MIN PAY '.
           05  FILLER                      PIC X(7)   VALUE ' REMARK'.
       01  WS-RPT-DETAIL.
           05  RD-ACCT-NO                  PIC 9(10).
           05  FILLER                      PIC X(2)   VALUE SPACES.
           05  RD-PRODUCT                  PIC X(2).
           05  FILLER                      PIC X(2)   VALUE SPACES.
           05  RD-DAYS                     PIC ZZZ9.
           05  FILLER                      PIC X(2)   VALUE SPACES.
           05  RD-APR                      PIC Z9.9999.
           05  FILLER                      PIC X(1)   VALUE SPACES.
           05  RD-BALANCE                  PIC Z,ZZZ,ZZ9.99-.
           05  RD-INTEREST                 PIC ZZZ,ZZ9.99.
           05  FILLER                      PIC X(3)   VALUE SPACES.
           05  RD-ANNUAL-FEE               PIC ZZ,ZZ9.99.
           05  FILLER                      PIC X(2)   VALUE SPACES.
           05  RD-LATE-FEE                 PIC ZZ,ZZ9.99.
           05  RD-NEW-BALANCE              PIC Z,ZZZ,ZZ9.99-.
           05  RD-MIN-PAY                  PIC ZZZ,ZZ9.99.
           05  FILLER                      PIC X(2)   VALUE SPACES.
           05  RD-REMARK                   PIC X(24).
       01  WS-RPT-TOTAL.
           05  RT-LABEL                    PIC X(30).
           05  RT-COUNT                    PIC ZZZ,ZZ9
                                           BLANK WHEN ZERO.
           05  FILLER                      PIC X(3)   VALUE SPACES.
           05  RT-AMOUNT                   PIC ZZZ,ZZZ,ZZ9.99
                                           BLANK WHEN ZERO.
       01  WS-EDIT-RC                      PIC 9(4).
      /
       PROCEDURE DIVISION.
       0000-MAINLINE.
           PERFORM 1000-INITIALIZE
           PERFORM 2000-ASSESS-ACCOUNT THRU 2000-EXIT
               UNTIL WS-ACCT-EOF
           PERFORM 8000-REPORT-TOTALS
           CLOSE ACCT-IN-FILE
                 ACCT-OUT-FILE
                 INT-RPT-FILE
           MOVE WS-RETURN-CODE TO RETURN-CODE WS-EDIT-RC
           DISPLAY 'INTCALC  - ENDED, RETURN CODE ' WS-EDIT-RC
           STOP RUN.

      *----------------------------------------------------------------*
      * 1000 - CONTROL CARD, RATE TABLE, OPEN FILES                    *
      *----------------------------------------------------------------*
       1000-INITIALIZE.
           INITIALIZE WS-RUN-TOTALS
           OPEN INPUT CTL-CARD-FILE
           READ CTL-CARD-FILE
               AT END
                   DISPLAY 'INTCALC  - CONTROL CARD MISSING'
                   MOVE 16 TO RETURN-CODE
                   STOP RUN
           END-READ
           CLOSE CTL-CARD-FILE
           MOVE CTL-RUN-DATE TO DW-DATE
           MOVE DW-MM        TO DW-P-MM
           MOVE DW-DD        TO DW-P-DD
           MOVE DW-CCYY      TO DW-P-CCYY
           DISPLAY 'INTCALC  - INTEREST AND FEES   RUN DATE '
                   DW-PRINT-DATE
           PERFORM 1100-LOAD-RATE-TABLE
           OPEN INPUT  ACCT-IN-FILE
           OPEN OUTPUT ACCT-OUT-FILE
                       INT-RPT-FILE
           IF WS-ACCTIN-STATUS NOT = '00'
               DISPLAY 'INTCALC  - ACCTIN OPEN ERROR, STATUS '
                       WS-ACCTIN-STATUS
               MOVE 16 TO RETURN-CODE
               STOP RUN
           END-IF
           MOVE DW-PRINT-DATE TO RH1-RUN-DATE
           WRITE INT-RPT-LINE FROM WS-RPT-HEAD-1
           WRITE INT-RPT-LINE FROM WS-RPT-HEAD-2
           MOVE SPACES TO INT-RPT-LINE
           WRITE INT-RPT-LINE
           PERFORM 2100-READ-ACCOUNT.

       1100-LOAD-RATE-TABLE.
           MOVE ZERO TO RT-ENTRY-COUNT
           OPEN INPUT RATE-IN-FILE
           IF WS-RATEIN-STATUS NOT = '00'
               DISPLAY 'INTCALC  - RATEIN OPEN ERROR, STATUS '
                       WS-RATEIN-STATUS
               MOVE 16 TO RETURN-CODE
               STOP RUN
           END-IF
           PERFORM UNTIL WS-RATE-EOF
               READ RATE-IN-FILE
                   AT END
                       SET WS-RATE-EOF TO TRUE
                   NOT AT END
                       IF NOT RI-COMMENT-CARD
                           ADD 1 TO RT-ENTRY-COUNT
                           SET RT-IDX TO RT-ENTRY-COUNT
                           MOVE RI-PRODUCT    TO RT-PRODUCT (RT-IDX)
                           MOVE RI-APR        TO RT-APR (RT-IDX)
                           MOVE RI-ANNUAL-FEE TO RT-ANNUAL-FEE (RT-IDX)
                           MOVE RI-LATE-FEE   TO RT-LATE-FEE (RT-IDX)
                           MOVE RI-MIN-PAY-PCT
                                           TO RT-MIN-PAY-PCT (RT-IDX)
                           MOVE RI-MIN-PAY-AMT
                                           TO RT-MIN-PAY-AMT (RT-IDX)
                       END-IF
               END-READ
           END-PERFORM
           CLOSE RATE-IN-FILE
           MOVE RT-ENTRY-COUNT TO WS-EDIT-RC
           DISPLAY 'INTCALC  - RATE TABLE ENTRIES LOADED ' WS-EDIT-RC.

      /
      *----------------------------------------------------------------*
      * 2000 - ASSESS ONE ACCOUNT                                      *
      *----------------------------------------------------------------*
       2000-ASSESS-ACCOUNT.
           ADD 1 TO WS-ACCTS-READ
           MOVE ZERO   TO WS-INTEREST WS-ANNUAL-FEE WS-LATE-FEE
                          WS-MIN-PAY WS-DAYS-IN-CYCLE
           MOVE SPACES TO WS-REMARK
           MOVE ACCT-BALANCE TO WS-OLD-BALANCE
                                WS-NEW-BALANCE
           EVALUATE TRUE
               WHEN ACCT-CLOSED
                   MOVE 'CLOSED - NOT ASSESSED' TO WS-REMARK
               WHEN ACCT-CHARGE-OFF
                   MOVE 'CHARGE-OFF - NO ACCRUAL' TO WS-REMARK
               WHEN OTHER
                   SET RT-IDX TO 1
                   SEARCH RT-ENTRY
                       AT END
                           MOVE 'NO PRICING FOR PRODUCT' TO WS-REMARK
                           MOVE 4 TO WS-RETURN-CODE
                       WHEN RT-PRODUCT (RT-IDX) = ACCT-PRODUCT
                           CONTINUE
                   END-SEARCH
           END-EVALUATE
           IF WS-REMARK NOT = SPACES
               ADD 1 TO WS-ACCTS-SKIPPED
               PERFORM 2800-PRINT-DETAIL
               GO TO 2000-WRITE-MASTER
           END-IF
      *    DAYS IN THE CYCLE: LAST STATEMENT DATE TO RUN DATE
           MOVE 'D'                 TO DP-FUNCTION
           MOVE ACCT-LAST-STMT-DATE TO DP-DATE-1
           MOVE DW-DATE             TO DP-DATE-2
           CALL 'DATEVAL' USING DATE-PARMS
           IF NOT DP-OK
               DISPLAY 'INTCALC  - ACCOUNT ' ACCT-NUMBER
                       ' BAD STATEMENT DATE - ' DP-MESSAGE
               MOVE 'BAD STATEMENT DATE' TO WS-REMARK
               MOVE 4 TO WS-RETURN-CODE
               ADD 1 TO WS-ACCTS-SKIPPED
               PERFORM 2800-PRINT-DETAIL
               GO TO 2000-WRITE-MASTER
           END-IF
           MOVE DP-DAYS TO WS-DAYS-IN-CYCLE
           PERFORM 2200-FINANCE-CHARGE
           PERFORM 2300-FEES
           COMPUTE WS-NEW-BALANCE = ACCT-BALANCE + WS-INTEREST
                                  + WS-ANNUAL-FEE + WS-LATE-FEE
           PERFORM 2400-MINIMUM-PAYMENT
           MOVE WS-NEW-BALANCE TO ACCT-BALANCE
           ADD WS-INTEREST     TO ACCT-YTD-INTEREST
           MOVE DW-DATE        TO ACCT-LAST-STMT-DATE
           MOVE ZERO           TO ACCT-CYC-DEBITS
                                  ACCT-CYC-CREDITS
           ADD 1               TO WS-ACCTS-ASSESSED
           ADD WS-INTEREST     TO WS-TOT-INTEREST
           ADD WS-ANNUAL-FEE   TO WS-TOT-ANNUAL-FEES
           ADD WS-LATE-FEE     TO WS-TOT-LATE-FEES
           PERFORM 2800-PRINT-DETAIL.
       2000-WRITE-MASTER.
           WRITE ACCT-OUT-REC FROM ACCT-MASTER-REC
           PERFORM 2100-READ-ACCOUNT.
       2000-EXIT.
           EXIT.

       2100-READ-ACCOUNT.
           READ ACCT-IN-FILE INTO ACCT-MASTER-REC
               AT END
                   SET WS-ACCT-EOF TO TRUE
           END-READ.

      *----------------------------------------------------------------*
      * 2200 - FINANCE CHARGE ON A DEBIT BALANCE ONLY                  *
      *----------------------------------------------------------------*
       2200-FINANCE-CHARGE.
           IF ACCT-BALANCE > ZERO
               COMPUTE WS-DAILY-RATE ROUNDED =                          CHG0702
                       RT-APR (RT-IDX) / 36500                          CHG0702
               COMPUTE WS-INTEREST ROUNDED =
                       ACCT-BALANCE * WS-DAILY-RATE * WS-DAYS-IN-CYCLE
           ELSE
               MOVE ZERO TO WS-INTEREST
               MOVE 'NO DEBIT BALANCE' TO WS-REMARK
           END-IF.

       2300-FEES.
           IF ACCT-OPEN-MM = DW-MM
              AND ACCT-OPEN-DD = DW-DD
              AND ACCT-OPEN-CCYY < DW-CCYY
              AND RT-ANNUAL-FEE (RT-IDX) > ZERO
               MOVE RT-ANNUAL-FEE (RT-IDX) TO WS-ANNUAL-FEE
               MOVE 'ANNUAL FEE' TO WS-REMARK
           END-IF
           IF ACCT-DELINQUENT
               MOVE RT-LATE-FEE (RT-IDX) TO WS-LATE-FEE
               MOVE 'DELINQUENT - LATE FEE' TO WS-REMARK
           END-IF.

       2400-MINIMUM-PAYMENT.                                            CHG1011
           IF WS-NEW-BALANCE NOT > ZERO
               MOVE ZERO TO WS-MIN-PAY
           ELSE
               COMPUTE WS-MIN-PAY ROUNDED =
                       WS-NEW-BALANCE * RT-MIN-PAY-PCT (RT-IDX) / 100
               IF WS-MIN-PAY < RT-MIN-PAY-AMT (RT-IDX)                  CHG1011
                   MOVE RT-MIN-PAY-AMT (RT-IDX) TO WS-MIN-PAY           CHG1011
               END-IF
               IF WS-MIN-PAY > WS-NEW-BALANCE
                   MOVE WS-NEW-BALANCE TO WS-MIN-PAY
               END-IF
           END-IF.

       2800-PRINT-DETAIL.
           MOVE ACCT-NUMBER      TO RD-ACCT-NO
           MOVE ACCT-PRODUCT     TO RD-PRODUCT
           MOVE WS-DAYS-IN-CYCLE TO RD-DAYS
           IF WS-REMARK = 'CLOSED - NOT ASSESSED'
              OR WS-REMARK = 'CHARGE-OFF - NO ACCRUAL'
              OR WS-REMARK = 'NO PRICING FOR PRODUCT'
               MOVE ZERO TO RD-APR
           ELSE
               MOVE RT-APR (RT-IDX) TO RD-APR
           END-IF
           MOVE WS-OLD-BALANCE   TO RD-BALANCE
           MOVE WS-INTEREST      TO RD-INTEREST
           MOVE WS-ANNUAL-FEE    TO RD-ANNUAL-FEE
           MOVE WS-LATE-FEE      TO RD-LATE-FEE
           MOVE WS-NEW-BALANCE   TO RD-NEW-BALANCE
           MOVE WS-MIN-PAY       TO RD-MIN-PAY
           MOVE WS-REMARK        TO RD-REMARK
           WRITE INT-RPT-LINE FROM WS-RPT-DETAIL.

      /
       8000-REPORT-TOTALS.
           MOVE SPACES TO INT-RPT-LINE
           WRITE INT-RPT-LINE
           MOVE 'ACCOUNTS READ' TO RT-LABEL
           MOVE WS-ACCTS-READ TO RT-COUNT
           MOVE ZERO TO RT-AMOUNT
           PERFORM 8100-PRINT-TOTAL
           MOVE 'ACCOUNTS ASSESSED' TO RT-LABEL
           MOVE WS-ACCTS-ASSESSED TO RT-COUNT
           PERFORM 8100-PRINT-TOTAL
           MOVE 'ACCOUNTS NOT ASSESSED' TO RT-LABEL
           MOVE WS-ACCTS-SKIPPED TO RT-COUNT
           PERFORM 8100-PRINT-TOTAL
           MOVE 'FINANCE CHARGES' TO RT-LABEL
           MOVE ZERO TO RT-COUNT
           MOVE WS-TOT-INTEREST TO RT-AMOUNT
           PERFORM 8100-PRINT-TOTAL
           MOVE 'ANNUAL FEES' TO RT-LABEL
           MOVE WS-TOT-ANNUAL-FEES TO RT-AMOUNT
           PERFORM 8100-PRINT-TOTAL
           MOVE 'LATE FEES' TO RT-LABEL
           MOVE WS-TOT-LATE-FEES TO RT-AMOUNT
           PERFORM 8100-PRINT-TOTAL.

       8100-PRINT-TOTAL.
           WRITE INT-RPT-LINE FROM WS-RPT-TOTAL
           DISPLAY 'INTCALC  - ' WS-RPT-TOTAL.
