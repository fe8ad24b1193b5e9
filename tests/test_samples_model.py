"""The model of legacy_samples/ against facts written by hand from the sources.

`tests/fixtures/samples_expected.json` was written by the author of the samples, reading the
COBOL (line numbers checked with grep), not produced by this tool.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modernize.analysis.analyze import analyze_repo
from modernize.analysis.graphs import (
    analyze_estate,
    call_graph,
    crud_matrix,
    data_flow_graph,
    include_graph,
)
from modernize.analysis.store import load_analysis, write_analysis
from modernize.core.model import Estate, Program

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "legacy_samples"
EXPECTED = json.loads((ROOT / "tests/fixtures/samples_expected.json").read_text())
PROGRAMS = sorted(EXPECTED["programs"])


@pytest.fixture(scope="module")
def estate() -> Estate:
    return analyze_repo(SAMPLES)


@pytest.fixture(scope="module")
def analysis(estate):
    return analyze_estate(estate)


def program(estate: Estate, name: str) -> Program:
    found = estate.program(name)
    assert found is not None, f"program {name} not found"
    return found


def test_every_program_and_copybook_is_found(estate):
    assert sorted(p.name for p in estate.programs) == PROGRAMS
    for name, path in EXPECTED["copybooks"].items():
        assert estate.copybooks.get(name) == path, name


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_structure(estate, name):
    want = EXPECTED["programs"][name]
    got = program(estate, name)
    assert got.path == want["path"]
    assert [(p.name, p.line) for p in got.paragraphs] == \
        [(p["name"], p["line"]) for p in want["paragraphs"]]
    assert [(s.name, s.line) for s in got.sections] == \
        [(s["name"], s["line"]) for s in want.get("sections", [])]
    assert sorted(got.copybooks) == sorted(want["copybooks"])


@pytest.mark.parametrize("name", PROGRAMS)
def test_calls(estate, name):
    want = EXPECTED["programs"][name]
    got = program(estate, name)
    calls = {(c.target, c.kind, c.line) for c in got.calls}
    for call in want.get("calls", []):
        assert (call["target"], call["kind"], call["line"]) in calls, call
        if call["kind"] == "dynamic":
            match = next(c for c in got.calls if c.line == call["line"])
            assert match.via == call["via"]
    for cmd in want.get("cics", []):
        if cmd["command"] in ("LINK", "XCTL"):
            assert (cmd["target"], f"cics-{cmd['command'].lower()}", cmd["line"]) in calls, cmd


@pytest.mark.parametrize("name", PROGRAMS)
def test_cics_and_sql(estate, name):
    want = EXPECTED["programs"][name]
    got = program(estate, name)
    cics = {(c.command, c.target, c.line) for c in got.cics}
    for cmd in want.get("cics", []):
        assert (cmd["command"], cmd["target"], cmd["line"]) in cics, cmd
    for table in want.get("sql_tables", []):
        statements = [s for s in got.sql if s.line == table["line"]]
        assert statements, f"no SQL statement at line {table['line']}"
        ops = {op for s in statements for t, op in zip(s.tables, s.crud, strict=False)
               if t == table["table"]}
        assert ops == set(table["ops"]), table
    assert sorted({s.cursor for s in got.sql if s.cursor}) == sorted(want.get("sql_cursors", []))


@pytest.mark.parametrize("name", PROGRAMS)
def test_files_and_open_modes(estate, name):
    want = EXPECTED["programs"][name]
    got = program(estate, name)
    files = {f.name: f for f in got.files}
    assert sorted(files) == sorted(f["select"] for f in want.get("files", []))
    for expected in want.get("files", []):
        file = files[expected["select"]]
        assert file.assign == expected["assign"]
        assert file.organization == expected["organization"]
        modes = sorted({op.mode for op in got.file_ops
                        if op.verb == "OPEN" and op.file_name == file.name})
        assert modes == sorted(expected["open_modes"]), expected


@pytest.mark.parametrize("name", PROGRAMS)
def test_control_flow_facts(estate, analysis, name):
    want = EXPECTED["programs"][name]
    got = program(estate, name)
    assert sorted(analysis.programs[got.id].unreachable_paragraphs) == \
        sorted(want.get("unreachable_paragraphs", []))
    thru = {(p.target, p.thru, p.line) for p in got.performs if p.thru}
    for perform in want.get("perform_thru", []):
        assert (perform["from"], perform["thru"], perform["line"]) in thru, perform
    gotos = {(t, g.line) for g in got.gotos for t in g.targets}
    for goto in want.get("goto", []):
        assert (goto["target"], goto["line"]) in gotos, goto


@pytest.mark.parametrize("name", sorted(EXPECTED.get("data_items", {})))
def test_data_item_layouts(estate, name):
    got = program(estate, name)
    for want in EXPECTED["data_items"][name]:
        item = got.data_item(want["name"])
        assert item is not None, want["name"]
        actual = {"name": item.name, "level": item.level, "pic": item.picture,
                  "usage": item.usage, "offset": item.offset, "length": item.length,
                  "file": item.file, "line": item.line}
        assert {k: actual[k] for k in want if k in actual} == \
            {k: v for k, v in want.items() if k in actual}


def test_crud_matrix_names_sql_tables_and_datasets(estate):
    resources = {c.resource for c in crud_matrix(estate)}
    for name in PROGRAMS:
        for table in EXPECTED["programs"][name].get("sql_tables", []):
            assert f"sql-table:{table['table']}" in resources
        for file in EXPECTED["programs"][name].get("files", []):
            if file["open_modes"]:
                assert f"dataset:{file['assign']}" in resources


def test_model_json_round_trip(tmp_path, estate, analysis):
    write_analysis(tmp_path, estate, analysis)
    loaded, loaded_analysis = load_analysis(tmp_path)
    assert loaded == estate
    assert loaded_analysis == analysis
    document = json.loads((tmp_path / "model.json").read_text())
    assert document["schema_version"]
    for entry in document["programs"]:
        assert {"id", "name", "path", "paragraphs", "calls", "copybooks",
                "diagnostics"} <= set(entry)


def test_schema_doc_is_current():
    from modernize.cli import model_schema_json

    assert (ROOT / "docs/model.schema.json").read_text().strip() == model_schema_json().strip(), \
        "regenerate with: modernize schema > docs/model.schema.json"


# --- graphs and analyses, with values counted by hand from the sources ----------------------


def test_datevals_callers_fan_in(estate, analysis):
    # TRANVAL and INTCALC call it statically, ACCTUPDT through WS-PGM, ACCTINQ by CICS LINK
    dateval = analysis.programs["cobol:DATEVAL"]
    assert dateval.callers == ("ACCTINQ", "ACCTUPDT", "INTCALC", "TRANVAL")
    assert dateval.fan_in == 4 and dateval.fan_out == 0
    edges = {(s, t, d["kind"], d["line"]) for s, t, d in call_graph(estate).edges(data=True)}
    assert ("cobol:ACCTINQ", "cobol:DATEVAL", "cics-link", 160) in edges
    assert ("cobol:ACCTUPDT", "cobol:DATEVAL", "dynamic", 281) in edges


def test_paragraph_complexity_counts_decisions(estate, analysis):
    # 1100-READ-RELEASE: AT END (113), PERFORM VARYING ... UNTIL (116), IF (121)
    # 2100-RETURN-WRITE: AT END (148), IF (152)
    per_para = analysis.programs["cobol:TRANSORT"].paragraph_complexity
    assert per_para["1100-READ-RELEASE"] == 4
    assert per_para["2100-RETURN-WRITE"] == 3
    assert per_para["1000-EXIT"] == 1


def test_data_flow_graph_answers_where_a_field_gets_its_value(estate):
    graph = data_flow_graph(program(estate, "TRANSORT"))
    sources = {(s, d["verb"], d["line"]) for s, _, d in graph.in_edges("WS-PREV-REC", data=True)}
    assert sources == {("SW-TRAN-REC", "MOVE", 160)}


def test_include_graph_has_the_nested_copy(estate):
    graph = include_graph(estate)
    assert graph.has_edge("cobol:CARDXTR", "copybook:CARDREC")
    assert graph.has_edge("copybook:CARDREC", "copybook:CARDENT")
    assert graph.edges["copybook:CARDREC", "copybook:CARDENT"]["line"] == 16
    assert graph.nodes["copybook:DFHAID"]["kind"] == "system-copybook"


def test_cics_link_reads_its_commarea(estate):
    link = next(c for c in program(estate, "ACCTINQ").cics if c.command == "LINK")
    flow = next(f for f in program(estate, "ACCTINQ").data_flow
                if f.verb == "EXEC CICS LINK" and f.line == link.line)
    assert flow.reads == ("DATE-PARMS",)


def test_a_pickled_estate_comes_back_equal_and_compact(estate):
    """The models are pickled as (class, values, names set), not pydantic's state dict per
    instance: the analysis workers send every program's model back this way."""
    import copyreg
    import pickle

    from modernize.core.model import DataItem, _revive

    data = pickle.dumps(estate, protocol=pickle.HIGHEST_PROTOCOL)
    back = pickle.loads(data)
    assert back == estate
    assert back.model_dump_json() == estate.model_dump_json()
    item = back.programs[0].data_items[0]
    assert item.__pydantic_fields_set__ == estate.programs[0].data_items[0].__pydantic_fields_set__
    # the instances of one pickle share their names sets, as the analysis made them share
    items = [i for p in back.programs for i in p.data_items]
    assert len({id(i.__pydantic_fields_set__) for i in items}) < len(items) / 10
    assert item.__reduce__()[0] is _revive
    assert b"__pydantic_fields_set__" not in data  # no per-instance state dict
    # a copy made with new fields keeps its own names set, and still pickles right
    copied = item.model_copy(update={"line": 9})
    assert pickle.loads(pickle.dumps(copied)).line == 9
    # an instance holding private or extra values goes pydantic's own way
    odd = DataItem.model_construct(**dict(item))
    object.__setattr__(odd, "__pydantic_extra__", {"x": 1})
    assert odd.__reduce__()[0] is copyreg.__newobj__
    assert pickle.loads(pickle.dumps(odd)).__pydantic_extra__ == {"x": 1}


