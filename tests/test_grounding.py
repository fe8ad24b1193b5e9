"""Model text grounded: every COBOL name a model writes must exist where its item cites, or the
item is marked unverified everywhere it shows; item ids come from the model, never from the
model's text (issue 11, part 4)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_openai import FakeOpenAI, answer

from modernize.analysis.run import analyze_into
from modernize.cli import main
from modernize.documents.artifacts import Citation, EstateSpec, ProgramSpec, Rule, Traced
from modernize.documents.grounding import Grounding, cobol_names
from modernize.documents.render import (
    DuplicateIdError,
    estate_html,
    estate_markdown,
    merge_review,
)
from modernize.documents.specs import program_spec

ROOT = Path(__file__).resolve().parent.parent
KEY = "sk-test-grounding-0000"
STATIC_EPICS = {"epic:online", "epic:shared", "epic:job:HFCSDLY1", "epic:job:HFCSWKM1"}
GOOD = "TRANVAL"  # the program the scripted model describes truthfully


# --------------------------------------------------------------------------- the name finder


@pytest.mark.parametrize(("text", "names"), [
    ("MOVE WS-TOTAL-AMT TO ws-out, then 2000-POST-TRAN", ["WS-TOTAL-AMT", "2000-POST-TRAN"]),
    ("POSTTRAN calls DATEVAL; ID and A1 are too short", ["POSTTRAN", "DATEVAL"]),
    ("MOVE 'OVER LIMIT' TO WS-REMARK", ["WS-REMARK"]),
    ("DISPLAY \"GHOST-NAME\" or ‘CURLY-NAME’ or “CURLY-TWO”", []),
    ("POSTTRAN's output goes to TRANVAL's input", ["POSTTRAN", "TRANVAL"]),
    ("cobol:POSTTRAN/para:9999-GHOST in ACCTREC.cpy", ["POSTTRAN", "9999-GHOST", "ACCTREC"]),
    ("WS-A--WS-B, _WS-EMPH_ and -WS-DASHED-", ["WS-A", "WS-B", "WS-EMPH", "WS-DASHED"]),
    ("WS-X and WS-X again", ["WS-X"]),
    ("ACCT_ID and HOST_VAR are SQL names", []),
    ("PIC S9(7)V99, PICTURE IS X(10), a 9V99 amount, X(8) text", []),
])
def test_names_are_words_shaped_like_cobol_names(text, names):
    assert cobol_names(text) == names


@pytest.mark.parametrize("text", [
    "The batch program reads the end-of-file switch, read-only, step-by-step",
    "It MUST NOT run TODAY; NOTE: CICS, VSAM, KSDS, JCL and DB2 are involved",
    "It reaches END-OF-FILE within 24-HOUR windows",
])
def test_english_words_are_not_names(text):
    assert cobol_names(text) == []


def test_an_english_word_the_estate_uses_as_a_name_is_a_name():
    assert cobol_names("the BALANCE and the MASTER") == []
    assert cobol_names("the BALANCE and the MASTER", {"BALANCE"}) == ["BALANCE"]


@pytest.mark.parametrize("text", [
    "MOVE HIGH-VALUES TO X; PERFORM UNTIL END-OF-PAGE; GOBACK",
    "MOVE FUNCTION CURRENT-DATE TO X; RETURN-CODE is 16; COMP-3 PACKED-DECIMAL",
    "IF DFHRESP(NOTFND) or EIBCALEN = 0 or SQLCODE = 100 or SQLCA, EXEC CICS XCTL",
    "SELECT COUNT FROM WHERE; DISP=SHR, DSN, SYSOUT; PF3 and PA1 pressed",
])
def test_reserved_words_are_never_names(text):
    assert cobol_names(text) == []
    assert cobol_names(text, {"DISPLAY", "MOVE", "HIGH-VALUES", "SELECT"}) == []


# --------------------------------------------------------------------------- the estate's names


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    run = analyze_into(ROOT / "legacy_samples", tmp_path_factory.mktemp("grounding"))
    return run.estate, run.analysis, Grounding(run.estate)


def _cite(element) -> list[Citation]:  # noqa: ANN001
    return [Citation(id=element.id, file=getattr(element, "file", None) or element.path,
                     line=getattr(element, "line", 1))]


def test_the_static_purposes_are_grounded(samples):
    """No false alarm on text written from the model itself: every static purpose names
    only what its program has (files, DD names, jobs, steps, callers)."""
    estate, analysis, grounding = samples
    for program in estate.programs:
        spec = program_spec(program, estate, analysis)
        assert grounding.problems([spec.purpose], spec.citations) == [], spec.purpose


def test_a_paragraph_grounds_what_it_uses_and_nothing_else(samples):
    estate, _, grounding = samples
    posttran = estate.program("POSTTRAN")
    cited = _cite(posttran.paragraph("3000-APPLY-TRAN"))
    grounded = ("When ACCT-CLOSED (ACCT-STATUS of ACCT-MASTER-REC) it PERFORMs "
                "4000-WRITE-SUSPENSE; else it adds PT-TRAN-AMT to WS-NEW-BALANCE and, over "
                "ACCT-CREDIT-LIMIT, moves 'OVER LIMIT' to WS-POST-REMARK. POSTTRAN reads TRANIN "
                "(copybook TRANREC) in job HFCSDLY1 step STEP030, after TRANVAL.")
    assert grounding.problems([grounded], cited) == []
    problems = grounding.problems(
        ["It counts WS-MAST-READ, reads CARDIN, runs in HFCSWKM1 and calls 7777-PHANTOM "
         "and GHOSTPGM"], cited)
    assert problems == [
        "names 7777-PHANTOM, GHOSTPGM, which are not in the model",
        "names WS-MAST-READ (a data item of POSTTRAN), CARDIN (a file of CARDXTR, a DD of job "
        "HFCSWKM1), HFCSWKM1 (a JCL job), outside what it cites"]
    # the program as a whole has WS-MAST-READ; another program has not
    assert grounding.problems(["It counts WS-MAST-READ"], _cite(posttran)) == []
    tranval = estate.program("TRANVAL")
    assert grounding.problems(["It counts WS-MAST-READ"], _cite(tranval)) == [
        "names WS-MAST-READ (a data item of POSTTRAN), outside what it cites"]


def test_a_data_item_grounds_its_groups_and_members(samples):
    estate, _, grounding = samples
    posttran = estate.program("POSTTRAN")
    totals = posttran.data_item("WS-RUN-TOTALS")
    assert grounding.problems(["WS-RUN-TOTALS holds WS-MAST-READ"], _cite(totals)) == []
    assert grounding.problems(["WS-POST-REMARK"], _cite(totals)) == [
        "names WS-POST-REMARK (a data item of POSTTRAN), outside what it cites"]


def test_an_uncited_item_grounds_only_the_estate_programs(samples):
    _, _, grounding = samples
    nowhere = [Citation(id="cobol:POSTTRAN/para:9999-GHOST", file="x", line=1)]
    assert grounding.problems(["POSTTRAN and DATEVAL"], nowhere) == []
    assert grounding.problems(["WS-NEW-BALANCE"], nowhere) == [
        "names WS-NEW-BALANCE (a data item of INTCALC, a data item of POSTTRAN), outside what "
        "it cites"]


def test_a_long_list_of_inventions_is_cut_short(samples):
    _, _, grounding = samples
    text = " ".join(f"WS-GHOST-{n:02d}" for n in range(1, 13))
    problems = grounding.problems([text], [])
    assert problems == ["names WS-GHOST-01, WS-GHOST-02, WS-GHOST-03, WS-GHOST-04, WS-GHOST-05, "
                        "WS-GHOST-06, WS-GHOST-07, WS-GHOST-08, WS-GHOST-09, WS-GHOST-10 and 2 "
                        "more, which are not in the model"]


# --------------------------------------------------------------------------- the documents


def _spec(name: str, purpose: str, reason: str | None) -> ProgramSpec:
    return ProgramSpec(id=f"spec:{name}", program=f"cobol:{name}", title=f"{name} specification",
                       purpose=purpose, kind="batch", purpose_unverified_reason=reason,
                       generated_by="model m (p)")


def test_the_estate_page_marks_an_unverified_purpose():
    estate = EstateSpec(id="spec:estate", title="Estate", summary="Two programs.")
    specs = [_spec("GOODPGM", "Posts the day.", None),
             _spec("BADPGM", "Calls GHOST.", "names GHOST <script>x</script>, not in the model")]
    page = estate_markdown(estate, specs)
    good, bad = (next(line for line in page.splitlines() if line.startswith(f"| [{name}]"))
                 for name in ("GOODPGM", "BADPGM"))
    assert "unverified" not in good
    assert "Calls GHOST. **unverified**: names GHOST &lt;script&gt;" in bad
    assert "written by model m (p)" in page  # the page says who wrote the purposes
    html = estate_html(estate, specs)
    row = next(line for line in html.splitlines() if ">BADPGM<" in line)
    assert "<span class=unverified>unverified: names GHOST &lt;script&gt;" in row
    assert "<script>" not in html
    assert "unverified" not in next(line for line in html.splitlines() if ">GOODPGM<" in line)


def test_review_refuses_duplicate_ids(tmp_path):
    one = Traced(id="rule:P/A/1", citations=())
    two = Rule(id="rule:P/A/1", title="other", paragraph="A", condition="c", action="a")
    with pytest.raises(DuplicateIdError, match="rule:P/A/1"):
        merge_review(tmp_path / "review.csv", [("rule", "one", one), ("rule", "two", two)], {})
    text, _ = merge_review(tmp_path / "review.csv", [
        ("rule", "one", one), ("rule", "two", two.model_copy(update={"id": "rule:P/A/2"}))], {})
    rows = list(csv.DictReader(text.splitlines()))
    assert [r["id"] for r in rows] == ["rule:P/A/1", "rule:P/A/2"]
    assert rows[0]["content_hash"] != rows[1]["content_hash"]


# --------------------------------------------------------------------------- a nonsense model


def _user(body: dict) -> str:
    return next(m["content"] for m in body["messages"] if m["role"] == "user")


def nonsense_model(body: dict):
    """Schema-valid inventions for every program but TRANVAL, the truth for TRANVAL.

    Inventions: purposes naming a program and a paragraph that do not exist (and, for other
    programs, POSTTRAN's WS-POST-REMARK); rules citing a real paragraph whose titles name data
    items it does not use, all with one id that is another program's static id; backlog items
    naming invented items, with the same ids for every program and a static epic's id."""
    user = _user(body)
    program = re.search(r"(?:Program|Scope): (\S+)", user).group(1)
    good = program == GOOD
    if "Describe the purpose" in user:
        return answer({"purpose": (
            "TRANVAL reads the day's transactions from TRANIN, checks each one (dates through "
            "DATEVAL), writes the good ones to TRANOUT and the rejects to TRANERR. It runs in "
            "job HFCSDLY1, step STEP010.") if good else (
            f"{program} hands each record to GHOSTPGM, which performs 7777-PHANTOM-POST and "
            "fills WS-POST-REMARK.")})
    if "Write the epics" in user:
        return answer(_backlog(json.loads(user[user.index("["):user.rindex("]") + 1])[0], good))
    context = json.loads(user[user.index("{"):user.rindex("}") + 1])
    if good:
        rules = []
        for entry in context["paragraphs"]:  # the truth: one branch, its first statement
            for branch in entry["branches"]:
                first = branch["lines"][0]
                writes = [n for s in entry["statements"] if s["line"] == first
                          for n in s["writes"]]
                if writes and len(rules) < 2:
                    rules.append({
                        "id": "rule:whatever/1", "title": f"{entry['key']} sets {writes[0]}",
                        "paragraph": entry["key"], "condition": "always",
                        "action": f"MOVE to {writes[0]}", "data_items": [writes[0]],
                        "citations": [{"id": entry["id"], "file": entry["file"],
                                       "line": branch["decision_line"]}],
                        "decision_line": branch["decision_line"], "branch": branch["branch"],
                        "action_lines": [first]})
        return answer({"rules": rules})
    first = context["paragraphs"][0]
    cite = [{"id": first["id"], "file": first["file"], "line": first["line"]}]
    return answer({"rules": [
        {"id": "rule:TRANVAL/0000-MAINLINE/1", "title": "Reject when WS-POST-REMARK exceeds "
         "WS-PHANTOM-AMT", "paragraph": first["key"], "condition": "WS-PHANTOM-AMT > 0",
         "action": "PERFORM 8888-NOWHERE", "data_items": [], "citations": cite},
        {"id": "rule:TRANVAL/0000-MAINLINE/1", "title": "Again WS-PHANTOM-AMT",
         "paragraph": first["key"], "condition": "always", "action": "nothing",
         "data_items": [], "citations": cite}]})


def _backlog(spec: dict, good: bool) -> dict:
    rules = spec["rules"] or []
    cites = rules[0]["citations"] if rules else []
    name = spec["program"]
    if good:
        criteria = [{"id": f"c{n}", "given": r["condition"], "when": f"{r['paragraph']} runs",
                     "then": r["action"], "citations": r["citations"]}
                    for n, r in enumerate(rules)]
        tests = [{"id": f"t{n}", "title": f"Check {r['paragraph']}", "criterion": f"c{n}",
                  "steps": ["Prepare one record in TRANIN", "Run TRANVAL"], "data": "one record",
                  "expected": r["action"], "citations": r["citations"]}
                 for n, r in enumerate(rules)]
        story = {"id": "story:x", "epic": spec["epic"]["id"], "title": "Keep TRANVAL",
                 "as_a": "an operations analyst", "i_want": "TRANVAL to check TRANIN",
                 "so_that": "only good transactions reach TRANOUT", "criteria": criteria,
                 "tests": tests, "citations": cites}
    else:
        criteria = [{"id": "criterion:DUP", "given": "WS-GHOST-FLAG is 'Y'",
                     "when": f"{name} runs 8888-NOWHERE", "then": "it stops",
                     "citations": r["citations"]} for r in rules]
        tests = [{"id": "test:DUP", "title": "Ghost test", "criterion": "criterion:DUP",
                  "steps": ["Load GHOSTFILE"], "data": "x", "expected": "y",
                  "citations": cites}]
        story = {"id": "story:TRANVAL", "epic": "epic:shared",
                 "title": f"Keep {name} in step with GHOSTPGM", "as_a": "an operator",
                 "i_want": "the same results", "so_that": "nothing breaks",
                 "criteria": criteria, "tests": tests, "citations": cites}
    return {"epics": [{"id": "epic:shared", "title": "GHOSTPGM epic", "description": "d",
                       "citations": cites}],
            "stories": [story]}


@pytest.fixture(scope="module")
def nonsense_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("nonsense") / "out"
    jira = out.parent / "jira"
    runner = CliRunner()
    with FakeOpenAI() as server, pytest.MonkeyPatch.context() as env:
        server.script(*([nonsense_model] * 600))
        env.setenv("OPENAI_BASE_URL", server.url)
        env.setenv("OPENAI_API_KEY", KEY)
        env.setenv("MODERNIZE_MODEL", "fake-model")
        result = runner.invoke(main, ["run", str(ROOT / "legacy_samples"), "--out", str(out),
                                      "--quiet", "--no-validate"])
        assert result.exit_code == 0, result.output
    exported = runner.invoke(main, ["export", "jira", str(out), "--out", str(jira)])
    assert exported.exit_code == 0, exported.output
    names = [p.split(":", 1)[1] for p in _program_ids(out)]
    return {"out": out, "jira": jira, "programs": names,
            "specs": json.loads((out / "specs/specs.json").read_text()),
            "backlog": json.loads((out / "backlog/backlog.json").read_text())}


def _program_ids(out: Path) -> list[str]:
    return [p["id"] for p in json.loads((out / "model.json").read_text())["programs"]]


def _bad(run: dict) -> list[str]:
    return [name for name in run["programs"] if name != GOOD]


def test_the_estate_page_marks_invented_purposes(nonsense_run):
    page = (nonsense_run["out"] / "specs/estate.md").read_text()
    rows = {line.split("](", 1)[0].removeprefix("| ["): line for line in page.splitlines()
            if line.startswith("| [")}
    assert set(rows) == set(nonsense_run["programs"])
    for name in _bad(nonsense_run):
        assert "**unverified**: names GHOSTPGM, 7777-PHANTOM-POST, which are not in the model" \
            in rows[name], rows[name]
    assert "WS-POST-REMARK (a data item of POSTTRAN), outside what it cites" in rows["ACCTUPDT"]
    assert "WS-POST-REMARK" not in rows["POSTTRAN"].split("**unverified**")[1]  # its own item
    assert "unverified" not in rows[GOOD]
    html = (nonsense_run["out"] / "specs/estate.html").read_text()
    for name in nonsense_run["programs"]:
        row = next(line for line in html.splitlines() if f">{name}</a>" in line)
        assert ("<span class=unverified>unverified: names GHOSTPGM" in row) is (name != GOOD)


def test_the_specs_mark_invented_rules_and_keep_true_ones(nonsense_run):
    out = nonsense_run["out"]
    for name in nonsense_run["programs"]:
        page = (out / f"specs/{name}.md").read_text()
        headings = [line for line in page.splitlines() if line.startswith(f"### rule:{name}/")]
        assert headings, name
        html = (out / f"specs/{name}.html").read_text()
        if name == GOOD:
            assert not [h for h in headings if "unverified" in h], headings
            assert "unverified: names" not in html
            continue
        for heading in headings:
            assert "**unverified**" in heading and "WS-PHANTOM-AMT" in heading, heading
        assert "unverified: names" in html and "WS-PHANTOM-AMT" in html
    # a data item of another program, and one of another paragraph of the same program
    reasons = {s["program"]: s["rules"][0]["unverified_reason"] for s in nonsense_run["specs"]}
    no_branch = ("; names no decision_line and branch, so its actions cannot be checked "
                 "against the code")
    assert reasons["cobol:ACCTUPDT"] == (
        "names WS-PHANTOM-AMT, 8888-NOWHERE, which are not in the model; names WS-POST-REMARK "
        "(a data item of POSTTRAN), outside what it cites" + no_branch)
    assert reasons["cobol:POSTTRAN"] == (
        "names WS-PHANTOM-AMT, 8888-NOWHERE, which are not in the model; names WS-POST-REMARK "
        "(a data item of POSTTRAN), outside what it cites" + no_branch)


def test_ids_come_from_the_model_never_from_the_answers(nonsense_run):
    specs, backlog = nonsense_run["specs"], nonsense_run["backlog"]
    for spec in specs:
        name = spec["program"].split(":", 1)[1]
        ids = [r["id"] for r in spec["rules"]]
        assert all(i.startswith(f"rule:{name}/") for i in ids), ids
        assert len(ids) == len(set(ids))
    if_bad = {s["program"]: [r["id"] for r in s["rules"]] for s in specs}
    assert if_bad["cobol:POSTTRAN"][:2] == ["rule:POSTTRAN/0000-MAINLINE/1",
                                            "rule:POSTTRAN/0000-MAINLINE/2"]
    assert {e["id"] for e in backlog["epics"]} <= STATIC_EPICS
    assert not [e for e in backlog["epics"] if "GHOST" in e["title"]]
    assert sorted(s["id"] for s in backlog["stories"]) == sorted(
        f"story:{n}" for n in nonsense_run["programs"])
    for story in backlog["stories"]:
        name = story["id"].removeprefix("story:")
        rules = {r["id"].removeprefix("rule:") for s in specs if s["program"] == f"cobol:{name}"
                 for r in s["rules"]}
        criteria = [c["id"].removeprefix("criterion:") for c in story["criteria"]]
        assert criteria and set(criteria) <= rules, (criteria, rules)  # one per matched rule
        tests = story["tests"]
        assert all(t["criterion"] in {c["id"] for c in story["criteria"]} for t in tests)
        assert all(t["id"] == f"test:{t['criterion'].removeprefix('criterion:')}/1"
                   for t in tests)
    everything = json.dumps([specs, backlog])
    for invented in ('"criterion:DUP"', '"test:DUP"', "whatever", '"story:x"', '"c0"', '"t0"'):
        assert invented not in everything


def test_review_ids_are_unique_and_rows_distinct(nonsense_run):
    out = nonsense_run["out"]
    rows = list(csv.DictReader((out / "review.csv").open(encoding="utf-8")))
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) > 30
    hashes = [r["content_hash"] for r in rows]
    assert len(hashes) == len(set(hashes))
    # every row of an invented item is an item the documents mark unverified
    items = {r["id"]: r for s in nonsense_run["specs"] for r in s["rules"]}
    for story in nonsense_run["backlog"]["stories"]:
        items.update({story["id"]: story, **{c["id"]: c for c in story["criteria"]},
                      **{t["id"]: t for t in story["tests"]}})
    items.update({e["id"]: e for e in nonsense_run["backlog"]["epics"]})
    assert set(ids) == set(items)
    for row in rows:
        if row["kind"] == "epic":
            continue
        good = f":{GOOD}/" in row["id"] or row["id"] == f"story:{GOOD}"
        assert items[row["id"]]["verified"] is good, row


