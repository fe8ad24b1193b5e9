"""Every query file compiles, uses the capture convention, and ships with the package."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from modernize.analysis import parse

ROOT = Path(__file__).resolve().parent.parent
ELEMENTS = {"program", "procedure", "section", "paragraph", "data",
            "file", "call", "perform", "goto", "stop", "exit", "continue", "io", "flow",
            "condition", "scope"}
QUERY_FILES = sorted((ROOT / "grammars").glob("*/*.scm"))


def test_there_are_query_files():
    assert {p.stem for p in QUERY_FILES if p.parent.name == "cobol"} >= {
        "structure", "data", "statements"}


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_query_compiles_and_follows_capture_convention(path: Path):
    language = path.parent.name
    parse.compile_query.cache_clear()
    query = parse.compile_query(language, path.stem)
    assert query.pattern_count > 0
    names = set(re.findall(r"@([\w.]+)", path.read_text()))
    assert names, "a query file without captures finds nothing"
    assert {n.split(".")[0] for n in names} <= ELEMENTS, names


def test_a_broken_query_is_reported_with_its_file(monkeypatch):
    monkeypatch.setattr(parse, "query_files", lambda language: {"bad": "(no_such_node) @x"})
    parse.compile_query.cache_clear()
    try:
        with pytest.raises(parse.GrammarError, match="bad.scm"):
            parse.compile_query("cobol", "bad")
    finally:
        parse.compile_query.cache_clear()


def test_wheel_ships_the_queries_and_they_load_from_a_plain_install(tmp_path):
    """`pip install .` (not editable) must find grammars/ inside the installed package."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                    "-q", "-w", str(tmp_path), str(ROOT)], check=True)
    wheel = next(tmp_path.glob("modernize-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for query in QUERY_FILES:
        assert f"modernize/grammars/{query.parent.name}/{query.name}" in names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True)
    code = ("import modernize.analysis.parse as p; print(p.__file__); "
            "print(sorted(p.query_files('cobol')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True,
                         capture_output=True, text=True,
                         env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}).stdout
    assert str(target) in out.splitlines()[0]
    assert "'statements'" in out


def _found(tree: parse.SyntaxTree, name: str) -> list[tuple[str, str, int, int]]:
    return [(capture, node.type, node.start_byte, node.end_byte)
            for capture, node in parse.captures(tree, name)]


def test_the_queries_run_as_one_capture_what_each_captures_alone(monkeypatch):
    """A tree answers all the language's queries in one walk: what each query gets is what it
    captures when run alone, in the same order (checked on every sample program's parser
    view)."""
    from modernize.analysis.cobol import CopybookResolver, Preprocessor, build_view

    samples = ROOT / "legacy_samples"
    preprocessor = Preprocessor(samples, CopybookResolver(
        samples, sorted({p.parent for p in samples.rglob("*.cpy")})))
    names = list(parse.query_files("cobol"))
    assert parse._combined("cobol") is not None  # noqa: SLF001 - their capture names differ
    programs = sorted(samples.rglob("*.cbl"))
    assert len(programs) >= 8
    for path in programs:
        text = build_view(preprocessor.run(path)).text
        together = parse.parse("cobol", text)
        combined = {name: _found(together, name) for name in names}
        with monkeypatch.context() as patch:
            patch.setattr(parse, "_combined", lambda language: None)
            alone = {name: _found(parse.parse("cobol", text), name) for name in names}
        assert combined == alone, path.name
        assert all(combined[name] for name in names), path.name  # each query found some


def test_queries_that_share_a_capture_name_run_one_by_one(monkeypatch):
    queries = {"first": "(program_name) @program.name", "second": "(program_name) @program.name"}
    monkeypatch.setattr(parse, "query_files", lambda language: queries)
    parse.compile_query.cache_clear()
    parse._combined.cache_clear()  # noqa: SLF001
    try:
        assert parse._combined("cobol") is None  # noqa: SLF001
        tree = parse.parse("cobol", "       IDENTIFICATION DIVISION.\n"
                                    "       PROGRAM-ID. PAYROLL.\n")
        assert [c for c, _ in parse.captures(tree, "first")] == ["program.name"]
        assert [c for c, _ in parse.captures(tree, "second")] == ["program.name"]
    finally:
        parse.compile_query.cache_clear()
        parse._combined.cache_clear()  # noqa: SLF001
