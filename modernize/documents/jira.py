"""The backlog as Jira issues: a CSV for Jira Cloud's importer and REST v3 payloads.

What becomes an issue: an epic per backlog epic and a story per backlog story. A story's
acceptance criteria are inside it, never issues of their own: a section of its description
(every criterion, in Gherkin, with its sources) and, when a criteria field is named, that field
too. Test cases become sub-tasks of their story only when asked (``subtasks=True``, ``modernize
export jira --subtasks``); by default there are none, and the story says how many test cases
the backlog holds. A description or criteria field longer than Jira's text limit (32,767
characters, counted on the plain text) drops the criteria's source lines first, then the last
criteria, and says how many are left out and where they are.

``export_jira`` writes, into one folder and all or nothing (temp names, then renames):

``jira-import.csv``
    For Jira Cloud's CSV importer (the external-system import, which keeps the issue hierarchy).
    Columns ``Issue ID, Parent, Issue Type, Summary, Description``, then ``Labels`` repeated once
    per label (how the importer takes a multi-value field), ``Acceptance Criteria`` (the Gherkin
    of a story's criteria; map it to a criteria field, or leave it: they are in the
    description) and ``Modernize ID`` (the stable id).
    ``Issue ID`` is the row number; ``Parent`` is the ``Issue ID`` of an earlier row. Rows go by
    level as Atlassian's "CSV import parent-child mapping" article asks: all epics, then all
    stories (grouped by epic), then the sub-tasks if any (grouped by story), so every parent
    comes before its children. The CSV is for a first import: it holds every item, always.

``jira-bulk-NNN.json``
    Bodies for ``POST /rest/api/3/issue/bulk``, at most 50 issues each, for the items Jira does
    not have yet. A file holds one level only and the files go epics, stories, sub-tasks, because
    a bulk request cannot point a parent at an issue created in the same request. A parent Jira
    already has is named by its key; one created by an earlier file of this export is named by
    the placeholder key ``modernize-id:<stable id>``, which ``resolve_parents`` replaces with the
    real key before the file is sent.

``jira-update.json``
    ``{"method": "PUT", "path": "/rest/api/3/issue/{key}", "updates": [{"key", "modernize_id",
    "body"}]}``: one edit body per item Jira already has (summary, description, labels, criteria
    field, and a story's epic). Sent after all the bulk files.

How a re-import updates instead of duplicating: every issue carries its stable id twice, as the
label ``modernize-id:<id>`` (searchable with JQL) and as the entity property ``modernize``
(``{"id": <id>}``). Whoever runs the import keeps ``jira-map.json`` beside these files (stable id
→ Jira key): after each bulk request, ``record_created`` turns the request and Jira's answer into
new map entries and ``write_jira_map`` saves them. The next export reads the map and emits
create payloads only for ids not in it, and update bodies for the ones in it. Ids in the map
that the backlog no longer has are reported (``JiraExport.orphaned``), never deleted in Jira;
test cases in the map that an export without sub-tasks leaves out are left alone in Jira
(``JiraExport.left_alone``), neither updated nor reported as orphans. The map works the same
in both modes: switching to ``--subtasks`` later creates the sub-tasks under the stories Jira
already has.
Lost the map? Each issue's ``modernize-id:`` label (or its ``modernize`` property) says which
item it is, so the map can be rebuilt from a search of the project.

The sending itself (HTTP, credentials) is not done here.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ..core.errors import ModernizeError
from ..core.escape import csv_row
from .artifacts import Backlog, Citation, Criterion, Epic, Story, TestCase, Traced

log = logging.getLogger(__name__)

CSV_FILE = "jira-import.csv"
UPDATE_FILE = "jira-update.json"
MAP_FILE = "jira-map.json"
BULK_PREFIX = "jira-bulk-"
BULK_LIMIT = 50  # issues per POST /rest/api/3/issue/bulk
SUMMARY_LIMIT = 255
TEXT_LIMIT = 32_767  # characters of a Jira text field (description, a multi-line custom field)
LABEL_LIMIT = 255
CITATION_LIMIT = 50  # sources listed in one description; the rest are counted
REF_PREFIX = "modernize-id:"  # label prefix, and placeholder parent key before resolution
UNVERIFIED_LABEL = "modernize-unverified"
PROPERTY_KEY = "modernize"
EPIC, STORY, SUBTASK = "Epic", "Story", "Subtask"
ISSUE_TYPES = (EPIC, STORY, SUBTASK)
CSV_HEAD = ("Issue ID", "Parent", "Issue Type", "Summary", "Description")
CSV_TAIL = ("Acceptance Criteria", "Modernize ID")
_RESERVED_FIELDS = {"project", "issuetype", "summary", "description", "labels", "parent"}
_BULK_NAME = re.compile(rf"{BULK_PREFIX}\d+\.json")


class JiraExportError(ModernizeError):
    """The backlog or the id map cannot be exported as given (duplicate ids, a bad map)."""


@dataclass(frozen=True)
class JiraExport:
    out_dir: Path
    csv_path: Path
    bulk_paths: tuple[Path, ...]
    update_path: Path
    epics: int
    stories: int
    subtasks: int
    created: int  # issues in the bulk-create files
    updated: int  # issues in the update file
    orphaned: tuple[str, ...] = ()  # ids in jira-map.json that the backlog no longer has
    left_alone: tuple[str, ...] = ()  # test ids in jira-map.json not exported (no sub-tasks)


class _Block(NamedTuple):
    """A piece of a description, rendered as ADF for REST and as plain text for the CSV."""

    kind: str  # paragraph, heading, bullets, numbered, code
    lines: tuple[str, ...]
    strong: bool = False


@dataclass(frozen=True)
class _Issue:
    id: str
    issue_type: str
    parent: str | None  # stable id of the parent issue
    summary: str
    description: tuple[_Block, ...]
    criteria: tuple[_Block, ...]
    labels: tuple[str, ...]


# --- export -----------------------------------------------------------------------------------


def export_jira(backlog: Backlog, out_dir: Path, *, project_key: str = "MOD",
                criteria_field: str | None = "customfield_10020",
                labels: Sequence[str] = ("modernize",),
                jira_map: Path | None = None, subtasks: bool = False) -> JiraExport:
    """Write the CSV, the bulk-create files and the update file for ``backlog`` into ``out_dir``.

    ``jira_map`` (default ``out_dir/jira-map.json``; missing means nothing is in Jira yet) maps
    stable ids to Jira keys. ``criteria_field`` must be a multi-line text field (it gets ADF);
    None or "" sets no field (the criteria are in the description either way). ``subtasks``
    makes each test case a sub-task of its story. Files of an earlier export that this one does
    not replace are removed, so a stale bulk file can never be sent twice. On any failure the
    folder is left as it was.
    """
    out_dir = Path(out_dir)
    if not re.fullmatch(r"[A-Z][A-Z0-9_]*", project_key):
        raise JiraExportError(f"project key {project_key!r} is not a Jira project key (e.g. MOD)")
    criteria_field = criteria_field or None
    if criteria_field is not None and (not re.fullmatch(r"[A-Za-z0-9_.-]+", criteria_field)
                                       or criteria_field in _RESERVED_FIELDS):
        raise JiraExportError(f"criteria field {criteria_field!r} must be a field id such as "
                              "customfield_10020, not one the export already sets")
    known = load_jira_map(jira_map or out_dir / MAP_FILE)
    issues = _plan(backlog, labels, subtasks=subtasks)
    ids = {issue.id for issue in issues}
    in_backlog = {item.id for item in _items(backlog)}
    orphaned = tuple(sorted(set(known) - in_backlog))
    for item_id in orphaned:
        log.warning("%s is in the Jira map as %s but no longer in the backlog: left alone in "
                    "Jira", item_id, known[item_id])
    left_alone = tuple(sorted(set(known) & in_backlog - ids))
    if left_alone:
        log.info("%d test case(s) are sub-tasks in Jira but this export has no sub-tasks: left "
                 "alone (export with sub-tasks to update them)", len(left_alone))

    creates = [i for i in issues if i.id not in known]
    payloads: list[dict[str, Any]] = []
    for level in ISSUE_TYPES:  # one level per file: parents exist before their children
        batch = [i for i in creates if i.issue_type == level]
        for start in range(0, len(batch), BULK_LIMIT):
            payloads.append({"issueUpdates": [
                _create_entry(i, project_key, criteria_field, known)
                for i in batch[start:start + BULK_LIMIT]]})
    updates = {"method": "PUT", "path": "/rest/api/3/issue/{key}", "updates": [
        {"key": known[i.id], "modernize_id": i.id,
         "body": {"fields": _fields(i, criteria_field, known, create=False)}}
        for i in issues if i.id in known]}

    problems = [f"{BULK_PREFIX}{n:03d}: {e}" for n, payload in enumerate(payloads, 1)
                for e in validate_bulk_payload(payload)]
    problems += [f"{UPDATE_FILE}: {e}" for e in validate_update_payload(updates)]
    if problems:
        raise JiraExportError("the Jira payloads are not valid: " + "; ".join(problems[:10]))

    files = {CSV_FILE: _csv_text(issues)}
    bulk_names = [f"{BULK_PREFIX}{n:03d}.json" for n in range(1, len(payloads) + 1)]
    files.update({name: _json(p) for name, p in zip(bulk_names, payloads, strict=True)})
    files[UPDATE_FILE] = _json(updates)
    out_dir.mkdir(parents=True, exist_ok=True)
    stale = [p for p in out_dir.iterdir() if _BULK_NAME.fullmatch(p.name) and p.name not in files]
    _write_all(out_dir, files, stale)

    counts = {t: sum(1 for i in issues if i.issue_type == t) for t in ISSUE_TYPES}
    result = JiraExport(out_dir=out_dir, csv_path=out_dir / CSV_FILE,
                        bulk_paths=tuple(out_dir / n for n in bulk_names),
                        update_path=out_dir / UPDATE_FILE, epics=counts[EPIC],
                        stories=counts[STORY], subtasks=counts[SUBTASK], created=len(creates),
                        updated=len(updates["updates"]), orphaned=orphaned,
                        left_alone=left_alone)
    log.info("Jira export in %s: %d issues, %d to create in %d bulk files, %d to update",
             out_dir, len(issues), result.created, len(bulk_names), result.updated)
    return result


def _write_all(out_dir: Path, files: Mapping[str, str], stale: Iterable[Path]) -> None:
    """Write every file under a temp name, then rename them all; on failure remove the temps."""
    written: list[tuple[Path, Path]] = []
    try:
        for name, text in files.items():
            handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp",
                                                 dir=out_dir)  # a name no other run uses
            os.close(handle)
            written.append((Path(temporary), out_dir / name))
            Path(temporary).write_text(text, encoding="utf-8", newline="")
    except BaseException:
        for tmp, _ in written:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in written:
        os.replace(tmp, target)
    for path in stale:
        path.unlink(missing_ok=True)


def _json(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


# --- the id map and the import round trip ------------------------------------------------------


def load_jira_map(path: Path) -> dict[str, str]:
    """Stable id → Jira key from ``path``; empty when the file does not exist."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise JiraExportError(f"{path} is not readable JSON ({exc}): fix it or rebuild it from "
                              f"the {REF_PREFIX} labels in Jira") from exc
    if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v for k, v in data.items()):
        raise JiraExportError(f"{path} must be one JSON object of stable id → Jira issue key")
    return data


