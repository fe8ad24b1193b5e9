"""The `modernize analyze` command: exit codes, summary, cache, and the files it writes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import modernize.analysis.analyze
from modernize.cli import main

# Three programs, two copybooks found in copy/ and one missing. CUSTREC is used by MAINPGM and
# SUBPGM, OTHREC only by OTHERPGM.
MAINPGM = """\
000100 IDENTIFICATION DIVISION.
000200 PROGRAM-ID. MAINPGM.
000300 DATA DIVISION.
000400 WORKING-STORAGE SECTION.
000500     COPY CUSTREC.
000600     COPY MISSREC.
000700 01  WS-SUB-NAME             PIC X(8) VALUE 'SUBPGM'.
000800 PROCEDURE DIVISION.
000900 0000-MAIN.
001000     CALL 'SUBPGM' USING CUST-REC
001100     PERFORM 1000-WORK
001200     STOP RUN.
001300 1000-WORK.
001400     CALL WS-SUB-NAME USING CUST-REC.
"""

SUBPGM = """\
000100 IDENTIFICATION DIVISION.
000200 PROGRAM-ID. SUBPGM.
000300 DATA DIVISION.
000400 LINKAGE SECTION.
000500     COPY CUSTREC.
000600 PROCEDURE DIVISION USING CUST-REC.
000700 0000-ENTRY.
000800     MOVE SPACES TO CUST-NAME
000900     GOBACK.
"""

OTHERPGM = """\
000100 IDENTIFICATION DIVISION.
000200 PROGRAM-ID. OTHERPGM.
000300 DATA DIVISION.
000400 WORKING-STORAGE SECTION.
000500     COPY OTHREC.
000600 PROCEDURE DIVISION.
000700 0000-MAIN.
000800     DISPLAY OTH-KEY
000900     GOBACK.
"""

CUSTREC = """\
       01  CUST-REC.
           05  CUST-ID             PIC X(8).
           05  CUST-NAME           PIC X(30).
