"""Specification parts written by a language model, from packed slices of the model.

The static specification stays the base (interfaces, layouts and control flow are facts of the
model); a configured model writes the purpose and the business rules. Each prompt gets only the
slice of the model it needs: a program's paragraphs with their conditions, the statements'
reads and writes, what they perform and call, and the data items they touch, cut into parts
under a token budget for large programs and the parts' rules merged. Every answer's citations
are checked against the model, and every COBOL name its text mentions must exist where it
cites (``grounding.py``); what fails after the repairs is kept, marked unverified.

No id comes from the model's text: a rule is ``rule:<program>/<cited paragraph>/<n>`` (n
counting the program's rules in that paragraph), a story ``story:<program>`` (``/2``, ``/3``
for more), a criterion ``criterion:<rule id without "rule:">`` for the rule it matches by its
citations (``criterion:<program>/extra/<n>`` when it matches none), a test
``test:<criterion id without "criterion:">/<n>``; epics are the static ones (``epic_of``).

With no model configured, ``static_cached`` still records each program's generation in the same
cache and audit log, so an unchanged re-run does no work and the log shows the cache hits.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from ..core.model import Estate, Program
from ..llm import (
    Completion,
    CompletionRequest,
    GenerationError,
    Ledger,
    Message,
    Provider,
    ProviderError,
    ProviderTimeoutError,
    ResponseTooLargeError,
    generate,
    load_prompts,
)
from ..llm.ledger import request_key
from .artifacts import (
    STATIC,
    Action,
    Backlog,
    Citation,
    Criterion,
    Epic,
    ProgramSpec,
    Rule,
    Story,
    TestCase,
    Traced,
)
from .backlog import backlog as static_backlog
from .backlog import epic_of
from .citations import ModelIndex
from .grounding import Grounding, shorten
from .rules import branch_ranges

log = logging.getLogger(__name__)

DEFAULT_BUDGET_TOKENS = 6000
T = TypeVar("T", bound=BaseModel)


class RuleDraft(BaseModel):
    id: str
    title: str
    paragraph: str
    condition: str
    action: str
    data_items: list[str] = []
    citations: list[Citation]
    decision_line: int | None = None  # the IF, EVALUATE, READ … whose branch the rule is
    branch: str | None = None  # THEN, ELSE, WHEN, WHEN OTHER, AT END …
    action_lines: list[int] = []  # the lines of the statements the rule says run


class RuleSet(BaseModel):
    rules: list[RuleDraft]


class ProgramSummary(BaseModel):
    purpose: str


def paragraph_context(program: Program) -> list[dict]:
    """One entry per paragraph or section: what a prompt needs to know of it, with the
    branches of its decisions (a rule is one branch: its statements lie in those lines)."""
    branches = branch_ranges(program)
    out = []
    for proc in (*program.sections, *program.paragraphs):
        if not proc.statements:
            continue
        key = proc.key
        out.append({
            "id": proc.id, "key": key, "file": proc.file, "line": proc.line,
            "end_line": proc.end_line,
            "conditions": [{"kind": c.kind, "text": c.expanded, "line": c.line}
                           for c in program.conditions if c.paragraph == key],
            "statements": [{"verb": f.verb, "reads": list(f.reads), "writes": list(f.writes),
                            "line": f.line} for f in program.data_flow if f.paragraph == key],
            "performs": sorted({p.target for p in program.performs
                                if p.paragraph == key and p.target}),
            "calls": sorted({c.target or f"? via {c.via}" for c in program.calls
                             if c.paragraph == key}),
            "branches": [{"decision_line": line, "branch": span.phrase,
                          "lines": sorted({n for f, first, last in span.ranges if f == file
                                           for n in (first, last)})[:2]}
                         for (file, line, _), span in branches.items()
                         if file == proc.file and proc.line <= line <= (proc.end_line or line)],
        })
    return out


def pack(entries: list[dict], program: Program, budget_tokens: int) -> list[dict]:
    """Cut the paragraphs into parts that fit the budget (about four characters a token),
    each with the data items its statements touch."""
    parts: list[list[dict]] = [[]]
    size = 0
    for entry in entries:
        cost = len(json.dumps(entry)) // 4
        if parts[-1] and size + cost > budget_tokens:
            parts.append([])
            size = 0
        parts[-1].append(entry)
        size += cost
    items = {i.name: i for i in program.data_items}
    out = []
    for part in parts:
        names = sorted({n for e in part for s in e["statements"] for n in s["reads"] + s["writes"]}
                       | {n for e in part for c in e["conditions"] for n in c["text"].split()
                          if n in items})
        out.append({"paragraphs": part, "data_items": {
            n: {"level": items[n].level, "picture": items[n].picture, "usage": items[n].usage,
                "record": items[n].record} for n in names if n in items}})
    return out


def model_rules(provider: Provider, ledger: Ledger | None, program: Program,
                index: ModelIndex, grounding: Grounding,
                budget_tokens: int = DEFAULT_BUDGET_TOKENS) -> list[Rule]:
    """The program's business rules as the model writes them, part by part; each rule's id
    comes from the paragraph it cites and its place, its text checked by ``grounding``."""
    prompt = load_prompts()["spec.business-rules"]
    origin = f"model {provider.model} ({provider.name})"
    key = program.id.split(":", 1)[1]
    counters: dict[str, int] = {}
    rules: list[Rule] = []
    for part in pack(paragraph_context(program), program, budget_tokens):
        def check(answer: RuleSet) -> list[str]:
            return [f"rule {n}: {problem}" for n, draft in enumerate(answer.rules, 1)
                    for problems in _draft_problems(draft, program, index, grounding)[1:]
                    for problem in problems]

        result = generate(provider, prompt, {"program": program.name, "context": part},
                          RuleSet, ledger, validate=check)
        for draft in result.value.rules:
            paragraph, problems, _ = _draft_problems(draft, program, index, grounding)
            place = paragraph or "uncited"  # lower case: no COBOL key collides with it
            counters[place] = counters.get(place, 0) + 1
            rules.append(_rule(draft, f"rule:{key}/{place}/{counters[place]}", paragraph or "",
                               origin, problems, program))
    return rules


def _cited_procedure(draft: RuleDraft, program: Program) -> str | None:
    """The key of the first paragraph or section of ``program`` the draft cites ("ENTRY" when
    it cites the program itself), None when it cites neither."""
    keys = {p.id: p.key for p in (*program.sections, *program.paragraphs)}
    found = next((keys[c.id] for c in draft.citations if c.id in keys), None)
    if found is None and any(c.id == program.id for c in draft.citations):
        return "ENTRY"
    return found


def _draft_problems(draft: RuleDraft, program: Program, index: ModelIndex,
                    grounding: Grounding) -> tuple[str | None, list[str], list[str]]:
    """The paragraph the draft stands in (from its citations), what is wrong with its words
    (the paragraph it claims, the names its title, condition and action mention) and what is
    wrong with its citations and data items (which ``check_spec`` marks later)."""
    paragraph = _cited_procedure(draft, program)
    cited = index.rule_problems(_rule(draft, "rule:?", paragraph or "", "", [], program))
    problems: list[str] = []
    if paragraph is None and not cited:  # it cites what exists, but not in this program
        problems.append(f"cites no paragraph of {program.name}")
    elif " ".join(draft.paragraph.upper().split()) not in (paragraph, ""):
        problems.append(f"says it stands in {shorten(draft.paragraph)} but cites {paragraph}")
    problems += grounding.problems([draft.paragraph, draft.title, draft.condition,
                                    draft.action], draft.citations)
    if draft.decision_line is None:
        problems.append("names no decision_line and branch, so its actions cannot be checked "
                        "against the code")
    return paragraph, problems, cited


def _rule(draft: RuleDraft, rule_id: str, paragraph: str, origin: str,
          problems: list[str], program: Program | None = None) -> Rule:
    """The draft as a rule. The branch it names (decision line, phrase, action lines) is
    checked by the citation check like a static rule's (``_draft_problems`` says when it
    names none)."""
    file = draft.citations[0].file if draft.citations else ""
    index = _branch_index(program, file, draft) if program is not None else 0
    return Rule(id=rule_id, title=draft.title, paragraph=paragraph,
                condition=draft.condition, action=draft.action,
                data_items=tuple(draft.data_items), citations=tuple(draft.citations),
                decision_line=draft.decision_line, branch=(draft.branch or "").upper(),
                branch_index=index,
                actions=tuple(Action(text=f"line {n}", file=file, line=n)
                              for n in draft.action_lines),
                generated_by=origin, verified=not problems,
                unverified_reason="; ".join(problems) if problems else None)


def _branch_index(program: Program, file: str, draft: RuleDraft) -> int:
    """Which branch of the decision the draft names: the one with its phrase whose lines hold
    its actions (the WHENs of an EVALUATE share a phrase)."""
    if draft.decision_line is None:
        return 0
    spans = [(index, span) for (f, line, index), span in branch_ranges(program).items()
             if f == file and line == draft.decision_line
             and span.phrase == (draft.branch or "").upper()]
    for index, span in spans:
        if draft.action_lines and all(span.covers(file, n) for n in draft.action_lines):
            return index
    return spans[0][0] if spans else 0


def model_purpose(provider: Provider, ledger: Ledger | None, program: Program,
                  facts: dict, grounding: Grounding) -> tuple[str, list[str]]:
    """The program's purpose as the model writes it, and the names it mentions that are not
    the program's (empty when it is grounded)."""
    prompt = load_prompts()["spec.program-summary"]
    cited = [Citation(id=program.id, file=program.path, line=1)]

    def check(answer: ProgramSummary) -> list[str]:
        return grounding.problems([answer.purpose], cited)

    result = generate(provider, prompt, {"program": program.name, "context": facts},
                      ProgramSummary, ledger, validate=check)
    return result.value.purpose, check(result.value)