def _fact_rows(programs, attribute: str) -> list[tuple]:
    """A fact table's rows as the model gives them: program name, then each field, lists
    and objects as JSON text."""
    return [(p.name, *(v if v is None or isinstance(v, (int, float, str)) else json.dumps(v)
                      for v in fact.values()))
            for p in programs for fact in p.model_dump(mode="json")[attribute]]


def test_staged_programs_are_written_in_the_estates_order_and_as_they_are_now(
        estate, analysis, tmp_path):
    """The model files' part of each program is staged as the program arrives (out of
    order with workers); what is written is the estate's programs in its order, and a
    program replaced after it was staged (a duplicate analysed again, a subprogram made
    batch) is written as it is now."""
    import sqlite3

    from modernize.analysis.store import _PROGRAM_TABLES, AnalysisDocument, ProgramStaging

    programs = list(estate.programs)
    replaced = programs[1].model_copy(update={"kind": "batch", "name": "RENAMED"})
    final = estate.model_copy(update={"programs": (programs[0], replaced, *programs[2:])})
    with ProgramStaging(tmp_path) as staging:
        for staged in reversed(programs):  # the last first; the one replaced as it was
            staging.add(staged)
        write_analysis(tmp_path, final, analysis, staging)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json", "model.sqlite"]
    whole = AnalysisDocument.model_construct(**dict(final), analysis=analysis)
    assert (tmp_path / "model.json").read_text() == whole.model_dump_json(indent=1) + "\n"
    database = sqlite3.connect(tmp_path / "model.sqlite")
    try:
        for table, attribute in _PROGRAM_TABLES.items():
            rows = database.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
            if table == "paragraphs":
                rows = [row[:-2] for row in rows]  # unreachable, complexity: from the graphs
            assert rows == _fact_rows(final.programs, attribute), table
        assert any(row[0] == "RENAMED" for row in database.execute("SELECT program FROM "
                                                                   "data_items"))
    finally:
        database.close()


