"""Jira export: the importer's CSV, REST v3 bulk payloads in ADF, re-import without duplicates."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from modernize.documents.artifacts import Backlog, Citation, Criterion, Epic, Story, TestCase
from modernize.documents.jira import (
    BULK_LIMIT,
    CSV_FILE,
    MAP_FILE,
    TEXT_LIMIT,
    UPDATE_FILE,
    JiraExportError,
    export_jira,
    record_created,
    resolve_parents,
    validate_adf,
    validate_bulk_payload,
    validate_update_payload,
    write_jira_map,
)

WHERE = re.compile(r"[\w./-]+\.(?:cbl|cpy|jcl):\d+")


def cite(model_id: str, file: str, line: int, end: int | None = None) -> Citation:
    return Citation(id=model_id, file=file, line=line, end_line=end)


def story(name: str, epic: str, rules: list[tuple[str, str, str, int]], *,
          verified: bool = True) -> Story:
    """A story like the embedded generator's: a criterion and a test case per rule."""
    path = f"legacy_samples/cobol/{name.lower()}.cbl"
    criteria, tests = [], []
    for rule, condition, action, line in rules:
        source = cite(f"cobol:{name}/para:{rule}", path, line, line + 6)
        criteria.append(Criterion(
            id=f"criterion:{name}:{rule}", given=f"the condition {condition} holds",
            when=f"paragraph {rule} runs", then=f"the program does: {action}",
            citations=(source,), verified=verified,
            unverified_reason=None if verified else "cites cobol:ACCTINQ/para:NOPE, not in "
                                                    "the model"))
        tests.append(TestCase(
            id=f"test:{name}:{rule}", criterion=f"criterion:{name}:{rule}",
            title=f"{name}: {rule.lower()}",
            steps=(f"Prepare input so that {condition}", f"Run {name}",
                   "Compare the output with the expected result"),
            data=f"Records where {condition}, and records where it does not hold",
            expected=f"When true: {action}.", citations=(source,), verified=verified,
            unverified_reason=None if verified else "its criterion failed the citation check"))
    return Story(
        id=f"story:{name}", epic=epic, title=f"Keep {name}'s behaviour",
        as_a="an operations analyst running the batch cycle",
        i_want=f"{name} to keep doing what it does today",
        so_that="the modernized system gives the same results as the legacy one",
        criteria=tuple(criteria), tests=tuple(tests),
        citations=(cite(f"cobol:{name}", path, 1, 240),), verified=verified,
        unverified_reason=None if verified else "some of its rules failed the citation check")


@pytest.fixture
def backlog() -> Backlog:
    payjob = Epic(id="epic:job:PAYJOB", title="Job PAYJOB",
                  description="The programs job PAYJOB (jcl/payjob.jcl) runs: PAYCALC, PAYRPT.",
                  citations=(cite("jcl:PAYJOB", "legacy_samples/jcl/payjob.jcl", 1, 30),))
    online = Epic(id="epic:online", title="Online transactions",
                  description="CICS programs users work with on screens.",
                  citations=(cite("cobol:ACCTINQ", "legacy_samples/cobol/acctinq.cbl", 1),))
    return Backlog(epics=(payjob, online), stories=(
        story("PAYCALC", payjob.id, [("2100-CALC-GROSS", "HOURS-WORKED > 40",
                                      "add overtime at 1.5 times the rate", 120),
                                     ("2200-CALC-TAX", "GROSS-PAY > TAX-LIMIT",
                                      "apply the upper tax band", 160)]),
        story("PAYRPT", payjob.id, [("3000-PRINT-TOTALS", "END-OF-FILE",
                                     "print the department totals, commas, \"quotes\"", 88)]),
        story("ACCTINQ", online.id, [("1000-READ-ACCOUNT", "ACCT-NOT-FOUND",
                                      "send the 'account not found' map", 64)],
              verified=False)))


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str | list[str]]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    out: list[dict[str, str | list[str]]] = []
    for row in rows[1:]:
        assert len(row) == len(header)
        record: dict[str, str | list[str]] = {"Labels": []}
        for name, value in zip(header, row, strict=True):
            if name == "Labels":
                record["Labels"] = [*record["Labels"], value] if value else record["Labels"]
            else:
                record[name] = value
        out.append(record)
    return header, out


