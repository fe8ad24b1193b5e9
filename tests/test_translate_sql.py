"""The DB2 batch program DELQSQL, translated: EXEC SQL on the embedded SQL runtime (SQLite).

GnuCOBOL cannot build DELQSQL without a DB2 precompiler, so there is no twin to compare with;
the expectations here are worked out by hand from the program and the sample tables
(``legacy_samples/data/db2/hfcs.sql``): which accounts the cursor returns, in what order, what
each gets queued with, the -803 of an account already queued, the purge of closed entries older
than 90 days, and the count of today's queue.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from modernize.analysis.run import analyze_into
from modernize.analysis.store import load_analysis
from modernize.translate import translate_program
from modernize.validate.harness.legacy import Scenario
from modernize.validate.harness.python import run_python

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "legacy_samples"


@pytest.fixture(scope="module")
def module(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("delqsql")
    analyze_into(SAMPLES, base / "analysis")
    estate, _ = load_analysis(base / "analysis")
    translation = translate_program(estate.program("DELQSQL"), estate)
    assert translation.unsupported == [], translation.unsupported
    assert translation.statements == translation.translated
    path = base / "code" / "delqsql.py"
    path.parent.mkdir()
    path.write_text(translation.source)
    return path


def _database(tmp_path: Path) -> bytes:
    path = tmp_path / "db2.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript((SAMPLES / "data/db2/hfcs.sql").read_text())
    return path.read_bytes()


def _run(module: Path, database: bytes, tmp_path: Path, name: str):  # noqa: ANN202
    scenario = Scenario(name, {"CTLCARD": (SAMPLES / "data/ctlcard.dat").read_bytes(),
                               "db2.sqlite": database})
    result = run_python(module, scenario, ["CTLCARD", "DLQRPT"], "DELQSQL")
    after = tmp_path / f"{name}.sqlite"
    after.write_bytes(result.files["db2.sqlite"])
    return result, sqlite3.connect(after)


def test_the_db2_program_runs_on_the_embedded_sql_runtime(module: Path, tmp_path: Path) -> None:
    source = module.read_text()
    assert 'self.sql.open_cursor("DLQCUR", [self.ws_host_vars.hv_min_days])' in source
    assert "HostVar(self.dclaccount.last_pay_date, self.ws_host_vars.hv_last_pay_ind)" in source
    result, db = _run(module, _database(tmp_path), tmp_path, "first")
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().splitlines() == [
        "DELQSQL  - DELINQUENT ACCOUNTS FETCHED       3",
        "DELQSQL  - QUEUED TODAY       2",
        "DELQSQL  - ALREADY IN QUEUE       1",
        "DELQSQL  - OLD ENTRIES PURGED       1",
        "DELQSQL  - QUEUE ENTRIES FOR RUN DATE       3"]
    report = result.files["DLQRPT"].decode("latin-1")
    lines = [report[i:i + 133] for i in range(0, len(report), 133)]
    assert len(lines) == 4 and "2024-03-15" in lines[0]
    # cursor order: BRANCH_ID, ACCT_NO; status C, 12 and 30 days are not selected
    assert [line[1:4] + line[6:16] for line in lines[1:]] == [
        "0011010000017", "0011010000025", "0021020000031"]
    assert "NEVER PAID" in lines[2] and "2024-02-12" in lines[1]
    assert "QUEUED" in lines[1] and "ALREADY IN QUEUE" in lines[3]
    assert db.execute("SELECT ACCT_NO, REASON_CODE, PRIORITY, BALANCE_DUE FROM "
                      "COLLECTION_QUEUE WHERE QUEUE_DATE = '2024-03-15' ORDER BY ACCT_NO"
                      ).fetchall() == [("1010000017", "30", 3, 1843.22),
                                       ("1010000025", "90", 1, 4920),
                                       ("1020000031", "60", 2, 612.75)]
    # the closed entry of 2023-11-02 is older than 90 days: purged; 2024-01-20 is kept
    assert db.execute("SELECT QUEUE_DATE FROM COLLECTION_QUEUE WHERE STATUS = 'C'"
                      ).fetchall() == [("2024-01-20",)]
    assert dict(db.execute("SELECT ACCT_NO, DELINQ_STATUS FROM ACCOUNT WHERE "
                           "DELINQ_STATUS <> ''").fetchall()) == {
        "1010000017": "30", "1010000025": "90", "1020000031": "60"}


def test_a_second_run_finds_everything_queued(module: Path, tmp_path: Path) -> None:
    first, db = _run(module, _database(tmp_path), tmp_path, "first")
    db.close()
    second, _ = _run(module, first.files["db2.sqlite"], tmp_path, "second")
    assert "DELQSQL  - ALREADY IN QUEUE       3" in second.stdout.decode()
    assert "DELQSQL  - QUEUED TODAY       0" in second.stdout.decode()


def test_an_sql_error_rolls_back_and_ends_with_16(module: Path, tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite"
    with sqlite3.connect(path) as db:  # no COLLECTION_QUEUE: the INSERT fails with -204
        db.executescript((SAMPLES / "data/db2/hfcs.sql").read_text().replace(
            "CREATE TABLE COLLECTION_QUEUE", "CREATE TABLE OTHER_QUEUE").replace(
            "INSERT INTO COLLECTION_QUEUE", "INSERT INTO OTHER_QUEUE"))
    result, db = _run(module, path.read_bytes(), tmp_path, "broken")
    assert result.returncode == 16
    assert "DELQSQL  - INSERT COLLECTION_QUEUE FAILED" in result.stdout.decode()
    assert "SQLCODE       -204" in result.stdout.decode()
    assert db.execute("SELECT COUNT(*) FROM ACCOUNT WHERE DELINQ_STATUS <> ''"
                      ).fetchone() == (0,)  # rolled back