def model_backlog(provider: Provider, ledger: Ledger | None, estate: Estate,
                  specs: list[ProgramSpec], index: ModelIndex, grounding: Grounding) -> Backlog:
    """Stories, criteria and test cases written by the model, one program at a time (its
    spec's rules and citations as context), merged into one backlog under the static epics."""
    prompt = load_prompts()["backlog.stories"]
    epics_of = epic_of(estate)
    epics: dict[str, Epic] = {}
    stories: list[Story] = []
    origin = f"model {provider.model} ({provider.name})"
    for spec in specs:
        name = spec.program.split(":", 1)[1]
        epic_id, title, description = epics_of[spec.program]
        epic = epics.get(epic_id) or Epic(id=epic_id, title=title, description=description)
        epics[epic_id] = epic.model_copy(update={"citations": epic.citations + spec.citations})
        context = {"program": name, "epic": {"id": epic_id, "title": title},
                   "purpose": spec.purpose,
                   "interfaces": [f"{i.kind} {i.name} ({i.direction})" for i in spec.interfaces],
                   "rules": [r.model_dump(mode="json", include={
                       "id", "title", "paragraph", "condition", "action", "data_items",
                       "citations"}) for r in spec.rules]}

        def check(answer: Backlog, spec: ProgramSpec = spec, epic_id: str = epic_id
                  ) -> list[str]:
            return _answer_stories(answer, spec, epic_id, index, grounding, origin)[1]

        try:
            result = generate(provider, prompt, {"scope": name, "specs": [context]}, Backlog,
                              ledger, validate=check)
        except (GenerationError, ProviderError) as exc:
            if isinstance(exc, ProviderError) and not program_level_failure(exc):
                raise
            log.warning("%s: the model failed on the backlog (%s); the static stories stand",
                        spec.program, exc)
            stories.extend(_static_stories(estate, spec))
            continue
        drafted = _answer_stories(result.value, spec, epic_id, index, grounding, origin)[0]
        stories.extend(drafted or _static_stories(estate, spec))
    return Backlog(epics=tuple(epics.values()), stories=tuple(stories))


