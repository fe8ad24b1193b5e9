"""Write the guided notebooks and run them, so their stored outputs are current.

    .venv/bin/python notebooks/build.py            # all notebooks, on legacy_samples
    .venv/bin/python notebooks/build.py 02         # the ones whose name starts with 02

    # the notebooks run on your estate, into DIR (the stored ones are left alone)
    .venv/bin/python notebooks/build.py --estate PATH --out DIR [--program P] [--field F]

The cells live here as plain text, so a change to a walk-through is a reviewable diff; CI runs
the stored notebooks with nbval and fails when an output no longer matches.

Each notebook starts with a cell tagged ``parameters`` (papermill's convention): the estate,
the output folder and, where it matters, the program and field to look at. ``--estate`` runs
them as papermill would: a cell tagged ``injected-parameters`` after it sets the values given.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
DEFAULTS = {"estate": "../legacy_samples", "output": "../out/notebooks", "program": None,
            "field": None}
EXPLAINED = {
    "estate": "the legacy repo to analyse (a relative path is from this folder)",
    "output": "where the model, the graph pages and the documents go",
    "program": "a PROGRAM-ID; None (or one the estate lacks): one is chosen",
    "field": "a data item of it; None (or one never written): one is chosen",
}


def md(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(text.strip())


def code(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(text.strip())


def assignments(values: dict[str, object], comments: bool) -> str:
    """``name = value`` lines (values as Python literals), with what each means."""
    width = max(len(f"{k} = {v!r}") for k, v in values.items())
    return "\n".join(f"{f'{k} = {v!r}'.ljust(width)}  # {EXPLAINED[k]}" if comments
                      else f"{k} = {v!r}" for k, v in values.items())


def parameters(*names: str) -> nbformat.NotebookNode:
    """The cell tagged ``parameters``: edit it to open your own estate."""
    cell = code("# Parameters: edit them for your own estate, or inject them (papermill -p, "
                "build.py --estate)\n"
                + assignments({n: DEFAULTS[n] for n in names}, comments=True))
    cell.metadata["tags"] = ["parameters"]
    return cell


EXPLORE = [
    md("""
# 01 · Explore an estate

A first walk through a legacy repo with the workbench. By default it opens `legacy_samples/`:
a card-services shop's batch cycle (daily posting, interest, statements, weekly maintenance), a
DB2 program and a CICS inquiry transaction, with their copybooks and JCL. To open your own
estate, set `estate` in the cell below (see the README, "Explore in Jupyter").

Every fact below comes from the stored model (`model.json` in the output folder) and cites the
file and line it came from. Graphs are interactive and work offline: drag, zoom, hover for
details, double-click to drill down, and use the search box to find a name. Before the notebook
runs (or where it is not trusted) each graph shows as a static picture.
"""),
    parameters("estate", "output"),
    code("""
from pathlib import Path

from modernize.explore.notebook import Workbench

bench = Workbench.analyze(estate, out=output)
pages = Path(output)
len(bench.estate.programs), len(bench.estate.jobs)
"""),
    md("""
## Inventory

What is in the repo, by kind of file, with code and comment lines. Files that could not be read
(binaries, undecodable bytes) would show up in the diagnostics further down.
"""),
    code("bench.languages()"),
    code("bench.inventory().query(\"kind == 'cobol-program'\")"),
    md("""
## Copybooks

Where each copybook lives and which programs pull it in. A copybook the repo lacks is marked
MISSING and blocks the programs listed; IBM-supplied members such as SQLCA and DFHAID are not
expected in a shop's repo and are not listed as missing.
"""),
    code("bench.copybooks()"),
    code("bench.include_graph().show(pages / 'includes.html')"),
    md("""
## Who calls whom

Batch programs are blue, CICS programs orange, called subprograms green; targets outside the
estate are grey diamonds and calls that cannot be resolved are red triangles. Dashed arrows are
dynamic or CICS calls (`CALL WS-PGM`, `EXEC CICS LINK`). Double-click a program to see its
paragraphs.
"""),
    code("bench.call_graph().show(pages / 'calls.html')"),
    md("""
