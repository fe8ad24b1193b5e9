"""Embedded SQL (modernize.runtime.sql): DB2 static SQL run on SQLite with host variables,
indicator variables and the SQLCA, on the tables of legacy_samples/cobol/DELQSQL.cbl.

ACCOUNT is created from the DECLARE TABLE of the DCLGEN copybook DCLACCT; COLLECTION_QUEUE is
created in the test database with its UNIQUE key on (ACCT_NO, QUEUE_DATE), as a DB2 table
would have it. Host variables are items over bytearrays, laid out as in the program.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from modernize.runtime import Item, UnsupportedError, field
from modernize.runtime.program import StopRun
from modernize.runtime.sql import (
    SQLCA_LAYOUT,
    SQLCA_LENGTH,
    HostVar,
    SqlSession,
    SqlUsageError,
    Varchar,
    close_all,
    create_table_sql,
    new_sqlca,
)

ROOT = Path(__file__).resolve().parent.parent
DCLACCT = (ROOT / "legacy_samples" / "copylib" / "DCLACCT.cpy").read_text()
DECLARE_ACCOUNT = re.search(r"EXEC SQL DECLARE.*?END-EXEC", DCLACCT, re.DOTALL).group()

QUEUE_DDL = """
CREATE TABLE COLLECTION_QUEUE (
    ACCT_NO     TEXT COLLATE RTRIM NOT NULL,
    QUEUE_DATE  TEXT NOT NULL,
    REASON_CODE TEXT COLLATE RTRIM NOT NULL,
    PRIORITY    INTEGER NOT NULL,
    BALANCE_DUE NUMERIC NOT NULL,
    STATUS      TEXT COLLATE RTRIM NOT NULL);
CREATE UNIQUE INDEX COLLECTION_QUEUE_KEY ON COLLECTION_QUEUE (ACCT_NO, QUEUE_DATE);
"""

ACCOUNTS = [
    # ACCT_NO, NAME, BRANCH, STATUS, BALANCE, LIMIT, DAYS PAST DUE, DELINQ, LAST PAY DATE
    ("A000000001", "ALPHA ONE", "002", "A", 1500.25, 5000, 45, "", "2024-01-10"),
    ("A000000002", "BRAVO TWO", "001", "A", -20.5, 1000, 95, "", None),
    ("A000000003", "CHARLIE THREE", "001", "F", 300, 2000, 61, "", "2023-12-01"),
    ("A000000004", "DELTA FOUR", "001", "C", 10, 100, 120, "", None),
    ("A000000005", "ECHO FIVE", "003", "A", 0, 100, 10, "", "2024-02-01"),
    ("A000000006", "FOXTROT SIX", "002", "A", 99.99, 100, 30, "", None),
]

# DLQCUR of DELQSQL, as the translator passes it (:HV-MIN-DAYS replaced by ?)
DLQCUR = """DECLARE DLQCUR CURSOR WITH HOLD FOR
             SELECT ACCT_NO, ACCT_NAME, BRANCH_ID, BALANCE,
                    CREDIT_LIMIT, DAYS_PAST_DUE, LAST_PAY_DATE
               FROM ACCOUNT
              WHERE DAYS_PAST_DUE > ?
                AND ACCT_STATUS IN ('A', 'F')
              ORDER BY BRANCH_ID, ACCT_NO"""
INSERT_QUEUE = """INSERT INTO COLLECTION_QUEUE
                     (ACCT_NO, QUEUE_DATE, REASON_CODE, PRIORITY, BALANCE_DUE, STATUS)
                  VALUES (?, ?, ?, ?, ?, 'O')"""
PURGE = """DELETE FROM COLLECTION_QUEUE
            WHERE STATUS = 'C'
              AND QUEUE_DATE < DATE(?) - 90 DAYS"""
COUNT_QUEUE = """SELECT COUNT(*) INTO ? FROM COLLECTION_QUEUE WHERE QUEUE_DATE = ?"""


# --------------------------------------------------------------------------- records


class Sqlca:
    """The SQLCA record's items, made from SQLCA_LAYOUT as the translator makes them."""

    def __init__(self) -> None:
        self.record = new_sqlca()
        buffer = self.record.buffer
        self.items: dict[str, Item] = {}
        for name, offset, picture, usage, occurs in SQLCA_LAYOUT:
            for n in range(occurs):
                key = f"{name}({n + 1})" if occurs > 1 else name
                self.items[key] = field(buffer, offset + 4 * n, picture, usage)

    def __getitem__(self, name: str) -> str | Decimal:
        return self.items[name].get()

    @property
    def code(self) -> int:
        return int(self["SQLCODE"])

    @property
    def rows(self) -> int:
        return int(self["SQLERRD(3)"])


class Dclaccount:
    """01 DCLACCOUNT of DCLACCT."""

    def __init__(self) -> None:
        self.buffer = bytearray(b" " * 64)
        b = self.buffer
        self.acct_no = field(b, 0, "X(10)")
        self.acct_name = field(b, 10, "X(24)")
        self.branch_id = field(b, 34, "X(3)")
        self.acct_status = field(b, 37, "X(1)")
        self.balance = field(b, 38, "S9(9)V9(2)", "COMP-3")
        self.credit_limit = field(b, 44, "S9(9)V9(2)", "COMP-3")
        self.days_past_due = field(b, 50, "S9(4)", "COMP")
        self.delinq_status = field(b, 52, "X(2)")
        self.last_pay_date = field(b, 54, "X(10)")
        for item in (self.balance, self.credit_limit, self.days_past_due):
            item.set(0)