def test_a_failed_write_leaves_no_staging_file(tmp_path, monkeypatch):
    from modernize.analysis import store
    from modernize.analysis.run import analyze_into
    from modernize.core.errors import OutputDirError

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "write_database", full_disk)
    with pytest.raises(OutputDirError, match="No space left"):
        analyze_into(SAMPLES, tmp_path / "out", use_cache=False)
    assert [p.name for p in (tmp_path / "out").iterdir() if "staging" in p.name] == []


def _shop_estate_analysis(root: Path) -> Estate:
    """The shop-shaped test estate (tests/shop_estate.py), written under ``root`` and
    analysed."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    try:
        from shop_estate import shop_estate
    finally:
        sys.path.pop(0)
    shop_estate(root)
    return analyze_repo(root)


def _frozen_instances(value, out: list) -> list:
    """Every model instance in ``value``, depth first."""
    from modernize.core.model import Frozen

    if isinstance(value, Frozen):
        out.append(value)
        for field_value in value.__dict__.values():
            _frozen_instances(field_value, out)
    elif isinstance(value, tuple | list):
        for element in value:
            _frozen_instances(element, out)
    elif isinstance(value, dict):
        for element in value.values():
            _frozen_instances(element, out)
    return out


def _as_validated(instance):
    """``instance`` built again through pydantic's validation from its own values."""
    return type(instance)(**{name: instance.__dict__[name]
                             for name in instance.__pydantic_fields_set__})