## Data: who creates, reads, updates and deletes what

Datasets by the DD name the JCL binds, DB2 tables and CICS files.
"""),
    code("bench.crud()"),
    code("bench.crud_graph().show(pages / 'crud.html')"),
    md("""
## Hot spots and dead code

Where to look first: the most complex programs (cyclomatic complexity: decisions + 1) and the
most called ones. Dead code is paragraphs no execution reaches — the analysis knows that falling
off the end of a PERFORMed paragraph returns to the PERFORM. The first one is shown below.
"""),
    code("bench.hot_spots()"),
    code("""
dead = bench.dead_code()
dead
"""),
    code("""
for row in dead.head(1).itertuples():
    print(f"{row.program} {row.paragraph}, never reached:")
    print(bench.source(row.file, int(row.line), context=4))
"""),
    md("""
## Diagnostics

Everything the analysis could not do, with the line to look at. None of it stops the run.
"""),
    code("bench.diagnostics()"),
]

DEEP_DIVE = [
    md("""
# 02 · A program end to end

One program read the way a maintainer would: files and records first, then the paragraphs and
their control flow, then one field's data flow and the business conditions.

Which program and which field are parameters (the cell below). Left at `None`, or naming
something the estate lacks, the workbench chooses: the batch program with the most paragraphs
(else a subprogram, else an online one), and the computed numeric field of it with the most
items flowing into it — and says why. On `legacy_samples/` that is ACCTUPDT, the weekly account
maintenance (set `program = "POSTTRAN"` for the daily posting).
"""),
    parameters("estate", "output", "program", "field"),
    code("""
from pathlib import Path

from modernize.explore.notebook import Workbench

bench = Workbench.analyze(estate, out=output)
chosen = bench.choose_program(program)
prog = bench.program(chosen.value)
follow = prog.choose_field(field)
print("program:", chosen)
print("field:  ", follow)
"""),
    md("""
## Files and record layouts

The files the program opens, its records, and the layout of the record that holds the field.
Byte offsets and lengths are computed from PIC and USAGE by IBM's rules (COMP-3 packs two digits
a byte, binary fields take 2, 4 or 8 bytes); items from a copybook cite the copybook's lines.
"""),
    code("prog.files()"),
    code("prog.records()"),
    code("prog.layout(prog.record_of(follow.value))"),
    md("""
## Paragraphs and control flow

The graph shows PERFORMs (solid), GO TOs (orange) and fall-through (dashed) from the entry star;
red paragraphs are unreachable. Node size follows complexity.
"""),
    code("prog.paragraphs()"),
    code("prog.cfg().show(Path(output) / 'program-cfg.html')"),
    md("""
## Where does the field get its value?

Every statement that writes the field, what it reads, and the source line it stands on; then
the first of those statements in its context.
"""),
    code("""
writes = prog.where_from(follow.value)
writes
"""),
    code("""
for row in writes.head(1).itertuples():
    print(prog.source(row.line, file=row.file, context=3))
"""),
    md("""
And further back: every item whose value can flow into the field, through any chain of
MOVEs, COMPUTEs, READs and CALLs.
"""),
    code("prog.feeds(follow.value)"),
    md("""
## Conditions

The decisions the program makes, with level-88 condition names spelled out as the tests they
stand for — the raw material of business rules.
"""),
    code("prog.conditions('IF')"),
]

SPECS = [
    md("""
# 03 · Specifications and a backlog for review

From the analysed estate to documents people review: a specification per program (purpose,
interfaces, record layouts, business rules, control flow, dependencies, open questions), a
backlog (epics per JCL job, user stories, Gherkin acceptance criteria, test cases), a
traceability matrix and a review file. Every item cites the model ids and source lines it rests
on, and the citations are checked.

With no `OPENAI_BASE_URL` set, as here, everything comes from the embedded static generator —
deterministic, no model, no network — and the documents say so. With an endpoint configured
the same calls let a model write the purposes and rules; answers that fail the citation check
are kept and marked "unverified".
"""),
    parameters("estate", "output", "program"),
    code("""
from pathlib import Path

