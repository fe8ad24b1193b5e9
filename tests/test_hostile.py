"""Hostile input, end to end: a hostile estate and a hostile model endpoint (the real OpenAI SDK
against tests/fake_openai.py on loopback) thrown at ``modernize run`` as an attacker would.

Nothing outside the estate is read, nothing outside ``--out`` is written, the API key reaches no
output, every output is encoded for where it goes, and the run finishes and reports each
hostile program. The pieces (escaping, slugs, the output lock, citations) have unit tests here
too; the sandbox and the code checks have theirs in test_sandbox.py and test_codecheck.py.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import require_tool
from fake_openai import FakeOpenAI
from hostile import FORMULAS, KEY, XSS_NAME, hostile_answers, hostile_estate

from modernize.core.errors import OutputDirError
from modernize.core.escape import (
    csv_cell,
    csv_uncell,
    md_block,
    md_code,
    md_fence,
    md_text,
    script_json,
)
from modernize.core.names import module_name, safe_stem, spec_stems
from modernize.core.outputs import OutputLock, OutsideOutputError, inside, write_inside
from modernize.documents.citations import NOT_IN_MODEL, ModelIndex

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def _environment(server_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "MODERNIZE_"))}
    env["OPENAI_API_KEY"] = KEY
    if server_url:
        env.update(OPENAI_BASE_URL=server_url, MODERNIZE_MODEL="hostile-model",
                   MODERNIZE_LLM_TIMEOUT="20", MODERNIZE_LLM_RETRIES="0")
    return env


def _one_program_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "cobol").mkdir(parents=True)
    (repo / "cobol/P.cbl").write_text(
        "       IDENTIFICATION DIVISION.\n       PROGRAM-ID. P.\n"
        "       PROCEDURE DIVISION.\n       A.\n           STOP RUN.\n")
    return repo


def _modernize(*args: str | Path, env: dict[str, str], cwd: Path,
               timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "modernize.cli", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """``modernize run`` on the hostile estate with the hostile model, once for the module."""
    base = tmp_path_factory.mktemp("hostile")
    estate, secret = base / "estate", base / "outside-secret.txt"
    hostile_estate(estate, secret)
    out = base / "work" / "out"
    before = _files(base)
    with FakeOpenAI(model="hostile-model") as server:
        server.script(*hostile_answers())
        started = time.monotonic()
        done = _modernize("run", estate, "--out", out, env=_environment(server.url), cwd=base)
        took = time.monotonic() - started
        requests = len(server.completions)
    after = _files(base)
    graph = base / "call.html"
    drawn = _modernize("graph", out, "--view", "call", "--out", graph,
                       env=_environment(None), cwd=base)
    return {"base": base, "estate": estate, "out": out, "secret": secret, "run": done,
            "took": took, "before": before, "after": after, "graph": graph, "drawn": drawn,
            "requests": requests}


def test_the_run_finishes_and_reports_without_a_traceback(hostile_run: dict) -> None:
    done = hostile_run["run"]
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stdout + done.stderr
    assert hostile_run["requests"] > 0  # the hostile model was really asked
    model = json.loads((hostile_run["out"] / "model.json").read_text())
    codes = {(d["file"], d["code"]) for p in model["programs"] for d in p["diagnostics"]}
    codes |= {(d["file"], d["code"]) for d in model["diagnostics"]}
    for file, code in [("cobol/COPYABS.cbl", "copybook-outside"),
                       ("cobol/COPYUP.cbl", "copybook-outside"),
                       ("cobol/COPYLNK.cbl", "copybook-outside"),
                       ("cobol/LONGLINE.cbl", "line-too-long"),
                       ("cobol/HUGE.cbl", "too-large")]:
        assert (file, code) in codes, (file, code)
    names = {p["name"] for p in model["programs"]}
    assert {"../../ESCAPED", XSS_NAME.upper(), "SHELLNM", "LONGLINE"} <= names
    validation = json.loads((hostile_run["out"] / "validation/validation.json").read_text())
    reported = set(validation["skipped"]) | set(validation["programs"])
    for name in ("COPYABS", "COPYUP", "COPYLNK"):
        assert "outside the estate" in validation["skipped"][name]
    assert {"../../ESCAPED", XSS_NAME.upper(), "SHELLNM"} <= reported


def test_nothing_is_written_outside_out(hostile_run: dict) -> None:
    base, out = hostile_run["base"], hostile_run["out"]
    outside = {name for name in hostile_run["after"]
               if not (base / name).resolve().is_relative_to(out.resolve())}
    assert outside - {"call.html"} == set(hostile_run["before"]) - {"call.html"}
    escaped = [p for p in [*base.rglob("ESCAPED*"), *base.rglob("escaped*")]
               if not p.resolve().is_relative_to(out.resolve())]
    assert not escaped
    assert not (Path.cwd() / "PWNED").exists() and not (base / "PWNED").exists()
    for path in out.rglob("*"):  # every name the run chose is a plain one
        assert ".." not in path.relative_to(out).parts
        assert "<" not in path.name and "/" not in path.name


def test_nothing_from_outside_the_estate_and_no_key_reaches_any_output(hostile_run: dict,
                                                                        ) -> None:
    passwd = Path("/etc/passwd").read_bytes().split(b"\n")[0]
    hostname = Path("/etc/hostname").read_bytes().strip() if Path("/etc/hostname").exists() \
        else b"\0no-hostname\0"
    for name, data in _files(hostile_run["out"]).items():
        assert KEY.encode() not in data, name
        assert b"SECRET-MARKER" not in data, name
        assert passwd not in data, name
        if len(hostname) > 6:
            assert hostname not in data, name
    assert KEY not in hostile_run["run"].stdout + hostile_run["run"].stderr


def test_model_citations_never_name_a_file_of_their_own(hostile_run: dict) -> None:
    specs = json.loads((hostile_run["out"] / "specs/specs.json").read_text())
    model = json.loads((hostile_run["out"] / "model.json").read_text())
    files = {f["path"] for f in model["inventory"]["files"]}
    hostile = [r for s in specs for r in s["rules"] if r["generated_by"] != "static-analysis"]
    assert hostile, "the hostile model's rules are in the specs"
    for rule in hostile:
        assert not rule["verified"], rule  # every hostile citation is wrong somehow
        for citation in rule["citations"]:
            assert citation["file"] in files | {NOT_IN_MODEL}, citation
    with (hostile_run["out"] / "traceability.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert all(r["verified"] != "yes" for r in rows if "/1" in r["spec section"]
               and any(r["spec section"].endswith(h["id"]) for h in hostile))


def test_html_pages_escape_every_name_and_answer(hostile_run: dict) -> None:
    pages = list((hostile_run["out"] / "specs").glob("*.html")) + [hostile_run["graph"]]
    assert hostile_run["drawn"].returncode == 0, hostile_run["drawn"].stderr
    for page in pages:
        text = page.read_text(encoding="utf-8").lower()
        assert "<svg onload" not in text and "<script>window.mzpwned" not in text, page
        assert "<img src=x" not in text and "<iframe src=x" not in text, page
        assert 'href="javascript:' not in text, page
    graph = hostile_run["graph"].read_text(encoding="utf-8")
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", graph, re.S | re.I)
    assert scripts and all("</SCRIPT" not in s.upper()[:-1] for s in scripts)


def test_the_call_graph_page_runs_no_injected_script(hostile_run: dict, tmp_path: Path) -> None:
    chromium = require_tool("chromium", "chromium-browser", "google-chrome")
    if chromium is None:
        pytest.skip("no Chromium here")
    from test_browser import check_graph_page

    check = check_graph_page(hostile_run["graph"], tmp_path / "browser")  # drew, no errors
    assert check.ready and check.ready["nodes"] >= 8
    dom = subprocess.run([chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                          f"--user-data-dir={tmp_path / 'profile'}",
                          "--virtual-time-budget=2000", "--dump-dom",
                          hostile_run["graph"].as_uri()],
                         capture_output=True, text=True, timeout=180).stdout
    assert "mz-bar" in dom  # the page's own script ran
    assert "<svg" not in dom.lower()


def test_markdown_has_no_raw_html_and_no_script_links(hostile_run: dict) -> None:
    mistune = pytest.importorskip("mistune")  # a renderer that passes raw HTML through
    documents = list(hostile_run["out"].rglob("*.md"))
    assert len(documents) >= 5
    for document in documents:
        text = document.read_text(encoding="utf-8")
        rendered = mistune.html(text)
        assert not re.search(r"<\s*(script|img|iframe|svg)", rendered, re.I), document
        links = re.findall(r'<a href="([^"]*)"', rendered)  # only our own links to specs
        assert all(re.fullmatch(r"[A-Za-z0-9_-]+\.md", link) for link in links), links
        # every fence that opens is closed by a fence of the same length
        fences = re.findall(r"^\s*(`{3,})", text, re.M)
        assert len(fences) % 2 == 0, document


def test_every_csv_cell_is_safe_in_a_spreadsheet(hostile_run: dict) -> None:
    out = hostile_run["out"]
    jira = out / "jira"
    exported = _modernize("export", "jira", out, "--out", jira, env=_environment(None),
                          cwd=hostile_run["base"])
    assert exported.returncode == 0, exported.stderr
    sheets = [out / "review.csv", out / "traceability.csv", *jira.glob("*.csv")]
    assert len(sheets) == 3
    seen = set()
    for sheet in sheets:
        with sheet.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        for row in rows:
            for cell in row:
                seen.add(cell)
                if cell.startswith(FORMULA_START):
                    assert re.fullmatch(r"[+-]?\d+(\.\d+)?", cell), (sheet.name, cell)
    assert any(cell.startswith("'=HYPERLINK") for cell in seen)  # the attack was there


def test_a_second_run_reuses_the_review_of_neutralised_cells(hostile_run: dict,
                                                             tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(
        (hostile_run["out"] / "review.csv").read_text(encoding="utf-8"))))
    assert any(r["title"].startswith("'") for r in rows)
    assert all(csv_uncell(csv_cell(r["title"])) == csv_uncell(r["title"]) for r in rows)


# --------------------------------------------------------------------------- the pieces


def test_copy_outside_the_estate_is_refused_at_the_statement(tmp_path: Path) -> None:
    from modernize.analysis.cobol import CopybookResolver, Preprocessor

    root = tmp_path / "estate"
    (root / "copy").mkdir(parents=True)
    outside = tmp_path / "outside.cpy"
    outside.write_text("       01  STOLEN PIC X.\n")
    (root / "copy/LINKED.cpy").symlink_to(outside)
    (root / "copy/GOOD.cpy").write_text("       01  GOOD-ITEM PIC X.\n")
    source = ("       IDENTIFICATION DIVISION.\n       PROGRAM-ID. P.\n"
              "       DATA DIVISION.\n       WORKING-STORAGE SECTION.\n"
              '       COPY "/etc/passwd".\n'
              '       COPY "../outside.cpy".\n'
              "       COPY LINKED.\n"
              "       COPY GOOD.\n")
    pre = Preprocessor(root, CopybookResolver(root, [root / "copy"]))
    result = pre.run(root / "P.cbl", source)
    refused = [d for d in result.diagnostics if d.code == "copybook-outside"]
    assert [d.line for d in refused] == [5, 6, 7]
    assert "STOLEN" not in result.text() and "GOOD-ITEM" in result.text()


def test_names_are_safe_unique_and_keep_plain_cobol_names() -> None:
    assert safe_stem("TRANVAL") == "TRANVAL" and module_name("TRAN-VAL") == "tran_val"
    for hostile in ("../../ESCAPED", XSS_NAME, "a/b", "..", "", "x" * 500, "C:\\x", "é"):
        stem = safe_stem(hostile)
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,60}", stem), stem
        assert module_name(hostile).isidentifier()
    assert safe_stem("A/B") != safe_stem("A_B")
    assert module_name("TYPES") == "p_types" and module_name("CLASS") == "p_class"
    stems = spec_stems([("cobol:PAY", "PAY"), ("cobol:PAY@b.cbl", "PAY"), ("cobol:pay", "pay")])
    assert len({s.lower() for s in stems.values()}) == 3 and stems["cobol:PAY"] == "PAY"


def test_writes_outside_the_output_folder_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "link").symlink_to(tmp_path)
    for bad in ("../x", "/etc/x", "link/x", "a/../../x", "."):
        with pytest.raises(OutsideOutputError):
            write_inside(out, bad, "no")
    assert inside(out, "specs/A.md") == (out / "specs/A.md").resolve()
    assert write_inside(out, "specs/A.md", "yes").read_text() == "yes"
    assert not (tmp_path / "x").exists()


def test_an_unwritable_out_is_a_clear_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from modernize.cli import main

    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(main, ["analyze", str(tmp_path), "--out", str(blocker / "o")])
    assert result.exit_code == 1 and "Error:" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_read_only_out_as_root_is_a_clear_error(tmp_path: Path) -> None:
    """A folder on a read-only mount: root cannot write there either (a bind mount made
    read-only in a mount namespace of the test's own)."""
    if os.geteuid() != 0 or not require_tool("unshare"):
        pytest.skip("needs root and unshare for a read-only mount")
    repo = _one_program_repo(tmp_path)
    out = tmp_path / "ro"
    out.mkdir()
    script = (f"mount --bind {out} {out} && mount -o remount,bind,ro {out} && "
              f"exec {sys.executable} -m modernize.cli run {repo} --out {out}")
    done = subprocess.run(["unshare", "--mount", "sh", "-c", script], capture_output=True,
                          text=True, timeout=300, env=_environment(None))
    if "mount:" in done.stderr:
        pytest.skip(f"no read-only bind mount here: {done.stderr.strip()}")
    assert done.returncode == 1, done.stderr
    assert "cannot write to --out" in done.stderr and "Traceback" not in done.stderr


def test_a_read_only_file_system_out_is_a_clear_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from modernize.cli import main

    result = CliRunner().invoke(main, ["analyze", str(tmp_path), "--out", "/proc/modernize"])
    assert result.exit_code == 1 and "cannot" in result.output and "Traceback" not in \
        result.output


def test_a_second_writer_waits_then_refuses(tmp_path: Path) -> None:
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\nfrom modernize.core.outputs import OutputLock\n"
        f"with OutputLock({str(out)!r}):\n    print('held', flush=True)\n    time.sleep(30)\n")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(OutputDirError, match="another modernize run"), \
                OutputLock(out, wait_s=0.5):
            pass
        assert time.monotonic() - started < 5
    finally:
        holder.kill()
        holder.wait()
    with OutputLock(out, wait_s=5):  # the kernel dropped the killed holder's lock
        pass


