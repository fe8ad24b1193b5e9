"""``modernize run`` end to end on a shop-shaped estate with every shape real estates brought
(tests/shop_estate.py): it finishes, writes every report, and its summary says exactly what was
proved of each program, by unique id."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require_tool
from shop_estate import shop_estate

VSAM_TWIN = "cobol:DBANK01P@sources/cobol/data/vsam/DBANK01P.cbl"
EXPECTED = {
    "cobol:DBANK01P": "not-validated",  # the DB2 variant: no twin without a precompiler
    VSAM_TWIN: "equivalent",
    "cobol:CUSTUPD": "equivalent",
    "cobol:RPTPARM": "equivalent",
    "cobol:DATECHK": "equivalent",
    "cobol:ADDAMT": "equivalent",
    "cobol:BADPROG": "not-validated",
    "cobol:CUSTSQL": "not-validated",
}


def _modernize(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    return subprocess.run([sys.executable, "-m", "modernize.cli", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=1200)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> dict:
    if require_tool("cobc") is None:
        pytest.skip("cobc (GnuCOBOL) is not installed")
    base = tmp_path_factory.mktemp("shop")
    estate = base / "estate"
    shop_estate(estate)
    out = base / "out"
    # CUSTUPD loops for ever when CHGIN is missing (OPEN fails with status 35 and every READ
    # with 47, never AT END), as the real program would: that scenario is stopped at
    # --timeout on each side
    done = _modernize("run", estate, "--out", out, "--timeout", "10", cwd=base)
    return {"base": base, "estate": estate, "out": out, "run": done}


def test_the_run_finishes_with_every_report(shop: dict) -> None:
    done, out = shop["run"], shop["out"]
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stdout + done.stderr
    for produced in ("model.json", "specs/estate.md", "backlog/backlog.json",
                     "code/translation.json", "validation/validation.json"):
        assert (out / produced).is_file(), produced
    assert not (shop["base"] / "PWNED").exists() and not (Path.cwd() / "PWNED").exists()
    programs = json.loads((out / "validation/validation.json").read_text())["programs"]
    assert programs["CUSTUPD"]["timeouts"] == ["file:CHGIN=missing"]  # stopped, and said so


def test_every_program_gets_its_verdict_by_unique_id(shop: dict) -> None:
    validation = json.loads((shop["out"] / "validation/validation.json").read_text())
    verdicts = validation["verdicts"]
    assert {k: v["verdict"] for k, v in verdicts.items()} == EXPECTED
    assert validation["counts"] == {
        "programs": 8, "translated": 8, "equivalent": 5, "equivalent-error-paths-only": 0,
        "different": 0, "not-validated": 3,
        "not_validated_reasons": validation["counts"]["not_validated_reasons"]}
    assert "embedded SQL" in verdicts["cobol:DBANK01P"]["reason"]
    assert "embedded SQL" in verdicts["cobol:CUSTSQL"]["reason"]
    assert verdicts["cobol:BADPROG"]["reason"]  # says why (what GnuCOBOL or we refused)
    for program in ("cobol:CUSTUPD", VSAM_TWIN, "cobol:DATECHK"):
        verdict = verdicts[program]
        assert verdict["main_path_scenarios"] >= 1 and verdict["coverage"] == 1.0, program
    assert "jcl" in verdicts["cobol:RPTPARM"]["roles"]


def test_the_summary_table_says_the_same(shop: dict) -> None:
    stdout = shop["run"].stdout
    table = stdout[stdout.index("\nsummary\n"):]
    heads, values = table.splitlines()[2:4]
    assert heads.split() == ["programs", "translated", "equivalent", "(main", "path)",
                             "equivalent", "(error", "paths", "only)", "different", "not",
                             "validated"]
    assert values.split() == ["8", "8", "5", "0", "0", "3"]
    assert re.search(r"cobol:BADPROG: .+", table)


def test_vsam_programs_get_past_open(shop: dict) -> None:
    """Indexed inputs are generated: the main loop is entered, not only the OPEN failure."""
    validation = json.loads((shop["out"] / "validation/validation.json").read_text())
    custupd = validation["programs"]["CUSTUPD"]
    entered = {p for v in custupd["verdicts"] for p in v["paragraphs"]}
    assert "1000-APPLY" in entered
    listing = validation["programs"][VSAM_TWIN.split(":", 1)[1]]
    assert "2000-LIST" in {p for v in listing["verdicts"] for p in v["paragraphs"]}


def test_duplicate_program_ids_stay_apart_end_to_end(shop: dict) -> None:
    out = shop["out"]
    translation = json.loads((out / "code/translation.json").read_text())["programs"]
    modules = {entry["id"]: entry["module"] for entry in translation.values()}
    assert modules["cobol:DBANK01P"] != modules[VSAM_TWIN]
    assert (out / "code" / modules[VSAM_TWIN]).is_file()
    assert "READ ACCT-FILE" not in (out / "code" / modules["cobol:DBANK01P"]).read_text()
    specs = sorted(p.name for p in (out / "specs").glob("DBANK01P*.md"))
    assert len(specs) == 2
    stories = json.loads((out / "backlog/backlog.json").read_text())["stories"]
    ids = [s["id"] for s in stories]
    assert len(ids) == len(set(ids)) and len([i for i in ids if "DBANK01P" in i]) == 2
    model = json.loads((out / "model.json").read_text())
    assert any(d["code"] == "duplicate-program" and "data/sql/DBANK01P.cbl" in d["message"]
               and "data/vsam/DBANK01P.cbl" in d["message"] for d in model["diagnostics"])


def test_dclgen_members_and_proclibs_are_read(shop: dict) -> None:
    model = json.loads((shop["out"] / "model.json").read_text())
    custsql = next(p for p in model["programs"] if p["name"] == "CUSTSQL")
    dclgen = [u for u in custsql["copybook_uses"] if u["name"] == "DCLCUST"]
    assert dclgen and dclgen[0]["path"].endswith("DCLCUST.dcl")
    assert any(d["name"] == "DCL-CUST-NAME" for d in custsql["data_items"])
    steps = {s["name"]: s for job in model["jobs"] for s in job["steps"]}
    assert steps["LIST.RUN"]["program"] == "DBANK01P"
    assert steps["UPDATE.RUN"]["program"] == "CUSTUPD"
    dds = {d["name"]: d["dsn"] for d in steps["UPDATE.RUN"]["dds"]}
    assert dds["CUSTMAST"] == "SHOP.CUSTOMER.KSDS" and dds["CHGIN"] == "SHOP.DAILY.CHANGES"
    assert steps["REPORT"]["parm"] == "2026-12-06"


def test_a_translation_found_different_gives_exit_status_1(shop: dict, tmp_path: Path) -> None:
    out = shop["out"]
    code = tmp_path / "code"
    code.mkdir()
    for module in (out / "code").iterdir():
        if module.is_file():
            (code / module.name).write_bytes(module.read_bytes())
    module = code / "custupd.py"
    source = module.read_text()
    assert '"APPLIED "' in source
    module.write_text(source.replace('"APPLIED "', '"UPDATED "'))
    done = _modernize("validate", out, "--code", code, "--out", tmp_path / "validation",
                      "--program", "CUSTUPD", "--timeout", "10", cwd=tmp_path)
    assert done.returncode == 1, done.stderr[-2000:]
    verdicts = json.loads((tmp_path / "validation/validation.json").read_text())["verdicts"]
    assert verdicts["cobol:CUSTUPD"]["verdict"] == "different"
    assert "cobol:CUSTUPD: different" in done.stdout
