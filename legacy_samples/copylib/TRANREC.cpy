      *================================================================*
      * COPYBOOK : TRANREC                                             *
      * TITLE    : DAILY MONETARY TRANSACTION  LRECL=80                *
      * USAGE    : COPY TRANREC REPLACING ==:TAG:== BY ==XX==.         *
      *            EVERY NAME CARRIES THE :TAG: PREFIX SO THAT ONE     *
      *            PROGRAM CAN HOLD SEVERAL COPIES OF THE LAYOUT.      *
      *----------------------------------------------------------------*
      * 06/02/97 DO   ORIGINAL                                         *
      * 09/30/11 PSA  SOURCE 'W' (WEB) ADDED                   CHG1187 *
      *================================================================*
       01  :TAG:-TRAN-REC.
           05  :TAG:-TRAN-KEY.
               10  :TAG:-TRAN-ACCT-NO      PIC 9(10).
               10  :TAG:-TRAN-ACCT-NO-X REDEFINES :TAG:-TRAN-ACCT-NO
                                           PIC X(10).
               10  :TAG:-TRAN-DATE         PIC 9(8).
               10  :TAG:-TRAN-TIME         PIC 9(6).
           05  :TAG:-TRAN-CODE             PIC X(2).
               88  :TAG:-TRAN-PURCHASE         VALUE 'PU'.
               88  :TAG:-TRAN-CASH-ADV         VALUE 'CA'.
               88  :TAG:-TRAN-PAYMENT          VALUE 'PY'.
               88  :TAG:-TRAN-REFUND           VALUE 'RF'.
               88  :TAG:-TRAN-FEE              VALUE 'FE'.
               88  :TAG:-TRAN-DEBIT-TYPE       VALUE 'PU' 'CA' 'FE'.
               88  :TAG:-TRAN-CREDIT-TYPE      VALUE 'PY' 'RF'.
               88  :TAG:-TRAN-VALID-CODE       VALUE 'PU' 'CA' 'PY'
                                                     'RF' 'FE'.
           05  :TAG:-TRAN-AMT              PIC 9(7)V99.
           05  :TAG:-TRAN-AMT-X REDEFINES :TAG:-TRAN-AMT
                                           PIC X(9).
           05  :TAG:-TRAN-SOURCE           PIC X(1).
               88  :TAG:-SRC-POS               VALUE 'P'.
               88  :TAG:-SRC-ATM               VALUE 'A'.
               88  :TAG:-SRC-BRANCH            VALUE 'B'.
               88  :TAG:-SRC-WEB               VALUE 'W'.               CHG1187
               88  :TAG:-SRC-VALID             VALUE 'P' 'A' 'B' 'W'.   CHG1187
           05  :TAG:-TRAN-DESC             PIC X(22).
           05  :TAG:-TRAN-AUTH-CODE        PIC X(6).
           05  :TAG:-TRAN-BATCH-NO         PIC 9(5).
           05  FILLER                      PIC X(11).
