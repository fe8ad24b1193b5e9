"""Citations are checked, not trusted.

Every rule, story, criterion and test case must cite model ids that exist, at lines inside the
cited element, and a rule may only name data items its cited paragraphs read or write. Whatever
fails is kept but marked unverified with the reason, never silently accepted.
"""

from __future__ import annotations

from collections.abc import Iterable

from .artifacts import Backlog, Citation, ProgramSpec, Rule, Traced
from .model import Estate, Program


class ModelIndex:
    """What citations can point at: every id of the model, with its file and lines."""

    def __init__(self, estate: Estate) -> None:
        self.spans: dict[str, tuple[str, int, int | None]] = {}
        self.touches: dict[str, set[str]] = {}  # procedure id → data names read or written
        for program in estate.programs:
            self.spans[program.id] = (program.path, 1, None)
            for proc in (*program.sections, *program.paragraphs):
                self.spans[proc.id] = (proc.file, proc.line, proc.end_line)
            for item in program.data_items:
                self.spans[item.id] = (item.file, item.line, item.line)
            for file in program.files:
                self.spans[file.id] = (file.file, file.line, None)
            self._touches(program)

    def _touches(self, program: Program) -> None:
        by_key = {p.key: p.id for p in (*program.sections, *program.paragraphs)}
        for flow in program.data_flow:
            names = self.touches.setdefault(by_key.get(flow.paragraph or "", program.id), set())
            names.update(flow.reads, flow.writes)
        for condition in program.conditions:
            names = self.touches.setdefault(
                by_key.get(condition.paragraph or "", program.id), set())
            names.update(condition.reads)

    def citation_problems(self, citation: Citation) -> list[str]:
        span = self.spans.get(citation.id)
        if span is None:
            return [f"cites {citation.id}, which is not in the model"]
        file, first, last = span
        # lines are checked in the element's own file (a paragraph's statements may come
        # from a copybook it copies, with that copybook's lines)
        if citation.file == file and "/" in citation.id and (
                citation.line < first or (last is not None and citation.line > last)):
            return [f"cites {citation.id} at line {citation.line}, outside its lines "
                    f"{first}-{last}"]
        return []

    def problems(self, item: Traced) -> list[str]:
        if not item.citations:
            return ["cites nothing"]
        return [p for c in item.citations for p in self.citation_problems(c)]

    def rule_problems(self, rule: Rule) -> list[str]:
        problems = self.problems(rule)
        touched = set().union(*(self.touches.get(c.id, set()) for c in rule.citations))
        strangers = [name for name in rule.data_items if name not in touched]
        if strangers:
            problems.append(f"names {', '.join(strangers)}, which the cited paragraphs "
                            "neither read nor write")
        return problems


def mark(item: Traced, problems: Iterable[str]) -> Traced:
    problems = list(problems)
    if not problems:
        return item
    return item.model_copy(update={"verified": False,
                                   "unverified_reason": "; ".join(problems)})


def check_spec(spec: ProgramSpec, index: ModelIndex) -> ProgramSpec:
    rules = tuple(mark(rule, index.rule_problems(rule)) for rule in spec.rules)
    interfaces = tuple(mark(i, index.problems(i)) for i in spec.interfaces)
    return spec.model_copy(update={"rules": rules, "interfaces": interfaces})


def check_backlog(backlog: Backlog, index: ModelIndex) -> Backlog:
    stories = []
    for story in backlog.stories:
        criteria = tuple(mark(c, index.problems(c)) for c in story.criteria)
        tests = tuple(mark(t, index.problems(t)) for t in story.tests)
        problems = index.problems(story)
        if any(not c.verified for c in criteria):
            problems.append("some of its acceptance criteria failed the citation check")
        checked = mark(story, problems)
        stories.append(checked.model_copy(update={"criteria": criteria, "tests": tests}))
    epics = tuple(mark(epic, index.problems(epic)) for epic in backlog.epics)
    return backlog.model_copy(update={"epics": epics, "stories": tuple(stories)})