from modernize.explore.notebook import Workbench
from modernize.documents.factory import build, write
from modernize.llm import Ledger

bench = Workbench.analyze(estate, out=output)
chosen = bench.choose_program(program)
print("program:", chosen)
out = Path(output) / "docs"
with Ledger(Path(output) / "docs-llm.sqlite") as ledger:
    artifacts = build(bench.estate, bench.analysis, ledger=ledger)
files = write(artifacts, bench.estate, out)
len(artifacts.specs), len(artifacts.backlog.epics), len(artifacts.backlog.stories)
"""),
    md("""
## One program's specification

The Markdown below is the start of what `specs/<program>.md` in the output folder holds;
`specs/<program>.html` is the same with each citation linked to the quoted source line, for
review in a browser.
"""),
    code("""
from IPython.display import Markdown

from modernize.documents.render import spec_markdown

spec = next(s for s in artifacts.specs if s.program == chosen.value)
print(spec.purpose)
[(r.id, r.title, r.citations[0].where) for r in spec.rules[:5]]
"""),
    code("Markdown(spec_markdown(spec).split('## Business rules')[0][:1500])"),
    md("""
## Business rules: one per branch

A rule is one branch of one decision — the THEN or the ELSE of an IF, each WHEN of an
EVALUATE, the AT END of a READ … — with its condition for that branch and exactly the
statements inside it, literals kept, in COBOL and in words; a decision inside a branch is a
rule of its own (`parent`). A rule is verified only when every action it lists lies inside its
own branch in the model, so a rule whose actions came from the other branch is caught.
File-status and abend handling go to one "Error handling" section, and a glossary maps the
words back to the data items.
"""),
    code("""
rule = next((r for r in spec.rules if r.branch == "ELSE"), spec.rules[0]) if spec.rules else None
if rule is not None:
    print(rule.title, "|", rule.decision, "|", rule.branch, "| verified:", rule.verified)
    for action in rule.actions:
        print(f"  {action.line}: {action.text}  —  {action.words}")
len(spec.rules), len(spec.error_handling), spec.glossary[:5]
"""),
    md("""
## The backlog

Epics follow how the estate runs: one per JCL job, one for the online programs, one for the
rest. Each story's acceptance criteria are its program's rules in Gherkin.
"""),
    code("[(e.id, e.title) for e in artifacts.backlog.epics]"),
    code("""
story = next(s for s in artifacts.backlog.stories if s.id == "story:" + spec.id.split(":", 1)[1])
print(story.statement)
for criterion, test in list(zip(story.criteria, story.tests, strict=False))[:1]:
    print()
    print(criterion.gherkin)
    print(test.steps)
"""),
    md("""
## Traceability and review

Each row links a source element to the spec section, story, criterion and test case built on
it. `review.csv` holds a status per item (draft, in review, approved, rejected), a reviewer and
a comment; regenerating keeps approvals of unchanged items and puts changed ones back in review
with a diff in `review-changes.md`.
"""),
    code("""
import pandas as pd

pd.read_csv(out / "traceability.csv").head(8)
"""),
    code("pd.read_csv(out / 'review.csv')['status'].value_counts()"),
    md("""
## Export to Jira

A CSV for Jira Cloud's importer (epics, then stories with their acceptance criteria in the
description and the criteria field) and REST v3 bulk-create payloads; stable ids make a
re-import update instead of duplicating. Test cases become sub-tasks only when asked
(`modernize export jira … --subtasks`).
"""),
    code("""
from modernize.documents.jira import export_jira

result = export_jira(artifacts.backlog, out / "jira")
result.epics, result.stories, result.subtasks, len(result.bulk_paths)
"""),
    code("print((out / 'jira' / 'jira-import.csv').read_text().splitlines()[0])"),
]

MODERNIZE = [
    md("""
# 04 · Modernize and validate

From a batch COBOL program to Python that provably behaves like it. The deterministic
translator turns each record layout into a class over `modernize.runtime` (exact COBOL data:
DISPLAY, COMP, COMP-3, signs, editing, REDEFINES, OCCURS) and each paragraph into a method that
keeps COBOL's control flow (fall-through, PERFORM THRU, GO TO). Then the validation harness runs
the COBOL through GnuCOBOL and the Python in a sandbox on the same scenarios and compares every
output byte for byte.

