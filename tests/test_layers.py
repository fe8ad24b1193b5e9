"""The package shows its stages, and imports flow one way: a stage uses the stages below it,
never one above it or beside it (``core`` < ``analysis``, ``llm`` < ``runtime``, ``explore``,
``documents`` < ``translate`` < ``validate`` < the CLI)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "modernize"
RANK = {"core": 0, "analysis": 1, "llm": 1, "runtime": 2, "explore": 2, "documents": 2,
        "translate": 3, "validate": 4}
TOP = 5  # modernize/__init__.py and the CLI, which use every stage


def _stage(module: str) -> str:
    """The stage of a dotted module name under modernize ('' for the package itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in RANK) else ""


def _imports(path: Path, source: str | None = None) -> list[tuple[str, int]]:
    """Every modernize module a file imports (at the top or inside a function), with its line."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    package = parts[:-1]
    text = path.read_text(encoding="utf-8") if source is None else source
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[:len(package) - node.level + 1])
                names = [".".join(base + [node.module])] if node.module else \
                    [".".join(base + [alias.name]) for alias in node.names]
            else:
                names = [node.module or ""]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [(name, node.lineno) for name in names if name.split(".")[0] == "modernize"]
    return found


def wrong_way(path: Path, source: str | None = None) -> list[str]:
    """The imports of a module that go to a stage above or beside its own."""
    here = _stage("modernize." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts))
    rank = RANK.get(here, TOP)
    wrong = []
    for module, line in _imports(path, source):
        there = _stage(module)
        if there and there != here and RANK[there] >= rank:
            wrong.append(f"{path.name}:{line} ({here}) imports {module} ({there})")
    return wrong


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_lives_in_a_stage_folder():
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "cli.py"]
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} \
        == set(RANK)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_one_way(path: Path):
    assert wrong_way(path) == []


def test_the_check_sees_imports_that_go_the_wrong_way():
    model = PACKAGE / "core" / "model.py"
    assert wrong_way(model, "from ..analysis import store\n") == [
        "model.py:1 (core) imports modernize.analysis (analysis)"]
    views = PACKAGE / "explore" / "views.py"
    assert wrong_way(views, "def f():\n    from ..documents.rules import x\n") == [
        "views.py:2 (explore) imports modernize.documents.rules (documents)"]
    assert wrong_way(views, "from ..analysis.graphs import g\nfrom . import tables\n") == []