def _static_stories(estate: Estate, spec: ProgramSpec) -> list[Story]:
    """The static story of ``spec``; unverified when the purpose it quotes is."""
    stories = list(static_backlog(estate, [spec]).stories)
    if spec.purpose_unverified_reason is None:
        return stories
    reason = f"the purpose it quotes is unverified: {spec.purpose_unverified_reason}"
    return [s.model_copy(update={"verified": False, "unverified_reason": "; ".join(
        filter(None, (s.unverified_reason, reason)))}) for s in stories]


def _answer_stories(answer: Backlog, spec: ProgramSpec, epic_id: str, index: ModelIndex,
                    grounding: Grounding, origin: str) -> tuple[list[Story], list[str]]:
    """The answer's stories for ``spec`` with ids derived from the program, the rules their
    criteria match and their places, each marked when its words name what it does not cite;
    and every problem by place (its citations' too, which ``check_backlog`` marks later), to
    send back to the model."""
    name = spec.program.split(":", 1)[1]
    used: set[str] = set()  # rules a criterion already stands for
    extra: dict[str, int] = {}  # numbers of criteria and tests that match nothing
    per_criterion: dict[str, int] = {}
    stories: list[Story] = []
    report: list[str] = []

    def checked(item: Traced, place: str, texts: list[str], more: list[str]) -> list[str]:
        problems = [*grounding.problems(texts, item.citations), *more]
        report.extend(f"{place}: {p}" for p in [*index.problems(item), *problems])
        return problems

    def next_extra(kind: str) -> int:
        extra[kind] = extra.get(kind, 0) + 1
        return extra[kind]

    for s, draft in enumerate(answer.stories, 1):
        criteria: list[Criterion] = []
        by_model_id: dict[str, list[str]] = {}
        for c, criterion in enumerate(draft.criteria, 1):
            rule = _matching_rule(criterion.citations, spec.rules, used)
            cid = (f"criterion:{rule.id.removeprefix('rule:')}" if rule else
                   f"criterion:{name}/extra/{next_extra('criterion')}")
            by_model_id.setdefault(criterion.id, []).append(cid)
            problems = checked(criterion, f"story {s} criterion {c}",
                               [criterion.given, criterion.when, criterion.then], [])
            criteria.append(_marked(criterion, cid, origin, problems))
        tests: list[TestCase] = []
        for t, test in enumerate(draft.tests, 1):
            target = _tested_criterion(test, by_model_id, criteria)
            if target is None:
                tid = f"test:{name}/extra/{next_extra('test')}"
            else:
                part = target.removeprefix("criterion:")
                per_criterion[part] = per_criterion.get(part, 0) + 1
                tid = f"test:{part}/{per_criterion[part]}"
            problems = checked(test, f"story {s} test {t}",
                               [test.title, *test.steps, test.data, test.expected],
                               [] if target else ["checks no acceptance criterion of its story"])
            tests.append(_marked(test, tid, origin, problems, criterion=target or ""))
        problems = checked(draft, f"story {s}", [draft.title, draft.as_a, draft.i_want,
                                                 draft.so_that], [])
        sid = f"story:{name}" if s == 1 else f"story:{name}/{s}"
        stories.append(_marked(draft, sid, origin, problems, epic=epic_id,
                               criteria=tuple(criteria), tests=tuple(tests)))
    return stories, report