def payloads(paths) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in paths]


def test_csv_follows_the_importer_columns_order_and_parents(backlog, tmp_path):
    result = export_jira(backlog, tmp_path, labels=("modernize", "payroll"), subtasks=True)
    header, rows = read_csv(result.csv_path)
    # two base labels, the id label and the unverified label: one Labels column each
    assert header == ["Issue ID", "Parent", "Issue Type", "Summary", "Description",
                      "Labels", "Labels", "Labels", "Labels", "Acceptance Criteria",
                      "Modernize ID"]
    types = [r["Issue Type"] for r in rows]
    assert types == ["Epic"] * 2 + ["Story"] * 3 + ["Subtask"] * 4
    assert (result.epics, result.stories, result.subtasks) == (2, 3, 4)
    assert [r["Issue ID"] for r in rows] == [str(n) for n in range(1, 10)]
    assert [r["Modernize ID"] for r in rows] == [
        "epic:job:PAYJOB", "epic:online", "story:PAYCALC", "story:PAYRPT", "story:ACCTINQ",
        "test:PAYCALC:2100-CALC-GROSS", "test:PAYCALC:2200-CALC-TAX",
        "test:PAYRPT:3000-PRINT-TOTALS", "test:ACCTINQ:1000-READ-ACCOUNT"]
    by_number = {r["Issue ID"]: r for r in rows}
    parent_type = {"Epic": None, "Story": "Epic", "Subtask": "Story"}
    parent_of = {s.id: s.epic for s in backlog.stories}
    parent_of.update({t.id: s.id for s in backlog.stories for t in s.tests})
    for row in rows:
        expected = parent_type[row["Issue Type"]]
        if expected is None:
            assert row["Parent"] == ""
            continue
        assert int(row["Parent"]) < int(row["Issue ID"])  # parents come first
        parent = by_number[row["Parent"]]
        assert parent["Issue Type"] == expected
        assert parent["Modernize ID"] == parent_of[row["Modernize ID"]]
    for row in rows:
        assert WHERE.search(row["Description"]), row["Modernize ID"]  # traced to source lines
        assert row["Labels"][:3] == ["modernize", "payroll", f"modernize-id:{row['Modernize ID']}"]
        unverified = "ACCTINQ" in row["Modernize ID"]
        assert ("unverified" in row["Description"]) is unverified
        assert row["Summary"].startswith("[unverified]") is unverified
        assert ("modernize-unverified" in row["Labels"]) is unverified
    paycalc = by_number["3"]
    assert "Given the condition HOURS-WORKED > 40 holds" in paycalc["Acceptance Criteria"]
    assert "payroll/" not in paycalc["Acceptance Criteria"]
    assert "paycalc.cbl:120-126" in paycalc["Acceptance Criteria"]
    assert "unverified" in by_number["5"]["Acceptance Criteria"]
    assert 'commas, "quotes"' in by_number["8"]["Description"]  # quoting survives the CSV