@pytest.mark.parametrize("where", ["samples", "shop"])
def test_models_assembled_without_validation_are_what_validation_makes(where, estate,
                                                                       tmp_path):
    """The extraction builds its data items (and their values), statements (their branches,
    sentences), data flows, conditions and performs without pydantic's
    validation (``assemble``): every instance of the model must be what validation makes of
    its values, field by field and type by type (a list where a tuple belongs, text where an
    enum member belongs, a missing default would all show here), with the same names set."""

    from modernize.core.model import (
        Branch,
        Condition,
        ConditionValue,
        DataFlow,
        DataItem,
        Perform,
        Sentence,
        Statement,
    )

    if where == "shop":
        estate = _shop_estate_analysis(tmp_path)
    instances = _frozen_instances(estate, [])
    kinds = {type(i) for i in instances}
    assert {DataItem, Statement, Branch, Sentence, DataFlow, Condition, Perform,
            ConditionValue} <= kinds
    for instance in instances:
        again = _as_validated(instance)
        assert list(again.__dict__) == list(instance.__dict__), instance
        for name, value in again.__dict__.items():
            mine = instance.__dict__[name]
            assert mine == value and type(mine) is type(value), (instance, name)
        assert again.__pydantic_fields_set__ == instance.__pydantic_fields_set__, instance


def test_assemble_refuses_unknown_and_missing_fields():
    from modernize.core.model import DataFlow, assemble

    given = {"paragraph": None, "verb": "MOVE", "file": "a.cbl", "line": 3, "reads": ("A",)}
    flow = assemble(DataFlow, **given)
    assert flow == DataFlow(**given) and flow.writes == ()
    assert flow.__pydantic_fields_set__ == set(given)
    assert list(flow.__dict__) == list(DataFlow(**given).__dict__)
    with pytest.raises(TypeError):
        assemble(DataFlow, paragraph=None, verb="MOVE", file="a.cbl")  # no line
    with pytest.raises(TypeError):
        assemble(DataFlow, **given, colour="red")