def write_jira_map(path: Path, entries: Mapping[str, str]) -> dict[str, str]:
    """Merge ``entries`` into the map at ``path`` (written atomically); returns the new map."""
    merged = {**load_jira_map(path), **entries}
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_all(path.parent, {path.name: _json(dict(sorted(merged.items())))}, ())
    return merged


def resolve_parents(payload: Mapping[str, Any], jira_map: Mapping[str, str]) -> dict[str, Any]:
    """A copy of a bulk or update payload with ``modernize-id:`` parent placeholders replaced
    by the Jira keys in ``jira_map``; raises when one has no key yet."""
    out = copy.deepcopy(dict(payload))
    entries = list(out.get("issueUpdates", []))
    entries += [u["body"] for u in out.get("updates", [])]
    missing = []
    for entry in entries:
        parent = entry.get("fields", {}).get("parent")
        key = parent.get("key") if isinstance(parent, dict) else None
        if isinstance(key, str) and key.startswith(REF_PREFIX):
            stable = key.removeprefix(REF_PREFIX)
            if stable in jira_map:
                parent["key"] = jira_map[stable]
            else:
                missing.append(stable)
    if missing:
        raise JiraExportError("no Jira key yet for parent(s) " + ", ".join(sorted(set(missing)))
                              + ": send the earlier bulk files first and record their keys")
    return out