def test_the_backlog_marks_invented_stories_criteria_and_tests(nonsense_run):
    stories = {s["id"]: s for s in nonsense_run["backlog"]["stories"]}
    for name in _bad(nonsense_run):
        story = stories[f"story:{name}"]
        assert not story["verified"]
        for criterion in story["criteria"]:
            assert not criterion["verified"]
            assert "names WS-GHOST-FLAG, 8888-NOWHERE, which are not in the model" in \
                criterion["unverified_reason"]
        for test in story["tests"]:
            assert not test["verified"] and "GHOSTFILE" in test["unverified_reason"]
    good = stories[f"story:{GOOD}"]
    assert good["verified"] and good["tests"]
    assert all(c["verified"] for c in good["criteria"])
    assert all(t["verified"] for t in good["tests"])
    page = (nonsense_run["out"] / "backlog/backlog.md").read_text()
    assert "### Keep POSTTRAN in step with GHOSTPGM (story:POSTTRAN) **unverified**" in page
    assert f"### Keep {GOOD} (story:{GOOD})\n" in page
    assert "- criterion:POSTTRAN/0000-MAINLINE/1 **unverified**: names WS-GHOST-FLAG" in page


def test_the_jira_export_marks_invented_stories(nonsense_run):
    jira = nonsense_run["jira"]
    with (jira / "jira-import.csv").open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    head, rows = table[0], table[1:]
    summary, criteria, ident = (head.index(c) for c in ("Summary", "Acceptance Criteria",
                                                        "Modernize ID"))
    labels = [n for n, c in enumerate(head) if c == "Labels"]
    stories = {row[ident]: row for row in rows if row[ident].startswith("story:")}
    assert set(stories) == {f"story:{n}" for n in nonsense_run["programs"]}
    for story_id, row in stories.items():
        bad = story_id != f"story:{GOOD}"
        assert row[summary].startswith("[unverified]") is bad, row[summary]
        assert ("modernize-unverified" in [row[n] for n in labels]) is bad
        assert ("unverified: names WS-GHOST-FLAG" in row[criteria]) is bad
    payloads = [issue for path in sorted(jira.glob("jira-bulk-*.json"))
                for issue in json.loads(path.read_text())["issueUpdates"]]
    for issue in payloads:
        fields = issue["fields"]
        story_id = next((label.removeprefix("modernize-id:") for label in fields["labels"]
                         if label.startswith("modernize-id:story:")), None)
        if story_id is None:
            continue
        bad = story_id != f"story:{GOOD}"
        assert ("modernize-unverified" in fields["labels"]) is bad
        assert fields["summary"].startswith("[unverified]") is bad


def test_a_name_a_megabyte_long_is_reported_short(samples):
    _, _, grounding = samples
    [problem] = grounding.problems(["WS-" + "X" * 1_000_000], [])
    assert problem == f"names WS-{'X' * 36}…, which is not in the model"
