       IDENTIFICATION DIVISION.
       PROGRAM-ID. DELQSQL.
       AUTHOR. S VARGHESE.
       INSTALLATION. HARBOR FEDERAL CARD SERVICES - BATCH SYSTEMS.
       DATE-WRITTEN. 11/05/2009.
       DATE-COMPILED.
      *================================================================*
      * DELQSQL  - DELINQUENT ACCOUNT COLLECTIONS QUEUE (DB2)          *
      *                                                                *
      *   READS THE DB2 COPY OF THE ACCOUNT MASTER (TABLE ACCOUNT,     *
      *   REFRESHED NIGHTLY) WITH CURSOR DLQCUR, QUEUES EVERY ACCOUNT  *
      *   MORE THAN 30 DAYS PAST DUE INTO COLLECTION_QUEUE, MARKS THE  *
      *   ACCOUNT'S DELINQUENCY STATUS, PURGES CLOSED QUEUE ENTRIES    *
      *   OLDER THAN 90 DAYS AND PRINTS THE QUEUE LISTING.             *
      *                                                                *
      *   RUNS UNDER IKJEFT01 (DSN RUN PROGRAM(DELQSQL) PLAN(HFCSDLQ)) *
      *   DD NAMES : CTLCARD  RUN CONTROL CARD                         *
      *              DLQRPT   COLLECTIONS QUEUE LISTING                *
      *   RETURN   : 0 OK, 16 SQL ERROR (WORK ROLLED BACK)             *
      *----------------------------------------------------------------*
      * 11/05/09 SVG  ORIGINAL                                         *
      * 03/22/12 SVG  PURGE OF CLOSED QUEUE ENTRIES            CHG1205 *
      * 06/14/18 MNG  -803 ON INSERT = ALREADY QUEUED, NOT ERR CHG1841 *
      *================================================================*
       ENVIRONMENT DIVISION.
       CONFIGURATION SECTION.
       SOURCE-COMPUTER. IBM-370.
       OBJECT-COMPUTER. IBM-370.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT CTL-CARD-FILE    ASSIGN TO CTLCARD
                  ORGANIZATION IS SEQUENTIAL
                  FILE STATUS  IS WS-CTL-STATUS.
           SELECT DLQ-RPT-FILE     ASSIGN TO DLQRPT
                  ORGANIZATION IS SEQUENTIAL
                  FILE STATUS  IS WS-DLQRPT-STATUS.
       DATA DIVISION.
       FILE SECTION.
       FD  CTL-CARD-FILE
           RECORDING MODE IS F
           BLOCK CONTAINS 0 RECORDS.
       01  CTL-CARD-REC.
           05  CTL-RUN-DATE.
               10  CTL-RUN-CCYY            PIC X(4).
               10  CTL-RUN-MM              PIC X(2).
               10  CTL-RUN-DD              PIC X(2).
           05  FILLER                      PIC X(72).
       FD  DLQ-RPT-FILE
           RECORDING MODE IS F
           BLOCK CONTAINS 0 RECORDS.
       01  DLQ-RPT-LINE                    PIC X(133).
      /
       WORKING-STORAGE SECTION.
       01  WS-FILE-STATUSES.
           05  WS-CTL-STATUS               PIC X(2).
           05  WS-DLQRPT-STATUS            PIC X(2).
       01  WS-SWITCHES.
           05  WS-CURSOR-EOF-SW            PIC X(1)   VALUE 'N'.
               88  WS-END-OF-CURSOR            VALUE 'Y'.
       01  WS-COUNTS.
           05  WS-FETCHED                  PIC S9(7)  COMP-3 VALUE 0.
           05  WS-QUEUED                   PIC S9(7)  COMP-3 VALUE 0.
           05  WS-ALREADY-QUEUED           PIC S9(7)  COMP-3 VALUE 0.
           05  WS-PURGED                   PIC S9(7)  COMP-3 VALUE 0.
       01  WS-SQLCODE-DISP                 PIC -(9)9.
       01  WS-EDIT-COUNT                   PIC ZZZ,ZZ9.

           EXEC SQL
               INCLUDE SQLCA
           END-EXEC.

           EXEC SQL
               INCLUDE DCLACCT
           END-EXEC.

      *----------------------------------------------------------------*
      * HOST VARIABLES NOT IN THE DCLGEN                               *
      *----------------------------------------------------------------*
       01  WS-HOST-VARS.
           05  HV-RUN-DATE                 PIC X(10).
           05  HV-MIN-DAYS                 PIC S9(4)  COMP VALUE +30.
           05  HV-QUEUE-REASON             PIC X(2).
               88  HV-REASON-30                VALUE '30'.
               88  HV-REASON-60                VALUE '60'.
               88  HV-REASON-90                VALUE '90'.
           05  HV-PRIORITY                 PIC S9(4)  COMP.
           05  HV-QUEUE-COUNT              PIC S9(9)  COMP.
           05  HV-LAST-PAY-IND             PIC S9(4)  COMP.
               88  HV-LAST-PAY-NULL            VALUE -1.

           EXEC SQL
               DECLARE DLQCUR CURSOR WITH HOLD FOR
                SELECT ACCT_NO, ACCT_NAME, BRANCH_ID, BALANCE,
                       CREDIT_LIMIT, DAYS_PAST_DUE, LAST_PAY_DATE
                  FROM ACCOUNT
                 WHERE DAYS_PAST_DUE > :HV-MIN-DAYS
                   AND ACCT_STATUS IN ('A', 'F')
                 ORDER BY BRANCH_ID, ACCT_NO
           END-EXEC.

       01  WS-RPT-HEAD.
           05  FILLER                      PIC X(1)   VALUE '1'.
           05  FILLER                      PIC X(50)  VALUE
               'DELQSQL   HFCS COLLECTIONS QUEUE - ACCOUNTS QUEUED'.
           05  FILLER                      PIC X(12)  VALUE
               '  RUN DATE  '.
           05  RH-RUN-DATE                 PIC X(10).
       01  WS-RPT-DETAIL.
           05  FILLER                      PIC X(1)   VALUE ' '.
           05  RD-BRANCH                   PIC X(3).
           05  FILLER                      PIC X(2)   VALUE SPACES.
           05  RD-ACCT-NO                  PIC X(10).
           05  FILLER                      PIC X(2)   VALUE SPACES.
           05  RD-NAME                     PIC X(24).
           05  FILLER                      PIC X(2)   VALUE SPACES.
           05  RD-BALANCE                  PIC ZZZ,ZZZ,ZZ9.99-.
           05  FILLER                      PIC X(2)   VALUE SPACES.
           05  RD-DAYS                     PIC ZZZ9.
           05  FILLER                      PIC X(2)   VALUE SPACES.
           05  RD-REASON                   PIC X(2).
           05  FILLER                      PIC X(2)   VALUE SPACES.
           05  RD-LAST-PAY                 PIC X(10).
           05  FILLER                      PIC X(2)   VALUE SPACES.
           05  RD-REMARK                   PIC X(20).
      /
       PROCEDURE DIVISION.
       0000-MAINLINE.
           PERFORM 1000-INITIALIZE
           PERFORM 2000-OPEN-CURSOR
           PERFORM 3000-FETCH-AND-QUEUE
               UNTIL WS-END-OF-CURSOR
           PERFORM 4000-CLOSE-CURSOR
           PERFORM 5000-PURGE-OLD-ENTRIES
           PERFORM 6000-COUNT-TODAYS-QUEUE
           EXEC SQL
               COMMIT
           END-EXEC
           PERFORM 8000-PRINT-TOTALS
           CLOSE DLQ-RPT-FILE
           MOVE ZERO TO RETURN-CODE
           STOP RUN.

       1000-INITIALIZE.
           OPEN INPUT CTL-CARD-FILE
           READ CTL-CARD-FILE
               AT END
                   DISPLAY 'DELQSQL  - CONTROL CARD MISSING'
                   MOVE 16 TO RETURN-CODE
                   STOP RUN
           END-READ
           CLOSE CTL-CARD-FILE
      *    DB2 DATE FORMAT ISO: CCYY-MM-DD
           STRING CTL-RUN-CCYY '-' CTL-RUN-MM '-' CTL-RUN-DD
                  DELIMITED BY SIZE
                  INTO HV-RUN-DATE
           END-STRING
           OPEN OUTPUT DLQ-RPT-FILE
           MOVE HV-RUN-DATE TO RH-RUN-DATE
           WRITE DLQ-RPT-LINE FROM WS-RPT-HEAD.

       2000-OPEN-CURSOR.
           EXEC SQL
               OPEN DLQCUR
           END-EXEC
           IF SQLCODE NOT = ZERO
               DISPLAY 'DELQSQL  - OPEN DLQCUR FAILED'
               PERFORM 9999-SQL-ERROR
           END-IF.

      *----------------------------------------------------------------*
      * 3000 - FETCH ONE DELINQUENT ACCOUNT AND QUEUE IT               *
      *----------------------------------------------------------------*
       3000-FETCH-AND-QUEUE.
           EXEC SQL
               FETCH DLQCUR
                INTO :ACCT-NO, :ACCT-NAME, :BRANCH-ID, :BALANCE,
                     :CREDIT-LIMIT, :DAYS-PAST-DUE,
                     :LAST-PAY-DATE :HV-LAST-PAY-IND
           END-EXEC
           EVALUATE SQLCODE
               WHEN ZERO
                   ADD 1 TO WS-FETCHED
                   PERFORM 3100-QUEUE-ACCOUNT
               WHEN +100
                   SET WS-END-OF-CURSOR TO TRUE
               WHEN OTHER
                   DISPLAY 'DELQSQL  - FETCH DLQCUR FAILED'
                   PERFORM 9999-SQL-ERROR
           END-EVALUATE.

       3100-QUEUE-ACCOUNT.
           EVALUATE TRUE
               WHEN DAYS-PAST-DUE > 90
                   SET HV-REASON-90 TO TRUE
                   MOVE 1 TO HV-PRIORITY
               WHEN DAYS-PAST-DUE > 60
                   SET HV-REASON-60 TO TRUE
                   MOVE 2 TO HV-PRIORITY
               WHEN OTHER
                   SET HV-REASON-30 TO TRUE
                   MOVE 3 TO HV-PRIORITY
           END-EVALUATE
           MOVE SPACES TO RD-REMARK
           EXEC SQL
               INSERT INTO COLLECTION_QUEUE
                      (ACCT_NO, QUEUE_DATE, REASON_CODE, PRIORITY,
                       BALANCE_DUE, STATUS)
               VALUES (:ACCT-NO, :HV-RUN-DATE, :HV-QUEUE-REASON,
                       :HV-PRIORITY, :BALANCE, 'O')
           END-EXEC
           EVALUATE TRUE
               WHEN SQLCODE = ZERO
                   ADD 1 TO WS-QUEUED
                   MOVE 'QUEUED' TO RD-REMARK
               WHEN SQLCODE = -803                                      CHG1841
                   ADD 1 TO WS-ALREADY-QUEUED                           CHG1841
                   MOVE 'ALREADY IN QUEUE' TO RD-REMARK                 CHG1841
               WHEN OTHER
                   DISPLAY 'DELQSQL  - INSERT COLLECTION_QUEUE FAILED'
                   PERFORM 9999-SQL-ERROR
           END-EVALUATE
           EXEC SQL
               UPDATE ACCOUNT
                  SET DELINQ_STATUS = :HV-QUEUE-REASON
                WHERE ACCT_NO = :ACCT-NO
           END-EXEC
           IF SQLCODE NOT = ZERO
               DISPLAY 'DELQSQL  - UPDATE ACCOUNT FAILED'
               PERFORM 9999-SQL-ERROR
           END-IF
           PERFORM 3200-PRINT-DETAIL.

       3200-PRINT-DETAIL.
           MOVE BRANCH-ID       TO RD-BRANCH
           MOVE ACCT-NO         TO RD-ACCT-NO
           MOVE ACCT-NAME       TO RD-NAME
           MOVE BALANCE         TO RD-BALANCE
           MOVE DAYS-PAST-DUE   TO RD-DAYS
           MOVE HV-QUEUE-REASON TO RD-REASON
           IF HV-LAST-PAY-NULL
               MOVE 'NEVER PAID' TO RD-LAST-PAY
           ELSE
               MOVE LAST-PAY-DATE TO RD-LAST-PAY
           END-IF
           WRITE DLQ-RPT-LINE FROM WS-RPT-DETAIL.

       4000-CLOSE-CURSOR.
           EXEC SQL
               CLOSE DLQCUR
           END-EXEC.

      *----------------------------------------------------------------*
      * 5000 - PURGE WORKED (CLOSED) ENTRIES OLDER THAN 90 DAYS        *
      *----------------------------------------------------------------*
       5000-PURGE-OLD-ENTRIES.                                          CHG1205
           EXEC SQL
               DELETE FROM COLLECTION_QUEUE
                WHERE STATUS = 'C'
                  AND QUEUE_DATE < DATE(:HV-RUN-DATE) - 90 DAYS
           END-EXEC
           IF SQLCODE = ZERO OR SQLCODE = +100
               MOVE SQLERRD (3) TO WS-PURGED
           ELSE
               DISPLAY 'DELQSQL  - PURGE COLLECTION_QUEUE FAILED'
               PERFORM 9999-SQL-ERROR
           END-IF.

       6000-COUNT-TODAYS-QUEUE.
           EXEC SQL
               SELECT COUNT(*)
                 INTO :HV-QUEUE-COUNT
                 FROM COLLECTION_QUEUE
                WHERE QUEUE_DATE = :HV-RUN-DATE
           END-EXEC
           IF SQLCODE NOT = ZERO
               DISPLAY 'DELQSQL  - COUNT COLLECTION_QUEUE FAILED'
               PERFORM 9999-SQL-ERROR
           END-IF.

       8000-PRINT-TOTALS.
           MOVE WS-FETCHED TO WS-EDIT-COUNT
           DISPLAY 'DELQSQL  - DELINQUENT ACCOUNTS FETCHED '
                   WS-EDIT-COUNT
           MOVE WS-QUEUED TO WS-EDIT-COUNT
           DISPLAY 'DELQSQL  - QUEUED TODAY '
                   WS-EDIT-COUNT
           MOVE WS-ALREADY-QUEUED TO WS-EDIT-COUNT
           DISPLAY 'DELQSQL  - ALREADY IN QUEUE '
                   WS-EDIT-COUNT
           MOVE WS-PURGED TO WS-EDIT-COUNT
           DISPLAY 'DELQSQL  - OLD ENTRIES PURGED '
                   WS-EDIT-COUNT
           MOVE HV-QUEUE-COUNT TO WS-EDIT-COUNT
           DISPLAY 'DELQSQL  - QUEUE ENTRIES FOR RUN DATE '
                   WS-EDIT-COUNT.

       9999-SQL-ERROR.
           MOVE SQLCODE TO WS-SQLCODE-DISP
           DISPLAY 'DELQSQL  - SQLCODE ' WS-SQLCODE-DISP
                   '  SQLERRM ' SQLERRMC
           EXEC SQL
               ROLLBACK
           END-EXEC
           MOVE 16 TO RETURN-CODE
           STOP RUN.