The program is a parameter (the cell below). Left at `None`, the workbench chooses the batch
program without EXEC SQL or CICS with the fewest statements, the quickest to validate: on
`legacy_samples/` TRANSORT, the sort step of the daily cycle (SORT with input and output
procedures).
"""),
    parameters("estate", "output", "program"),
    code("""
from pathlib import Path

from modernize.explore.notebook import Workbench
from modernize.translate import estate_module_names, translate_program
from modernize.translate.codecheck import check_module

bench = Workbench.analyze(estate, out=output)
chosen = bench.choose_program(program, purpose="validate")
print("program:", chosen)
prog = bench.program(chosen.value)
translation = translate_program(prog.program, bench.estate)
module = estate_module_names(bench.estate)[prog.program.id]
code_dir = Path(output) / "code"
code_dir.mkdir(parents=True, exist_ok=True)
(code_dir / f"{module}.py").write_text(translation.source)
print(f"{translation.translated} of {translation.statements} statements translated, "
      f"{len(translation.unsupported)} unsupported")
print("libcst checks:", check_module(translation.source).describe())
"""),
    md("""
## Side by side

Each paragraph becomes a method whose docstring names its source: the model id and the lines.
The COBOL on the left, the Python on the right, for the paragraph with the most statements.
"""),
    code("""
import ast
import html

from IPython.display import HTML

from modernize.analysis.scan import source_lines
from modernize.translate import method_name


def side_by_side(paragraph) -> HTML:
    method = method_name(paragraph.key)
    key = next((k for k in translation.functions if k.endswith("." + method)), None)
    if key is None:
        return HTML(f"<p>{html.escape(paragraph.key)} has no method of its own</p>")
    path, first, last = translation.functions[key]
    cobol = "\\n".join(source_lines(Path(bench.estate.root), path)[first - 1:last])
    tree = ast.parse(translation.source)
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == method)
    python = ast.get_source_segment(translation.source, node)
    cell = "<td style='vertical-align:top'><pre style='font-size:11px'>{}</pre></td>"
    return HTML("<table><tr>" + cell.format(html.escape(cobol)) +
                cell.format(html.escape(python)) + "</tr></table>")


busiest = max(prog.program.paragraphs, key=lambda p: (p.statements, p.key), default=None)
side_by_side(busiest) if busiest else "the program has no paragraphs"
"""),
    md("""
## Scenarios, coverage and the verdict

`validate_program` builds the COBOL with paragraph tracing, starts from the sample data
(`legacy_samples/scenarios/<PROGRAM>/sample-data`) or a seeded scenario, explores generated
variants (empty and missing files, values that flip each condition, level-88 values, field
domains) until paragraph coverage stops rising, adds variants up to 20 scenarios, and runs each
one on both sides. A program the twin cannot run (CICS, EXEC SQL, a subprogram) is said so.
"""),
    code("""
import pandas as pd
from IPython.display import display

from modernize.validate.verdicts import validate_program

obstacle = prog.why_not_validated()
if obstacle:
    print("not validated:", obstacle)
else:
    result = validate_program(prog.program, bench.estate, Path(bench.estate.root), code_dir,
                              Path(output) / "validation", min_scenarios=20)
    print(f"{result.equivalent} of {result.scenarios} scenarios equivalent; paragraph "
          f"coverage {100 * result.coverage:.0f}% ({len(result.covered)} of "
          f"{len(result.reachable)})")
    display(pd.DataFrame([{"scenario": v.scenario, "equivalent": v.equivalent,
                           "return code": v.legacy_returncode,
                           "paragraphs entered": len(v.paragraphs)}
                          for v in result.verdicts]).head(12))
"""),
    md("""
## What a difference looks like

A translation that is wrong in one place is caught, and the report names the file, record and
field where the outputs part ways. Here the module is broken by hand: its first comparison is
turned around (`==` for `!=`, or back), then the next one, until the first scenario's outputs
differ.
"""),
    code("""
import re