def test_bulk_payloads_are_valid_adf_and_carry_the_stable_id(backlog, tmp_path):
    result = export_jira(backlog, tmp_path, project_key="PAY", criteria_field="customfield_10099",
                         subtasks=True)
    bodies = payloads(result.bulk_paths)
    assert [p.name for p in result.bulk_paths] == ["jira-bulk-001.json", "jira-bulk-002.json",
                                                  "jira-bulk-003.json"]
    assert [{e["fields"]["issuetype"]["name"] for e in b["issueUpdates"]} for b in bodies] == [
        {"Epic"}, {"Story"}, {"Subtask"}]  # one level per request, parents first
    entries = [e for b in bodies for e in b["issueUpdates"]]
    assert len(entries) == result.created == 9
    for body in bodies:
        assert validate_bulk_payload(body) == []
    for entry in entries:
        fields = entry["fields"]
        stable = entry["properties"][0]["value"]["id"]
        assert entry["properties"][0]["key"] == "modernize"
        assert fields["project"] == {"key": "PAY"}
        assert f"modernize-id:{stable}" in fields["labels"]
        assert validate_adf(fields["description"]) == []
        assert WHERE.search(json.dumps(fields["description"]))
        if fields["issuetype"]["name"] != "Epic":  # parents by placeholder: none in Jira yet
            assert fields["parent"]["key"].startswith("modernize-id:")
    stories = [e["fields"] for e in bodies[1]["issueUpdates"]]
    assert all(validate_adf(f["customfield_10099"]) == [] for f in stories)
    gherkin = json.dumps(stories[0]["customfield_10099"])
    assert "codeBlock" in gherkin and "When paragraph 2100-CALC-GROSS runs" in gherkin
    acctinq = next(e["fields"] for e in entries if "ACCTINQ" in e["fields"]["summary"]
                   and e["fields"]["issuetype"]["name"] == "Story")
    assert "unverified" in json.dumps(acctinq["description"]).lower()
    assert json.loads(result.update_path.read_text())["updates"] == []


def test_a_big_backlog_splits_into_requests_of_at_most_50(tmp_path):
    epics = tuple(Epic(id=f"epic:{n}", title=f"Epic {n}", description="A subsystem.",
                       citations=(cite(f"jcl:J{n}", f"jcl/j{n}.jcl", 1),)) for n in range(3))
    rules = [("1000-MAIN", "X > 0", "add one", 10), ("2000-END", "EOF", "close the files", 40)]
    stories = tuple(story(f"PGM{n:03d}", f"epic:{n % 3}", rules) for n in range(39))
    result = export_jira(Backlog(epics=epics, stories=stories), tmp_path, subtasks=True)
    assert (result.epics, result.stories, result.subtasks) == (3, 39, 78)  # 120 issues
    sizes = [len(b["issueUpdates"]) for b in payloads(result.bulk_paths)]
    assert sizes == [3, 39, 50, 28] and max(sizes) <= BULK_LIMIT
    assert all(validate_bulk_payload(b) == [] for b in payloads(result.bulk_paths))
    plain = export_jira(Backlog(epics=epics, stories=stories), tmp_path / "plain")
    assert [len(b["issueUpdates"]) for b in payloads(plain.bulk_paths)] == [3, 39]


