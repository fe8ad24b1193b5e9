"""Specification parts written by a language model, from packed slices of the model.

The static specification stays the base (interfaces, layouts and control flow are facts of the
model); a configured model writes the purpose and the business rules. Each prompt gets only the
slice of the model it needs: a program's paragraphs with their conditions, the statements'
reads and writes, what they perform and call, and the data items they touch, cut into parts
under a token budget for large programs and the parts' rules merged. Every answer's citations
are checked against the model; what fails after the repairs is kept, marked unverified.

With no model configured, ``static_cached`` still records each program's generation in the same
cache and audit log, so an unchanged re-run does no work and the log shows the cache hits.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel

from .artifacts import STATIC, Backlog, Citation, Epic, ProgramSpec, Rule
from .backlog import backlog as static_backlog
from .backlog import epic_of
from .citations import ModelIndex
from .llm import (
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
from .llm.ledger import request_key
from .model import Estate, Program

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


class RuleSet(BaseModel):
    rules: list[RuleDraft]


class ProgramSummary(BaseModel):
    purpose: str


def paragraph_context(program: Program) -> list[dict]:
    """One entry per paragraph or section: what a prompt needs to know of it."""
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
                index: ModelIndex, budget_tokens: int = DEFAULT_BUDGET_TOKENS) -> list[Rule]:
    prompt = load_prompts()["spec.business-rules"]
    rules: list[Rule] = []
    for part in pack(paragraph_context(program), program, budget_tokens):
        def check(answer: RuleSet) -> list[str]:
            return [f"{draft.id}: {problem}" for draft in answer.rules
                    for problem in index.rule_problems(_rule(draft, provider, True, None))]

        result = generate(provider, prompt, {"program": program.name, "context": part},
                          RuleSet, ledger, validate=check)
        for draft in result.value.rules:
            problems = index.rule_problems(_rule(draft, provider, True, None))
            rules.append(_rule(draft, provider, not problems,
                               "; ".join(problems) if problems else None))
    return rules


def _rule(draft: RuleDraft, provider: Provider, verified: bool, reason: str | None) -> Rule:
    return Rule(id=draft.id, title=draft.title, paragraph=draft.paragraph,
                condition=draft.condition, action=draft.action,
                data_items=tuple(draft.data_items), citations=tuple(draft.citations),
                generated_by=f"model {provider.model} ({provider.name})", verified=verified,
                unverified_reason=reason)


def model_purpose(provider: Provider, ledger: Ledger | None, program: Program,
                  facts: dict) -> str:
    prompt = load_prompts()["spec.program-summary"]
    result = generate(provider, prompt, {"program": program.name, "context": facts},
                      ProgramSummary, ledger)
    return result.value.purpose


def model_backlog(provider: Provider, ledger: Ledger | None, estate: Estate,
                  specs: list[ProgramSpec], index: ModelIndex) -> Backlog:
    """Epics, stories, criteria and test cases written by the model, one program at a time
    (its spec's rules and citations as context), merged into one backlog."""
    prompt = load_prompts()["backlog.stories"]
    epics_of = epic_of(estate)
    epics: dict[str, Epic] = {}
    stories = []
    origin = f"model {provider.model} ({provider.name})"
    for spec in specs:
        name = spec.program.split(":", 1)[1]
        epic_id, title, description = epics_of[spec.program]
        context = {"program": name, "epic": {"id": epic_id, "title": title},
                   "purpose": spec.purpose,
                   "interfaces": [f"{i.kind} {i.name} ({i.direction})" for i in spec.interfaces],
                   "rules": [r.model_dump(mode="json", include={
                       "id", "title", "paragraph", "condition", "action", "data_items",
                       "citations"}) for r in spec.rules]}

        def check(answer: Backlog) -> list[str]:
            items = [*answer.epics, *answer.stories,
                     *(c for s in answer.stories for c in s.criteria),
                     *(t for s in answer.stories for t in s.tests)]
            return [f"{item.id}: {p}" for item in items for p in index.problems(item)]

        try:
            result = generate(provider, prompt, {"scope": name, "specs": [context]}, Backlog,
                              ledger, validate=check)
        except (GenerationError, ProviderError) as exc:
            if isinstance(exc, ProviderError) and not program_level_failure(exc):
                raise
            log.warning("%s: the model failed on the backlog (%s); the static stories stand",
                        spec.program, exc)
            fallback = static_backlog(estate, [spec])
            for epic in fallback.epics:
                epics.setdefault(epic.id, epic)
            stories.extend(fallback.stories)
            continue
        for epic in result.value.epics:
            epics.setdefault(epic.id, epic.model_copy(update={"generated_by": origin}))
        epics.setdefault(epic_id, Epic(id=epic_id, title=title, description=description,
                                       citations=spec.citations, generated_by=origin))
        for story in result.value.stories:
            stories.append(story.model_copy(update={
                "generated_by": origin,
                "criteria": tuple(c.model_copy(update={"generated_by": origin})
                                  for c in story.criteria),
                "tests": tuple(t.model_copy(update={"generated_by": origin})
                               for t in story.tests)}))
    return Backlog(epics=tuple(epics.values()), stories=tuple(stories))


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
    key = request_key(what, "1", request)
    cached = ledger.lookup(key)
    if cached is not None:
        ledger.record(prompt_id=what, prompt_version="1", attempt=1, request_hash=key,
                      response_hash=cached.response_hash, model=STATIC, outcome="ok",
                      cache_hit=True)
        return model.model_validate_json(cached.text)
    value = compute()
    _, response_hash = ledger.store(what, "1", request, Completion(
        text=value.model_dump_json(), model=STATIC, mode="text"))
    ledger.record(prompt_id=what, prompt_version="1", attempt=1, request_hash=key,
                  response_hash=response_hash, model=STATIC, outcome="ok")
    return value