def test_two_runs_on_one_out_never_corrupt_it(tmp_path: Path) -> None:
    repo = _one_program_repo(tmp_path)
    out = tmp_path / "out"
    env = _environment(None)
    results: list[subprocess.CompletedProcess[str]] = []

    def analyse() -> None:
        results.append(_modernize("run", repo, "--out", out, "--no-validate", env=env,
                                  cwd=tmp_path, timeout=300))

    threads = [threading.Thread(target=analyse) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    assert all("Traceback" not in r.stderr for r in results)
    with sqlite3.connect(out / "model.sqlite") as db:
        assert db.execute("SELECT name FROM programs").fetchall() == [("P",)]
    assert not list(out.rglob("*.tmp")) and not list(out.rglob(".staging-*"))
    assert (out / "code/p.py").is_file() and (out / "specs/P.md").is_file()


@pytest.mark.parametrize("damage", [b"", b"not a database at all" * 50])
def test_an_empty_or_corrupt_model_sqlite_is_rebuilt(tmp_path: Path, damage: bytes) -> None:
    repo = _one_program_repo(tmp_path)
    out = tmp_path / "out"
    env = _environment(None)
    assert _modernize("analyze", repo, "--out", out, env=env, cwd=tmp_path).returncode == 0
    (out / "model.sqlite").write_bytes(damage)
    again = _modernize("analyze", repo, "--out", out, env=env, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    with sqlite3.connect(out / "model.sqlite") as db:
        assert db.execute("SELECT name FROM programs").fetchall() == [("P",)]


def test_escaping_helpers() -> None:
    assert "<" not in md_text("<script>x</script>") and "\n" not in md_text("a\nb")
    assert md_text("[a](javascript:x)").startswith("\\[a\\]")
    assert md_block("# h\n- x\n1. y").split("\n") == ["\\# h", "\\- x", "1\\. y"]
    assert md_code("a ` b") == "``a ` b``" and md_code("`x") == "`` `x ``"
    fence = md_fence("```\n<x>", "gherkin")
    assert fence[0] == "````gherkin" and fence[-1] == "````"
    assert "</" not in script_json(["</script>", "\u2028"]) and "\u2028" not in script_json(
        ["\u2028"], ensure_ascii=False)
    for formula in FORMULAS:
        safe = csv_cell(formula)
        assert isinstance(safe, str) and safe.startswith("'") and "\r" not in safe
        assert csv_uncell(safe) == formula.replace("\r", "\n")
    assert csv_cell("-12.5") == "-12.5" and csv_cell("+3") == "+3" and csv_cell(7) == 7


def test_model_index_takes_files_from_the_model(samples_estate) -> None:  # noqa: ANN001
    from modernize.documents.artifacts import Citation

    index = ModelIndex(samples_estate)
    program = samples_estate.program("TRANVAL")
    paragraph = program.paragraphs[1]
    good = Citation(id=paragraph.id, file=paragraph.file, line=paragraph.line)
    assert index.checked(good) == (good, [])
    for file, line in [("/proc/self/environ", paragraph.line), ("../../etc/passwd", 1)]:
        cited, problems = index.checked(Citation(id=paragraph.id, file=file, line=line))
        assert cited.file == paragraph.file and problems
    cited, problems = index.checked(Citation(id=paragraph.id, file=paragraph.file, line=99999))
    assert problems and "outside its lines" in problems[0]
    cited, problems = index.checked(Citation(id="cobol:NOPE", file="/etc/passwd", line=1))
    assert cited.file == NOT_IN_MODEL and problems


@pytest.fixture(scope="module")
def samples_estate():  # noqa: ANN201
    from modernize.analysis.analyze import analyze_repo

    return analyze_repo(Path(__file__).resolve().parent.parent / "legacy_samples")