def test_validators_catch_what_jira_would_reject():
    good = {"type": "doc", "version": 1, "content": [
        {"type": "heading", "attrs": {"level": 3}, "content": [{"type": "text", "text": "T"}]},
        {"type": "paragraph", "content": [
            {"type": "text", "text": "a", "marks": [{"type": "strong"}]}, {"type": "hardBreak"},
            {"type": "text", "text": "b"}]},
        {"type": "bulletList", "content": [{"type": "listItem", "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": "x"}]}]}]},
        {"type": "codeBlock", "attrs": {"language": "gherkin"},
         "content": [{"type": "text", "text": "Given a\nWhen b"}]}]}
    assert validate_adf(good) == []
    assert validate_adf({"type": "doc", "content": []}) == ["doc: version must be 1"]
    bad = [{"type": "table", "content": []},
           {"type": "heading", "content": [{"type": "text", "text": "no level"}]},
           {"type": "paragraph", "content": [{"type": "text", "text": ""}]},
           {"type": "paragraph", "content": [{"type": "text", "text": "a\nb"}]},
           {"type": "paragraph", "content": [{"type": "text", "text": "a",
                                              "marks": [{"type": "em"}]}]},
           {"type": "bulletList", "content": [{"type": "paragraph", "content": []}]},
           {"type": "codeBlock", "content": [{"type": "hardBreak"}]}]
    for node in bad:
        assert validate_adf({"type": "doc", "version": 1, "content": [node]}), node

    def issue(**fields):
        base = {"project": {"key": "MOD"}, "issuetype": {"name": "Story"}, "summary": "S",
                "description": good, "labels": ["modernize"]}
        return {"fields": {**base, **fields}}

    assert validate_bulk_payload({"issueUpdates": [issue()]}) == []
    assert validate_bulk_payload({"issueUpdates": [issue()] * 51})
    assert validate_bulk_payload({"issueUpdates": [issue(summary="x" * 256)]})
    assert validate_bulk_payload({"issueUpdates": [issue(summary="")]})
    assert validate_bulk_payload({"issueUpdates": [issue(labels=["two words"])]})
    assert validate_bulk_payload({"issueUpdates": [issue(issuetype={"name": "Subtask"})]})
    assert validate_bulk_payload({"issueUpdates": [issue(description={"type": "doc"})]})
    no_project = issue()
    del no_project["fields"]["project"]
    assert validate_bulk_payload({"issueUpdates": [no_project]})
    assert validate_bulk_payload({"issueUpdates": []})
    assert validate_update_payload({"updates": [{"key": "MOD-1", "modernize_id": "a",
                                                 "body": issue()}]})  # project in an edit


def simulate_import(result, jira_map: Path, first_key: int = 1) -> dict[str, str]:
    """What the person running the import does: send the bulk files in order, each with its
    placeholders resolved, and record the keys Jira answers with."""
    number = first_key
    for path in result.bulk_paths:
        known = json.loads(jira_map.read_text()) if jira_map.exists() else {}
        body = resolve_parents(json.loads(path.read_text()), known)
        assert validate_bulk_payload(body) == []
        assert "modernize-id:" not in json.dumps([e["fields"].get("parent")
                                                  for e in body["issueUpdates"]])
        issues = []
        for _ in body["issueUpdates"]:
            issues.append({"id": str(10000 + number), "key": f"MOD-{number}"})
            number += 1
        write_jira_map(jira_map, record_created(body, {"issues": issues, "errors": []}))
    return json.loads(jira_map.read_text())


def test_a_re_export_updates_mapped_issues_and_creates_only_new_ones(backlog, tmp_path):
    first = export_jira(backlog, tmp_path, subtasks=True)
    mapping = simulate_import(first, tmp_path / MAP_FILE)
    assert len(mapping) == 9 and mapping["epic:job:PAYJOB"] == "MOD-1"
    with pytest.raises(JiraExportError, match="no Jira key yet"):
        resolve_parents(json.loads(first.bulk_paths[1].read_text()), {})

    paycalc, payrpt, acctinq = backlog.stories
    extra_rule = [("4000-AUDIT", "AUDIT-FLAG = 'Y'", "write the audit record", 200)]
    newer = Backlog(epics=backlog.epics, stories=(
        paycalc, acctinq, story("PAYAUDIT", "epic:job:PAYJOB", extra_rule)))  # PAYRPT removed
    second = export_jira(newer, tmp_path, subtasks=True)
    assert (second.created, second.updated) == (2, 7)
    assert second.orphaned == ("story:PAYRPT", "test:PAYRPT:3000-PRINT-TOTALS")
    assert sorted(p.name for p in tmp_path.glob("jira-bulk-*.json")) == [
        "jira-bulk-001.json", "jira-bulk-002.json"]  # the earlier third file is gone
    created = [e for b in payloads(second.bulk_paths) for e in b["issueUpdates"]]
    ids = [e["properties"][0]["value"]["id"] for e in created]
    assert ids == ["story:PAYAUDIT", "test:PAYAUDIT:4000-AUDIT"]
    assert created[0]["fields"]["parent"] == {"key": "MOD-1"}  # epic known: its real key
    assert created[1]["fields"]["parent"] == {"key": "modernize-id:story:PAYAUDIT"}

    updates = json.loads(second.update_path.read_text())
    assert updates["method"] == "PUT" and updates["path"] == "/rest/api/3/issue/{key}"
    assert validate_update_payload(updates) == []
    keyed = {u["modernize_id"]: u for u in updates["updates"]}
    assert set(keyed) == set(mapping) - {"story:PAYRPT", "test:PAYRPT:3000-PRINT-TOTALS"}
    for stable, update in keyed.items():
        assert update["key"] == mapping[stable]
        fields = update["body"]["fields"]
        assert "project" not in fields and "issuetype" not in fields
        assert validate_adf(fields["description"]) == []
    assert keyed["story:PAYCALC"]["body"]["fields"]["parent"] == {"key": "MOD-1"}

    mapping = simulate_import(second, tmp_path / MAP_FILE, first_key=10)
    third = export_jira(newer, tmp_path, subtasks=True)
    assert (third.created, third.updated, third.bulk_paths) == (0, 9, ())
    assert not list(tmp_path.glob("jira-bulk-*.json"))


