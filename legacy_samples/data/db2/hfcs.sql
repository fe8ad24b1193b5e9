-- A SQLite copy of the DB2 tables DELQSQL works on (HFCS.ACCOUNT, HFCS.COLLECTION_QUEUE),
-- for running the translated program: `sqlite3 db2.sqlite < hfcs.sql`, then
-- MODERNIZE_SQL_DATABASE=db2.sqlite DD_CTLCARD=... python delqsql.py
-- Character columns compare blank-padded as DB2 CHAR does (COLLATE RTRIM).
CREATE TABLE ACCOUNT (
    ACCT_NO       TEXT COLLATE RTRIM NOT NULL PRIMARY KEY,  -- CHAR(10)
    ACCT_NAME     TEXT COLLATE RTRIM NOT NULL,              -- CHAR(24)
    BRANCH_ID     TEXT COLLATE RTRIM NOT NULL,              -- CHAR(3)
    ACCT_STATUS   TEXT COLLATE RTRIM NOT NULL,              -- CHAR(1)
    BALANCE       NUMERIC NOT NULL,                         -- DECIMAL(11,2)
    CREDIT_LIMIT  NUMERIC NOT NULL,                         -- DECIMAL(11,2)
    DAYS_PAST_DUE INTEGER NOT NULL,                         -- SMALLINT
    DELINQ_STATUS TEXT COLLATE RTRIM NOT NULL,              -- CHAR(2)
    LAST_PAY_DATE TEXT                                      -- DATE, nullable
);
CREATE TABLE COLLECTION_QUEUE (
    ACCT_NO     TEXT COLLATE RTRIM NOT NULL,
    QUEUE_DATE  TEXT NOT NULL,
    REASON_CODE TEXT COLLATE RTRIM NOT NULL,
    PRIORITY    INTEGER NOT NULL,
    BALANCE_DUE NUMERIC NOT NULL,
    STATUS      TEXT COLLATE RTRIM NOT NULL,
    PRIMARY KEY (ACCT_NO, QUEUE_DATE)
);
INSERT INTO ACCOUNT VALUES
    ('1010000017', 'MARGARET T HOLLOWAY', '001', 'A', 1843.22, 5000.00, 45, '', '2024-02-12'),
    ('1010000025', 'DESMOND K ABERNATHY', '001', 'A', 4920.00, 5000.00, 95, '', NULL),
    ('1020000031', 'PRISCILLA J OYELARAN', '002', 'F', 612.75, 2500.00, 61, '', '2023-12-28'),
    ('1020000048', 'CORNELIUS R VANTERPOOL', '002', 'C', 10.00, 1000.00, 120, '', NULL),
    ('1030000054', 'BEATRIZ L QUINTANILLA', '003', 'A', 0.00, 1500.00, 12, '', '2024-03-01'),
    ('1030000062', 'THADDEUS M OKONKWO', '003', 'A', 99.99, 500.00, 30, '', NULL);
-- one account already queued today, one closed entry old enough to purge, one too recent
INSERT INTO COLLECTION_QUEUE VALUES
    ('1020000031', '2024-03-15', '60', 2, 612.75, 'O'),
    ('1010000017', '2023-11-02', '30', 3, 250.00, 'C'),
    ('1030000062', '2024-01-20', '30', 3, 99.99, 'C');
