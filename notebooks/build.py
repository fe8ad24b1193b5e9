"""Write the guided notebooks and run them, so their stored outputs are current.

    .venv/bin/python notebooks/build.py            # all notebooks
    .venv/bin/python notebooks/build.py 02         # the ones whose name starts with 02

The cells live here as plain text, so a change to a walk-through is a reviewable diff; CI runs
the stored notebooks with nbval and fails when an output no longer matches.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent


def md(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(text.strip())


def code(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(text.strip())


EXPLORE = [
    md("""
# 01 · Explore an estate

A first walk through a legacy repo with the workbench, on `legacy_samples/`: a card-services
shop's batch cycle (daily posting, interest, statements, weekly maintenance), a DB2 program and
a CICS inquiry transaction, with their copybooks and JCL.

Every fact below comes from the stored model (`out/notebooks/model.json`) and cites the file and
line it came from. Graphs are interactive and work offline: drag, zoom, hover for details,
double-click to drill down, and use the search box to find a name.
"""),
    code("""
from modernize.explore import Workbench

bench = Workbench.analyze("../legacy_samples", out="../out/notebooks")
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
    code("bench.include_graph().show('../out/notebooks/includes.html')"),
    md("""
## Who calls whom

Batch programs are blue, CICS programs orange, called subprograms green; targets outside the
estate are grey diamonds and calls that cannot be resolved are red triangles. Dashed arrows are
dynamic or CICS calls (`CALL WS-PGM`, `EXEC CICS LINK`). Double-click a program to see its
paragraphs.
"""),
    code("bench.call_graph().show('../out/notebooks/calls.html')"),
    md("""
## Data: who creates, reads, updates and deletes what

Datasets by the DD name the JCL binds, DB2 tables and CICS files.
"""),
    code("bench.crud()"),
    code("bench.crud_graph().show('../out/notebooks/crud.html')"),
    md("""
## Hot spots and dead code

Where to look first: the most complex programs (cyclomatic complexity: decisions + 1) and the
most called ones. Dead code is paragraphs no execution reaches — the analysis knows that falling
off the end of a PERFORMed paragraph returns to the PERFORM.
"""),
    code("bench.hot_spots()"),
    code("bench.dead_code()"),
    code("print(bench.source('cobol/POSTTRAN.cbl', 434, context=4))"),
    md("""
## Diagnostics

Everything the analysis could not do, with the line to look at. None of it stops the run.
"""),
    code("bench.diagnostics()"),
]

