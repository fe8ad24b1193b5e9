"""Graph views: offline pages, what stands out, aggregation of big graphs; tables; explorer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from modernize.cli import main
from modernize.explore.notebook import Workbench
from modernize.explore.views import call_view, cfg_view, crud_view, include_view

ROOT = Path(__file__).resolve().parent.parent
EXTERNAL = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*(?:src|href)=["']?https?://""", re.I)


@pytest.fixture(scope="module")
def bench(tmp_path_factory) -> Workbench:
    return Workbench.analyze(ROOT / "legacy_samples", out=tmp_path_factory.mktemp("views"))


def test_every_view_is_a_standalone_offline_page(bench):
    pages = [call_view(bench.estate, bench.analysis), include_view(bench.estate),
             crud_view(bench.estate), cfg_view(bench.estate.program("POSTTRAN"))]
    for view in pages:
        assert "new vis.Network" in view.html and "vis-network" in view.html  # inlined
        assert not EXTERNAL.search(view.html), view.title
        assert view.nodes > 0 and "window.mzReady" in view.html


def test_unreachable_paragraphs_and_unresolved_targets_stand_out(bench):
    page = cfg_view(bench.estate.program("POSTTRAN")).html
    dead = re.search(r'\{[^{}]*"id": "9800-DEBUG-DISPLAY-MASTER"[^{}]*\}', page).group(0)
    assert '"color": "#e15759"' in dead
    calls = call_view(bench.estate, bench.analysis).html
    menu = re.search(r'\{[^{}]*"id": "external:HFCSMENU"[^{}]*\}', calls).group(0)
    assert '"shape": "diamond"' in menu


def test_filters_by_kind_and_name(bench):
    online = call_view(bench.estate, bench.analysis, kinds=["program:online"])
    assert online.nodes == 1 and '"label": "ACCTINQ"' in online.html
    assert call_view(bench.estate, bench.analysis, pattern="^DATE").nodes == 1
    tables = crud_view(bench.estate, kinds=["sql-table"])
    assert tables.nodes == 3  # DELQSQL and its two tables


def test_big_graphs_open_aggregated(bench):
    view = call_view(bench.estate, bench.analysis, max_nodes=5)
    assert view.aggregated_by == "job" and view.visible < view.nodes
    assert '"cid": "job HFCSDLY1"' in view.html
    small = call_view(bench.estate, bench.analysis)
    assert small.aggregated_by is None and '"cid"' not in small.html


def test_tables(bench):
    programs = bench.programs()
    assert len(programs) == 10 and programs.set_index("program").loc["DATEVAL", "fan-in"] == 4
    layout = bench.program("POSTTRAN").layout("ACCT-MASTER-REC")
    balance = layout[layout.name.str.strip() == "ACCT-BALANCE"].iloc[0]
    # PIC S9(7)V99 SIGN IS LEADING SEPARATE: nine digits and a sign byte
    assert (balance.picture, balance.usage, balance.length) == ("S9(7)V99", "DISPLAY", 10)
    assert bench.crud().loc["DELQSQL"].to_dict()["sql-table:ACCOUNT"] in ("R", "RU", "CRUD",
                                                                          "RUD", "U")
    assert list(bench.dead_code().program) == ["DATEVAL", "POSTTRAN", "TRANVAL"]


def test_where_a_field_gets_its_value(bench):
    post = bench.program("POSTTRAN")
    rows = post.where_from("ACCT-BALANCE")
    assert list(rows.line) == [303] and "MOVE WS-NEW-BALANCE TO ACCT-BALANCE" in rows.source[0]
    assert "WS-NEW-BALANCE" in post.feeds("ACCT-BALANCE")


def test_graph_command(tmp_path):
    runner = CliRunner()
    out = tmp_path / "analysis"
    assert runner.invoke(main, ["analyze", str(ROOT / "legacy_samples"), "--out", str(out),
                                "--quiet"]).exit_code == 0
    for view in ("call", "include", "crud"):
        result = runner.invoke(main, ["graph", str(out), "--view", view,
                                      "--out", str(tmp_path / f"{view}.html")])
        assert result.exit_code == 0, result.output
        assert "new vis.Network" in (tmp_path / f"{view}.html").read_text()
    cfg = runner.invoke(main, ["graph", str(out), "--view", "cfg", "--program", "TRANVAL",
                               "--out", str(tmp_path / "cfg.html")])
    assert cfg.exit_code == 0 and "TRANVAL: control flow" in cfg.output
    missing = runner.invoke(main, ["graph", str(out), "--view", "cfg", "--program", "NOPE",
                                   "--out", str(tmp_path / "x.html")])
    assert missing.exit_code == 1 and "no program NOPE" in missing.output
    no_program = runner.invoke(main, ["graph", str(out), "--view", "cfg",
                                      "--out", str(tmp_path / "x.html")])
    assert no_program.exit_code == 2 and "--program" in no_program.output
    not_analysed = runner.invoke(main, ["graph", str(tmp_path / "nothing"), "--view", "call",
                                        "--out", str(tmp_path / "x.html")])
    assert not_analysed.exit_code == 1 and "modernize analyze" in not_analysed.output