def record_created(payload: Mapping[str, Any], response: Mapping[str, Any]) -> dict[str, str]:
    """Stable id → new Jira key from a bulk request and Jira's answer to it.

    Jira lists the created issues in request order and the failed ones in ``errors`` by
    ``failedElementNumber``; failed items get no entry, so the next export creates them again.
    """
    failed = {e.get("failedElementNumber") for e in response.get("errors", [])}
    created = iter(response.get("issues", []))
    out: dict[str, str] = {}
    for number, entry in enumerate(payload.get("issueUpdates", [])):
        if number in failed:
            continue
        issue = next(created, None)
        if issue is None:
            break
        stable = _stable_id(entry)
        if stable is not None:
            out[stable] = issue["key"]
    return out


def _stable_id(entry: Mapping[str, Any]) -> str | None:
    for prop in entry.get("properties", []):
        if prop.get("key") == PROPERTY_KEY and isinstance(prop.get("value"), dict):
            return prop["value"].get("id")
    return None


# --- from the backlog to issues ---------------------------------------------------------------


def _plan(backlog: Backlog, labels: Sequence[str], *, subtasks: bool) -> list[_Issue]:
    """The backlog as issues: epics, then stories by epic, then (with ``subtasks``) the test
    cases as sub-tasks by story."""
    seen: set[str] = set()
    for item in _items(backlog):
        if item.id in seen:
            raise JiraExportError(f"id {item.id!r} is used by two backlog items; Jira issues are "
                                  "matched by id, so ids must be unique")
        seen.add(item.id)
    by_epic: dict[str, list[Story]] = {epic.id: [] for epic in backlog.epics}
    loose: list[Story] = []
    for story in backlog.stories:
        by_epic.get(story.epic, loose).append(story)
    for story in loose:
        log.warning("story %s names epic %s, which the backlog does not have: exported without "
                    "a parent", story.id, story.epic)
    stories = [s for epic in backlog.epics for s in by_epic[epic.id]] + loose
    epics = {epic.id: epic for epic in backlog.epics}
    issues = [_epic_issue(epic, labels) for epic in backlog.epics]
    issues += [_story_issue(s, epics.get(s.epic), labels, subtasks=subtasks) for s in stories]
    if subtasks:
        issues += [_test_issue(t, s, labels) for s in stories for t in s.tests]
    return issues