DEEP_DIVE = [
    md("""
# 02 · A program end to end: POSTTRAN

POSTTRAN is the daily posting: it matches the sorted transactions against the account master,
applies them, writes the new master, a journal report and a suspense file for transactions it
cannot post. This notebook reads it the way a maintainer would: files and records first, then
the paragraphs and their control flow, then one field's data flow and the business conditions.
"""),
    code("""
from modernize.explore import Workbench

bench = Workbench.analyze("../legacy_samples", out="../out/notebooks")
post = bench.program("POSTTRAN")
post.files()
"""),
    md("""
## Record layouts

Byte offsets and lengths are computed from PIC and USAGE by IBM's rules (COMP-3 packs two digits
a byte, binary fields take 2, 4 or 8 bytes); items from a copybook cite the copybook's lines.
"""),
    code("post.records()"),
    code("post.layout('ACCT-MASTER-REC')"),
    md("""
## Paragraphs and control flow

The graph shows PERFORMs (solid), GO TOs (orange) and fall-through (dashed) from the entry star;
red paragraphs are unreachable. Node size follows complexity.
"""),
    code("post.paragraphs()"),
    code("post.cfg().show('../out/notebooks/posttran-cfg.html')"),
    md("""
## Where does the account balance get its value?

Every statement that writes the field, what it reads, and the source line it stands on.
"""),
    code("post.where_from('ACCT-BALANCE')"),
    code("print(post.source(post.where_from('ACCT-BALANCE').line.iloc[0], context=3))"),
    md("""
And further back: every item whose value can flow into the balance, through any chain of
MOVEs, COMPUTEs, READs and CALLs.
"""),
    code("post.feeds('ACCT-BALANCE')"),
    md("""
## Conditions

The decisions the program makes, with level-88 condition names spelled out as the tests they
stand for — the raw material of business rules.
"""),
    code("post.conditions('IF')"),
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
    code("""
from pathlib import Path

from modernize.explore import Workbench
from modernize.factory import build, write
from modernize.llm import Ledger

bench = Workbench.analyze("../legacy_samples", out="../out/notebooks")
out = Path("../out/notebooks/docs")
with Ledger(out.parent / "docs-llm.sqlite") as ledger:
    artifacts = build(bench.estate, bench.analysis, ledger=ledger)
files = write(artifacts, bench.estate, out)
len(artifacts.specs), len(artifacts.backlog.epics), len(artifacts.backlog.stories)
"""),
    md("""
## One program's specification

The Markdown below is what `specs/POSTTRAN.md` holds; `specs/POSTTRAN.html` is the same with
each citation linked to the quoted source line, for review in a browser.
"""),
    code("""
from IPython.display import Markdown

post = next(s for s in artifacts.specs if s.program == "cobol:POSTTRAN")
print(post.purpose)
[(r.id, r.condition, r.citations[0].where) for r in post.rules[:5]]
"""),
    code("Markdown((out / 'specs/POSTTRAN.md').read_text().split('## Business rules')[0][:1500])"),
    md("""
## The backlog

Epics follow how the estate runs: one per JCL job, one for the online programs, one for the
rest. Each story's acceptance criteria are its program's rules in Gherkin.
"""),
    code("[(e.id, e.title) for e in artifacts.backlog.epics]"),
    code("""
story = next(s for s in artifacts.backlog.stories if s.id == "story:POSTTRAN")
print(story.statement)
print()
print(story.criteria[3].gherkin)
print(story.tests[3].steps)
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

A CSV for Jira Cloud's importer (epics, then stories, then test cases as sub-tasks, linked by
Parent) and REST v3 bulk-create payloads; stable ids make a re-import update instead of
duplicating.
"""),
    code("""
from modernize.jira import export_jira

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

Here: TRANSORT, the sort step of the daily cycle (SORT with input and output procedures).
"""),
    code("""
from pathlib import Path

from modernize.codecheck import check_module
from modernize.explore import Workbench
from modernize.translate import translate_program

bench = Workbench.analyze("../legacy_samples", out="../out/notebooks")
program = bench.estate.program("TRANSORT")
translation = translate_program(program, bench.estate)
code_dir = Path("../out/notebooks/code")
code_dir.mkdir(parents=True, exist_ok=True)
(code_dir / f"{translation.module_name}.py").write_text(translation.source)
print(f"{translation.translated} of {translation.statements} statements translated, "
      f"{len(translation.unsupported)} unsupported")
print("libcst checks:", check_module(translation.source).describe())
"""),
    md("""
## Side by side

Each paragraph becomes a method whose docstring names its source: the model id and the lines.
The COBOL on the left, the Python on the right.
"""),
    code("""
import ast
import html

from IPython.display import HTML

from modernize.scan import source_lines


def side_by_side(paragraph: str) -> HTML:
    method = "p_" + paragraph.lower().replace("-", "_")
    path, first, last = translation.functions[f"Transort.{method}"]
    cobol = "\\n".join(source_lines(Path(bench.estate.root), path)[first - 1:last])
    tree = ast.parse(translation.source)
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == method)
    python = ast.get_source_segment(translation.source, node)
    cell = "<td style='vertical-align:top'><pre style='font-size:11px'>{}</pre></td>"
    return HTML("<table><tr>" + cell.format(html.escape(cobol)) +
                cell.format(html.escape(python)) + "</tr></table>")

side_by_side("2100-RETURN-WRITE")
"""),
    md("""
## Scenarios, coverage and the verdict

`validate_program` builds the COBOL with paragraph tracing, starts from the sample data
(`legacy_samples/scenarios/TRANSORT/sample-data`), explores generated variants (empty and
missing files, values that flip each condition, level-88 values, field domains) until
paragraph coverage stops rising, adds variants up to 20 scenarios, and runs each one on both
sides.
"""),
    code("""
import pandas as pd

from modernize.validate import validate_program

result = validate_program(program, bench.estate, Path(bench.estate.root), code_dir,
                          Path("../out/notebooks/validation"), min_scenarios=20)
print(f"{result.equivalent} of {result.scenarios} scenarios equivalent; paragraph coverage "
      f"{100 * result.coverage:.0f}% ({len(result.covered)} of {len(result.reachable)})")
pd.DataFrame([{"scenario": v.scenario, "equivalent": v.equivalent,
               "return code": v.legacy_returncode, "paragraphs entered": len(v.paragraphs)}
              for v in result.verdicts]).head(12)
"""),
    md("""
## What a difference looks like

A translation that is wrong in one place (here, by hand: the duplicate check compares the
wrong record) is caught, and the report names the file, record and field where the outputs
part ways.
"""),
    code("""
from modernize.harness.compare import compare
from modernize.harness.legacy import build, run
from modernize.harness.python import run_python
from modernize.validate import base_scenario

broken = translation.source.replace(
    "compare(self.sw_tran_rec, self.ws_prev_rec) == 0", "False")
assert broken != translation.source
broken_dir = Path("../out/notebooks/broken")
broken_dir.mkdir(parents=True, exist_ok=True)
(broken_dir / "transort.py").write_text(broken)
built = build(program, bench.estate, Path(bench.estate.root), Path("../out/notebooks/validation"))
scenario, _ = base_scenario(program, Path(bench.estate.root))
verdict = compare(run(built, scenario), run_python(broken_dir / "transort.py", scenario,
                                                   built.dd_names, "TRANSORT"), program)
print(verdict.report())
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


def build(name: str, cells: list) -> Path:
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(HERE)}}).execute()
    path = HERE / name
    nbformat.write(notebook, path)
    return path


if __name__ == "__main__":
    wanted = sys.argv[1:]
    for name, cells in NOTEBOOKS.items():
        if not wanted or any(name.startswith(w) for w in wanted):
            print(build(name, cells))
