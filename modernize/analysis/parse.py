"""The parse layer: the one module that imports tree-sitter.

It loads a language's grammar from ``tree-sitter-language-pack`` and the extraction queries from
``grammars/<language>/*.scm`` (shipped inside the package, so a plain ``pip install .`` finds
them), parses text and runs queries. The rest of the package sees nodes only through the small
``Node`` protocol below, so that swapping the parser library is a one-file change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
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
    def named_child_count(self) -> int: ...
    def named_child(self, index: int) -> Node | None: ...
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
    # what the language's queries captured, by query: all of them are answered by one walk
    # of the tree the first time one is asked (see ``captures``)
    captured: dict[str, list[tuple[str, Node]]] = field(default_factory=dict, compare=False,
                                                        repr=False)


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
    """(capture name, node) pairs of a query over the tree, in source order.

    The first query asked of a tree runs all the language's queries at once, as one query
    (a walk of the tree each was a tenth of the analysis), and keeps each one's captures on
    the tree; they are those the query gives alone (its patterns are the same, and its
    capture names are its own: ``_combined`` makes sure)."""
    if query_name not in tree.captured:
        combined = _combined(tree.language)
        if combined is not None and query_name in combined[1].values():
            query, owners = combined
            for name in set(owners.values()):
                tree.captured.setdefault(name, [])
            for capture, nodes in QueryCursor(query).captures(tree.root).items():
                tree.captured[owners[capture]].extend((capture, node) for node in nodes)
            for pairs in tree.captured.values():
                pairs.sort(key=_source_order)
        else:
            found = QueryCursor(compile_query(tree.language, query_name)).captures(tree.root)
            tree.captured[query_name] = sorted(
                ((name, node) for name, nodes in found.items() for node in nodes),
                key=_source_order)
    yield from tree.captured[query_name]


def _source_order(pair: tuple[str, Node]) -> tuple[int, str]:
    return pair[1].start_byte, pair[0]


@cache
def _combined(language: str) -> tuple[Query, dict[str, str]] | None:
    """All the language's queries as one, and the query each capture name belongs to; None
    when two queries share a capture name (their captures could not be told apart)."""
    files = query_files(language)
    owners: dict[str, str] = {}
    for name in files:
        query = compile_query(language, name)
        for index in range(query.capture_count):
            if owners.setdefault(query.capture_name(index), name) != name:
                log.debug("queries of %s share the capture %s: run one by one", language,
                          query.capture_name(index))
                return None
    return Query(_language(language), "\n".join(files.values())), owners


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