def _items(backlog: Backlog) -> Iterable[Traced]:
    yield from backlog.epics
    for story in backlog.stories:
        yield story
        yield from story.tests


def _epic_issue(epic: Epic, labels: Sequence[str]) -> _Issue:
    body = (_Block("paragraph", tuple(epic.description.splitlines())),)
    return _Issue(id=epic.id, issue_type=EPIC, parent=None, summary=_summary(epic.title, epic),
                  description=_traced(epic, body, None), criteria=(),
                  labels=_labels(labels, epic))


def _story_issue(story: Story, epic: Epic | None, labels: Sequence[str], *,
                 subtasks: bool) -> _Issue:
    body = [_Block("paragraph", (story.statement,))]
    if story.tests:
        count = f"{len(story.tests)} test case{'s' if len(story.tests) > 1 else ''}"
        body.append(_Block("paragraph", (
            f"{count}: the sub-tasks of this story." if subtasks else
            f"{count} in the backlog (backlog/backlog.md, {story.id}); export with --subtasks "
            "to have them as sub-tasks.",)))
    head, tail = (*_warning(story), *body), _sources_and_id(story, epic)
    description = (*head, *tail)
    if story.criteria:  # after the statement, before the sources, within the text limit
        heading = _Block("heading", ("Acceptance criteria",))
        room = TEXT_LIMIT - len(_plain(description)) - len(_plain((heading, heading))) - 4
        description = (*head, heading, *_fit_criteria(story, room), *tail)
    return _Issue(id=story.id, issue_type=STORY, parent=epic.id if epic else None,
                  summary=_summary(story.title, story), description=description,
                  criteria=_fit_criteria(story, TEXT_LIMIT) if story.criteria else (),
                  labels=_labels(labels, story))


def _fit_criteria(story: Story, room: int) -> tuple[_Block, ...]:
    """Every criterion of ``story`` with its sources; without the sources when they do not fit
    in ``room`` characters (of plain text); then as many criteria as fit, and a note."""
    full = [_criterion_blocks(c) for c in story.criteria]
    compact = [blocks[:2] for blocks in full]  # the head and the Gherkin
    for variant in (full, compact):
        blocks = tuple(b for c in variant for b in c)
        if len(_plain(blocks)) <= room:
            return blocks
    note_room = 300
    kept: list[_Block] = []
    used = count = 0
    for criterion in compact:
        size = len(_plain(criterion)) + 2
        if used + size > room - note_room:
            break
        kept += criterion
        used += size
        count += 1
    left = len(story.criteria) - count
    log.warning("%s: %d of its %d criteria do not fit a Jira text field (%d characters): "
                "left out and named in a note", story.id, left, len(story.criteria), TEXT_LIMIT)
    kept.append(_Block("paragraph", (
        f"{left} more criteria do not fit Jira's {TEXT_LIMIT}-character limit: they are in "
        f"backlog/backlog.md under {story.id}.",), strong=True))
    return tuple(kept)


