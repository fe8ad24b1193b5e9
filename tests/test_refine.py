"""The LLM refactoring pass against the scripted OpenAI server, through the real SDK.

PRICER is a tiny COBOL batch program written here: it reads order lines from a LINE SEQUENTIAL
file (DD ORDERSIN), prices each one with COMPUTE ROUNDED, writes the priced lines (DD PRICEOUT)
and DISPLAYs the count and the total. The legacy harness builds it with GnuCOBOL; DETERMINISTIC
is a hand translation of it onto ``modernize.runtime`` that stands in for the translator's
output. The model's proposals are judged by the real checks: codecheck, then the equivalence
run of the proposal in the sandbox against the COBOL program on four scenarios.

The runtime has no file support yet, so the translation opens its DD files (by name, in the run
folder) with ``io.FileIO``; the tests allow the ``io`` import for that, as the translator will
pass its own ``allowed_imports``.
"""

from __future__ import annotations

import hashlib
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import require_tool
from fake_openai import FakeOpenAI, Received, Reply, answer

import modernize.refine as refine_code
from modernize.codecheck import DEFAULT_ALLOWED, check_module
from modernize.harness import Build, Scenario, build
from modernize.llm import Ledger
from modernize.llm.openai_provider import OpenAIProvider
from modernize.model import Program
from modernize.refine import (
    Attempt,
    Check,
    RefineError,
    Refinement,
    equivalence_check,
    refine_module,
)
from modernize.run import analyze_into
from modernize.store import load_analysis

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

import io
import sys
from decimal import Decimal

from modernize.runtime import AlphanumericField, NumericField, add, compute

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
'''

PRICE_LINE = '''

def price_line(priced: io.FileIO) -> None:
    """1000-PRICE: price one order line and write it.

    Source: cobol:PRICER/para:1000-PRICE PRICER.cbl:39-44
    """
    PR_CODE.set(OR_CODE)
    compute(PR_AMOUNT, lambda: OR_QTY.get() * OR_PRICE.get() * Decimal("0.95"), rounded=True,
            on_size_error=False)
    add(WS_TOTAL, PR_AMOUNT, on_size_error=False)
    add(WS_COUNT, 1, on_size_error=False)
    priced.write(bytes(PRICED_REC).rstrip(b" ") + b"\\n")
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
    with io.FileIO("ORDERSIN", "r") as orders, io.FileIO("PRICEOUT", "w") as priced:
        records = orders.readall().splitlines()
        index = 0
        while WS_EOF.get() != "Y":
            if index >= len(records):
                WS_EOF.set("Y")
            else:
                ORDER_REC[:] = records[index][:12].ljust(12)
                index += 1
                price_line(priced)
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
    width = len(ORDER_REC)
    with io.FileIO("ORDERSIN", "r") as orders, io.FileIO("PRICEOUT", "w") as priced:
        for order_line in orders.readall().splitlines():
            ORDER_REC[:] = order_line[:width].ljust(width)
            price_line(priced)
        WS_EOF.set("Y")
    lines_read = WS_COUNT.raw.decode("latin-1")
    whole, cents = WS_TOTAL.raw[:7].decode("latin-1"), WS_TOTAL.raw[7:].decode("latin-1")
    sys.stdout.write(f"LINES {lines_read} TOTAL {whole}.{cents}\\n")
    return 0
''' + PRICE_LINE + FOOTER

ALLOWED = DEFAULT_ALLOWED | {"io"}
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
                         ledger=ledger, check=check, allowed_imports=ALLOWED, **options)


def never_run(source: str) -> str | None:
    raise AssertionError("the equivalence run was started for a proposal the static checks "
                         "should have refused")


# --------------------------------------------------------------------------- the reference


def test_the_hand_translation_passes_codecheck_and_cites_the_paragraphs(
        pricer: tuple[Build, Program]) -> None:
    _, program = pricer
    report = check_module(DETERMINISTIC, allowed_imports=ALLOWED)
    assert report.ok, report.describe()
    for function, stated in report.provenance.items():
        [source] = stated
        paragraph = next(p for p in program.paragraphs if p.id == source.model_id)
        assert (paragraph.file, paragraph.line, paragraph.end_line) == (
            source.path, source.first_line, source.last_line), function
    for text in (IDIOMATIC, TRUNCATES, COUNTS_FROM_ONE, DROPS_A_DIGIT):
        assert check_module(text, allowed_imports=ALLOWED).ok


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
    renamed = variant(PRICE_LINE.strip("\n") + "\n", "priced: io.FileIO", "output: io.FileIO")
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
    with pytest.raises(RefineError, match="forbidden-import"):
        refine_module("PRICER", DETERMINISTIC, spec="", provider=make_provider(server),
                      ledger=None, check=never_run)  # io is not allowed by default
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
    loops = variant(IDIOMATIC, '        WS_EOF.set("Y")\n',
                    '        while WS_EOF.get() != "Y":\n            pass\n')
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
    from modernize.refine import Proposal

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
