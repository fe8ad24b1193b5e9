"""A backlog from the specifications, with no language model: the embedded default.

Epics follow how the estate runs: one per JCL job (the programs its steps run), one for the
online (CICS) programs, one for the rest. A story per program states what it must keep doing;
its acceptance criteria are its business rules in Gherkin, and each criterion gets a test case
with steps, data and expected result. Everything cites the rule or interface it comes from.
"""

from __future__ import annotations

from .artifacts import Backlog, Criterion, Epic, ProgramSpec, Rule, Story, TestCase
from .model import Estate

_ROLE = {"batch": "an operations analyst running the batch cycle",
         "online": "a customer service representative using the online system",
         "subprogram": "a developer of the programs that call it"}


def epic_of(estate: Estate) -> dict[str, tuple[str, str, str]]:
    """program id → (epic id, title, description)."""
    out: dict[str, tuple[str, str, str]] = {}
    for job in estate.jobs:
        runs = [s.program for s in job.steps if s.program and estate.program(s.program)]
        for name in runs:
            program = estate.program(name)
            assert program is not None  # kept above
            out.setdefault(program.id, (f"epic:job:{job.name}", f"Job {job.name}",
                                        f"The programs job {job.name} ({job.path}) runs, step "
                                        f"by step: {', '.join(runs)}."))
    for program in estate.programs:
        if program.id in out:
            continue
        if program.kind == "online":
            out[program.id] = ("epic:online", "Online transactions",
                               "CICS programs users work with on screens.")
        else:
            out[program.id] = ("epic:shared", "Shared and unscheduled programs",
                               "Programs no JCL job in the repo runs: subprograms others "
                               "call, and programs scheduled elsewhere.")
    return out


def criterion_of(rule: Rule) -> Criterion:
    return Criterion(
        id=f"criterion:{rule.id.removeprefix('rule:')}",
        given=f"the condition {rule.condition} holds",
        when=f"paragraph {rule.paragraph} runs", then=f"the program does: {rule.action}",
        citations=rule.citations, generated_by=rule.generated_by, verified=rule.verified,
        unverified_reason=rule.unverified_reason)


def test_of(spec: ProgramSpec, rule: Rule, criterion: Criterion) -> TestCase:
    inputs = [i.name for i in spec.interfaces if i.kind in ("file", "table", "screen")
              and "in" in i.direction]
    outputs = [i.name for i in spec.interfaces if i.kind in ("file", "table", "screen")
               and "out" in i.direction]
    items = ", ".join(rule.data_items) or "the fields it tests"
    return TestCase(
        id=f"test:{rule.id.removeprefix('rule:')}", criterion=criterion.id,
        title=f"{spec.program.split(':', 1)[1]}: {rule.title}",
        steps=(f"Prepare input ({', '.join(inputs) or 'the program parameters'}) so that "
               f"{rule.condition}",
               f"Run {spec.program.split(':', 1)[1]} the way its job or caller runs it",
               f"Compare {', '.join(outputs) or 'the results'} with the expected result"),
        data=f"Values of {items} that make the condition true, and a second set that makes "
             "it false",
        expected=f"When true: {rule.action}. When false: that does not happen.",
        citations=rule.citations, generated_by=rule.generated_by, verified=rule.verified,
        unverified_reason=rule.unverified_reason)


def backlog(estate: Estate, specs: list[ProgramSpec]) -> Backlog:
    epics_by_program = epic_of(estate)
    epics: dict[str, Epic] = {}
    stories: list[Story] = []
    for spec in specs:
        name = spec.program.split(":", 1)[1]  # unique: NAME, or NAME@path for a duplicate
        epic_id, title, description = epics_by_program[spec.program]
        if epic_id not in epics:
            epics[epic_id] = Epic(id=epic_id, title=title, description=description,
                                  citations=())
        epics[epic_id] = epics[epic_id].model_copy(update={
            "citations": epics[epic_id].citations + spec.citations})
        criteria = tuple(criterion_of(rule) for rule in spec.rules)
        tests = tuple(test_of(spec, rule, c) for rule, c in zip(spec.rules, criteria,
                                                                 strict=True))
        verified = all(r.verified for r in spec.rules)
        stories.append(Story(
            id=f"story:{name}", epic=epic_id, title=f"Keep {name}'s behaviour",
            as_a=_ROLE.get(spec.kind, "a user of the system"),
            i_want=f"{name} to keep doing what it does today: {spec.purpose[0].lower()}"
                   f"{spec.purpose[1:].rstrip('.')}",
            so_that="the modernized system gives the same results as the legacy one",
            criteria=criteria, tests=tests, citations=spec.citations,
            generated_by=spec.generated_by, verified=verified,
            unverified_reason=None if verified else "some of its rules failed the citation "
                                                     "check"))
    return Backlog(epics=tuple(epics.values()), stories=tuple(stories))