class HostVars:
    """01 WS-HOST-VARS of DELQSQL."""

    def __init__(self) -> None:
        self.buffer = bytearray(22)
        b = self.buffer
        self.run_date = field(b, 0, "X(10)")
        self.min_days = field(b, 10, "S9(4)", "COMP")
        self.queue_reason = field(b, 12, "X(2)")
        self.priority = field(b, 14, "S9(4)", "COMP")
        self.queue_count = field(b, 16, "S9(9)", "COMP")
        self.last_pay_ind = field(b, 20, "S9(4)", "COMP")
        self.run_date.set("2024-01-15")
        self.min_days.set(30)


@pytest.fixture
def database(tmp_path: Path) -> str:
    path = tmp_path / "db2.sqlite"
    connection = sqlite3.connect(path)
    connection.executescript(QUEUE_DDL)
    connection.close()
    return str(path)


@pytest.fixture
def sqlca() -> Sqlca:
    return Sqlca()


@pytest.fixture
def session(database: str, sqlca: Sqlca) -> SqlSession:
    session = SqlSession(sqlca.record, database=database, declarations=[DECLARE_ACCOUNT])
    session.connection.executemany("INSERT INTO ACCOUNT VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                   ACCOUNTS)
    yield session
    session.close(abend=True)


def fetch_account(session: SqlSession, cursor: str, dcl: Dclaccount, hv: HostVars) -> int:
    return session.fetch(cursor, [dcl.acct_no, dcl.acct_name, dcl.branch_id, dcl.balance,
                                  dcl.credit_limit, dcl.days_past_due,
                                  HostVar(dcl.last_pay_date, hv.last_pay_ind)])


# --------------------------------------------------------------------------- the SQLCA


def test_sqlca_layout_is_db2s() -> None:
    ends = {name: offset for name, offset, *_ in SQLCA_LAYOUT}
    assert ends["SQLCODE"] == 12 and ends["SQLERRMC"] == 18 and ends["SQLERRD"] == 96
    assert ends["SQLWARN0"] == 120 and ends["SQLWARNA"] == 130 and ends["SQLSTATE"] == 131
    record = Sqlca()
    assert record.record.length == SQLCA_LENGTH == 136
    assert record["SQLCAID"] == "SQLCA   " and int(record["SQLCABC"]) == 136
    assert record["SQLSTATE"] == "00000" and record.code == 0


def test_sqlca_too_short_is_refused(database: str) -> None:
    with pytest.raises(UnsupportedError, match="136"):
        SqlSession(field(bytearray(100), 0, "X(100)"), database=database)


# --------------------------------------------------------------------------- DECLARE TABLE


def test_declare_table_creates_the_table(session: SqlSession, database: str) -> None:
    (sql,) = session.connection.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'ACCOUNT'").fetchone()
    assert "ACCT_NO TEXT /* CHAR(10) */ COLLATE RTRIM NOT NULL" in sql
    assert "BALANCE NUMERIC /* DECIMAL(11,2) */ NOT NULL" in sql
    assert "DAYS_PAST_DUE INTEGER /* SMALLINT */ NOT NULL" in sql
    assert "LAST_PAY_DATE TEXT /* DATE */\n" in sql
    # an existing table is left alone
    again = SqlSession(new_sqlca(), database=database, declarations=[DECLARE_ACCOUNT])
    again.close()
    # DECLARE TABLE as a statement
    assert session.execute("DECLARE HFCS.BRANCH TABLE (BRANCH_ID CHAR(3) NOT NULL, "
                           "OPENED DATE NOT NULL WITH DEFAULT, RATE DECIMAL(5, 3))") == 0
    assert session.execute("INSERT INTO HFCS.BRANCH (BRANCH_ID) VALUES ('001')") == 0
    opened, rate = session.connection.execute("SELECT OPENED, RATE FROM BRANCH").fetchone()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", opened) and rate is None


def test_declare_table_not_null_is_kept(session: SqlSession, sqlca: Sqlca) -> None:
    assert session.execute("INSERT INTO ACCOUNT (ACCT_NO) VALUES ('X')") == -407
    assert sqlca["SQLSTATE"] == "23502"


def test_create_table_sql_refuses_what_it_cannot_read() -> None:
    with pytest.raises(UnsupportedError, match="DECLARE TABLE"):
        create_table_sql("DECLARE X CURSOR FOR SELECT 1")
    with pytest.raises(UnsupportedError, match="no DB2 data type"):
        create_table_sql("DECLARE T TABLE (A WIDGET(3))")


# --------------------------------------------------------------------------- cursors


def test_cursor_bound_at_open_in_order_with_null_indicator(session: SqlSession,
                                                           sqlca: Sqlca) -> None:
    dcl, hv = Dclaccount(), HostVars()
    session.declare_cursor("DLQCUR", DLQCUR)
    assert session.open_cursor("DLQCUR", [hv.min_days]) == 0
    hv.min_days.set(100)  # bound at OPEN: changing it now changes nothing
    seen = []
    dcl.last_pay_date.set("UNCHANGED")
    while fetch_account(session, "DLQCUR", dcl, hv) == 0:
        assert sqlca.rows == 1
        seen.append((dcl.acct_no.get(), dcl.acct_name.get(), dcl.branch_id.get(),
                     dcl.balance.get(), dcl.credit_limit.get(), dcl.days_past_due.get(),
                     dcl.last_pay_date.get(), int(hv.last_pay_ind.get())))
    assert seen == [
        ("A000000002", "BRAVO TWO".ljust(24), "001", Decimal("-20.50"), Decimal("1000.00"),
         95, "UNCHANGED ", -1),
        ("A000000003", "CHARLIE THREE".ljust(24), "001", Decimal("300.00"),
         Decimal("2000.00"), 61, "2023-12-01", 0),
        ("A000000001", "ALPHA ONE".ljust(24), "002", Decimal("1500.25"),
         Decimal("5000.00"), 45, "2024-01-10", 0),
    ]
    assert dcl.balance.raw == bytes.fromhex("00000150025C")
    assert sqlca.code == 100 and sqlca["SQLSTATE"] == "02000" and sqlca.rows == 0
    assert fetch_account(session, "DLQCUR", dcl, hv) == 100  # and again
    assert session.close_cursor("DLQCUR") == 0


def test_cursor_state_errors(session: SqlSession, sqlca: Sqlca) -> None:
    dcl, hv = Dclaccount(), HostVars()
    session.declare_cursor("DLQCUR", DLQCUR)
    assert fetch_account(session, "DLQCUR", dcl, hv) == -501
    assert sqlca["SQLSTATE"] == "24501"
    assert session.close_cursor("DLQCUR") == -501
    assert session.open_cursor("DLQCUR", [hv.min_days]) == 0
    assert session.open_cursor("DLQCUR", [hv.min_days]) == -502
    assert sqlca["SQLSTATE"] == "24502"
    assert session.close_cursor("DLQCUR") == 0
    assert session.close_cursor("DLQCUR") == -501
    assert session.open_cursor("NOSUCH") == -504


def test_cursor_statements_through_execute(session: SqlSession) -> None:
    dcl, hv = Dclaccount(), HostVars()
    assert session.execute(DLQCUR) == 0
    assert session.execute("OPEN DLQCUR", [hv.min_days]) == 0
    outputs = [dcl.acct_no, dcl.acct_name]
    assert session.execute("FETCH DLQCUR INTO ?, ?", outputs=outputs) == 0
    assert dcl.acct_no.get() == "A000000002"
    assert session.execute("FETCH NEXT FROM DLQCUR INTO ?, ?", outputs=outputs) == 0
    assert dcl.acct_no.get() == "A000000003"
    assert session.execute("CLOSE DLQCUR") == 0


def test_with_hold_survives_commit_rollback_closes_all(session: SqlSession) -> None:
    dcl, hv = Dclaccount(), HostVars()
    session.declare_cursor("DLQCUR", DLQCUR)
    session.declare_cursor("PLAIN", "SELECT ACCT_NO FROM ACCOUNT ORDER BY ACCT_NO")
    assert session.open_cursor("DLQCUR", [hv.min_days]) == 0
    assert session.open_cursor("PLAIN") == 0
    assert fetch_account(session, "DLQCUR", dcl, hv) == 0
    assert session.execute("COMMIT") == 0
    assert session.fetch("PLAIN", [dcl.acct_no]) == -501
    assert fetch_account(session, "DLQCUR", dcl, hv) == 0  # held: goes on where it was
    assert dcl.acct_no.get() == "A000000003"
    assert session.execute("ROLLBACK WORK") == 0
    assert fetch_account(session, "DLQCUR", dcl, hv) == -501


def test_positioned_update_where_current_of(session: SqlSession, sqlca: Sqlca) -> None:
    dcl, hv = Dclaccount(), HostVars()
    session.declare_cursor("UPD", "SELECT ACCT_NO, DAYS_PAST_DUE FROM ACCOUNT "
                                  "WHERE ACCT_STATUS = 'F' FOR UPDATE OF DELINQ_STATUS")
    update = "UPDATE ACCOUNT SET DELINQ_STATUS = ? WHERE CURRENT OF UPD"
    hv.queue_reason.set("60")
    assert session.execute(update, [hv.queue_reason]) == -507
    assert session.open_cursor("UPD") == 0
    assert session.execute(update, [hv.queue_reason]) == -508
    assert session.fetch("UPD", [dcl.acct_no, dcl.days_past_due]) == 0
    assert session.execute(update, [hv.queue_reason]) == 0 and sqlca.rows == 1
    assert session.connection.execute("SELECT ACCT_NO FROM ACCOUNT WHERE DELINQ_STATUS = '60'"
                                      ).fetchall() == [("A000000003",)]
    assert session.execute("DELETE FROM ACCOUNT WHERE CURRENT OF UPD") == 0
    assert session.execute("DELETE FROM ACCOUNT WHERE CURRENT OF UPD") == -508


# --------------------------------------------------------------------------- INSERT UPDATE DELETE


def test_insert_then_duplicate_key_is_803(session: SqlSession, sqlca: Sqlca) -> None:
    dcl, hv = Dclaccount(), HostVars()
    dcl.acct_no.set("A000000002")
    dcl.balance.set(Decimal("-20.50"))
    hv.queue_reason.set("90")
    hv.priority.set(1)
    inputs = [dcl.acct_no, hv.run_date, hv.queue_reason, hv.priority, dcl.balance]
    assert session.execute(INSERT_QUEUE, inputs) == 0 and sqlca.rows == 1
    assert session.execute(INSERT_QUEUE, inputs) == -803
    assert sqlca["SQLSTATE"] == "23505" and sqlca["SQLERRP"] == "SQLITE  "
    message = sqlca["SQLERRMC"][:int(sqlca["SQLERRML"])]
    assert message.startswith("UNIQUE constraint failed")
    assert session.connection.execute("SELECT * FROM COLLECTION_QUEUE").fetchall() == [
        ("A000000002", "2024-01-15", "90", 1, -20.5, "O")]
    # the next statement clears the error
    assert session.execute("SELECT COUNT(*) INTO ? FROM ACCOUNT", outputs=[hv.queue_count]) == 0
    assert sqlca["SQLERRMC"] == " " * 70 and sqlca["SQLSTATE"] == "00000"


def test_update_sets_sqlerrd3_and_100_when_no_row(session: SqlSession, sqlca: Sqlca) -> None:
    hv = HostVars()
    hv.queue_reason.set("30")
    status = field(bytearray(b"A"), 0, "X")
    update = "UPDATE ACCOUNT SET DELINQ_STATUS = ? WHERE ACCT_STATUS = ?"
    assert session.execute(update, [hv.queue_reason, status]) == 0
    assert sqlca.rows == 4
    status.set("Z")
    assert session.execute(update, [hv.queue_reason, status]) == 100
    assert sqlca["SQLSTATE"] == "02000" and sqlca.rows == 0


def test_delete_with_date_arithmetic(session: SqlSession, sqlca: Sqlca) -> None:
    rows = [("A1", "2024-01-01", "C"), ("A2", "2023-10-17", "C"), ("A3", "2023-10-16", "C"),
            ("A4", "2023-01-01", "O")]
    session.connection.executemany("INSERT INTO COLLECTION_QUEUE VALUES (?, ?, '30', 3, 0, ?)",
                                   rows)
    hv = HostVars()  # run date 2024-01-15: 90 days before is 2023-10-17
    assert session.execute(PURGE, [hv.run_date]) == 0
    assert sqlca.rows == 1
    assert session.execute(PURGE, [hv.run_date]) == 100 and sqlca.rows == 0
    left = session.connection.execute("SELECT ACCT_NO FROM COLLECTION_QUEUE ORDER BY 1")
    assert [acct for (acct,) in left] == ["A1", "A2", "A4"]


def test_null_input_through_indicator(session: SqlSession) -> None:
    dcl, hv = Dclaccount(), HostVars()
    dcl.last_pay_date.set("2024-01-01")
    hv.last_pay_ind.set(-1)
    sql = "UPDATE ACCOUNT SET LAST_PAY_DATE = ? WHERE ACCT_NO = 'A000000001'"
    assert session.execute(sql, [HostVar(dcl.last_pay_date, hv.last_pay_ind)]) == 0
    assert session.connection.execute("SELECT LAST_PAY_DATE FROM ACCOUNT WHERE ACCT_NO = "
                                      "'A000000001'").fetchone() == (None,)


# --------------------------------------------------------------------------- SELECT INTO


def test_select_count_into(session: SqlSession, sqlca: Sqlca) -> None:
    hv = HostVars()
    session.connection.executemany("INSERT INTO COLLECTION_QUEUE VALUES (?, ?, '30', 3, 0, 'O')",
                                   [("A1", "2024-01-15"), ("A2", "2024-01-15"),
                                    ("A3", "2024-01-14")])
    assert session.execute(COUNT_QUEUE, [hv.run_date], [hv.queue_count]) == 0
    assert hv.queue_count.get() == 2 and sqlca.rows == 1


def test_select_into_none_several_and_null(session: SqlSession, sqlca: Sqlca) -> None:
    dcl, hv = Dclaccount(), HostVars()
    one = "SELECT ACCT_NAME, LAST_PAY_DATE INTO ?, ? FROM ACCOUNT WHERE ACCT_NO = ?"
    dcl.acct_no.set("NOSUCH")
    assert session.execute(one, [dcl.acct_no], [dcl.acct_name, dcl.last_pay_date]) == 100
    dcl.acct_no.set("A000000002")  # LAST_PAY_DATE is NULL
    dcl.acct_name.set("BEFORE")
    assert session.execute(one, [dcl.acct_no], [dcl.acct_name, dcl.last_pay_date]) == -305
    assert sqlca["SQLSTATE"] == "22002"
    assert dcl.acct_name.get().rstrip() == "BEFORE"  # nothing assigned
    hv.last_pay_ind.set(5)
    outputs = [dcl.acct_name, HostVar(dcl.last_pay_date, hv.last_pay_ind)]
    assert session.execute(one, [dcl.acct_no], outputs) == 0
    assert dcl.acct_name.get().rstrip() == "BRAVO TWO" and hv.last_pay_ind.get() == -1
    several = "SELECT ACCT_NO INTO ? FROM ACCOUNT WHERE BRANCH_ID = '001'"
    assert session.execute(several, outputs=[dcl.acct_no]) == -811
    assert sqlca["SQLSTATE"] == "21000" and dcl.acct_no.get() == "A000000002"
    first = "SELECT ACCT_NO INTO ? FROM ACCOUNT WHERE BRANCH_ID = '001' ORDER BY ACCT_NO DESC " \
            "FETCH FIRST 1 ROW ONLY WITH UR"
    assert session.execute(first, outputs=[dcl.acct_no]) == 0
    assert dcl.acct_no.get() == "A000000004"


def test_truncated_text_sets_indicator_and_sqlwarn1(session: SqlSession, sqlca: Sqlca) -> None:
    short = field(bytearray(4), 0, "X(4)")
    indicator = field(bytearray(2), 0, "S9(4)", "COMP")
    sql = "SELECT ACCT_NAME INTO ? FROM ACCOUNT WHERE ACCT_NO = 'A000000003'"
    assert session.execute(sql, outputs=[HostVar(short, indicator)]) == 0
    assert short.get() == "CHAR" and indicator.get() == 13
    assert sqlca["SQLWARN1"] == "W" and sqlca["SQLWARN0"] == "W"
    assert session.execute(sql, outputs=[field(bytearray(20), 0, "X(20)")]) == 0
    assert sqlca["SQLWARN0"] == " " and sqlca["SQLWARN1"] == " "


def test_fewer_host_variables_than_columns_sets_sqlwarn3(session: SqlSession,
                                                         sqlca: Sqlca) -> None:
    dcl = Dclaccount()
    sql = "SELECT ACCT_NO, ACCT_NAME FROM ACCOUNT WHERE ACCT_NO = 'A000000003'"
    assert session.execute(sql, outputs=[dcl.acct_no]) == 0
    assert sqlca["SQLWARN3"] == "W" and dcl.acct_no.get() == "A000000003"


# --------------------------------------------------------------------------- values


def test_numeric_round_trips(session: SqlSession) -> None:
    assert session.execute("DECLARE NUMS TABLE (K SMALLINT NOT NULL, P DECIMAL(11, 2), "
                           "D DECIMAL(8, 3), B INTEGER, Z DECIMAL(15, 0))") == 0
    buffer = bytearray(40)
    key = field(buffer, 0, "9(2)")
    packed = field(buffer, 2, "S9(9)V9(2)", "COMP-3")
    display = field(buffer, 8, "S9(5)V9(3)")
    binary = field(buffer, 16, "S9(9)", "COMP-5")
    big = field(buffer, 20, "S9(15)", "COMP-3")
    values = [(1, Decimal("-1234567.89"), Decimal("-0.125"), -2_000_000_000,
               Decimal("-999999999999999")),
              (2, Decimal("0.01"), Decimal("99999.999"), 7, Decimal("123456789012345"))]
    insert = "INSERT INTO NUMS (K, P, D, B, Z) VALUES (?, ?, ?, ?, ?)"
    for row in values:
        for item, value in zip((key, packed, display, binary, big), row, strict=True):
            item.set(value)
        assert session.execute(insert, [key, packed, display, binary, big]) == 0
    out = bytearray(40)
    p2 = field(out, 0, "S9(9)V9(2)", "COMP-3")
    d2 = field(out, 6, "S9(7)V9(3)", "COMP")
    b2 = field(out, 14, "S9(10)")
    z2 = field(out, 24, "S9(15)", "COMP")
    session.declare_cursor("N", "SELECT P, D, B, Z FROM NUMS ORDER BY K")
    assert session.open_cursor("N") == 0
    for row in values:
        assert session.fetch("N", [p2, d2, b2, z2]) == 0
        assert (p2.get(), d2.get(), b2.get(), z2.get()) == row[1:]
    assert p2.raw == bytes.fromhex("00000000001C")
    # the stored values are the numbers, comparable in SQL
    assert session.execute("SELECT COUNT(*) INTO ? FROM NUMS WHERE P < ? AND D = -0.125",
                           [packed], [z2]) == 0
    assert z2.get() == 1


def test_decimals_are_truncated_and_too_big_is_304(session: SqlSession, sqlca: Sqlca) -> None:
    small = field(bytearray(3), 0, "S9(3)V9(2)", "COMP-3")
    small.set(Decimal("1.11"))
    assert session.execute("VALUES 12.349 INTO ?", outputs=[small]) == 0
    assert small.get() == Decimal("12.34")
    assert session.execute("VALUES 123456 INTO ?", outputs=[small]) == -304
    assert sqlca["SQLSTATE"] == "22003" and small.get() == Decimal("12.34")
    halfword = field(bytearray(2), 0, "S9(4)", "COMP")  # a SMALLINT to DB2
    assert session.execute("VALUES 12000 INTO ?", outputs=[halfword]) == 0
    assert halfword.get() == 12000
    assert session.execute("VALUES 40000 INTO ?", outputs=[halfword]) == -304
    assert session.execute("VALUES 'ABC' INTO ?", outputs=[halfword]) == -420
    assert session.execute("VALUES ' 42 ' INTO ?", outputs=[halfword]) == 0
    assert halfword.get() == 42


def test_char_values_stored_without_padding_compare_padded(session: SqlSession) -> None:
    wide = field(bytearray(12), 0, "X(12)")
    wide.set("A000000001")  # 'A000000001  '
    name = field(bytearray(30), 0, "X(30)")
    sql = "SELECT ACCT_NAME INTO ? FROM ACCOUNT WHERE ACCT_NO = ?"
    assert session.execute(sql, [wide], [name]) == 0
    assert name.get() == "ALPHA ONE".ljust(30)
    session.connection.execute("INSERT INTO ACCOUNT VALUES ('PADDED    ', 'P', '009', 'A', 0, "
                               "0, 0, '  ', NULL)")
    wide.set("PADDED")
    assert session.execute(sql, [wide], [name]) == 0 and name.get().rstrip() == "P"
    dcl = Dclaccount()
    dcl.acct_no.set("NEW1")
    assert session.execute("UPDATE ACCOUNT SET ACCT_NO = ? WHERE ACCT_NO = 'PADDED'",
                           [dcl.acct_no]) == 0
    assert session.connection.execute("SELECT ACCT_NO FROM ACCOUNT WHERE ACCT_NAME = 'P'"
                                      ).fetchone() == ("NEW1",)


def test_varchar_host_structure(session: SqlSession, sqlca: Sqlca) -> None:
    assert session.execute("DECLARE NOTES TABLE (ACCT_NO CHAR(10) NOT NULL, "
                           "NOTE VARCHAR(40))") == 0
    buffer = bytearray(b"\x00\x00" + b"." * 12)
    note = Varchar(field(buffer, 0, "S9(4)", "COMP"), field(buffer, 2, "X(12)"))
    note.text.set("CALL BACK  ")
    note.length.set(6)  # 'CALL B'
    assert session.execute("INSERT INTO NOTES VALUES ('A1', ?)", [note]) == 0
    buffer[:] = b"\x00\x00" + b"." * 12
    assert session.execute("SELECT NOTE || 'ACK  ' INTO ? FROM NOTES", outputs=[note]) == 0
    assert note.length.get() == 11 and note.text.get() == "CALL BACK  ."
    indicator = field(bytearray(2), 0, "S9(4)", "COMP")
    assert session.execute("VALUES 'A LONGER NOTE THAN TWELVE' INTO ?",
                           outputs=[HostVar(note, indicator)]) == 0
    assert note.length.get() == 12 and indicator.get() == 25 and sqlca["SQLWARN1"] == "W"


def test_current_date_and_date_durations(session: SqlSession,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COB_CURRENT_DATE", "2024/03/31 10:20:30.45")
    text = field(bytearray(26), 0, "X(26)")
    date = field(bytearray(10), 0, "X(10)")

    def value(sql: str, *inputs: Item) -> str:
        assert session.execute(sql, list(inputs), [text]) == 0, sql
        return text.get().rstrip()

    assert value("SELECT CURRENT DATE INTO ? FROM SYSIBM.SYSDUMMY1") == "2024-03-31"
    assert value("SET ? = CURRENT_DATE - 1 MONTH") == "2024-02-29"
    assert value("VALUES CURRENT TIMESTAMP INTO ?") == "2024-03-31-10.20.30.450000"
    assert value("VALUES CURRENT TIME INTO ?") == "10.20.30"
    date.set("2024-01-31")
    assert value("VALUES DATE(?) + 1 MONTH INTO ?", date) == "2024-02-29"
    assert value("VALUES DATE(?) + 1 MONTH + 1 DAY INTO ?", date) == "2024-03-01"
    assert value("VALUES DATE(?) - 1 YEAR INTO ?", date) == "2023-01-31"
    assert value("VALUES DATE(?) + 13 MONTHS - 31 DAYS INTO ?", date) == "2025-01-28"
    days = field(bytearray(2), 0, "S9(4)", "COMP")
    days.set(10)
    assert value("VALUES DATE(?) - ? DAYS INTO ?", date, days) == "2024-01-21"
    assert value("VALUES DAYS(?) - DAYS('2024-01-01') INTO ?", date) == "30"
    assert value("VALUES DAYS('0001-01-01') INTO ?") == "1"
    assert value("VALUES YEAR(?) * 100 + MONTH(?) INTO ?", date, date) == "202401"


def test_rewritten_functions_and_clauses(session: SqlSession) -> None:
    text = field(bytearray(30), 0, "X(30)")
    key = field(bytearray(10), 0, "X(10)")
    key.set("A000000002")
    sql = ("SELECT VALUE(LAST_PAY_DATE, 'NEVER') CONCAT '/' || STRIP(ACCT_NAME) INTO ? "
           "FROM HFCS.ACCOUNT A WHERE A.ACCT_NO = ? AND ACCT_STATUS ¬= 'C' "
           "FOR FETCH ONLY WITH CS QUERYNO 7")
    assert session.execute(sql, [key], [text]) == 0
    assert text.get().rstrip() == "NEVER/BRAVO TWO"
    assert session.execute("VALUES LOCATE('O', ?) INTO ?", [key], [text]) == 0
    assert text.get().rstrip() == "0"
    assert session.execute("VALUES UCASE('abc') || LCASE('DEF') || MOD(7, 3) INTO ?",
                           outputs=[text]) == 0
    assert text.get().rstrip() == "ABCdef1"


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(("sql", "code", "state"), [
    ("SELECT COUNT(*) INTO ? FROM NO_SUCH_TABLE", -204, "42704"),
    ("SELECT COUNT(NO_SUCH_COLUMN) INTO ? FROM ACCOUNT", -206, "42703"),
    ("SELECT COUNT(*) INTO ? FROM ACCOUNT WHERE", -104, "42601"),
    ("SELECT COUNT(*) INTO ? FROM ACCOUNT WHERE (ACCT_NO = 'A'", -104, "42601"),
    ("SELECT NO_SUCH_FUNCTION(1) INTO ? FROM ACCOUNT", -440, "42884"),
    ("VALUES ABS(-9223372036854775807 - 1) INTO ?", -802, "22003"),
])
def test_sqlite_errors_become_db2_sqlcodes(session: SqlSession, sqlca: Sqlca, sql: str,
                                           code: int, state: str) -> None:
    count = field(bytearray(4), 0, "S9(9)", "COMP")
    assert session.execute(sql, outputs=[count]) == code
    assert sqlca["SQLSTATE"] == state and int(sqlca["SQLERRML"]) > 0


def test_other_errors_are_minus_one_with_the_message(session: SqlSession, sqlca: Sqlca) -> None:
    assert session.execute("CREATE TABLE ACCOUNT (X INTEGER)") == -1
    assert sqlca["SQLSTATE"] == "HY000"
    assert sqlca["SQLERRMC"].rstrip() == "table ACCOUNT already exists"


def test_translator_mistakes_raise(session: SqlSession) -> None:
    count = field(bytearray(4), 0, "S9(9)", "COMP")
    with pytest.raises(SqlUsageError, match="1 input host variables in the text, 0 given"):
        session.execute("SELECT COUNT(*) INTO ? FROM ACCOUNT WHERE ACCT_NO = ?",
                        outputs=[count])
    with pytest.raises(SqlUsageError, match="INTO host variables"):
        session.execute("SELECT COUNT(*) INTO ? FROM ACCOUNT")
    with pytest.raises(SqlUsageError, match=":HV was not replaced"):
        session.execute("SELECT COUNT(*) INTO ? FROM ACCOUNT WHERE ACCT_NO = :HV-X",
                        outputs=[count])
    with pytest.raises(SqlUsageError, match="WHENEVER"):
        session.execute("WHENEVER SQLERROR GOTO 9999-SQL-ERROR")


def test_precompiler_statements_do_nothing(session: SqlSession) -> None:
    for sql in ("INCLUDE SQLCA", "BEGIN DECLARE SECTION", "END DECLARE SECTION",
                "LOCK TABLE ACCOUNT IN EXCLUSIVE MODE", "SET CURRENT DEGREE = 'ANY'",
                "DECLARE S1 STATEMENT"):
        assert session.execute(sql) == 0, sql


# --------------------------------------------------------------------------- units of work


def other_connection_count(database: str, table: str = "COLLECTION_QUEUE") -> int:
    connection = sqlite3.connect(database)
    try:
        return connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        connection.close()


def queue(session: SqlSession, acct: str) -> int:
    dcl, hv = Dclaccount(), HostVars()
    dcl.acct_no.set(acct)
    hv.queue_reason.set("30")
    hv.priority.set(3)
    return session.execute(INSERT_QUEUE, [dcl.acct_no, hv.run_date, hv.queue_reason,
                                          hv.priority, dcl.balance])


def test_commit_and_rollback_visibility(session: SqlSession, database: str) -> None:
    count = field(bytearray(4), 0, "S9(9)", "COMP")
    assert queue(session, "A1") == 0
    assert other_connection_count(database) == 0  # not committed yet
    assert session.execute("SELECT COUNT(*) INTO ? FROM COLLECTION_QUEUE",
                           outputs=[count]) == 0
    assert count.get() == 1  # the program sees its own work
    assert session.execute("ROLLBACK") == 0
    assert other_connection_count(database) == 0
    assert queue(session, "A2") == 0
    assert session.execute("COMMIT WORK") == 0
    assert other_connection_count(database) == 1
    assert queue(session, "A3") == 0
    assert session.execute("SAVEPOINT S1 ON ROLLBACK RETAIN CURSORS") == 0
    assert queue(session, "A4") == 0
    assert session.execute("ROLLBACK TO SAVEPOINT S1") == 0
    assert session.execute("COMMIT") == 0
    assert other_connection_count(database) == 2


def test_close_commits_abend_rolls_back(database: str) -> None:
    session = SqlSession(new_sqlca(), database=database)
    assert queue(session, "A1") == 0
    session.close()
    assert other_connection_count(database) == 1
    session = SqlSession(new_sqlca(), database=database)
    assert queue(session, "A2") == 0
    session.close(abend=True)
    assert other_connection_count(database) == 1
    with pytest.raises(SqlUsageError):
        session.execute("COMMIT")


def test_context_manager_commits_at_stop_run_not_on_error(database: str) -> None:
    with pytest.raises(StopRun), SqlSession(new_sqlca(), database=database) as session:
        assert queue(session, "A1") == 0
        raise StopRun()
    assert other_connection_count(database) == 1
    with pytest.raises(ZeroDivisionError), SqlSession(new_sqlca(), database=database) as s:
        assert queue(s, "A2") == 0
        raise ZeroDivisionError()
    assert other_connection_count(database) == 1
    session = SqlSession(new_sqlca(), database=database)
    assert queue(session, "A3") == 0
    close_all()
    assert other_connection_count(database) == 2


def test_default_database_from_environment(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    session = SqlSession(new_sqlca())
    assert session.database == "db2.sqlite"
    session.close()
    assert (tmp_path / "db2.sqlite").exists()
    monkeypatch.setenv("MODERNIZE_SQL_DATABASE", str(tmp_path / "other.sqlite"))
    session = SqlSession(new_sqlca())
    session.close()
    assert (tmp_path / "other.sqlite").exists()


# --------------------------------------------------------------------------- the sample program


def run_delqsql(session: SqlSession, sqlca: Sqlca) -> dict[str, int]:
    """DELQSQL's procedure division, paragraph by paragraph, on the runtime."""
    dcl, hv = Dclaccount(), HostVars()
    totals = {"fetched": 0, "queued": 0, "already": 0, "purged": 0}
    session.declare_cursor("DLQCUR", DLQCUR)
    assert session.open_cursor("DLQCUR", [hv.min_days]) == 0                  # 2000
    while True:                                                                # 3000
        code = fetch_account(session, "DLQCUR", dcl, hv)
        if code == 100:
            break
        assert code == 0
        totals["fetched"] += 1
        days = dcl.days_past_due.get()                                         # 3100
        reason, priority = ("90", 1) if days > 90 else ("60", 2) if days > 60 else ("30", 3)
        hv.queue_reason.set(reason)
        hv.priority.set(priority)
        code = session.execute(INSERT_QUEUE, [dcl.acct_no, hv.run_date, hv.queue_reason,
                                              hv.priority, dcl.balance])
        if code == 0:
            totals["queued"] += 1
        else:
            assert code == -803
            totals["already"] += 1
        assert session.execute("UPDATE ACCOUNT SET DELINQ_STATUS = ? WHERE ACCT_NO = ?",
                               [hv.queue_reason, dcl.acct_no]) == 0
    assert session.close_cursor("DLQCUR") == 0                                 # 4000
    code = session.execute(PURGE, [hv.run_date])                               # 5000
    assert code in (0, 100)
    totals["purged"] = sqlca.rows
    assert session.execute(COUNT_QUEUE, [hv.run_date], [hv.queue_count]) == 0  # 6000
    totals["count"] = int(hv.queue_count.get())
    assert session.execute("COMMIT") == 0
    return totals


def test_delqsql_twice(session: SqlSession, sqlca: Sqlca, database: str,
                       caplog: pytest.LogCaptureFixture) -> None:
    session.connection.execute("INSERT INTO COLLECTION_QUEUE VALUES "
                               "('OLD', '2023-06-30', '30', 3, 0, 'C')")
    with caplog.at_level(logging.DEBUG, logger="modernize.runtime.sql"):
        first = run_delqsql(session, sqlca)
    assert first == {"fetched": 3, "queued": 3, "already": 0, "purged": 1, "count": 3}
    assert run_delqsql(session, sqlca) == {"fetched": 3, "queued": 0, "already": 3,
                                           "purged": 0, "count": 3}
    assert other_connection_count(database) == 3
    reasons = session.connection.execute(
        "SELECT ACCT_NO, REASON_CODE, PRIORITY, BALANCE_DUE FROM COLLECTION_QUEUE "
        "ORDER BY ACCT_NO").fetchall()
    assert reasons == [("A000000001", "30", 3, 1500.25), ("A000000002", "90", 1, -20.5),
                       ("A000000003", "60", 2, 300)]
    statuses = session.connection.execute(
        "SELECT ACCT_NO, DELINQ_STATUS FROM ACCOUNT WHERE DELINQ_STATUS <> ''").fetchall()
    assert sorted(statuses) == [("A000000001", "30"), ("A000000002", "90"),
                                ("A000000003", "60")]
    messages = [record.getMessage() for record in caplog.records]
    assert any(m.startswith("SQL 1: OPEN DLQCUR -> SQLCODE 0") for m in messages)
    assert any("FETCH DLQCUR -> SQLCODE 100 SQLSTATE 02000" in m for m in messages)
    assert any("date(date(substr(?1, 1, 10)), '-90 days')" in m for m in messages)
    assert session.statistics[("FETCH", 100)] == 2