def _test_issue(test: TestCase, story: Story, labels: Sequence[str]) -> _Issue:
    criterion = next((c for c in story.criteria if c.id == test.criterion), None)
    body = [_Block("paragraph", (f"Checks acceptance criterion {test.criterion}.",))]
    if criterion is not None:
        body.append(_Block("code", tuple(criterion.gherkin.splitlines())))
    if test.steps:
        body += [_Block("heading", ("Steps",)), _Block("numbered", test.steps)]
    if test.data:
        body += [_Block("heading", ("Test data",)), _Block("paragraph", _lines(test.data))]
    if test.expected:
        body += [_Block("heading", ("Expected result",)),
                 _Block("paragraph", _lines(test.expected))]
    return _Issue(id=test.id, issue_type=SUBTASK, parent=story.id,
                  summary=_summary(test.title, test),
                  description=_traced(test, tuple(body), criterion or story), criteria=(),
                  labels=_labels(labels, test))


def _criterion_blocks(criterion: Criterion) -> list[_Block]:
    head = f"Criterion {criterion.id}" + ("" if criterion.verified else
                                          f" (unverified: {_reason(criterion)})")
    sources = ", ".join(c.where for c in _unique(criterion.citations)) or "none cited"
    return [_Block("paragraph", (head,), strong=True),
            _Block("code", tuple(criterion.gherkin.splitlines())),
            _Block("paragraph", (f"Sources: {sources}",))]


def _traced(item: Traced, body: tuple[_Block, ...], fallback: Traced | None) -> tuple[_Block, ...]:
    """The body with the unverified warning first and the sources (file:line) after."""
    return (*_warning(item), *body, *_sources_and_id(item, fallback))


def _warning(item: Traced) -> tuple[_Block, ...]:
    if item.verified:
        return ()
    return (_Block("paragraph", (f"unverified: {_reason(item)}",), strong=True),)


def _sources_and_id(item: Traced, fallback: Traced | None) -> tuple[_Block, ...]:
    """The sources (file:line, or the fallback's) and the stable id, ending a description."""
    blocks: list[_Block] = []
    citations, heading = _unique(item.citations), "Sources"
    if not citations and fallback is not None and fallback.citations:
        citations, heading = _unique(fallback.citations), f"Sources (those of {fallback.id})"
    if citations:
        shown = [f"{c.where} ({c.id})" for c in citations[:CITATION_LIMIT]]
        if len(citations) > CITATION_LIMIT:
            shown.append(f"and {len(citations) - CITATION_LIMIT} more")
        blocks += [_Block("heading", (heading,)), _Block("bullets", tuple(shown))]
    else:
        log.warning("backlog item %s cites no source lines", item.id)
        blocks.append(_Block("paragraph", ("Sources: none cited.",)))
    blocks.append(_Block("paragraph", (f"Modernize ID: {item.id} · generated by "
                                       f"{item.generated_by}",)))
    return tuple(blocks)


def _unique(citations: Iterable[Citation]) -> list[Citation]:
    return list({(c.id, c.where): c for c in citations}.values())


def _reason(item: Traced) -> str:
    return item.unverified_reason or "its citations were not checked"


def _lines(text: str) -> tuple[str, ...]:
    return tuple(text.splitlines()) or ("",)


def _summary(title: str, item: Traced) -> str:
    text = " ".join(title.split()) or item.id
    if not item.verified:
        text = f"[unverified] {text}"
    return text if len(text) <= SUMMARY_LIMIT else text[:SUMMARY_LIMIT - 1] + "…"


def _labels(base: Sequence[str], item: Traced) -> tuple[str, ...]:
    out = [_label(label) for label in base if label.strip()]
    out.append(_label(REF_PREFIX + item.id))
    if not item.verified:
        out.append(UNVERIFIED_LABEL)
    return tuple(dict.fromkeys(out))


def _label(text: str) -> str:
    """Jira labels have no spaces and at most 255 characters; a longer one becomes a hash."""
    label = "_".join(text.split())
    if len(label) > LABEL_LIMIT:
        digest = hashlib.sha256(label.encode()).hexdigest()[:32]
        label = f"{label[:LABEL_LIMIT - 40]}~{digest}"
    return label


# --- CSV --------------------------------------------------------------------------------------