def _fields_in_two_walks(walker, node):  # noqa: ANN001, ANN202 - the rule as first written
    from modernize.analysis.cobol.extract import _SUBSCRIPTS

    def subscript_names(top):  # noqa: ANN001, ANN202
        found: list[str] = []
        stack = [top]
        while stack:
            current = stack.pop()
            if current.type in _SUBSCRIPTS:
                found += walker._names(current)
                continue
            stack.extend(current.children)
        return found

    out: dict[str, list[str]] = {}
    for index, child in enumerate(node.children):
        field_name = node.field_name_for_child(index) or child.type
        if child.type in _SUBSCRIPTS:
            out.setdefault("subscript", []).extend(walker._names(child))
            continue
        out.setdefault(field_name, []).extend(walker._names(child, subscripts=False))
        out.setdefault("subscript", []).extend(subscript_names(child))
    return out


_SUBSCRIPTED = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. SUBSCR.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  GRID.
           05  ROW-ENTRY OCCURS 9 INDEXED BY RX.
               10  CELL          PIC X(4) OCCURS 9 INDEXED BY CX.
               10  ROW-TOTAL     PIC 9(5).
       01  OTHER-GRID.
           05  ROW-ENTRY OCCURS 9.
               10  CELL          PIC X(4) OCCURS 9.
               10  ROW-TOTAL     PIC 9(5).
       01  I                     PIC 9.
       01  J                     PIC 9.
       01  K                     PIC 9.
       01  N                     PIC 9.
       01  OUT-TEXT              PIC X(20).
       PROCEDURE DIVISION.
       MAIN-PARA.
           MOVE CELL (I, J) TO CELL (K, N).
           MOVE CELL OF GRID (I, J) (K:N) TO OUT-TEXT (J:K).
           MOVE ROW-TOTAL OF OTHER-GRID (I) TO ROW-TOTAL IN GRID (J).
           ADD ROW-TOTAL (I) TO ROW-TOTAL (K).
           COMPUTE ROW-TOTAL (I) = ROW-TOTAL (J) + ROW-TOTAL (K) * N.
           STRING CELL (I, J) CELL (K, N) DELIMITED BY SIZE
               INTO OUT-TEXT.
           IF CELL (I, K) = CELL (J, N) OR OUT-TEXT (I:J) = SPACES
               MOVE SPACES TO CELL (RX, CX) OUT-TEXT (K:)
           END-IF.
           MOVE CELL OF ROW-ENTRY OF GRID (I, J) TO OUT-TEXT(I:).
           GOBACK.
"""


@pytest.mark.parametrize("where", ["samples", "shop", "subscripts"])
def test_a_statements_names_are_found_in_one_walk_as_in_two(where, estate, tmp_path,
                                                            monkeypatch):
    """The names a statement reads and writes, by field, and those in its subscripts and
    reference modifications, come from one walk of each operand: the same as the two walks
    it replaces, on every statement of the samples and the shop estate."""

    from modernize.analysis.cobol.extract import _ProcedureWalker

    if where == "shop":
        estate = _shop_estate_analysis(tmp_path)
    if where == "subscripts":  # two subscripts in one operand, qualified, reference-modified
        (tmp_path / "SUBSCR.cbl").write_text(_SUBSCRIPTED)
        estate = analyze_repo(tmp_path)
    compared: list[int] = []
    one_walk = _ProcedureWalker._fields

    def both(walker, node):  # noqa: ANN001, ANN202
        mine = one_walk(walker, node)
        assert mine == _fields_in_two_walks(walker, node), walker.ctx.text(node)
        compared.append(sum(len(names) for names in mine.get("subscript", ())))
        return mine

    monkeypatch.setattr(_ProcedureWalker, "_fields", both)
    again = analyze_repo(Path(estate.root))
    assert again.programs == estate.programs
    # statements with subscripts among them
    assert len(compared) >= (8 if where == "subscripts" else 40) and any(compared)
