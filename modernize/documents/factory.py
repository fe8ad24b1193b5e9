"""From the analysed estate to reviewed documents: specifications, backlog, traceability.

``build`` produces the artifacts (the embedded static generator; a language model where one is
configured, with every answer's citations checked), ``write`` lays them out in a folder.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..analysis.graphs import EstateAnalysis
from ..analysis.scan import source_lines
from ..core.escape import csv_row
from ..core.model import Estate, Program
from ..core.names import safe_stem, spec_stems
from ..llm import GenerationError, Ledger, Provider, ProviderError
from .artifacts import Backlog, Citation, EstateSpec, ProgramSpec, Traced
from .backlog import backlog as static_backlog
from .citations import ModelIndex, check_backlog, check_spec
from .grounding import Grounding
from .modelgen import (
    failure_kind,
    model_backlog,
    model_purpose,
    model_rules,
    program_level_failure,
    static_cached,
)
from .render import (
    REVIEW_FILE,
    TRACE_COLUMNS,
    DocumentWriter,
    backlog_markdown,
    estate_html,
    estate_markdown,
    merge_review,
    reviewables,
    spec_html,
    spec_markdown,
    trace_rows,
)
from .specs import estate_spec, program_spec

log = logging.getLogger(__name__)

BACKLOG_JSON = "backlog/backlog.json"
SPECS_JSON = "specs/specs.json"


@dataclass(frozen=True)
class Artifacts:
    specs: tuple[ProgramSpec, ...]
    estate: EstateSpec
    backlog: Backlog


def build(estate: Estate, analysis: EstateAnalysis, *, provider: Provider | None = None,
          ledger: Ledger | None = None) -> Artifacts:
    """Specs and backlog for every program, each item's citations checked.

    With a ``provider`` a model writes each program's purpose, business rules and backlog
    items (the rest is read off the model); without one the embedded static generator writes
    everything. The
    ``ledger`` caches and logs both, so an unchanged re-run does no work.
    """
    index = ModelIndex(estate)
    grounding = Grounding(estate)
    specs = []
    answered = False  # whether the endpoint has answered once: then a failure is one program's
    for program in estate.programs:
        try:
            base = program_spec(program, estate, analysis)
        except Exception as exc:  # one program the generator cannot describe: the rest go on
            log.exception("the specification of %s failed", program.id)
            base = _failed_spec(program, f"the static generator failed ({type(exc).__name__}: "
                                         f"{exc}); please report it with the program")
        if provider is None:
            payload = program.model_dump_json() + analysis.programs[program.id].model_dump_json()
            spec = static_cached(ledger, "static.program-spec", payload, ProgramSpec,
                                 lambda base=base: base)
        else:
            spec = _model_spec(provider, ledger, program, base, index, grounding,
                               may_fall_back=answered)
            answered |= spec.generated_by != base.generated_by
        specs.append(check_spec(spec, index))
    drafted = static_backlog(estate, specs) if provider is None else \
        model_backlog(provider, ledger, estate, specs, index, grounding)
    backlog = check_backlog(drafted, index)
    return Artifacts(tuple(specs), estate_spec(estate, analysis), backlog)


def _model_spec(provider: Provider, ledger: Ledger | None, program: Program,
                base: ProgramSpec, index: ModelIndex, grounding: Grounding, *,
                may_fall_back: bool) -> ProgramSpec:
    """The spec with the model's purpose (``purpose_unverified_reason`` saying which names
    in it are not the program's) and rules; the static one, with the reason as an open
    question, when the model fails on this program alone (no answer that parses; or, once the
    endpoint has answered for another program, a timeout, an answer too large, a 5xx after the
    retries). An endpoint that fails outright (refused, not an OpenAI API, or down from the
    first request) raises: every program would fail the same way."""
    facts = {"purpose_from_static_analysis": base.purpose,
             "interfaces": [i.model_dump(mode="json") for i in base.interfaces],
             "dependencies": list(base.dependencies)}
    try:
        purpose, problems = model_purpose(provider, ledger, program, facts, grounding)
        return base.model_copy(update={
            "purpose": purpose, "purpose_unverified_reason": "; ".join(problems) or None,
            "rules": tuple(model_rules(provider, ledger, program, index, grounding)),
            "generated_by": f"model {provider.model} ({provider.name})"})
    except (GenerationError, ProviderError) as exc:
        if isinstance(exc, ProviderError) and not (may_fall_back
                                                   and program_level_failure(exc)):
            raise
        log.warning("%s: the model failed (%s); the static specification stands", program.id,
                    exc)
        return _with_question(base, "model", f"The model failed on this program "
                                             f"({failure_kind(exc)}); this specification is "
                                             "the static one.")


def _with_question(spec: ProgramSpec, key: str, text: str) -> ProgramSpec:
    question = Traced(id=f"question:{spec.program.split(':', 1)[1]}/{key}",
                      citations=spec.citations)
    return spec.model_copy(update={
        "open_questions": (*spec.open_questions, question),
        "question_texts": {**spec.question_texts, question.id: text}})


def _failed_spec(program: Program, why: str) -> ProgramSpec:
    citation = Citation(id=program.id, file=program.path, line=1, end_line=program.lines or None)
    spec = ProgramSpec(id=f"spec:{program.id.split(':', 1)[1]}", program=program.id,
                       title=f"{program.name} specification", purpose=why, kind=program.kind,
                       citations=(citation,))
    return _with_question(spec, "failed", why)


def _sources(root: Path, files: Iterable[str], known: set[str]) -> dict[str, list[str]]:
    """The lines of the cited files to quote; only files the model describes (a citation's
    file is the model's after the check, and anything else is left out all the same)."""
    return {file: lines for file in sorted(set(files) & known)
            if (lines := source_lines(root, file))}


def write(artifacts: Artifacts, estate: Estate, out: Path,
          parts: tuple[str, ...] = ("specs", "backlog")) -> tuple[str, ...]:
    """Write the documents; returns the file names written, relative to ``out``."""
    out = Path(out)
    old_items = _previous_items(out)
    rows_by_spec = {spec.id: trace_rows(spec, artifacts.backlog) for spec in artifacts.specs}
    known = {f.path for f in estate.inventory.files if f.skipped is None}
    with DocumentWriter(out) as writer:
        if "specs" in parts:
            stems = spec_stems((p.id, p.name) for p in estate.programs)
            for spec in artifacts.specs:
                stem = stems.get(spec.program) or safe_stem(spec.program.split(":", 1)[1])
                cited = [c.file for r in spec.rules for c in r.citations]
                cited += [c.file for i in spec.interfaces for c in i.citations]
                writer.write(f"specs/{stem}.md", spec_markdown(spec))
                writer.write(f"specs/{stem}.html", spec_html(
                    spec, rows_by_spec[spec.id], _sources(Path(estate.root), cited, known)))
            writer.write("specs/estate.md", estate_markdown(artifacts.estate,
                                                            list(artifacts.specs), stems))
            writer.write("specs/estate.html", estate_html(artifacts.estate,
                                                          list(artifacts.specs), stems))
            writer.write(SPECS_JSON, json.dumps(
                [s.model_dump(mode="json") for s in artifacts.specs], indent=1) + "\n")
        if "backlog" in parts:
            writer.write("backlog/backlog.md", backlog_markdown(artifacts.backlog))
            writer.write(BACKLOG_JSON, artifacts.backlog.model_dump_json(indent=1) + "\n")
        buffer = io.StringIO()
        table = csv.writer(buffer, lineterminator="\n")
        table.writerow(TRACE_COLUMNS)
        for spec in artifacts.specs:
            table.writerows(csv_row(row) for row in rows_by_spec[spec.id])
        writer.write("traceability.csv", buffer.getvalue())
        review, changes = merge_review(out / REVIEW_FILE,
                                       reviewables(list(artifacts.specs), artifacts.backlog),
                                       old_items)
        writer.write(REVIEW_FILE, review)
        writer.write("review-changes.md", changes)
        names = tuple(writer.names)
    return names


def _previous_items(out: Path) -> dict[str, dict]:
    """The items as last written, to diff a changed item against what was reviewed."""
    found: dict[str, dict] = {}
    try:
        if (out / SPECS_JSON).is_file():
            for spec in json.loads((out / SPECS_JSON).read_text(encoding="utf-8")):
                found.update({r["id"]: r for r in spec.get("rules", [])})
        if (out / BACKLOG_JSON).is_file():
            backlog = json.loads((out / BACKLOG_JSON).read_text(encoding="utf-8"))
            found.update({e["id"]: e for e in backlog.get("epics", [])})
            for story in backlog.get("stories", []):
                found[story["id"]] = story
                found.update({c["id"]: c for c in story.get("criteria", [])})
                found.update({t["id"]: t for t in story.get("tests", [])})
    except (OSError, ValueError):
        return {}
    return found


def load_backlog(folder: Path) -> Backlog:
    return Backlog.model_validate_json((Path(folder) / BACKLOG_JSON).read_text(encoding="utf-8"))