def _csv_text(issues: Sequence[_Issue]) -> str:
    number = {issue.id: n for n, issue in enumerate(issues, 1)}
    width = max((len(issue.labels) for issue in issues), default=1)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*CSV_HEAD, *["Labels"] * width, *CSV_TAIL])
    for issue in issues:
        parent = str(number[issue.parent]) if issue.parent else ""
        labels = [*issue.labels, *[""] * (width - len(issue.labels))]
        writer.writerow(csv_row([number[issue.id], parent, issue.issue_type, issue.summary,
                                 _plain(issue.description), *labels, _plain(issue.criteria),
                                 issue.id]))
    return buffer.getvalue()


def _plain(blocks: Sequence[_Block]) -> str:
    """Plain text (it reads the same as Jira wiki markup): a heading sits on the line above
    its block, blocks are separated by a blank line."""
    parts: list[str] = []
    heading = ""
    for block in blocks:
        if block.kind == "heading":
            heading = f"{block.lines[0]}:\n"
            continue
        if block.kind == "bullets":
            text = "\n".join(f"- {line}" for line in block.lines)
        elif block.kind == "numbered":
            text = "\n".join(f"{n}. {line}" for n, line in enumerate(block.lines, 1))
        else:
            text = "\n".join(block.lines)
        parts.append(heading + text)
        heading = ""
    if heading:
        parts.append(heading.rstrip())
    return "\n\n".join(parts)


# --- REST payloads ----------------------------------------------------------------------------


def _create_entry(issue: _Issue, project_key: str, criteria_field: str | None,
                  known: Mapping[str, str]) -> dict[str, Any]:
    fields = {"project": {"key": project_key}, "issuetype": {"name": issue.issue_type},
              **_fields(issue, criteria_field, known, create=True)}
    return {"fields": fields, "properties": [{"key": PROPERTY_KEY, "value": {"id": issue.id}}]}