TracedT = TypeVar("TracedT", bound=Traced)


def _marked(item: TracedT, item_id: str, origin: str, problems: list[str],
            **update: object) -> TracedT:
    return item.model_copy(update={
        "id": item_id, "generated_by": origin, "verified": not problems,
        "unverified_reason": "; ".join(problems) if problems else None, **update})


def _spans(citations: tuple[Citation, ...]) -> set[tuple[str, int, int]]:
    return {(c.id, c.line, c.end_line or c.line) for c in citations}


def _overlap(one: set[tuple[str, int, int]], other: set[tuple[str, int, int]]) -> bool:
    return any(a == x and b <= z and y <= c for a, b, c in one for x, y, z in other)


def _matching_rule(citations: tuple[Citation, ...], rules: tuple[Rule, ...],
                   used: set[str]) -> Rule | None:
    """The first rule not yet used that cites what ``citations`` cite: the very same
    citations, else an overlapping line of the same element."""
    spans = _spans(citations)
    free = [r for r in rules if r.id not in used]
    rule = next((r for r in free if spans and _spans(r.citations) == spans), None) \
        or next((r for r in free if _overlap(_spans(r.citations), spans)), None)
    if rule is not None:
        used.add(rule.id)
    return rule


def _tested_criterion(test: TestCase, by_model_id: dict[str, list[str]],
                      criteria: list[Criterion]) -> str | None:
    """The derived id of the criterion a test checks: the one the answer names, when the
    answer has exactly one criterion of that id; else one that cites what the test cites."""
    named = by_model_id.get(test.criterion, [])
    if len(named) == 1:
        return named[0]
    spans = _spans(test.citations)
    return next((c.id for c in criteria if _overlap(_spans(c.citations), spans)), None)


