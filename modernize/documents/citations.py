"""Citations are checked, not trusted.

Every rule, story, criterion and test case must cite model ids that exist, at lines inside the
cited element, and a rule may only name data items its cited paragraphs read or write. Whatever
fails is kept but marked unverified with the reason, never silently accepted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from ..core.model import Estate, Program
from .artifacts import Backlog, Citation, ProgramSpec, Rule, Traced
from .rules import BranchSpan, branch_ranges

T = TypeVar("T", bound=Traced)


NOT_IN_MODEL = "(not in the model)"
"""The file a citation of an unknown id shows: no path an answer names is ever quoted."""

Span = tuple[int, int | None]  # first line, last line (None: to the end of the file)


class ModelIndex:
    """What citations can point at: every id of the model, with the files and lines it covers.

    An element covers its own lines in its own file; a program also covers every copybook it
    pulls in, and a paragraph or section the copybooks COPYed inside its lines (and what those
    copy in turn), since its statements may come from them.
    """

    def __init__(self, estate: Estate) -> None:
        self.home: dict[str, tuple[str, Span]] = {}  # id → its own file and lines
        self.covers: dict[str, dict[str, Span]] = {}  # id → every file and lines it covers
        self.touches: dict[str, set[str]] = {}  # procedure id → data names read or written
        self.files: set[str] = set()  # every file the model describes
        self.branches: dict[str, dict[tuple[str, int, int], BranchSpan]] = {}
        self.program_of: dict[str, str] = {}  # element id → its program's id
        lengths = {f.path: f.lines.total or None for f in estate.inventory.files}
        for program in estate.programs:
            included = self._included(program)
            whole = {path: (1, lengths.get(path)) for path in
                     [program.path, *(path for paths in included.values() for path in paths)]}
            self._add(program.id, program.path, (1, program.lines or lengths.get(program.path)),
                      whole)
            for proc in (*program.sections, *program.paragraphs):
                span: Span = (proc.line, proc.end_line)
                copied = {path: (1, lengths.get(path))
                          for (file, line), paths in included.items() if file == proc.file
                          and line >= proc.line and (proc.end_line is None
                                                     or line <= proc.end_line)
                          for path in paths}
                self._add(proc.id, proc.file, span, copied)
            for item in program.data_items:
                self._add(item.id, item.file, (item.line, item.line))
            for file in program.files:
                self._add(file.id, file.file, (file.line, None))
            self._touches(program)
            self.branches[program.id] = branch_ranges(program)
            for element in (program, *program.sections, *program.paragraphs):
                self.program_of[element.id] = program.id

    def _add(self, element: str, file: str, span: Span,
             more: dict[str, Span] | None = None) -> None:
        self.home[element] = (file, span)
        self.covers[element] = {**(more or {}), file: span}
        self.files.update(self.covers[element])

    @staticmethod
    def _included(program: Program) -> dict[tuple[str, int], list[str]]:
        """(file, line) of each COPY statement → the copybooks it brings in, nested ones
        included."""
        direct: dict[tuple[str, int], list[str]] = {}
        for use in program.copybook_uses:
            if use.path:
                direct.setdefault((use.file, use.line), []).append(use.path)
        closed: dict[tuple[str, int], list[str]] = {}
        for place, paths in direct.items():
            todo, seen = list(paths), []
            while todo:
                path = todo.pop()
                if path in seen:
                    continue
                seen.append(path)
                todo += [p for (file, _), ps in direct.items() if file == path for p in ps]
            closed[place] = seen
        return closed

    def _touches(self, program: Program) -> None:
        by_key = {p.key: p.id for p in (*program.sections, *program.paragraphs)}
        for flow in program.data_flow:
            names = self.touches.setdefault(by_key.get(flow.paragraph or "", program.id), set())
            names.update(flow.reads, flow.writes)
        for condition in program.conditions:
            names = self.touches.setdefault(
                by_key.get(condition.paragraph or "", program.id), set())
            names.update(condition.reads)

    def checked(self, citation: Citation) -> tuple[Citation, list[str]]:
        """The citation as the documents may show it, and what is wrong with it.

        The file always comes from the model: an answer that names another file gets the
        element's own file in its place (and is unverified), so no path from an answer is
        ever read or quoted.
        """
        covered = self.covers.get(citation.id)
        if covered is None:
            return (citation.model_copy(update={"file": NOT_IN_MODEL}),
                    [f"cites {citation.id}, which is not in the model"])
        problems = []
        file = citation.file
        if file not in covered:
            problems.append(f"cites {citation.id} in {file!r}, which is not a file of that "
                            "element")
            file = self.home[citation.id][0]
        first, last = covered[file]
        end = citation.end_line or citation.line
        if citation.line < first or end < citation.line or (last is not None and end > last):
            problems.append(f"cites {citation.id} at line {citation.line}"
                            f"{f'-{end}' if end != citation.line else ''}, outside its lines "
                            f"{first}-{last or 'end'} in {file}")
        return citation.model_copy(update={"file": file}), problems

    def citation_problems(self, citation: Citation) -> list[str]:
        return self.checked(citation)[1]

    def problems(self, item: Traced) -> list[str]:
        if not item.citations:
            return ["cites nothing"]
        return [p for c in item.citations for p in self.citation_problems(c)]

    def branch_problems(self, rule: Rule) -> list[str]:
        """A rule is one branch of a decision: the branch must be in the model, and every
        action it lists must lie inside that branch (not in the THEN of an ELSE's rule)."""
        if rule.decision_line is None or not rule.citations:
            return []
        first = rule.citations[0]
        spans = self.branches.get(self.program_of.get(first.id, ""), {})
        span = spans.get((first.file, rule.decision_line, rule.branch_index))
        if span is None:
            return [f"names a decision at {first.file}:{rule.decision_line} (branch "
                    f"{rule.branch_index + 1}) that is not in the model"]
        problems = []
        if rule.branch and rule.branch != span.phrase:
            problems.append(f"calls branch {rule.branch_index + 1} of the decision at line "
                            f"{rule.decision_line} {rule.branch}, but it is {span.phrase}")
        outside = [a for a in rule.actions if not span.covers(a.file, a.line)]
        problems += [f"its action at {a.file}:{a.line} lies outside the {span.phrase} branch "
                     f"of the decision at line {rule.decision_line}" for a in outside]
        return problems

    def rule_problems(self, rule: Rule) -> list[str]:
        problems = self.problems(rule) + self.branch_problems(rule)
        touched = set().union(*(self.touches.get(c.id, set()) for c in rule.citations))
        strangers = [name for name in rule.data_items if name not in touched]
        if strangers:
            problems.append(f"names {', '.join(strangers)}, which the cited paragraphs "
                            "neither read nor write")
        return problems


def mark(item: T, problems: Iterable[str], index: ModelIndex | None = None) -> T:
    """``item`` with its citations' files taken from the model (with ``index``) and, when
    there are problems, marked unverified with them."""
    problems = list(problems)
    update: dict[str, object] = {}
    if index is not None:
        citations = tuple(index.checked(c)[0] for c in item.citations)
        if citations != item.citations:
            update["citations"] = citations
    if problems:  # added to what an earlier check found, never in its place
        earlier = [item.unverified_reason] if item.unverified_reason else []
        update.update(verified=False,
                      unverified_reason="; ".join(dict.fromkeys([*earlier, *problems])))
    return item.model_copy(update=update) if update else item


def check_spec(spec: ProgramSpec, index: ModelIndex) -> ProgramSpec:
    rules = tuple(mark(rule, index.rule_problems(rule), index) for rule in spec.rules)
    errors = tuple(mark(rule, index.rule_problems(rule), index) for rule in spec.error_handling)
    interfaces = tuple(mark(i, index.problems(i), index) for i in spec.interfaces)
    return spec.model_copy(update={"rules": rules, "error_handling": errors,
                                   "interfaces": interfaces})


def check_backlog(backlog: Backlog, index: ModelIndex) -> Backlog:
    stories = []
    for story in backlog.stories:
        criteria = tuple(mark(c, index.problems(c), index) for c in story.criteria)
        tests = tuple(mark(t, index.problems(t), index) for t in story.tests)
        problems = index.problems(story)
        if any(not c.verified for c in criteria):
            problems.append("some of its acceptance criteria failed their checks")
        checked = mark(story, problems, index)
        stories.append(checked.model_copy(update={"criteria": criteria, "tests": tests}))
    epics = tuple(mark(epic, index.problems(epic), index) for epic in backlog.epics)
    return backlog.model_copy(update={"epics": epics, "stories": tuple(stories)})
