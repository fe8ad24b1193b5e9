"""Notebooks for any estate: choosing what to look at, and the graphs' static pictures.

The choosing rules are checked on the samples and on small estates that have none of the
samples' names; the stored notebooks themselves run under nbval, and notebook 01 and 02 run
here on such an estate too (as ``notebooks/build.py --estate`` runs them).
"""

from __future__ import annotations

import base64
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from modernize.analysis.graphs import call_graph
from modernize.explore.notebook import Choice, Workbench

pytest.importorskip("pyvis")
from modernize.explore.views import GraphView, picture, render  # noqa: E402 - needs pyvis

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "legacy_samples"
SVG = "{http://www.w3.org/2000/svg}"


def cobol(name: str, working: str, procedure: str) -> str:
    """A fixed-format program: 7 spaces of margin before every line given."""
    lines = ["IDENTIFICATION DIVISION.", f"PROGRAM-ID. {name}.", "DATA DIVISION.",
             "WORKING-STORAGE SECTION.", *working.strip("\n").splitlines(),
             "PROCEDURE DIVISION.", *procedure.strip("\n").splitlines()]
    return "".join(f"       {line}\n" for line in lines)


# ZZBIG: the batch program with the most paragraphs; ZZTOTAL is computed from three items,
# ZZCOUNT only counts, ZZMSG is moved. ZZLITTLE: a small batch program (the quickest to
# validate). ZZQUERY: smaller still, but with EXEC SQL. ZZSCREEN: more paragraphs than any,
# but online (CICS).
SHOP = {
    "src/ZZBIG.cbl": cobol("ZZBIG", """
01 ZZ-WORK.
   05 ZZA        PIC S9(5)V99 VALUE 1.
   05 ZZB        PIC S9(5)V99 VALUE 2.
   05 ZZC        PIC S9(5)V99 VALUE 3.
   05 ZZTOTAL    PIC S9(7)V99 VALUE 0.
   05 ZZCOUNT    PIC 9(5) VALUE 0.
   05 ZZMSG      PIC X(20) VALUE SPACES.
   05 ZZUNUSED   PIC X(4) VALUE SPACES.
""", """
A-MAIN.
    PERFORM B-ADD
    PERFORM C-COUNT
    PERFORM D-SAY
    STOP RUN.
B-ADD.
    COMPUTE ZZTOTAL = ZZA + ZZB * ZZC.
C-COUNT.
    ADD 1 TO ZZCOUNT.
D-SAY.
    MOVE 'DONE' TO ZZMSG
    DISPLAY ZZMSG ZZTOTAL ZZCOUNT.
E-NEVER.
    DISPLAY 'NEVER'.
"""),
    "src/ZZLITTLE.cbl": cobol("ZZLITTLE", """
01 ZZL-WORK.
   05 ZZL-N      PIC 9(3) VALUE 0.
""", """
L-MAIN.
    ADD 1 TO ZZL-N
    DISPLAY ZZL-N
    STOP RUN.
"""),
    "src/ZZQUERY.cbl": cobol("ZZQUERY", """
01 ZZQ-ID        PIC 9(5) VALUE 0.
""", """
Q-MAIN.
    EXEC SQL SELECT 1 INTO :ZZQ-ID FROM SYSIBM.SYSDUMMY1 END-EXEC
    STOP RUN.
"""),
    "src/ZZSCREEN.cbl": cobol("ZZSCREEN", """
01 ZZS-KEY       PIC X(8) VALUE SPACES.
""", "\n".join(f"S-{i}.\n    MOVE 'K{i}' TO ZZS-KEY." for i in range(1, 9)) + """
S-END.
    EXEC CICS RETURN END-EXEC.
"""),
}