"""

OTHREC = """\
       01  OTH-REC.
           05  OTH-KEY             PIC X(4).
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "cobol").mkdir(parents=True)
    (root / "copy").mkdir()
    (root / "cobol/MAINPGM.cbl").write_text(MAINPGM)
    (root / "cobol/SUBPGM.cbl").write_text(SUBPGM)
    (root / "cobol/OTHERPGM.cbl").write_text(OTHERPGM)
    (root / "copy/CUSTREC.cpy").write_text(CUSTREC)
    (root / "copy/OTHREC.cpy").write_text(OTHREC)
    return root


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["analyze", *map(str, args)])


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the program files analyze_source is called for (the cache skips it); it sees
    the calls made in this process, so its tests run with ``--jobs 1``."""
    real = modernize.analysis.analyze.analyze_source
    seen: list[str] = []

    def record(preprocessor, path, text):  # noqa: ANN001, ANN202 - passes through
        seen.append(Path(path).name)
        return real(preprocessor, path, text)

    monkeypatch.setattr(modernize.analysis.analyze, "analyze_source", record)
    return seen


# --------------------------------------------------------------------------- good runs


def test_analyze_writes_the_model_and_prints_a_summary(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(repo, "--out", out)
    assert result.exit_code == 0, result.output
    summary = result.stdout
    assert "programs     3 (3 parsed cleanly)" in summary
    assert "copybooks    2 found, 1 missing: MISSREC" in summary
    assert "paragraphs   4" in summary
    assert "calls        2 (0 unresolved, 0 external targets)" in summary
    diagnostics = next(line for line in summary.splitlines() if line.startswith("diagnostics"))
    assert int(diagnostics.split()[1]) >= 2  # MISSREC: once for the estate, once in MAINPGM
    assert f"written      {out / 'model.json'}" in summary
    # progress goes to stderr, one line per program
    assert [line.split()[0] for line in result.stderr.splitlines() if line.startswith("[")] == \
        ["[1/3]", "[2/3]", "[3/3]"]
    assert (out / "model.json").is_file() and (out / "model.sqlite").is_file()


def test_quiet_prints_nothing_but_errors(repo: Path, tmp_path: Path) -> None:
    (repo / "load").mkdir()
    for n in range(30):  # a load library: skipped binaries, one summary line when not quiet
        (repo / f"load/MOD{n:02d}").write_bytes(bytes(range(256)) * 4)
    result = invoke(repo, "--out", tmp_path / "out", "--quiet")
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == ""
    assert (tmp_path / "out/model.json").is_file()
    loud = invoke(repo, "--out", tmp_path / "out2")
    assert "skipped      30 binary" in loud.stdout
    assert "MOD0" not in loud.stdout + loud.stderr  # no line per skipped file


def test_quiet_as_a_subprocess_prints_no_log_lines(repo: Path, tmp_path: Path) -> None:
    (repo / "load").mkdir()
    (repo / "load/MOD01").write_bytes(bytes(range(256)) * 4)
    done = subprocess.run([sys.executable, "-m", "modernize.cli", "run", str(repo), "--out",
                           str(tmp_path / "out"), "--quiet", "--no-validate"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    (empty / "docs").mkdir(parents=True)
    (empty / "docs/README.md").write_text("# nothing legacy here\n")
    result = invoke(empty, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert f"no legacy sources found under {empty.resolve()}" in result.output


def test_analyze_as_a_subprocess(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "modernize.cli", "analyze", str(repo), "--out", str(out)],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "programs     3 (3 parsed cleanly)" in done.stdout
    assert "1 missing: MISSREC" in done.stdout
    assert "[3/3]" in done.stderr
    document = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert sorted(p["name"] for p in document["programs"]) == ["MAINPGM", "OTHERPGM", "SUBPGM"]


def test_subprocess_bad_path_fails_without_a_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "modernize.cli", "analyze", str(tmp_path / "nowhere"),
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode != 0
    assert "does not exist" in done.stderr
    assert "Traceback" not in done.stderr


# --------------------------------------------------------------------------- bad input


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-repo"
    result = invoke(missing, "--out", tmp_path / "out")
    assert result.exit_code != 0
    assert "Error:" in result.output
    assert str(missing) in result.output and "does not exist" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "out/model.json").exists()


def test_path_that_is_a_file_is_an_error(repo: Path, tmp_path: Path) -> None:
    result = invoke(repo / "cobol/MAINPGM.cbl", "--out", tmp_path / "out")
    assert result.exit_code != 0
    assert "not a folder" in result.output


def test_missing_copybooks_folder_is_an_error(repo: Path, tmp_path: Path) -> None:
    result = invoke(repo, "--out", tmp_path / "out", "--copybooks", tmp_path / "no-copylib")
    assert result.exit_code != 0
    assert "--copybooks" in result.output and "no-copylib" in result.output
    assert not (tmp_path / "out/model.json").exists()


def test_out_is_required(repo: Path) -> None:
    result = invoke(repo)
    assert result.exit_code == 2
    assert "--out" in result.output


def test_extra_copybooks_folder_resolves_a_missing_copybook(repo: Path, tmp_path: Path) -> None:
    extra = tmp_path / "copylib"
    extra.mkdir()
    (extra / "MISSREC.cpy").write_text("       01  MISS-REC            PIC X(4).\n")
    result = invoke(repo, "--out", tmp_path / "out", "--copybooks", extra)
    assert result.exit_code == 0, result.output
    assert "copybooks    3 found, 0 missing" in result.stdout
    document = json.loads((tmp_path / "out/model.json").read_text(encoding="utf-8"))
    # outside the root, so not relative to it
    assert document["copybooks"]["MISSREC"] == (extra / "MISSREC.cpy").resolve().as_posix()


def test_a_folder_whose_path_is_not_utf8_is_refused_with_a_clear_error(repo: Path,
                                                                     tmp_path: Path) -> None:
    """The model records paths as UTF-8 text: an estate, --copybooks, --proclib or --out folder
    whose name is not UTF-8 is refused before any work, with a message saying what to do (it
    crashed with a serialization traceback when the model was written)."""
    import os

    odd = os.fsdecode(os.fsencode(tmp_path) + b"/est\xfd")
    Path(odd).mkdir()
    (Path(odd) / "P.cbl").write_text(MAINPGM)
    books = os.fsdecode(os.fsencode(tmp_path) + b"/books\xff")
    Path(books).mkdir()
    (Path(books) / "CUSTREC.cpy").write_text(CUSTREC)
    for args in ((odd, "--out", tmp_path / "o1"),
                 (repo, "--out", tmp_path / "o2", "--copybooks", books),
                 (repo, "--out", tmp_path / "o3", "--proclib", books),
                 (repo, "--out", books + "/out")):
        result = invoke(*args)
        assert result.exit_code != 0
        assert "is not valid UTF-8" in result.output and "rename the folder" in result.output
        assert "\\xfd" in result.output or "\\xff" in result.output  # the byte, shown
        assert "Traceback" not in result.output and result.exception is None or \
            isinstance(result.exception, SystemExit)
        assert not (Path(args[2]) / "model.json").exists()
    # every command's --out (the lock proves it writable first) and the library's own call
    from modernize.analysis.run import analyze_into
    from modernize.core.errors import OutputDirError
    from modernize.core.outputs import ensure_writable

    for refuse in (ensure_writable, lambda out: analyze_into(repo, out)):
        with pytest.raises(OutputDirError, match="not valid UTF-8"):
            refuse(Path(books) / "elsewhere")
        assert not (Path(books) / "elsewhere").exists()


# --------------------------------------------------------------------------- the cache


def test_unchanged_rerun_reuses_the_cache(repo: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    first = invoke(repo, "--out", out)
    assert first.exit_code == 0, first.output
    model = (out / "model.json").read_bytes()
    database = sqlite3.connect(out / "model.sqlite")
    paragraphs = database.execute("SELECT program, name, line FROM paragraphs "
                                  "ORDER BY program, line").fetchall()
    database.close()

    called: list[str] = []

    def refuse(preprocessor, path, text):  # noqa: ANN001, ANN202
        called.append(str(path))
        raise AssertionError(f"{path} was analysed again although nothing changed")

    monkeypatch.setattr(modernize.analysis.analyze, "analyze_source", refuse)
    second = invoke(repo, "--out", out)
    assert second.exit_code == 0, second.output
    assert called == []
    assert (out / "model.json").read_bytes() == model
    database = sqlite3.connect(out / "model.sqlite")
    assert database.execute("SELECT program, name, line FROM paragraphs "
                            "ORDER BY program, line").fetchall() == paragraphs
    database.close()
    assert second.stdout == first.stdout


def test_the_cache_is_written_from_the_texts_model_json_holds(repo: Path,
                                                               tmp_path: Path) -> None:
    """Each program is dumped once, in its worker; the cache's entries and its copy of the
    whole estate are written from those texts (and the staged ones): read back, they are the
    programs and the estate the run made."""
    from modernize.analysis.cache import AnalysisCache, _ProgramEntry
    from modernize.analysis.run import analyze_into

    (repo / "cobol/MAINPGM.cbl").write_text(MAINPGM + "\n" + OTHERPGM.replace(
        "OTHERPGM", "NESTPGM"))  # a file of two programs: an entry of two texts
    run = analyze_into(repo, tmp_path / "out")
    cache = AnalysisCache(tmp_path / "out/cache")
    assert cache.estate(run.estate.input_digest) == run.estate
    by_path: dict[str, list[object]] = {}
    for program in run.estate.programs:
        by_path.setdefault(program.path, []).append(program)
    assert max(len(programs) for programs in by_path.values()) == 2
    entries = sorted((tmp_path / "out/cache/programs").glob("*.json"))
    assert len(entries) == len(by_path) == 3
    for entry in entries:
        programs = _ProgramEntry.model_validate_json(entry.read_bytes()).programs
        assert programs == by_path[programs[0].path]

    plain = AnalysisCache(tmp_path / "plain")  # no output stage: the estate dumped here
    plain.store_estate(run.estate)
    assert plain.estate(run.estate.input_digest) == run.estate
    with pytest.raises(ValueError, match="1 texts given for 2 programs"):
        plain.store_programs("x.cbl", "key", list(by_path["cobol/MAINPGM.cbl"]), {}, [b"{}"])


def test_the_texts_go_to_the_sink_and_are_not_kept(repo: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Each analysed program reaches the sink with the text its worker made, and the
    analysis keeps none of the texts afterwards (a million lines' are half a gigabyte)."""
    analyze = modernize.analysis.analyze
    kept: list[object] = []
    real = analyze._analyze_sources

    def keep(*args: object) -> dict[str, object]:
        found = real(*args)  # type: ignore[arg-type]
        kept.extend(found.values())
        return found  # type: ignore[return-value]

    class Sink:  # keeps each program it took, as a sink must (it knows them by id)
        def __init__(self) -> None:
            self.texts: dict[int, tuple[object, bytes | None]] = {}

        def add(self, program: object, text: bytes | None = None) -> None:
            self.texts.setdefault(id(program), (program, text))

        def json_of(self, program: object) -> bytes:
            return self.texts[id(program)][1] or program.document_text()  # type: ignore[attr-defined]

    monkeypatch.setattr(analyze, "_analyze_sources", keep)
    sink = Sink()
    estate = analyze.analyze_repo(repo, sink=sink)
    assert len(kept) == 3 and all(found.texts == () for found in kept)  # type: ignore[attr-defined]
    assert [sink.texts[id(p)][1] for p in estate.programs] == [
        p.document_text() for p in estate.programs]