from modernize.validate.harness.compare import compare
from modernize.validate.harness.legacy import build, run
from modernize.validate.harness.python import run_python
from modernize.validate.verdicts import base_scenario

if obstacle is None:
    built = build(prog.program, bench.estate, Path(bench.estate.root),
                  Path(output) / "validation")
    scenario, _ = base_scenario(prog.program, Path(bench.estate.root), bench.estate)
    expected = run(built, scenario)
    broken_dir = Path(output) / "broken"
    broken_dir.mkdir(parents=True, exist_ok=True)
    for test in list(re.finditer(r"\\) (==|!=) 0:", translation.source))[:10]:
        turned = "!=" if test[1] == "==" else "=="
        broken = translation.source[:test.start(1)] + turned + translation.source[test.end(1):]
        (broken_dir / f"{module}.py").write_text(broken)
        verdict = compare(expected, run_python(broken_dir / f"{module}.py", scenario,
                                               built.dd_names, prog.program.name), prog.program)
        if not verdict.equivalent:
            line = translation.source.count("\\n", 0, test.start()) + 1
            print(f"line {line}: {translation.source.splitlines()[line - 1].strip()} "
                  f"({test[1]} turned into {turned})\\n")
            print(verdict.report())
            break
"""),
    md("""
From the command line the same runs for every program: `modernize translate out/samples --out
out/code` and `modernize validate out/samples --code out/code --out out/validation` (writes
`validation.json` and `validation.md`, with the trace from each paragraph's source lines to its
Python function to the verdicts).
"""),
]

NOTEBOOKS = {
    "01_explore_estate.ipynb": EXPLORE,
    "02_program_deep_dive.ipynb": DEEP_DIVE,
    "03_specs_and_backlog.ipynb": SPECS,
    "04_modernize_and_validate.ipynb": MODERNIZE,
}


def notebook(name: str, values: dict[str, object] | None = None) -> nbformat.NotebookNode:
    """The notebook ``name``, not run; with ``values``, a cell tagged ``injected-parameters``
    after the parameters cell sets them (those the notebook has), as papermill does."""
    cells = [nbformat.from_dict(cell) for cell in NOTEBOOKS[name]]
    if values:
        at = next(i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", ()))
        known = {k: v for k, v in values.items() if f"\n{k} = " in "\n" + cells[at].source}
        injected = code("# Parameters injected by notebooks/build.py\n" +
                        assignments(known, comments=False))
        injected.metadata["tags"] = ["injected-parameters"]
        cells.insert(at + 1, injected)
    for index, cell in enumerate(cells):
        cell.id = f"{name[:2]}-{index:02d}"  # stable ids: a rebuild changes only what changed
    book = nbformat.v4.new_notebook(cells=cells)
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                   "language": "python"}
    return book


def run(name: str, path: Path, values: dict[str, object] | None = None,
        timeout: int = 600) -> Path:
    """Run notebook ``name`` (in this folder, as Jupyter would) and write it to ``path``."""
    book = notebook(name, values)
    NotebookClient(book, timeout=timeout, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(HERE)}}).execute()
    nbformat.write(book, path)
    return path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="run the notebooks whose name starts so")
    parser.add_argument("--estate", help="run them on this estate, into --out")
    parser.add_argument("--out", help="with --estate: where the run notebooks and the "
                                      "model, pages and documents go")
    parser.add_argument("--program", help="the program to look at (else one is chosen)")
    parser.add_argument("--field", help="the field to follow (else one is chosen)")
    options = parser.parse_args(argv)
    wanted = [n for n in NOTEBOOKS if not options.names
              or any(n.startswith(w) for w in options.names)]
    if options.estate is None:
        if options.out or options.program or options.field:
            parser.error("--out, --program and --field go with --estate")
        for name in wanted:
            print(run(name, HERE / name, timeout=120))
        return 0
    if not options.out:
        parser.error("--estate needs --out DIR")
    out = Path(options.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    values = {"estate": str(Path(options.estate).resolve()), "output": str(out),
              "program": options.program, "field": options.field}
    for name in wanted:
        print(run(name, out / name, values))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