def write_estate(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Workbench:
    return Workbench.analyze(SAMPLES, out=tmp_path_factory.mktemp("samples"))


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Workbench:
    root = write_estate(tmp_path_factory.mktemp("shop"), SHOP)
    return Workbench.analyze(root, out=root / "out")


# --------------------------------------------------------------------------- programs


def test_the_samples_choose_the_biggest_batch_program_and_the_quickest_to_validate(
        samples: Workbench) -> None:
    chosen = samples.choose_program()
    assert chosen == Choice("cobol:ACCTUPDT", "ACCTUPDT", "ACCTUPDT: the batch program with "
                            "the most paragraphs (19, 448 lines)")
    quick = samples.choose_program(None, purpose="validate")
    assert (quick.value, quick.name) == ("cobol:TRANSORT", "TRANSORT")
    assert "without EXEC SQL or CICS with the fewest statements" in quick.reason
    # DELQSQL is a batch program, but GnuCOBOL cannot build its EXEC SQL
    assert samples.program(quick.value).why_not_validated() is None
    assert "DB2 precompiler" in samples.program("DELQSQL").why_not_validated()


def test_a_program_asked_for_is_taken_by_name_or_id_else_one_is_chosen(
        samples: Workbench) -> None:
    assert samples.choose_program("posttran") == Choice("cobol:POSTTRAN", "POSTTRAN",
                                                        "POSTTRAN: as asked")
    assert samples.choose_program("cobol:INTCALC").name == "INTCALC"
    missing = samples.choose_program("NOPE", purpose="validate")
    assert missing.name == "TRANSORT"
    assert missing.reason.startswith("there is no program 'NOPE' in the estate; TRANSORT: ")
    assert samples.program("cobol:POSTTRAN").program.name == "POSTTRAN"
    with pytest.raises(KeyError, match="no program None"):
        samples.program(None)
    with pytest.raises(ValueError, match="purpose"):
        samples.choose_program(purpose="fastest")


def test_a_shop_without_the_sample_names(shop: Workbench) -> None:
    assert shop.choose_program().reason == ("ZZBIG: the batch program with the most "
                                            "paragraphs (5, 27 lines)")
    quick = shop.choose_program(purpose="validate")
    assert quick.name == "ZZLITTLE", quick  # ZZQUERY is smaller, but holds EXEC SQL
    assert "(3)" in quick.reason  # its statements: ADD, DISPLAY, STOP RUN
    assert shop.program("ZZSCREEN").why_not_validated().endswith("no CICS region to run it")
    assert shop.program("ZZQUERY").why_not_validated().endswith("DB2 precompiler")


def test_an_estate_of_online_programs_only_says_so(tmp_path: Path) -> None:
    root = write_estate(tmp_path, {"ZZSCREEN.cbl": SHOP["src/ZZSCREEN.cbl"]})
    bench = Workbench.analyze(root, out=tmp_path / "out")
    chosen = bench.choose_program()
    assert chosen.name == "ZZSCREEN"
    assert chosen.reason.endswith("(the estate has no batch program)")
    assert bench.choose_program(purpose="validate").reason.endswith(
        "none is a batch program without EXEC SQL or CICS, which GnuCOBOL can run")


def test_an_estate_without_programs_has_nothing_to_choose(tmp_path: Path) -> None:
    root = write_estate(tmp_path, {"jcl/ONLY.jcl": "//ONLY JOB\n//S1 EXEC PGM=IEFBR14\n"})
    chosen = Workbench.analyze(root, out=tmp_path / "out").choose_program("ANY")
    assert not chosen and chosen.value is None
    assert str(chosen) == "the estate has no program to look at"


# --------------------------------------------------------------------------- fields


def test_the_field_chosen_is_computed_from_the_most_items(shop: Workbench) -> None:
    big = shop.program("ZZBIG")
    chosen = big.choose_field()
    assert chosen.value == "ZZTOTAL"  # computed from three items; ZZCOUNT only counts
    assert chosen.reason == ("ZZTOTAL: of ZZBIG's computed numeric fields, the one with the "
                             "most items flowing into it (3); written by 1 statement(s)")
    assert big.record_of(chosen.value) == "ZZ-WORK"
    assert list(big.where_from(chosen.value).verb) == ["COMPUTE"]
    assert big.feeds(chosen.value) == ["ZZA", "ZZB", "ZZC"]


def test_a_field_asked_for_is_kept_when_a_statement_writes_it(shop: Workbench) -> None:
    big = shop.program("ZZBIG")
    assert big.choose_field("zzmsg") == Choice("ZZMSG", "ZZMSG", "ZZMSG: as asked")
    unused = big.choose_field("ZZUNUSED")
    assert (unused.value, unused.reason.split(";")[0]) == (
        "ZZTOTAL", "no statement of ZZBIG gives ZZUNUSED a value")
    missing = big.choose_field("WS-ACCT-BALANCE")
    assert missing.value == "ZZTOTAL"
    assert missing.reason.startswith("ZZBIG has no field 'WS-ACCT-BALANCE'; ZZTOTAL: ")


def test_without_a_written_field_there_is_none_and_the_tables_stay_empty(
        tmp_path: Path) -> None:
    root = write_estate(tmp_path, {"ZZHELLO.cbl": cobol("ZZHELLO", "01 ZZH PIC X VALUE 'H'.",
                                                        "H-MAIN.\n    DISPLAY ZZH\n"
                                                        "    STOP RUN.")})
    hello = Workbench.analyze(root, out=tmp_path / "out").program("ZZHELLO")
    chosen = hello.choose_field("ZZH")
    assert not chosen and chosen.value is None
    assert chosen.reason == ("no statement of ZZHELLO gives ZZH a value; no statement of "
                             "ZZHELLO writes a field")
    assert hello.where_from(chosen.value).empty and hello.feeds(chosen.value) == []
    assert hello.record_of(chosen.value) is None
    assert hello.layout(hello.record_of(chosen.value)).name.str.strip().tolist() == ["ZZH"]


def test_a_field_set_by_sql_counts_as_written(shop: Workbench) -> None:
    query = shop.program("ZZQUERY")
    assert query.choose_field().value == "ZZQ-ID"  # SELECT … INTO :ZZQ-ID
    assert list(query.where_from("ZZQ-ID").verb) == ["EXEC SQL"]


def test_the_samples_field_is_written_and_numeric(samples: Workbench) -> None:
    post = samples.program("POSTTRAN")
    chosen = post.choose_field()
    assert "computed numeric fields" in chosen.reason
    assert len(post.where_from(chosen.value)) >= 1 and post.feeds(chosen.value)
    assert post.choose_field("ACCT-BALANCE").reason == "ACCT-BALANCE: as asked"


def test_dead_code_lists_lines_a_notebook_can_open(samples: Workbench) -> None:
    dead = samples.dead_code()
    assert list(dead.columns) == ["program", "paragraph", "file", "line", "end line"]
    row = dead[dead.program == "POSTTRAN"].iloc[0]
    assert "9800-DEBUG-DISPLAY-MASTER" in samples.source(row.file, int(row.line), context=0)


# --------------------------------------------------------------------------- pictures


def _graph(labels: list[str], edges: list[tuple[int, int]]) -> nx.DiGraph:
    graph = nx.DiGraph()
    for i, label in enumerate(labels):
        graph.add_node(f"n{i}", label=label, kind="paragraph", size=i + 1)
    for a, b in edges:
        graph.add_edge(f"n{a}", f"n{b}", color="#4e79a7", label="CR" if a == 0 else "")
    return graph


def test_a_picture_is_valid_svg_with_every_node_and_edge(samples: Workbench) -> None:
    view = samples.call_graph()
    svg = ET.fromstring(view.picture)
    assert svg.tag == f"{SVG}svg"
    groups = svg.findall(f"{SVG}g")
    assert len(groups) == view.nodes == 11
    labels = {g.find(f"{SVG}text").text for g in groups}
    assert {"POSTTRAN", "DATEVAL", "ACCTINQ"} <= labels
    arrows = [p for p in svg.findall(f"{SVG}path") if p.get("marker-end")]
    calls = {(a, b) for a, b in call_graph(samples.estate).edges()}
    assert len(arrows) == len(calls) == 5  # six calls, two of them between one pair
    # the same graph, the same bytes (nbval compares the stored outputs)
    assert samples.call_graph().picture == view.picture


def test_a_picture_escapes_hostile_labels() -> None:
    hostile = '</text><script>alert(1)</script><text x="0'
    svg = picture(_graph([hostile, "B & C", "D"], [(0, 1), (1, 2), (2, 2)]), "<b>title</b>")
    assert "<script" not in svg and "<b>" not in svg
    tree = ET.fromstring(svg)  # well-formed: every label stayed text
    texts = [t.text for t in tree.iter(f"{SVG}text")]
    assert "<b>title</b>" in texts and "B & C" in texts
    assert any(t and t.startswith("</text><script>") for t in texts)  # cut to 20 characters
    titles = [t.text for t in tree.iter(f"{SVG}title")]
    assert hostile in titles  # the whole label, as a tooltip


def test_a_picture_lays_out_in_layers_and_stops_at_the_limit() -> None:
    chain = _graph(["A", "B", "C", "D"], [(0, 1), (1, 2), (2, 3), (3, 1)])
    svg = ET.fromstring(picture(chain, "chain"))
    heights = {g.find(f"{SVG}text").text: float(g.find(f"{SVG}text").get("y"))
               for g in svg.findall(f"{SVG}g")}
    assert heights["A"] < heights["B"] < heights["C"] < heights["D"]  # the back edge D→B too
    big = nx.DiGraph()
    big.add_nodes_from((f"n{i}", {"label": f"N{i}"}) for i in range(40))
    svg = picture(big, "many", limit=25)
    assert len(ET.fromstring(svg).findall(f"{SVG}g")) == 25
    assert "the first 25 of 40 nodes" in svg


def test_an_aggregated_view_pictures_its_groups() -> None:
    graph = nx.DiGraph()
    for i in range(12):
        graph.add_node(f"p{i}", label=f"P{i}", kind="program")
        if i:
            graph.add_edge(f"p{i - 1}", f"p{i}")
    clusters = {f"p{i}": f"job J{i % 3}" for i in range(12)}
    view = render(graph, "Calls", clusters=clusters, max_nodes=5, aggregated_by="job")
    assert view.aggregated_by == "job"
    svg = ET.fromstring(view.picture)
    labels = sorted(g.find(f"{SVG}text").text for g in svg.findall(f"{SVG}g"))
    assert labels == ["job J0 (4)", "job J1 (4)", "job J2 (4)"]
    assert "12 nodes aggregated by job into 3 groups" in view.picture


def test_the_notebook_output_carries_the_picture_under_the_page(samples: Workbench,
                                                                tmp_path: Path) -> None:
    shown = samples.call_graph().show(tmp_path / "calls.html")
    bundle = shown._repr_mimebundle_()
    assert bundle["image/svg+xml"] == shown.view.picture
    page = bundle["text/html"]
    # the picture first, the frame laid over it: where frames are taken out the picture shows
    img = re.search(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', page)
    assert img and page.index("<img") < page.index("<iframe")
    assert base64.b64decode(img[1]).decode("utf-8") == shown.view.picture
    assert "background:#fff" in page.split("<iframe", 1)[1].split(">", 1)[0]
    assert "open in a tab" in page
    inline = shown.view._repr_mimebundle_()
    assert 'sandbox="allow-scripts"' in inline["text/html"] and "<img" in inline["text/html"]
    assert GraphView("t", "<html></html>", 0, 0)._repr_mimebundle_() == {
        "text/html": GraphView("t", "<html></html>", 0, 0)._repr_html_()}


# --------------------------------------------------------------------------- the notebooks


def test_notebooks_01_and_02_run_on_a_shop_without_the_sample_names(tmp_path: Path) -> None:
    """As ``notebooks/build.py --estate`` runs them: the values injected after the cell
    tagged ``parameters``; a field no statement writes is replaced by one that is."""
    sys.path.insert(0, str(ROOT / "notebooks"))
    try:
        import build
    finally:
        sys.path.remove(str(ROOT / "notebooks"))
    root = write_estate(tmp_path / "estate", SHOP)
    values = {"estate": str(root), "output": str(tmp_path / "out"), "program": None,
              "field": "ZZUNUSED"}
    explore = build.notebook("01_explore_estate.ipynb", values)
    tags = [c.metadata.get("tags") for c in explore.cells if c.cell_type == "code"][:2]
    assert tags == [["parameters"], ["injected-parameters"]]
    assert "field" not in explore.cells[2].source  # 01 has no field parameter
    build.run("01_explore_estate.ipynb", tmp_path / "01.ipynb", values, timeout=300)
    path = build.run("02_program_deep_dive.ipynb", tmp_path / "02.ipynb", values, timeout=300)
    text = path.read_text(encoding="utf-8")
    assert "program: ZZBIG: the batch program with the most paragraphs" in text
    assert "field:   no statement of ZZBIG gives ZZUNUSED a value; ZZTOTAL" in text
    assert "COMPUTE ZZTOTAL = ZZA + ZZB * ZZC" in text  # the excerpt of where it is set
    assert (tmp_path / "out" / "program-cfg.html").is_file()
