"""The parse layer: the one module that imports tree-sitter.

It loads a language's grammar from ``tree-sitter-language-pack`` and the extraction queries from
``grammars/<language>/*.scm`` (shipped inside the package, so a plain ``pip install .`` finds
them), parses text and runs queries. The rest of the package sees nodes only through the small
``Node`` protocol below, so that swapping the parser library is a one-file change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Protocol

from tree_sitter import Query, QueryCursor
from tree_sitter_language_pack import get_language, get_parser

from ..core.errors import GrammarError

log = logging.getLogger(__name__)


class Point(Protocol):
    row: int
    column: int


class Node(Protocol):
    """What the extractors use of a syntax node."""

    @property
    def type(self) -> str: ...
    @property
    def text(self) -> bytes | None: ...
    @property
    def start_point(self) -> tuple[int, int]: ...
    @property
    def end_point(self) -> tuple[int, int]: ...
    @property
    def start_byte(self) -> int: ...
    @property
    def children(self) -> list[Node]: ...
    @property
    def named_children(self) -> list[Node]: ...
    @property
    def parent(self) -> Node | None: ...
    @property
    def prev_sibling(self) -> Node | None: ...
    @property
    def is_error(self) -> bool: ...
    @property
    def is_missing(self) -> bool: ...
    @property
    def has_error(self) -> bool: ...
    def child_by_field_name(self, name: str) -> Node | None: ...
    def children_by_field_name(self, name: str) -> list[Node]: ...
    def field_name_for_child(self, index: int) -> str | None: ...


@dataclass(frozen=True)
class SyntaxTree:
    language: str
    root: Node
    source: bytes


def _grammar_root():  # noqa: ANN202 - a Traversable or a Path
    """`grammars/` installs as the package `modernize.grammars`; from a source tree it is beside."""
    try:
        return resources.files("modernize.grammars")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "grammars"


def query_files(language: str) -> dict[str, str]:
    """The query files of a language: name (without .scm) → query text."""
    folder = _grammar_root() / language
    if not folder.is_dir():
        raise GrammarError(f"no query folder for {language!r} at {folder}; reinstall the package")
    return {entry.name[:-4]: entry.read_text(encoding="utf-8")
            for entry in sorted(folder.iterdir(), key=lambda e: e.name)
            if entry.name.endswith(".scm")}


@cache
def _language(language: str):  # noqa: ANN202 - tree-sitter's own type stays in this module
    try:
        return get_language(language)  # type: ignore[arg-type]
    except Exception as exc:  # the pack raises its own LookupError variants
        raise GrammarError(f"tree-sitter grammar {language!r} is not available: {exc}") from exc


@cache
def _parser(language: str):  # noqa: ANN202
    _language(language)
    return get_parser(language)  # type: ignore[arg-type]


@cache
def compile_query(language: str, name: str) -> Query:
    text = query_files(language).get(name)
    if text is None:
        raise GrammarError(f"no query {name}.scm for {language!r}")
    try:
        return Query(_language(language), text)
    except Exception as exc:
        raise GrammarError(f"grammars/{language}/{name}.scm does not compile: {exc}") from exc


def parse(language: str, text: str) -> SyntaxTree:
    source = text.encode("utf-8")
    tree = _parser(language).parse(source)
    return SyntaxTree(language, tree.root_node, source)


def captures(tree: SyntaxTree, query_name: str) -> Iterator[tuple[str, Node]]:
    """(capture name, node) pairs of a query over the tree, in source order."""
    query = compile_query(tree.language, query_name)
    found = QueryCursor(query).captures(tree.root)
    pairs = [(name, node) for name, nodes in found.items() for node in nodes]
    pairs.sort(key=lambda pair: (pair[1].start_byte, pair[0]))
    yield from pairs


def error_nodes(tree: SyntaxTree) -> Iterator[Node]:
    """Every ERROR or MISSING node, outermost first (their inner errors are skipped)."""
    stack = [tree.root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            yield node
            continue
        if node.has_error:
            stack.extend(reversed(node.children))


def node_text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")