def test_a_program_that_cannot_be_written_fails_the_run(repo: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Its text is made in the worker, outside the front end's guard: the run fails as it
    did when the main process wrote it, and the estate does not depend on who writes it
    (no program is turned into an 'analysis-failed' diagnostic)."""
    from modernize.analysis.run import analyze_into
    from modernize.core.model import Program

    def refuse(self: Program) -> bytes:
        raise ValueError(f"{self.name} cannot be written")

    monkeypatch.setattr(Program, "document_text", refuse)
    with pytest.raises(ValueError, match="cannot be written"):
        analyze_into(repo, tmp_path / "out")


def test_changing_a_copybook_reanalyses_exactly_its_programs(repo: Path, tmp_path: Path,
                                                             recorder: list[str]) -> None:
    out = tmp_path / "out"
    assert invoke(repo, "--out", out, "--jobs", "1").exit_code == 0
    assert sorted(recorder) == ["MAINPGM.cbl", "OTHERPGM.cbl", "SUBPGM.cbl"]
    recorder.clear()

    phone = "           05  CUST-PHONE          PIC X(12).\n"
    (repo / "copy/CUSTREC.cpy").write_text(CUSTREC + phone)
    result = invoke(repo, "--out", out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert sorted(recorder) == ["MAINPGM.cbl", "SUBPGM.cbl"]
    document = json.loads((out / "model.json").read_text(encoding="utf-8"))
    for program in document["programs"]:
        names = [d["name"] for d in program["data_items"]]
        assert ("CUST-PHONE" in names) == (program["name"] in ("MAINPGM", "SUBPGM"))

    recorder.clear()
    assert invoke(repo, "--out", out, "--jobs", "1").exit_code == 0
    assert recorder == []


def test_changing_a_program_reanalyses_only_it(repo: Path, tmp_path: Path,
                                               recorder: list[str]) -> None:
    out = tmp_path / "out"
    assert invoke(repo, "--out", out, "--jobs", "1").exit_code == 0
    recorder.clear()
    (repo / "cobol/OTHERPGM.cbl").write_text(OTHERPGM.replace("DISPLAY OTH-KEY",
                                                              "DISPLAY OTH-REC"))
    assert invoke(repo, "--out", out, "--jobs", "1").exit_code == 0
    assert recorder == ["OTHERPGM.cbl"]


def test_no_cache_reanalyses_everything(repo: Path, tmp_path: Path,
                                        recorder: list[str]) -> None:
    out = tmp_path / "out"
    assert invoke(repo, "--out", out, "--jobs", "1").exit_code == 0
    recorder.clear()
    assert invoke(repo, "--out", out, "--no-cache", "--jobs", "1").exit_code == 0
    assert sorted(recorder) == ["MAINPGM.cbl", "OTHERPGM.cbl", "SUBPGM.cbl"]


# --------------------------------------------------------------------------- the interface


def test_model_json_interface_fields(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke(repo, "--out", out).exit_code == 0
    document = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert isinstance(document["schema_version"], str) and document["schema_version"]
    assert document["copybooks"] == {"CUSTREC": "copy/CUSTREC.cpy", "MISSREC": None,
                                     "OTHREC": "copy/OTHREC.cpy"}
    assert isinstance(document["diagnostics"], list)
    missing = [d for d in document["diagnostics"] if d["code"] == "copybook-missing"]
    assert len(missing) == 1 and "MISSREC" in missing[0]["message"]
    assert "MAINPGM" in missing[0]["message"]

    programs = {p["name"]: p for p in document["programs"]}
    assert set(programs) == {"MAINPGM", "OTHERPGM", "SUBPGM"}
    main_pgm = programs["MAINPGM"]
    assert main_pgm["id"] == "cobol:MAINPGM"
    assert main_pgm["path"] == "cobol/MAINPGM.cbl"  # relative to the analysed root
    assert [{k: p[k] for k in ("name", "line")} for p in main_pgm["paragraphs"]] == [
        {"name": "0000-MAIN", "line": 9}, {"name": "1000-WORK", "line": 13}]
    assert [{k: c[k] for k in ("target", "kind", "line")} for c in main_pgm["calls"]] == [
        {"target": "SUBPGM", "kind": "static", "line": 10},
        {"target": "SUBPGM", "kind": "dynamic", "line": 14},
    ]
    assert main_pgm["copybooks"] == ["CUSTREC", "MISSREC"]
    assert [(d["code"], d["line"]) for d in main_pgm["diagnostics"]] == [("copybook-missing", 6)]
    assert "MISSREC" in main_pgm["diagnostics"][0]["message"]
    assert programs["SUBPGM"]["paragraphs"] == [
        {**programs["SUBPGM"]["paragraphs"][0], "name": "0000-ENTRY", "line": 7}]
    assert programs["SUBPGM"]["diagnostics"] == []
    assert programs["OTHERPGM"]["copybooks"] == ["OTHREC"]
    for program in document["programs"]:
        assert not Path(program["path"]).is_absolute()
        for key in ("id", "name", "path", "paragraphs", "calls", "copybooks", "diagnostics"):
            assert key in program, key


def test_model_sqlite_answers_paragraph_queries(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke(repo, "--out", out).exit_code == 0
    database = sqlite3.connect(out / "model.sqlite")
    try:
        rows = database.execute("SELECT name, line FROM paragraphs WHERE program = ?",
                                ("MAINPGM",)).fetchall()
        assert sorted(rows, key=lambda r: r[1]) == [("0000-MAIN", 9), ("1000-WORK", 13)]
        assert database.execute("SELECT name, line FROM paragraphs WHERE program = ?",
                                ("SUBPGM",)).fetchall() == [("0000-ENTRY", 7)]
        assert database.execute("SELECT name, line FROM paragraphs WHERE program = ?",
                                ("NOSUCH",)).fetchall() == []
    finally:
        database.close()


def test_list_cells_of_model_sqlite_are_what_json_dumps_gives() -> None:
    """A list of strings is written without the encoder: the same text (quotes, backslashes,
    control and non-ASCII characters escaped as json.dumps escapes them); other values go
    through the encoder."""
    import random

    from modernize.analysis.store import _cell

    rnd = random.Random(5)
    alphabet = 'ab "\\\n\x01\u00e9\u2028\U0001f600/'
    for _ in range(3000):
        strings = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 6)))
                   for _ in range(rnd.randint(1, 4))]
        assert _cell(strings) == json.dumps(strings), strings
    for value in ([["KEY", True]], [{"value": "A"}], {"a": 1}, [1, "x"], [], {}):
        assert _cell(value) == json.dumps(value)


def test_a_fact_table_writes_its_list_columns_as_json_and_refuses_a_list_elsewhere() -> None:
    """Which columns hold lists is read from a table's first row; a list turning up later in
    another column is refused by SQLite, not written as something else."""
    from modernize.analysis.store import _ProgramTables
    from modernize.core.model import Call

    database = sqlite3.connect(":memory:")
    tables = _ProgramTables(database)
    where = {"kind": "static", "file": "MAIN.cbl", "line": 9}
    tables.add("calls", "MAIN", (Call(target="SUB", using=("A", "B"), **where),
                                 Call(target=None, **where)))
    assert database.execute('SELECT program, target, "using" FROM calls').fetchall() == [
        ("MAIN", "SUB", '["A", "B"]'), ("MAIN", None, "[]")]
    with pytest.raises(sqlite3.ProgrammingError):  # a list where the first row had text
        tables.add("calls", "OTHER", (Call.model_construct(target=("X",), **where),))
    database.close()


def test_out_folder_inside_the_repo_is_not_analysed(repo: Path) -> None:
    out = repo / "analysis"
    assert invoke(repo, "--out", out, "--quiet").exit_code == 0
    model = (out / "model.json").read_bytes()
    assert invoke(repo, "--out", out, "--quiet").exit_code == 0
    document = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert [f["path"] for f in document["inventory"]["files"]
            if f["path"].startswith("analysis/")] == []
    assert (out / "model.json").read_bytes() == model


def test_an_out_folder_that_cannot_be_made_is_a_clear_error(repo: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for out in (blocker, blocker / "sub"):
        result = invoke(repo, "--out", out, "--quiet")
        assert result.exit_code == 1
        assert "Error:" in result.output and str(out) in result.output
        assert "Traceback" not in result.output


def test_the_summary_names_ten_unreachable_paragraphs_and_counts_the_rest(tmp_path: Path) -> None:
    """An estate with hundreds of dead paragraphs must not flood the terminal: the summary
    line names the first ten and counts the others (model.json keeps them all)."""
    dead = "".join(f"       DEAD-{n:02d}.\n           DISPLAY 'DEAD {n:02d}'.\n"
                   for n in range(1, 14))
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "DEADPARA.cbl").write_text(
        "       IDENTIFICATION DIVISION.\n       PROGRAM-ID. DEADPARA.\n"
        "       PROCEDURE DIVISION.\n       MAIN-LINE.\n           DISPLAY 'ALIVE'.\n"
        "           STOP RUN.\n" + dead)
    result = invoke(tmp_path / "src", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("unreachable"))
    assert line == ("unreachable  13: " + ", ".join(f"DEADPARA.DEAD-{n:02d}" for n in range(1, 11))
                    + " and 3 more")
    model = json.loads((tmp_path / "out" / "model.json").read_text())
    assert len(model["analysis"]["programs"]["cobol:DEADPARA"]["unreachable_paragraphs"]) == 13