def test_record_created_skips_failed_elements(backlog, tmp_path):
    result = export_jira(backlog, tmp_path)
    body = json.loads(result.bulk_paths[1].read_text())  # three stories
    answer = {"issues": [{"key": "MOD-7"}, {"key": "MOD-8"}],
              "errors": [{"failedElementNumber": 1, "status": 400}]}
    assert record_created(body, answer) == {"story:PAYCALC": "MOD-7", "story:ACCTINQ": "MOD-8"}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("fail_at", [1, 3, 5])
def test_a_failed_write_leaves_the_folder_as_it_was(backlog, tmp_path, monkeypatch, fail_at):
    export_jira(backlog, tmp_path, subtasks=True)
    before = snapshot(tmp_path)
    real = Path.write_text
    calls = {"n": 0}

    def failing(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == fail_at:
            real(self, "half a fi", encoding="utf-8")  # the disk fills up mid-file
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", failing)
    changed = backlog.model_copy(update={"stories": backlog.stories[:1]})
    with pytest.raises(OSError, match="No space"):
        export_jira(changed, tmp_path, project_key="NEW", subtasks=True)
    assert snapshot(tmp_path) == before

    fresh = tmp_path / "fresh"
    calls["n"] = 0
    with pytest.raises(OSError):
        export_jira(backlog, fresh, subtasks=True)
    assert list(fresh.iterdir()) == []


def test_bad_input_is_refused_before_anything_is_written(backlog, tmp_path):
    twice = backlog.model_copy(update={"stories": backlog.stories + backlog.stories[:1]})
    with pytest.raises(JiraExportError, match="two backlog items"):
        export_jira(twice, tmp_path)
    with pytest.raises(JiraExportError, match="criteria field"):
        export_jira(backlog, tmp_path, criteria_field="summary")
    (tmp_path / MAP_FILE).write_text("{not json")
    with pytest.raises(JiraExportError, match="not readable JSON"):
        export_jira(backlog, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [MAP_FILE]
    assert not (tmp_path / CSV_FILE).exists() and not (tmp_path / UPDATE_FILE).exists()


def test_uncited_items_borrow_their_parents_sources_and_loose_stories_have_no_parent(tmp_path):
    bare = story("PAYFIX", "epic:missing", [("1000-FIX", "X = 1", "fix it", 30)])
    uncited = bare.tests[0].model_copy(update={"citations": ()})
    backlog = Backlog(stories=(bare.model_copy(update={"tests": (uncited,)}),))
    result = export_jira(backlog, tmp_path, subtasks=True)
    _, rows = read_csv(result.csv_path)
    assert [(r["Issue Type"], r["Parent"]) for r in rows] == [("Story", ""), ("Subtask", "1")]
    assert "Sources (those of criterion:PAYFIX:1000-FIX):" in rows[1]["Description"]
    assert "payfix.cbl:30-36" in rows[1]["Description"]
    story_fields = payloads(result.bulk_paths)[0]["issueUpdates"][0]["fields"]
    assert "parent" not in story_fields

    empty = export_jira(Backlog(), tmp_path / "empty")
    assert (empty.created, empty.bulk_paths) == (0, ())
    assert read_csv(empty.csv_path)[1] == []


def adf_text(node) -> str:
    """The text of an ADF document, a line per text node."""
    if isinstance(node, dict):
        return "\n".join(filter(None, [node.get("text", ""),
                                       *(adf_text(c) for c in node.get("content", []))]))
    return ""


def test_by_default_the_criteria_are_in_the_story_and_there_are_no_subtasks(backlog, tmp_path):
    result = export_jira(backlog, tmp_path)
    _, rows = read_csv(result.csv_path)
    assert [r["Issue Type"] for r in rows] == ["Epic"] * 2 + ["Story"] * 3
    assert (result.epics, result.stories, result.subtasks, result.created) == (2, 3, 0, 5)
    bodies = payloads(result.bulk_paths)
    assert [{e["fields"]["issuetype"]["name"] for e in b["issueUpdates"]} for b in bodies] == [
        {"Epic"}, {"Story"}]
    rest = {e["properties"][0]["value"]["id"]: e["fields"] for e in bodies[1]["issueUpdates"]}
    by_id = {r["Modernize ID"]: r for r in rows}
    for story in backlog.stories:
        text = by_id[story.id]["Description"]
        # the statement, then the criteria, then the story's own sources
        assert text.index(story.statement) < text.index("Acceptance criteria:") \
            < text.index("Sources:\n")
        count = len(story.tests)
        assert f"{count} test case{'s' if count > 1 else ''} in the backlog" in text
        assert "--subtasks" in text
        fields = rest[story.id]
        assert validate_adf(fields["description"]) == []
        described, field = adf_text(fields["description"]), adf_text(fields["customfield_10020"])
        assert "Acceptance criteria" in described
        for criterion in story.criteria:
            where = criterion.citations[0].where
            for place in (text, by_id[story.id]["Acceptance Criteria"], described, field):
                assert criterion.gherkin in place and f"Criterion {criterion.id}" in place
                assert where in place  # each criterion keeps its sources
    acctinq = by_id["story:ACCTINQ"]["Description"]
    assert "Criterion criterion:ACCTINQ:1000-READ-ACCOUNT (unverified:" in acctinq


def test_no_criteria_field_when_none_is_named(backlog, tmp_path):
    result = export_jira(backlog, tmp_path, criteria_field="")
    for body in payloads(result.bulk_paths):
        for entry in body["issueUpdates"]:
            assert not [k for k in entry["fields"] if k.startswith("customfield_")]
    story = payloads(result.bulk_paths)[1]["issueUpdates"][0]["fields"]
    assert "Given the condition HOURS-WORKED > 40 holds" in adf_text(story["description"])
    mapping = simulate_import(result, tmp_path / MAP_FILE)
    again = export_jira(backlog, tmp_path, criteria_field=None)
    updates = json.loads(again.update_path.read_text())["updates"]
    assert len(updates) == len(mapping) == 5
    assert all("customfield_10020" not in u["body"]["fields"] for u in updates)


def test_switching_to_subtasks_and_back_keeps_the_map_working(backlog, tmp_path):
    jira_map = tmp_path / MAP_FILE
    plain = export_jira(backlog, tmp_path)
    mapping = simulate_import(plain, jira_map)
    assert sorted(mapping) == sorted([e.id for e in backlog.epics]
                                     + [s.id for s in backlog.stories])

    tasks = export_jira(backlog, tmp_path, subtasks=True)
    assert (tasks.created, tasks.updated, tasks.subtasks) == (4, 5, 4)
    (body,) = payloads(tasks.bulk_paths)  # only the sub-tasks are new
    parents = {e["properties"][0]["value"]["id"]: e["fields"]["parent"]["key"]
               for e in body["issueUpdates"]}
    assert parents == {t.id: mapping[s.id] for s in backlog.stories for t in s.tests}
    mapping = simulate_import(tasks, jira_map, first_key=100)
    assert len(mapping) == 9

    back = export_jira(backlog, tmp_path)  # the sub-tasks stay in Jira, left alone
    assert (back.created, back.updated, back.bulk_paths, back.orphaned) == (0, 5, (), ())
    assert back.left_alone == tuple(sorted(t.id for s in backlog.stories for t in s.tests))
    updated = {u["modernize_id"] for u in json.loads(back.update_path.read_text())["updates"]}
    assert updated == {e.id for e in backlog.epics} | {s.id for s in backlog.stories}
    gone = Backlog(epics=backlog.epics, stories=backlog.stories[:2])
    fewer = export_jira(gone, tmp_path)
    assert fewer.orphaned == ("story:ACCTINQ", "test:ACCTINQ:1000-READ-ACCOUNT")
    assert "test:ACCTINQ:1000-READ-ACCOUNT" not in fewer.left_alone


def long_story(count: int, sources: int) -> Story:
    """A story with ``count`` criteria of about 200 characters, each citing ``sources``
    source lines."""
    path = "cobol/bigpgm.cbl"
    criteria = tuple(Criterion(
        id=f"criterion:BIGPGM/P{n:04d}/1", given=f"the condition WS-CODE-{n:04d} = 'X' holds",
        when=f"paragraph P{n:04d} runs",
        then="the program does: " + "MOVE 'A LONG LITERAL VALUE' TO WS-OUT; " * 3,
        citations=tuple(cite(f"cobol:BIGPGM/para:P{n:04d}", path, 10 * n + k)
                        for k in range(sources)))
        for n in range(count))
    return Story(id="story:BIGPGM", epic="epic:x", title="Keep BIGPGM's behaviour", as_a="a",
                 i_want="b", so_that="c", criteria=criteria,
                 citations=(cite("cobol:BIGPGM", path, 1, 9999),))


def test_criteria_too_long_for_a_jira_text_field_drop_sources_then_criteria(tmp_path, caplog):
    sourced = long_story(80, sources=30)  # with every source ~150 KB, without ~22 KB
    result = export_jira(Backlog(stories=(sourced,)), tmp_path / "a")
    (row,) = read_csv(result.csv_path)[1]
    for text in (row["Description"], row["Acceptance Criteria"]):
        assert len(text) <= TEXT_LIMIT
        assert all(c.gherkin in text for c in sourced.criteria)  # every criterion, no sources
        assert "cobol/bigpgm.cbl:11" not in text.split("Sources:\n")[0]

    huge = long_story(400, sources=1)  # ~100 KB even without sources
    with caplog.at_level("WARNING", logger="modernize.documents.jira"):
        result = export_jira(Backlog(stories=(huge,)), tmp_path / "b")
    (row,) = read_csv(result.csv_path)[1]
    fields = payloads(result.bulk_paths)[0]["issueUpdates"][0]["fields"]
    assert validate_bulk_payload(payloads(result.bulk_paths)[0]) == []
    for text in (row["Description"], row["Acceptance Criteria"]):
        assert len(text) <= TEXT_LIMIT
        kept = sum(c.gherkin in text for c in huge.criteria)
        assert 100 < kept < 400 and huge.criteria[0].gherkin in text
        assert f"{400 - kept} more criteria do not fit Jira's 32767-character limit" in text
        assert "backlog/backlog.md under story:BIGPGM" in text
    assert len(adf_text(fields["description"])) <= TEXT_LIMIT
    assert "do not fit a Jira text field" in caplog.text
