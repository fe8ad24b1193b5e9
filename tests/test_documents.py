"""Specs and backlog from the samples: traced, checked, reviewable, written whole."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from modernize.analysis.run import analyze_into
from modernize.documents.artifacts import Citation, Rule
from modernize.documents.citations import ModelIndex
from modernize.documents.factory import build, load_backlog, write

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    run = analyze_into(ROOT / "legacy_samples", tmp_path_factory.mktemp("docs"))
    return run.estate, run.analysis


@pytest.fixture(scope="module")
def artifacts(analysed):
    return build(*analysed)


def test_every_program_gets_a_spec_and_a_story(analysed, artifacts, tmp_path):
    estate, _ = analysed
    names = write(artifacts, estate, tmp_path)
    for program in estate.programs:
        assert f"specs/{program.name}.md" in names and f"specs/{program.name}.html" in names
    assert {s.id for s in artifacts.backlog.stories} == {f"story:{p.name}"
                                                         for p in estate.programs}
    backlog = load_backlog(tmp_path)
    assert backlog == artifacts.backlog
    assert all(story.criteria and story.tests for story in backlog.stories
               if story.id != "story:DATEVAL" or story.criteria)


def test_a_reviewer_can_follow_each_rule_to_its_source_lines(analysed, artifacts, tmp_path):
    estate, _ = analysed
    write(artifacts, estate, tmp_path)
    page = (tmp_path / "specs/POSTTRAN.html").read_text()
    spec = next(s for s in artifacts.specs if s.program == "cobol:POSTTRAN")
    anchors = set(re.findall(r'id="(src-[^"]+)"', page))
    source = (ROOT / "legacy_samples/cobol/POSTTRAN.cbl").read_text().split("\n")
    for rule in spec.rules:
        assert f'id="{rule.id}"' in page
        for citation in rule.citations:
            assert f'href="#src-{citation.file}-{citation.line}"' in page
            assert f"src-{citation.file}-{citation.line}" in anchors
        # the cited line is the statement that decides: its IF, EVALUATE, READ …
        first = rule.citations[0]
        if first.file == spec.citations[0].file:
            words = source[first.line - 1][7:72].split()
            assert words and words[0] == rule.decision.split()[0], (rule.id, words)
            assert first.line == rule.decision_line


def test_traceability_links_source_to_test_case(analysed, artifacts, tmp_path):
    estate, _ = analysed
    write(artifacts, estate, tmp_path)
    with (tmp_path / "traceability.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    rules = [r for s in artifacts.specs for r in s.rules]
    assert len(rows) == sum(len(r.citations) for r in rules)
    for row in rows:
        assert row["source element"].startswith("cobol:") and re.search(r":\d+", row[
            "source lines"])
        assert row["story"] and row["criterion"] and row["test case"]


def test_citations_that_do_not_hold_are_marked_unverified(analysed, artifacts, tmp_path):
    estate, _ = analysed
    index = ModelIndex(estate)
    para = estate.program("POSTTRAN").paragraph("3000-APPLY-TRAN")
    good = Rule(id="rule:x/1", title="t", paragraph=para.key, condition="c", action="a",
                data_items=("ACCT-BALANCE",),
                citations=(Citation(id=para.id, file=para.file, line=para.line),))
    assert index.rule_problems(good) == []
    invented = good.model_copy(update={"citations": (Citation(
        id="cobol:POSTTRAN/para:9999-NO-SUCH", file=para.file, line=para.line),)})
    assert "not in the model" in index.rule_problems(invented)[0]
    stranger = good.model_copy(update={"data_items": ("CARD-NUMBER",)})
    assert "neither read nor write" in index.rule_problems(stranger)[0]
    outside = good.model_copy(update={"citations": (Citation(id=para.id, file=para.file,
                                                             line=1),)})
    assert "outside its lines" in index.rule_problems(outside)[0]
    # an unverified rule says so in every document it appears in
    spec = next(s for s in artifacts.specs if s.program == "cobol:POSTTRAN")
    marked = stranger.model_copy(update={"verified": False, "unverified_reason": "x"})
    changed = type(artifacts)(tuple(s if s is not spec else spec.model_copy(
        update={"rules": (marked,)}) for s in artifacts.specs), artifacts.estate,
        artifacts.backlog)
    write(changed, estate, tmp_path)
    assert "unverified" in (tmp_path / "specs/POSTTRAN.md").read_text()
    assert "unverified" in (tmp_path / "specs/POSTTRAN.html").read_text()


def test_review_keeps_approvals_of_unchanged_items_and_flags_changed_ones(analysed, artifacts,
                                                                         tmp_path):
    estate, _ = analysed
    write(artifacts, estate, tmp_path)
    review = tmp_path / "review.csv"
    rows = list(csv.DictReader(review.open()))
    first, second = rows[0]["id"], rows[1]["id"]
    for row in rows[:2]:
        row.update(status="approved", reviewer="mjones", comment="matches the code")
    with review.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    spec = artifacts.specs[0]
    rule = spec.rules[1]
    assert rule.id == second
    edited = spec.model_copy(update={"rules": (spec.rules[0], rule.model_copy(
        update={"action": "MOVE 'Y' TO WS-CHANGED"}), *spec.rules[2:])})
    changed = type(artifacts)((edited, *artifacts.specs[1:]), artifacts.estate,
                              artifacts.backlog)
    write(changed, estate, tmp_path)
    after = {row["id"]: row for row in csv.DictReader(review.open())}
    assert (after[first]["status"], after[first]["reviewer"]) == ("approved", "mjones")
    assert after[second]["status"] == "in review"
    report = (tmp_path / "review-changes.md").read_text()
    assert second in report and "MOVE 'Y' TO WS-CHANGED" in report


def test_a_failure_while_writing_leaves_nothing_half_written(analysed, artifacts, tmp_path,
                                                             monkeypatch):
    estate, _ = analysed
    from modernize.documents import render as documents

    real = documents.DocumentWriter.write
    calls = []

    def failing(self, name, text):
        calls.append(name)
        if len(calls) == 5:
            raise OSError("disk full")
        return real(self, name, text)

    monkeypatch.setattr(documents.DocumentWriter, "write", failing)
    with pytest.raises(OSError):
        write(artifacts, estate, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_whole_thread_from_the_command_line(plain_run, samples_copy, tmp_path):
    """The session's plain ``modernize run`` of the samples, then runs again on a copy of
    its folder."""
    from click.testing import CliRunner

    from modernize.cli import main

    runner = CliRunner()
    done = json.loads((plain_run.parent / "run.json").read_text(encoding="utf-8"))
    printed = done["stdout"] + done["stderr"]
    assert done["returncode"] == 0, printed
    assert "10 program specs" in printed and (plain_run / "specs/POSTTRAN.html").is_file()
    assert "embedded static generator" in printed
    assert "TRANVAL: tranval.py, 134/134 statements (100%)" in printed
    if shutil.which("cobc"):  # the main job also validates the translations
        report = json.loads((plain_run / "validation/validation.json").read_text())
        assert all(p["equivalent"] == p["scenarios"] >= 20
                   for p in report["programs"].values())
    out = tmp_path / "out"
    shutil.copytree(plain_run, out)
    again = runner.invoke(main, ["run", str(samples_copy), "--out", str(out),
                                 "--no-validate"])
    assert "10 generations, 10 from the cache" in again.output  # no new work
    quiet = runner.invoke(main, ["run", str(samples_copy), "--out", str(out),
                                 "--quiet", "--no-validate"])
    assert quiet.exit_code == 0 and quiet.output == ""  # quiet means quiet
    jira = runner.invoke(main, ["export", "jira", str(out), "--out", str(tmp_path / "jira")])
    assert jira.exit_code == 0, jira.output
    header = (tmp_path / "jira/jira-import.csv").read_text().split("\n", 1)[0]
    assert header.startswith("Issue ID,Parent,Issue Type,Summary,Description,Labels")
    missing = runner.invoke(main, ["export", "jira", str(tmp_path / "nothing"), "--out",
                                   str(tmp_path / "j2")])
    assert missing.exit_code == 1 and "modernize backlog" in missing.output