def failure_kind(exc: Exception) -> str:
    """What went wrong, in words that stay the same from run to run (no endpoint address, no
    port), for the documents; the log has the whole message."""
    if isinstance(exc, ResponseTooLargeError):
        return f"its answer was larger than the {exc.limit}-byte cap"
    if isinstance(exc, ProviderTimeoutError):
        return f"no answer within {exc.deadline_s:g} s"
    if isinstance(exc, GenerationError):
        return "no answer that parsed as the expected JSON after the repairs"
    if isinstance(exc, ProviderError) and exc.status:
        return f"the endpoint answered HTTP {exc.status}"
    return f"the endpoint failed ({type(exc).__name__})"


def program_level_failure(exc: ProviderError) -> bool:
    """Whether an endpoint failure concerns one request (a timeout, an answer too large, a
    transient 5xx after retries) rather than the endpoint as a whole."""
    return isinstance(exc, (ProviderTimeoutError, ResponseTooLargeError)) or exc.retryable


def static_cached(ledger: Ledger | None, what: str, payload: str, model: type[T],
                  compute: Callable[[], T]) -> T:
    """The embedded generator's output for ``payload``, from the cache when it was made
    before; logged like a model call (model "static-analysis"), so re-runs show cache hits."""
    if ledger is None:
        return compute()
    digest = hashlib.sha256(payload.encode()).hexdigest()
    request = CompletionRequest(messages=[Message(role="user", content=digest)], model=STATIC)
    version = static_generator_version()
    key = request_key(what, version, request)
    cached = ledger.lookup(key)
    if cached is not None:
        ledger.record(prompt_id=what, prompt_version=version, attempt=1, request_hash=key,
                      response_hash=cached.response_hash, model=STATIC, outcome="ok",
                      cache_hit=True)
        return model.model_validate_json(cached.text)
    value = compute()
    _, response_hash = ledger.store(what, version, request, Completion(
        text=value.model_dump_json(), model=STATIC, mode="text"))
    ledger.record(prompt_id=what, prompt_version=version, attempt=1, request_hash=key,
                  response_hash=response_hash, model=STATIC, outcome="ok")
    return value


@functools.cache
def static_generator_version() -> str:
    """A digest of the embedded generator's own code (and the documents' model): a cached
    static spec is reused only while the code that wrote it is the same."""
    from . import artifacts, rules, specs, wording

    sha = hashlib.sha256()
    for module in (artifacts, rules, specs, wording):
        sha.update(Path(module.__file__ or "").read_bytes())
    return sha.hexdigest()[:12]
