      ******************************************************************
      * DCLGEN TABLE(HFCS.ACCOUNT)                                     *
      *        LIBRARY(HFCS.PROD.DCLGEN(DCLACCT))                      *
      *        LANGUAGE(COBOL)                                         *
      *        QUOTE                                                   *
      * ... IS THE DCLGEN COMMAND THAT MADE THE FOLLOWING STATEMENTS   *
      ******************************************************************
           EXEC SQL DECLARE ACCOUNT TABLE
           ( ACCT_NO                        CHAR(10) NOT NULL,
             ACCT_NAME                      CHAR(24) NOT NULL,
             BRANCH_ID                      CHAR(3) NOT NULL,
             ACCT_STATUS                    CHAR(1) NOT NULL,
             BALANCE                        DECIMAL(11, 2) NOT NULL,
             CREDIT_LIMIT                   DECIMAL(11, 2) NOT NULL,
             DAYS_PAST_DUE                  SMALLINT NOT NULL,
             DELINQ_STATUS                  CHAR(2) NOT NULL,
             LAST_PAY_DATE                  DATE
           ) END-EXEC.
      ******************************************************************
      * COBOL DECLARATION FOR TABLE ACCOUNT                            *
      ******************************************************************
       01  DCLACCOUNT.
           10 ACCT-NO              PIC X(10).
           10 ACCT-NAME            PIC X(24).
           10 BRANCH-ID            PIC X(3).
           10 ACCT-STATUS          PIC X(1).
           10 BALANCE              PIC S9(9)V9(2) USAGE COMP-3.
           10 CREDIT-LIMIT         PIC S9(9)V9(2) USAGE COMP-3.
           10 DAYS-PAST-DUE        PIC S9(4) USAGE COMP.
           10 DELINQ-STATUS        PIC X(2).
           10 LAST-PAY-DATE        PIC X(10).
      ******************************************************************
      * THE NUMBER OF COLUMNS DESCRIBED BY THIS DECLARATION IS 9       *
      ******************************************************************