def _fields(issue: _Issue, criteria_field: str | None, known: Mapping[str, str], *,
            create: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {"summary": issue.summary, "description": _adf(issue.description),
                              "labels": list(issue.labels)}
    # an edit cannot move a sub-task to another story, so its parent is set on create only
    if issue.parent and (create or issue.issue_type != SUBTASK):
        fields["parent"] = {"key": known.get(issue.parent, REF_PREFIX + issue.parent)}
    if criteria_field and issue.issue_type == STORY and (issue.criteria or not create):
        fields[criteria_field] = _adf(issue.criteria) if issue.criteria else None
    return fields


def _adf(blocks: Sequence[_Block]) -> dict[str, Any]:
    return {"type": "doc", "version": 1, "content": [_adf_block(b) for b in blocks]}


def _adf_block(block: _Block) -> dict[str, Any]:
    if block.kind == "heading":
        return {"type": "heading", "attrs": {"level": 3}, "content": _inline(block.lines[:1])}
    if block.kind in ("bullets", "numbered"):
        items = [{"type": "listItem", "content": [{"type": "paragraph",
                                                   "content": _inline((line,))}]}
                 for line in block.lines]
        return {"type": "bulletList" if block.kind == "bullets" else "orderedList",
                "content": items}
    if block.kind == "code":
        text = "\n".join(block.lines)
        return {"type": "codeBlock", "attrs": {"language": "gherkin"},
                "content": [{"type": "text", "text": text}] if text else []}
    return {"type": "paragraph", "content": _inline(block.lines, strong=block.strong)}


def _inline(lines: Sequence[str], *, strong: bool = False) -> list[dict[str, Any]]:
    """Text nodes, lines joined by hard breaks (ADF text nodes hold no newlines)."""
    nodes: list[dict[str, Any]] = []
    for n, line in enumerate(lines):
        if n:
            nodes.append({"type": "hardBreak"})
        if line:
            node: dict[str, Any] = {"type": "text", "text": line}
            if strong:
                node["marks"] = [{"type": "strong"}]
            nodes.append(node)
    return nodes


# --- validation -------------------------------------------------------------------------------

_BLOCK_TYPES = {"paragraph", "heading", "bulletList", "orderedList", "codeBlock"}
_LIST_ITEM_CHILDREN = {"paragraph", "bulletList", "orderedList", "codeBlock"}


def validate_adf(doc: Any) -> list[str]:
    """Problems of an Atlassian Document Format document, for the subset this module emits:
    paragraph, heading, bulletList, orderedList, listItem, codeBlock, text (strong mark) and
    hardBreak. An empty list means valid."""
    if not isinstance(doc, dict):
        return ["doc: not an object"]
    errors: list[str] = []
    _keys(doc, {"type", "version", "content"}, "doc", errors)
    if doc.get("type") != "doc":
        errors.append("doc: type must be 'doc'")
    if doc.get("version") != 1:
        errors.append("doc: version must be 1")
    content = doc.get("content")
    if not isinstance(content, list):
        errors.append("doc: content must be a list")
    else:
        for n, node in enumerate(content):
            _check_block(node, f"doc.content[{n}]", errors, _BLOCK_TYPES)
    return errors


def _keys(node: Mapping[str, Any], allowed: set[str], path: str, errors: list[str]) -> None:
    extra = sorted(set(node) - allowed)
    if extra:
        errors.append(f"{path}: unexpected keys {extra}")


def _check_block(node: Any, path: str, errors: list[str], allowed: set[str]) -> None:
    if not isinstance(node, dict) or node.get("type") not in allowed:
        kind = node.get("type") if isinstance(node, dict) else type(node).__name__
        errors.append(f"{path}: {kind!r} is not allowed here (expected one of "
                      f"{sorted(allowed)})")
        return
    kind = node["type"]
    _keys(node, {"type", "content", "attrs"}, path, errors)
    attrs = node.get("attrs", {})
    content = node.get("content", [])
    if not isinstance(attrs, dict) or not isinstance(content, list):
        errors.append(f"{path}: attrs must be an object and content a list")
        return
    if kind == "heading":
        level = attrs.get("level")
        if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 6:
            errors.append(f"{path}: heading needs attrs.level from 1 to 6")
        _keys(attrs, {"level"}, f"{path}.attrs", errors)
    elif kind == "codeBlock":
        _keys(attrs, {"language"}, f"{path}.attrs", errors)
        if not isinstance(attrs.get("language", ""), str):
            errors.append(f"{path}: attrs.language must be a string")
    elif kind == "orderedList":
        _keys(attrs, {"order"}, f"{path}.attrs", errors)
        order = attrs.get("order", 1)
        if not isinstance(order, int) or isinstance(order, bool) or order < 0:
            errors.append(f"{path}: attrs.order must be a whole number")
    elif "attrs" in node:
        errors.append(f"{path}: {kind} takes no attrs")
    if kind in ("bulletList", "orderedList"):
        if not content:
            errors.append(f"{path}: a list needs at least one listItem")
        for n, item in enumerate(content):
            _check_list_item(item, f"{path}.content[{n}]", errors)
    else:
        for n, child in enumerate(content):
            _check_inline(child, f"{path}.content[{n}]", errors, code=kind == "codeBlock")


def _check_list_item(node: Any, path: str, errors: list[str]) -> None:
    if not isinstance(node, dict) or node.get("type") != "listItem":
        errors.append(f"{path}: a list holds only listItem nodes")
        return
    _keys(node, {"type", "content"}, path, errors)
    content = node.get("content")
    if not isinstance(content, list) or not content:
        errors.append(f"{path}: listItem needs content")
        return
    if not isinstance(content[0], dict) or content[0].get("type") not in ("paragraph",
                                                                           "codeBlock"):
        errors.append(f"{path}: listItem must start with a paragraph or codeBlock")
    for n, child in enumerate(content):
        _check_block(child, f"{path}.content[{n}]", errors, _LIST_ITEM_CHILDREN)


def _check_inline(node: Any, path: str, errors: list[str], *, code: bool) -> None:
    kind = node.get("type") if isinstance(node, dict) else None
    if kind == "text":
        _keys(node, {"type", "text", "marks"}, path, errors)
        text = node.get("text")
        if not isinstance(text, str) or not text:
            errors.append(f"{path}: text nodes need non-empty text")
        elif "\n" in text and not code:
            errors.append(f"{path}: newline in text (use hardBreak)")
        marks = node.get("marks", [])
        if code and marks:
            errors.append(f"{path}: text in a codeBlock takes no marks")
        elif not isinstance(marks, list) or any(m != {"type": "strong"} for m in marks):
            errors.append(f"{path}: only the strong mark is allowed")
    elif kind == "hardBreak" and not code:
        _keys(node, {"type"}, path, errors)
    else:
        allowed = "text" if code else "text or hardBreak"
        errors.append(f"{path}: {kind!r} is not allowed here (expected {allowed})")


def validate_bulk_payload(payload: Any) -> list[str]:
    """Problems of a ``POST /rest/api/3/issue/bulk`` body as this module writes it. An empty
    list means valid."""
    if not isinstance(payload, dict) or set(payload) != {"issueUpdates"}:
        return ["payload must be an object with exactly the key issueUpdates"]
    entries = payload["issueUpdates"]
    if not isinstance(entries, list) or not entries:
        return ["issueUpdates must be a non-empty list"]
    errors: list[str] = []
    if len(entries) > BULK_LIMIT:
        errors.append(f"issueUpdates holds {len(entries)} issues, Jira takes at most {BULK_LIMIT}")
    in_request = set()
    for n, entry in enumerate(entries):
        path = f"issueUpdates[{n}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("fields"), dict):
            errors.append(f"{path}: needs a fields object")
            continue
        _keys(entry, {"fields", "update", "properties"}, path, errors)
        _check_fields(entry["fields"], f"{path}.fields", errors, create=True)
        properties = entry.get("properties", [])
        if not isinstance(properties, list) or not all(
                isinstance(p, dict) and isinstance(p.get("key"), str) and 0 < len(p["key"]) <= 255
                and "value" in p for p in properties):
            errors.append(f"{path}: properties must be a list of {{key, value}}")
        stable = _stable_id(entry) if isinstance(properties, list) else None
        if stable:
            in_request.add(stable)
    for n, entry in enumerate(entries):
        parent = entry.get("fields", {}).get("parent") if isinstance(entry, dict) else None
        key = parent.get("key") if isinstance(parent, dict) else None
        if isinstance(key, str) and key.startswith(REF_PREFIX) \
                and key.removeprefix(REF_PREFIX) in in_request:
            errors.append(f"issueUpdates[{n}]: parent {key} is created by the same request")
    return errors


def validate_update_payload(payload: Any) -> list[str]:
    """Problems of the update file: ``PUT /rest/api/3/issue/{key}`` bodies with their keys."""
    if not isinstance(payload, dict) or not isinstance(payload.get("updates"), list):
        return ["payload must be an object with an updates list"]
    errors: list[str] = []
    for n, update in enumerate(payload["updates"]):
        path = f"updates[{n}]"
        if not isinstance(update, dict):
            errors.append(f"{path}: not an object")
            continue
        if not isinstance(update.get("key"), str) or not update["key"]:
            errors.append(f"{path}: needs the Jira issue key")
        if not isinstance(update.get("modernize_id"), str) or not update["modernize_id"]:
            errors.append(f"{path}: needs the stable id")
        body = update.get("body")
        if not isinstance(body, dict) or not isinstance(body.get("fields"), dict):
            errors.append(f"{path}: body needs a fields object")
            continue
        _keys(body, {"fields", "update", "properties"}, f"{path}.body", errors)
        _check_fields(body["fields"], f"{path}.body.fields", errors, create=False)
    return errors


def _check_fields(fields: Mapping[str, Any], path: str, errors: list[str], *,
                  create: bool) -> None:
    if create:
        project, issuetype = fields.get("project"), fields.get("issuetype")
        if not _ref(project, "key") and not _ref(project, "id"):
            errors.append(f"{path}: project needs a key or id")
        if not (isinstance(issuetype, dict) and (issuetype.get("name") in ISSUE_TYPES
                                                 or _ref(issuetype, "id"))):
            errors.append(f"{path}: issuetype needs a name out of {list(ISSUE_TYPES)} or an id")
        elif issuetype.get("name") == SUBTASK and "parent" not in fields:
            errors.append(f"{path}: a Subtask needs a parent")
    else:
        for name in ("project", "issuetype"):
            if name in fields:
                errors.append(f"{path}: {name} cannot be changed by an edit")
    summary = fields.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        errors.append(f"{path}: summary is required")
    elif len(summary) > SUMMARY_LIMIT or "\n" in summary:
        errors.append(f"{path}: summary must be one line of at most {SUMMARY_LIMIT} characters")
    labels = fields.get("labels", [])
    if not isinstance(labels, list) or not all(
            isinstance(x, str) and x and len(x) <= LABEL_LIMIT and not re.search(r"\s", x)
            for x in labels):
        errors.append(f"{path}: labels must be strings without spaces, at most {LABEL_LIMIT} "
                      "characters")
    if "parent" in fields and not (_ref(fields["parent"], "key") or _ref(fields["parent"], "id")):
        errors.append(f"{path}: parent needs a key or id")
    for name, value in fields.items():
        if (name == "description" and value is not None) or (
                isinstance(value, dict) and value.get("type") == "doc"):
            errors += [f"{path}.{name}: {e}" for e in validate_adf(value)]


def _ref(value: Any, key: str) -> bool:
    return isinstance(value, dict) and isinstance(value.get(key), str) and bool(value[key])
