"""Business rules from the statement tree, checked against rules written by hand, and what
"verified" means: a rule's actions lie inside its own branch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modernize.analysis.analyze import analyze_repo
from modernize.analysis.graphs import analyze_estate
from modernize.core.model import Estate
from modernize.documents.artifacts import Rule
from modernize.documents.citations import ModelIndex, check_spec
from modernize.documents.rules import branch_rules
from modernize.documents.specs import program_spec
from modernize.documents.wording import Vocabulary, paragraph_words

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = json.loads((ROOT / "tests/fixtures/expected_rules.json").read_text())


@pytest.fixture(scope="module")
def samples() -> Estate:
    return analyze_repo(ROOT / "legacy_samples")


def _key(rule: Rule) -> tuple[int | None, str]:
    return rule.decision_line, rule.branch


def _matches(expected: str, actual: str) -> bool:
    return actual.startswith(expected[:-1].rstrip()) if expected.endswith("…") \
        else actual == expected


@pytest.mark.parametrize("name", ["TRANSORT", "POSTTRAN"])
def test_rules_match_the_ones_written_by_hand(samples: Estate, name: str) -> None:
    program = samples.program(name)
    assert program is not None
    rules, errors, _ = branch_rules(program, samples)
    expected = EXPECTED[name]
    assert len(rules) == len(expected["rules"]), [(_key(r), r.condition) for r in rules]
    by_id = {r.id: r for r in rules}
    for want, got in zip(expected["rules"], rules, strict=True):
        assert (got.paragraph, got.decision_line, got.branch) == (
            want["paragraph"], want["line"], want["branch"]), got.id
        assert got.condition == want["condition"], got.id
        actions = [(a.line, a.text) for a in got.actions]
        assert [line for line, _ in actions] == [line for line, _ in want["actions"]], got.id
        for (_, text), (_, wanted) in zip(actions, want["actions"], strict=True):
            assert _matches(wanted, text), (got.id, text, wanted)
        if "parent" in want:
            parent = by_id[got.parent or ""]
            assert list(_key(parent)) == want["parent"], got.id
        else:
            assert got.parent is None, got.id
    assert sorted(list(_key(r)) for r in errors) == sorted(expected["error_handling"])


def test_no_rule_lists_a_statement_from_after_its_branch(samples: Estate) -> None:
    """POSTTRAN's MOVE WS-NEW-BALANCE TO ACCT-BALANCE (line 303) follows END-EVALUATE: it is
    in no WHEN's rule; literals are kept; a PERFORM names and summarises its paragraph."""
    program = samples.program("POSTTRAN")
    assert program is not None
    rules, _, _ = branch_rules(program, samples)
    assert all(a.line != 303 for r in rules for a in r.actions)
    over = next(r for r in rules if r.decision_line == 287)
    assert over.action.startswith("MOVE 'OVER LIMIT' TO WS-POST-REMARK")
    perform = next(a for r in rules for a in r.actions if a.text == "PERFORM 4000-WRITE-SUSPENSE")
    assert perform.words.startswith("write suspense (4000-WRITE-SUSPENSE): ")


def _spec_rules(samples: Estate, name: str) -> tuple[ModelIndex, list[Rule]]:
    program = samples.program(name)
    assert program is not None
    spec = program_spec(program, samples, analyze_estate(samples))
    index = ModelIndex(samples)
    return index, list(check_spec(spec, index).rules)


def test_every_generated_rule_of_the_samples_is_verified(samples: Estate) -> None:
    index = ModelIndex(samples)
    analysis = analyze_estate(samples)
    for program in samples.programs:
        spec = check_spec(program_spec(program, samples, analysis), index)
        for rule in (*spec.rules, *spec.error_handling):
            assert rule.verified, (rule.id, rule.unverified_reason)


def test_swapping_then_and_else_actions_fails_the_verified_check(samples: Estate) -> None:
    index, rules = _spec_rules(samples, "POSTTRAN")
    then = next(r for r in rules if (r.decision_line, r.branch) == (403, "THEN"))
    otherwise = next(r for r in rules if (r.decision_line, r.branch) == (403, "ELSE"))
    swapped = [then.model_copy(update={"actions": otherwise.actions}),
               otherwise.model_copy(update={"actions": then.actions})]
    for rule in swapped:
        problems = index.rule_problems(rule)
        assert any("lies outside the" in p for p in problems), problems


def test_a_rule_naming_the_wrong_branch_or_decision_is_unverified(samples: Estate) -> None:
    index, rules = _spec_rules(samples, "TRANSORT")
    then = next(r for r in rules if (r.decision_line, r.branch) == (89, "THEN"))
    assert index.rule_problems(then) == []
    assert any("but it is THEN" in p for p in
               index.rule_problems(then.model_copy(update={"branch": "ELSE"})))
    assert any("not in the model" in p for p in
               index.rule_problems(then.model_copy(update={"decision_line": 90})))


def test_a_swapped_rule_is_unverified_in_traceability(samples: Estate, tmp_path: Path) -> None:
    from modernize.documents.factory import build, write

    analysis = analyze_estate(samples)
    artifacts = build(samples, analysis)
    spec = next(s for s in artifacts.specs if s.program == "cobol:POSTTRAN")
    then = next(r for r in spec.rules if (r.decision_line, r.branch) == (403, "THEN"))
    otherwise = next(r for r in spec.rules if (r.decision_line, r.branch) == (403, "ELSE"))
    swapped = tuple(r.model_copy(update={"actions": otherwise.actions}) if r is then else
                    r.model_copy(update={"actions": then.actions}) if r is otherwise else r
                    for r in spec.rules)
    index = ModelIndex(samples)
    broken = check_spec(spec.model_copy(update={"rules": swapped}), index)
    specs = tuple(broken if s is spec else s for s in artifacts.specs)
    write(type(artifacts)(specs, artifacts.estate, artifacts.backlog), samples, tmp_path)
    rows = [line.split(",") for line in (tmp_path / "traceability.csv").read_text().splitlines()]
    marked = {row[2].split("#", 1)[1]: row[-1] for row in rows[1:] if "POSTTRAN" in row[2]}
    assert marked[then.id] == "unverified" and marked[otherwise.id] == "unverified"
    assert "yes" in marked.values()  # the others stay verified


def test_business_wording(samples: Estate) -> None:
    program = samples.program("POSTTRAN")
    assert program is not None
    words = Vocabulary(program)
    assert words.name("ACCT-CLOSED") == "the account status is closed"
    assert words.name("PT-TRAN-AMT") == "transaction amount"
    assert words.name("WS-SUSP-NOT-FOUND") == "the suspense reason is not found"
    assert paragraph_words("2000-ASSESS-ACCOUNT") == "assess account"
    assert words.condition(["WS-NEW-BALANCE", ">", "ACCT-CREDIT-LIMIT"]) == \
        "new balance is greater than account credit limit"
    assert words.statement("MOVE", ["'OVER LIMIT'", "TO", "WS-POST-REMARK"]) == \
        "set post remark to 'OVER LIMIT'"
    _, _, glossary = branch_rules(program, samples)
    assert ("transaction amount", "PT-TRAN-AMT") in glossary


def test_file_status_checks_are_one_error_handling_section(samples: Estate) -> None:
    program = samples.program("POSTTRAN")
    assert program is not None
    spec = program_spec(program, samples, analyze_estate(samples))
    statuses = {f.file_status for f in program.files if f.file_status}
    assert statuses and not any(name in r.condition for r in spec.rules for name in statuses)
    assert {r.decision_line for r in spec.error_handling} == {177, 187, 196, 255}
