"""Extract the model of one COBOL program from its parser view and syntax tree.

Input: the preprocessed program, its parser view and the tree-sitter tree of the view. Output: a
``Program`` of the language-neutral model, every element with a stable id and the original
(file, line) it came from. EXEC SQL / EXEC CICS blocks, which the parser never sees, are read
from the view's ``exec_blocks``. Where the grammar gave up (ERROR nodes), the span becomes a
diagnostic, and data entries and paragraph headers are recovered from the tokens of that span.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from ...core.model import (
    Alphabet,
    AlphabetItem,
    AlternateKey,
    Call,
    CicsCommand,
    Condition,
    ConditionValue,
    CopybookUse,
    DataFlow,
    DataItem,
    Diagnostic,
    EntryPoint,
    FileDef,
    FileOp,
    GoTo,
    Paragraph,
    Perform,
    ProcedureBody,
    Program,
    Section,
    Severity,
    SqlStatement,
    assemble,
)
from ..parse import Node, SyntaxTree, captures, error_nodes, node_text, parse
from .exec_blocks import parse_cics, parse_sql
from .pic import USAGE_ALIASES, picture_info
from .preprocess import SYSTEM_COPYBOOKS, Origin, Preprocessed
from .statements import ProcedureSpan, build_bodies
from .tokens import Token, TokenKind, literal_value, tokenize_line
from .view import ParserView

log = logging.getLogger(__name__)

# which grammar fields of a statement name the items it writes (the rest it reads)
_WRITE_FIELDS = {
    "move_statement": ("dst",),
    "compute_statement": ("left",),
    "initialize_statement": ("x",),
    "string_statement": ("into",),
    "read_statement": ("into",),
}
_GIVING_OR = {
    "add_statement": ("to",),
    "subtract_statement": ("from",),
    "multiply_statement": ("val2",),
    "divide_statement": ("into",),
}
# the exception phrases of I/O and arithmetic: each is a branch (for complexity, and for
# scenario generation later), recorded as a condition of that kind
_HANDLER_CONDITIONS = {"at_end": "AT END", "invalid_key": "INVALID KEY",
                       "on_size_error": "ON SIZE ERROR", "on_exception": "ON EXCEPTION",
                       "on_overflow": "ON OVERFLOW", "eop": "AT END-OF-PAGE"}
_SUBSCRIPTS = ("subref", "refmod")
_FIGURATIVE = {
    "ZERO", "ZEROS", "ZEROES", "SPACE", "SPACES", "HIGH-VALUE", "HIGH-VALUES", "LOW-VALUE",
    "LOW-VALUES", "QUOTE", "QUOTES", "NULL", "NULLS", "TRUE", "FALSE", "OTHER", "ALL",
}


@dataclass
class _Ctx:
    program_id: str
    view: ParserView
    diagnostics: list[Diagnostic] = field(default_factory=list)
    row_offset: int = 0  # view row of row 0 of the tree being read (re-parsed slices)
    currency: str = "$"  # SPECIAL-NAMES CURRENCY SIGN
    decimal_comma: bool = False  # SPECIAL-NAMES DECIMAL-POINT IS COMMA

    def row(self, node: Node, end: bool = False) -> int:
        return (node.end_point if end else node.start_point)[0] + self.row_offset

    def at(self, node: Node, end: bool = False) -> Origin:
        return self.view.origin(self.row(node, end))

    def text(self, node: Node) -> str:
        text = " ".join(node_text(node).split())
        return self.unplaceholder(text)

    def full_text(self, node: Node) -> str:
        """The node's text with what the view blanked for the grammar put back (see
        ``ParserView.statement_lines``): on its last line, up to the period the blanked text
        runs to."""
        (first, start), (last, end) = node.start_point, node.end_point
        first, last = first + self.row_offset, last + self.row_offset
        if not any(row in self.view.statement_lines for row in range(first, last + 1)):
            return self.text(node)
        rows = [self.view.full_line(row).encode("utf-8") for row in
                range(first, min(last + 1, len(self.view.lines)))]
        if not rows:
            return self.text(node)
        tail = rows[-1][end:]
        stop = tail.find(b".")
        if last in self.view.statement_lines and tail[:max(stop, 0)].strip():
            end += stop + 1 if stop >= 0 else len(tail)
        rows[-1] = rows[-1][:end]
        rows[0] = rows[0][start:]
        text = b"\n".join(rows).decode("utf-8", "replace")
        return self.unplaceholder(" ".join(text.split()))

    def unplaceholder(self, text: str) -> str:
        if "'#L" not in text:
            return text
        literals = self.view.literals
        return re.sub(r"'(#L\d{4})'", lambda m: literals.get(m.group(1), m.group(0)), text)


def extract_program(pre: Preprocessed, view: ParserView, tree: SyntaxTree,
                    sha256: str = "", total_lines: int = 0,
                    program_id: str | None = None) -> Program:
    """The Program model; ``program_id`` overrides the id (for duplicate PROGRAM-IDs)."""
    structure = list(captures(tree, "structure"))
    name = next((node_text(n).strip().rstrip(".").strip("'\"").upper()
                 for cap, n in structure if cap == "program.name"), None)
    if not name:
        name = pre.path.rsplit("/", 1)[-1].split(".")[0].upper()
    ctx = _Ctx(program_id=f"cobol:{program_id or name}", view=view)
    proc_row = _procedure_row(view)
    if proc_row == _NO_ROW:
        ctx.diagnostics.append(Diagnostic(
            severity=Severity.WARNING, code="no-procedure-division", file=pre.path,
            program=ctx.program_id,
            message="no PROCEDURE DIVISION: the program has data but no logic to analyse"))
    regions = _error_regions(ctx, tree, proc_row)
    _report_errors(ctx, tree, proc_row)
    ctx.currency = _currency_sign(ctx, structure)
    ctx.decimal_comma = any(cap == "program.decimal_point" for cap, _ in structure)

    procedure = next((n for cap, n in structure if cap == "procedure"), None)
    data_items, files = _extract_data(ctx, tree, proc_row)
    procedures = _extract_procedures(ctx, structure, proc_row, tree)

    proc = _ProcedureWalker(ctx, procedures, data_items, proc_row)
    proc.walk(tree, skip=regions)
    for first, last in regions:
        proc.recover(first, last)
    proc.add_exec_blocks()
    sections, paragraphs = proc.finish_procedures()
    bodies = _bodies(ctx, procedures, proc_row)
    calls = _resolve_calls(ctx, proc.raw_calls, data_items, proc.flows)
    file_ops = _resolve_records(proc.file_ops, files, data_items)
    flows = sorted(proc.flows + _record_flows(file_ops, files),
                   key=lambda f: (f.file != pre.path, f.file, f.line))

    uses = tuple(CopybookUse(name=c.name, path=c.path, depth=c.depth, replacing=c.replacing,
                             statement=c.statement, file=c.origin.file, line=c.origin.line,
                             system=c.path is None and c.name in SYSTEM_COPYBOOKS,
                             refused=c.refused)
                 for c in pre.copies)
    is_cics = any(b.kind == "CICS" for b in view.exec_blocks)
    using = _procedure_using(ctx, procedure)
    kind = "online" if is_cics else "subprogram" if using else "batch"
    diagnostics = [d.model_copy(update={"program": ctx.program_id}) if d.program is None else d
                   for d in pre.diagnostics + ctx.diagnostics]
    return Program(
        id=ctx.program_id, name=name, path=pre.path, kind=kind, source_format=pre.source_format,
        lines=total_lines, sha256=sha256, parsed_cleanly=not tree.root.has_error,
        entry_using=using, entry_points=proc.entry_points(), entry_ends_with=proc.entry.last_kind,
        procedures=tuple(p.key for p in procedures),
        sections=tuple(sections), paragraphs=tuple(paragraphs),
        data_items=tuple(data_items), files=tuple(files), calls=tuple(calls),
        mnemonic_names=_mnemonic_names(structure),
        switch_conditions=_switch_conditions(structure),
        class_names=_class_names(ctx, structure),
        alphabets=_alphabets(ctx, structure), collating_sequence=_collating(structure),
        currency_sign=ctx.currency, decimal_point_comma=ctx.decimal_comma,
        performs=tuple(proc.performs), gotos=tuple(proc.gotos), file_ops=tuple(file_ops),
        sql=tuple(proc.sql), cics=tuple(proc.cics), data_flow=tuple(flows),
        conditions=tuple(proc.conditions), copybook_uses=uses, bodies=tuple(bodies),
        copybooks=tuple(dict.fromkeys(c.name for c in pre.copies)),
        diagnostics=tuple(diagnostics),
    )


def _mnemonic_names(structure: list[tuple[str, Node]]) -> tuple[tuple[str, str], ...]:
    """(mnemonic-name, implementor-name) of each `implementor-name IS mnemonic-name` of
    SPECIAL-NAMES (a switch given only ON/OFF STATUS names has no mnemonic-name)."""
    names = []
    for cap, node in structure:
        if cap != "program.mnemonic":
            continue
        words = [node_text(c).upper() for c in node.children if c.type == "WORD"]
        if len(words) == 2:
            names.append((words[1], words[0]))
    return tuple(names)


def _switch_conditions(structure: list[tuple[str, Node]]) -> tuple[tuple[str, str, bool], ...]:
    """(condition-name, implementor-name, on) of each `ON|OFF STATUS IS condition-name` of a
    switch in SPECIAL-NAMES."""
    names = []
    for cap, node in structure:
        if cap != "program.mnemonic":
            continue
        words = [c for c in node.children if c.type == "WORD"]
        if not words:
            continue
        for status in node.children:
            if status.type != "special_name_mnemonic_on_off":
                continue
            on = any(c.type == "ON" for c in status.children)
            for word in status.children:
                if word.type == "WORD":
                    names.append((node_text(word).upper(), node_text(words[0]).upper(), on))
    return tuple(names)


def _class_names(ctx: _Ctx, structure: list[tuple[str, Node]]
                 ) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """(class-name, ((literal, THRU literal or ''), ...)) of each `CLASS name IS ...` of
    SPECIAL-NAMES, the literals as written."""
    names = []
    for cap, node in structure:
        words = [c for c in node.children if c.type == "WORD"]
        if cap != "program.class" or not words:
            continue
        items = []
        for item in node.children:
            if item.type != "class_item":
                continue
            literals = [ctx.unplaceholder(node_text(c)) for c in item.children
                        if c.type in ("string", "number", "x_string")]
            if literals:
                items.append((literals[0], literals[1] if len(literals) > 1 else ""))
        names.append((node_text(words[0]).upper(), tuple(items)))
    return tuple(names)


_STANDARD_ALPHABETS = {"NATIVE": "NATIVE", "STANDARD_1": "STANDARD-1",
                       "STANDARD_2": "STANDARD-2", "EBCDIC": "EBCDIC", "ASCII": "ASCII"}


def _alphabets(ctx: _Ctx, structure: list[tuple[str, Node]]) -> tuple[Alphabet, ...]:
    """Each `ALPHABET name IS ...` of SPECIAL-NAMES: a standard alphabet, or the items of a
    custom one with their literals as written (figurative constants by name)."""
    alphabets = []
    for cap, node in structure:
        words = [c for c in node.children if c.type == "WORD"]
        if cap != "program.alphabet" or not words:
            continue
        standard = next((_STANDARD_ALPHABETS[c.type] for c in node.children
                         if c.type in _STANDARD_ALPHABETS), None)
        items = []
        for item in node.children:
            if item.type != "alphabet_literal":
                continue
            values = [_alphabet_value(ctx, c) for c in item.children
                      if c.type not in ("THRU", "ALSO")]
            if not values:
                continue
            if any(c.type == "THRU" for c in item.children) and len(values) == 2:
                items.append(AlphabetItem(literal=values[0], thru=values[1]))
            else:
                items.append(AlphabetItem(literal=values[0], also=tuple(values[1:])))
        alphabets.append(Alphabet(name=node_text(words[0]).upper(), standard=standard,
                                  items=tuple(items)))
    return tuple(alphabets)


def _alphabet_value(ctx: _Ctx, node: Node) -> str:
    """A literal of an ALPHABET clause as written, or a figurative constant's name."""
    if node.type == "LITERAL" and node.children:
        return ctx.unplaceholder(node_text(node.children[0]))
    return node_text(node).upper()


def _collating(structure: list[tuple[str, Node]]) -> str | None:
    """The alphabet-name of OBJECT-COMPUTER `PROGRAM COLLATING SEQUENCE IS alphabet-name`."""
    for cap, node in structure:
        if cap == "program.collating":
            text = node_text(node).split()
            if text:
                return text[-1].rstrip(".").upper()
    return None


def _currency_sign(ctx: _Ctx, structure: list[tuple[str, Node]]) -> str:
    """The symbol of SPECIAL-NAMES `CURRENCY SIGN IS literal` (`$` without one): the one
    character of its literal."""
    for cap, node in structure:
        if cap != "program.currency":
            continue
        for child in node.children:
            if child.type == "string":
                text = ctx.unplaceholder(node_text(child))[1:-1]
                if len(text) == 1:
                    return text
    return "$"


def _bodies(ctx: _Ctx, procedures: list[_Para], proc_row: int) -> list[ProcedureBody]:
    """The statement tree of each procedure (and of the statements before the first one)."""
    if proc_row == _NO_ROW:
        return []
    rows = [proc_row] + [p.row for p in procedures] + [len(ctx.view.lines)]
    spans = [ProcedureSpan("", rows[0], rows[1])]
    spans += [ProcedureSpan(p.key, p.row, rows[i + 2]) for i, p in enumerate(procedures)]
    names = {p.name for p in procedures}
    bodies, diagnostics = build_bodies(ctx.view, spans, names, ctx.program_id)
    ctx.diagnostics.extend(diagnostics)
    return bodies


def _procedure_row(view: ParserView) -> int:
    """View row of the PROCEDURE DIVISION header, found lexically so errors cannot hide it
    (the two words may stand on lines of their own: ``PROCEDURE`` then ``DIVISION``)."""
    for row, line in enumerate(view.lines):
        if _PROCEDURE_HEADER.match(line):
            return row
        if _PROCEDURE_WORD.match(line):
            following = next((text for text in view.lines[row + 1:] if text.strip()), "")
            if _DIVISION_WORD.match(following):
                return row
    return _NO_ROW


_NO_ROW = 1 << 30
_PROCEDURE_HEADER = re.compile(r"^\s*PROCEDURE\s+DIVISION\b", re.IGNORECASE)
_PROCEDURE_WORD = re.compile(r"^\s*PROCEDURE\s*$", re.IGNORECASE)
_DIVISION_WORD = re.compile(r"^\s*DIVISION\b", re.IGNORECASE)


def _error_regions(ctx: _Ctx, tree: SyntaxTree, proc_row: int) -> list[tuple[int, int]]:
    """View rows of the procedure division that the grammar could not parse, widened to whole
    sentences (from the line after the previous period), merged where they overlap."""
    lines = ctx.view.lines
    regions: list[tuple[int, int]] = []
    for node in error_nodes(tree):
        first, last = node.start_point[0], node.end_point[0]
        if last <= proc_row:
            continue
        first = max(first, proc_row + 1)
        while first - 1 > proc_row and not lines[first - 1].rstrip().endswith("."):
            first -= 1
        while last + 1 < len(lines) and lines[last].strip() and \
                not lines[last].rstrip().endswith("."):
            last += 1
        if regions and first <= regions[-1][1] + 1:
            regions[-1] = (regions[-1][0], max(regions[-1][1], last))
        else:
            regions.append((first, last))
    return regions


def _report_errors(ctx: _Ctx, tree: SyntaxTree, proc_row: int) -> None:
    """Parse errors before the procedure division; those inside it are reported by the
    recovery, sentence by sentence, once it knows which ones it could not read."""
    for node in error_nodes(tree):
        if node.start_point[0] > proc_row:
            continue
        start, end = ctx.at(node), ctx.view.origin(node.end_point[0])
        snippet = ctx.text(node)[:60]
        what = "missing token" if node.is_missing else "unparsable text"
        span = f"to {end.file}:{end.line}" if end.file != start.file else f"to line {end.line}"
        ctx.diagnostics.append(Diagnostic(
            severity=Severity.WARNING, code="parse-error", file=start.file, line=start.line,
            program=ctx.program_id,
            message=f"{what} ({span}): {snippet!r}; facts there are recovered from tokens "
                    "where possible"))


# ------------------------------------------------------------------------------ data division


@dataclass
class _Entry:
    level: int
    name: str
    origin: Origin
    storage: str
    fd: str | None
    clauses: Mapping[str, object]
    children: list[_Entry] = field(default_factory=list)
    parent: _Entry | None = None
    offset: int = 0
    length: int = 0
    path: str = ""


def _extract_data(ctx: _Ctx, tree: SyntaxTree, proc_row: int
                  ) -> tuple[list[DataItem], list[FileDef]]:
    errors = [n for n in error_nodes(tree) if n.start_point[0] < proc_row]
    # (row, column, the entry's text or, recovered from an error span, its tokens, origin)
    entries: list[tuple[int, int, str | list[Token], Origin]] = []
    selects: list[Node] = []
    for cap, node in captures(tree, "data"):
        if any(e.start_byte <= node.start_byte < e.end_byte for e in errors):
            continue  # inside text the grammar failed on: recovered from tokens below
        if cap == "data":  # its text, read by _parsed_entry
            entries.append((ctx.row(node), node.start_point[1],
                            ctx.unplaceholder(node_text(node) + _entry_tail(ctx, node)),
                            ctx.at(node)))
        elif cap == "file.select":
            selects.append(node)
    for node in errors:  # entries the grammar could not parse, from the tokens of the span
        for tokens, row in _split_entries(ctx, node):
            if tokens and tokens[0].text.isdigit():
                entries.append((row, tokens[0].start, tokens, ctx.view.origin(row)))
    entries.sort(key=lambda e: (e[0], e[1]))
    storage_of, fd_of = _data_regions(ctx.view, proc_row)

    roots: list[_Entry] = []
    stack: list[_Entry] = []
    renames: list[tuple[_Entry, _Entry | None]] = []
    for row, _column, source, origin in entries:
        parsed = _parsed_entry(source, ctx.decimal_comma) if isinstance(source, str) else \
            _parse_entry(source, ctx.decimal_comma)
        if parsed is None:
            continue
        level, name, clauses = parsed
        entry = _Entry(level, name, origin, storage_of(row), fd_of(row), clauses)
        if level in (1, 77) or not stack:
            roots.append(entry)
            stack = [entry]
            continue
        if level == 66:
            renames.append((entry, roots[-1] if roots else None))  # an alias over its record
            continue
        if level == 88:
            stack[-1].children.append(entry)
            entry.parent = stack[-1]
            continue
        while stack and stack[-1].level >= level:
            stack.pop()
        if not stack:
            roots.append(entry)
            stack = [entry]
            continue
        entry.parent = stack[-1]
        stack[-1].children.append(entry)
        stack.append(entry)

    items: list[DataItem] = []
    for root in roots:
        _layout(root, inherited_usage="DISPLAY")
        _flatten(ctx, root, root, items, set())
    items += [_renames_item(ctx, entry, record, items) for entry, record in renames]
    files = [_file_def(ctx, node, items) for node in selects]
    _unlink(roots)
    return items, files


def _unlink(roots: list[_Entry]) -> None:
    """Drop the entries' links to their parents: each is a reference cycle, which only the
    cycle collector would free, and analysis pauses it."""
    stack = list(roots)
    while stack:
        entry = stack.pop()
        entry.parent = None
        stack.extend(entry.children)


_REGION_HEADER = re.compile(  # a storage section's header or an FD's (SD, RD): one match
    r"^\s*(?:(?P<section>WORKING-STORAGE|LOCAL-STORAGE|LINKAGE|FILE)\s+SECTION\b"
    r"|(?:FD|SD|RD)\s+(?P<fd>[A-Z0-9][A-Z0-9-]*))", re.IGNORECASE)


def _data_regions(view: ParserView, proc_row: int):  # noqa: ANN202 - two small lookups
    """Which storage section and which FD a view row of the data division belongs to, read
    from the section and FD headers (so it holds where the grammar failed too)."""
    sections: list[tuple[int, str]] = []
    fds: list[tuple[int, str | None]] = []
    for row, line in enumerate(view.lines[:proc_row]):
        if not (match := _REGION_HEADER.match(line)):
            continue
        if match.group("section"):
            sections.append((row, match.group("section").lower()))
            fds.append((row, None))
        else:
            fds.append((row, match.group("fd").upper()))

    def last_before(marks: list, row: int, default: str | None) -> str | None:
        index = bisect.bisect_right([r for r, _ in marks], row) - 1
        return marks[index][1] if index >= 0 else default

    def storage_of(row: int) -> str:
        return last_before(sections, row, "working-storage") or "working-storage"

    def fd_of(row: int) -> str | None:
        return last_before(fds, row, None)

    return storage_of, fd_of


def _entry_tail(ctx: _Ctx, node: Node) -> str:
    """What the grammar left out of a data entry whose PICTURE string ends in ``.`` or ``,``
    right before the entry's period (``PIC 9,9,9,.``, ``PIC 999..``): those symbols and the
    period, to read the entry with."""
    row, column = node.end_point
    if row >= len(ctx.view.lines):
        return ""
    text = ctx.view.lines[row]
    if text.isascii() and text[column:column + 1] not in (".", ","):
        return ""  # most entries (the grammar's columns are bytes: ASCII, one a character)
    line = text.encode("utf-8")
    tail = re.match(rb"[.,]*\.(?=\s|$)", line[column:])
    if tail is None or column == 0 or line[column - 1:column].isspace():
        return ""
    return tail.group(0).decode("ascii")


def _split_entries(ctx: _Ctx, node: Node) -> list[tuple[list[Token], int]]:
    """Tokens of an unparsed span, cut into period-terminated entries, with the row of each."""
    out: list[tuple[list[Token], int]] = []
    current: list[Token] = []
    start_row = node.start_point[0]
    for offset, line in enumerate(node_text(node).split("\n")):
        row = node.start_point[0] + offset
        for tok in tokenize_line(ctx.unplaceholder(line)):
            if not current:
                start_row = row
            if tok.kind is TokenKind.SEPARATOR and tok.text == ".":
                out.append((current, start_row))
                current = []
            else:
                current.append(tok)
    return out


def _glued(tokens: list[Token], i: int) -> bool:
    """Whether token ``i`` follows the one before it with no space between."""
    return 0 < i < len(tokens) and tokens[i].start == tokens[i - 1].end and \
        tokens[i].line == tokens[i - 1].line


# an estate repeats its copybooks' entries in every program that copies them: each text is
# read once (what is remembered is never changed: the clauses are read-only)
@functools.lru_cache(maxsize=1 << 13)
def _parsed_entry(text: str, decimal_comma: bool
                  ) -> tuple[int, str, Mapping[str, object]] | None:
    """A data entry's level, name and clauses, from its text (its lines as the view has
    them, literals restored)."""
    tokens: list[Token] = []
    for offset, line in enumerate(text.split("\n")):
        tokens += tokenize_line(line, offset)
    parsed = _parse_entry(tokens, decimal_comma)
    if parsed is None:
        return None
    level, name, clauses = parsed
    return level, name, MappingProxyType(clauses)


def _parse_entry(tokens: list[Token], decimal_comma: bool
                 ) -> tuple[int, str, dict[str, object]] | None:
    words = [t for t in tokens if not (t.kind is TokenKind.SEPARATOR and t.text in ".,;")]
    if not words or not words[0].text.isdigit():
        return None
    level = int(words[0].text)
    rest = words[1:]
    name = "FILLER"
    if rest and rest[0].kind is TokenKind.WORD and rest[0].upper not in _CLAUSE_WORDS:
        name = rest[0].upper
        rest = rest[1:]
    clauses: dict[str, object] = {}
    i = 0
    while i < len(rest):
        word = rest[i].upper
        if word in ("PIC", "PICTURE"):
            i += 1
            if i < len(rest) and rest[i].upper == "IS":
                i += 1
            # a picture string is one word; the tokenizer split it at its parentheses
            pic = rest[i].text if i < len(rest) else ""
            i += 1
            while i < len(rest) and rest[i].start == rest[i - 1].end and \
                    rest[i].line == rest[i - 1].line and (rest[i].text not in ".,;" or
                                                          _glued(rest, i + 1)):
                pic += rest[i].text  # (a `,` or `.` inside it too: `<(3),<<<.99`)
                i += 1
            clauses["picture"] = pic.upper()
            continue
        if word in USAGE_ALIASES and word not in ("DISPLAY",) or word == "USAGE":
            if word == "USAGE":
                i += 1
                if i < len(rest) and rest[i].upper == "IS":
                    i += 1
                if i < len(rest):
                    clauses["usage"] = USAGE_ALIASES.get(rest[i].upper, rest[i].upper)
            else:
                clauses["usage"] = USAGE_ALIASES[word]
            i += 1
            continue
        if word in ("VALUE", "VALUES"):
            i += 1
            while i < len(rest) and rest[i].upper in ("IS", "ARE"):
                i += 1
            values: list[ConditionValue] = []
            comma = decimal_comma
            while i < len(rest) and (rest[i].kind is TokenKind.LITERAL or
                                     _is_value_word(rest[i], comma)):
                value = _value_text(rest, i, comma)
                i += 1 + (1 if rest[i].upper == "ALL" else 0) if rest[i].upper == "ALL" else 1
                thru = None
                if i + 1 < len(rest) and rest[i].upper in ("THRU", "THROUGH"):
                    thru = _value_text(rest, i + 1, comma)
                    i += 2
                values.append(assemble(ConditionValue, value=value, thru=thru))
            clauses["values"] = values
            continue
        if word == "OCCURS":
            nums = []
            j = i + 1
            while j < len(rest) and rest[j].upper in ("TO",) or (j < len(rest) and
                                                                   rest[j].text.isdigit()):
                if rest[j].text.isdigit():
                    nums.append(int(rest[j].text))
                j += 1
            if nums:
                clauses["occurs_min"] = nums[0] if len(nums) > 1 else nums[0]
                clauses["occurs_max"] = nums[-1]
            i = j
            continue
        if word == "DEPENDING":
            j = i + 1
            if j < len(rest) and rest[j].upper == "ON":
                j += 1
            if j < len(rest):
                clauses["depending_on"] = rest[j].upper
            i = j + 1
            continue
        if word == "RENAMES" and i + 1 < len(rest):
            # RENAMES a [OF|IN q]... [THRU|THROUGH b [OF|IN q]...]: each as `a OF q ...`
            renamed: list[str] = []
            i += 1
            while i < len(rest):
                words = [rest[i].upper]
                i += 1
                while i + 1 < len(rest) and rest[i].upper in ("OF", "IN"):
                    words.append(rest[i + 1].upper)
                    i += 2
                renamed.append(" OF ".join(words))
                if renamed[1:] or i >= len(rest) or rest[i].upper not in ("THRU", "THROUGH"):
                    break
                i += 1
            clauses["renames"] = renamed
            continue
        if word == "REDEFINES" and i + 1 < len(rest):
            clauses["redefines"] = rest[i + 1].upper
            i += 2
            continue
        if word in ("LEADING", "TRAILING"):
            sign = word
            if i + 1 < len(rest) and rest[i + 1].upper == "SEPARATE":
                sign += " SEPARATE"
            clauses["sign"] = sign
        elif word in ("SYNC", "SYNCHRONIZED"):
            clauses["sync"] = True
        elif word in ("JUST", "JUSTIFIED"):
            clauses["justified"] = True
        elif word == "BLANK":
            clauses["blank_when_zero"] = True
        elif word in ("ASCENDING", "DESCENDING"):
            j = i + 1
            while j < len(rest) and rest[j].upper in ("KEY", "IS"):
                j += 1
            keys = list(clauses.get("occurs_keys", []))  # type: ignore[call-overload]
            while j < len(rest) and rest[j].kind is TokenKind.WORD and \
                    rest[j].upper not in _CLAUSE_WORDS and rest[j].upper not in _KEY_WORDS \
                    and rest[j].upper not in ("INDEXED", "OF", "IN"):
                keys.append((rest[j].upper, word == "ASCENDING"))
                j += 1
                while j + 1 < len(rest) and rest[j].upper in ("OF", "IN"):
                    j += 2  # a qualified key: its name is enough in its own table
            clauses["occurs_keys"] = keys
            i = j
            continue
        elif word == "INDEXED":
            j = i + 1
            if j < len(rest) and rest[j].upper == "BY":
                j += 1
            names = []
            while j < len(rest) and rest[j].kind is TokenKind.WORD and \
                    rest[j].upper not in _CLAUSE_WORDS and rest[j].upper not in _KEY_WORDS:
                names.append(rest[j].upper)
                j += 1
            clauses["indexed_by"] = names
            i = j
            continue
        i += 1
    return level, name, clauses


_KEY_WORDS = {"ASCENDING", "DESCENDING", "KEY", "IS", "DEPENDING", "TO", "TIMES"}


_CLAUSE_WORDS = {"PIC", "PICTURE", "VALUE", "VALUES", "OCCURS", "REDEFINES", "USAGE", "COMP",
                 "COMP-3", "COMP-4", "COMP-5", "BINARY", "PACKED-DECIMAL", "SIGN", "JUSTIFIED",
                 "JUST", "SYNC", "SYNCHRONIZED", "BLANK", "EXTERNAL", "GLOBAL", "INDEX",
                 "POINTER", "DISPLAY"}


def _is_value_word(tok: Token, decimal_comma: bool = False) -> bool:
    text = tok.upper
    point = "," if decimal_comma else r"\."
    return bool(re.fullmatch(rf"[+-]?\d*{point}?\d+", text)) or text in _FIGURATIVE


def _value_text(tokens: list[Token], i: int, decimal_comma: bool = False) -> str:
    """A VALUE literal as written, but a number under DECIMAL-POINT IS COMMA (`1234,5`) with
    a decimal point (`1234.5`), as every later stage reads numbers."""
    tok = tokens[i]
    if tok.upper == "ALL" and i + 1 < len(tokens):
        return "ALL " + tokens[i + 1].text
    if tok.kind is TokenKind.LITERAL:
        return tok.text
    if decimal_comma and re.fullmatch(r"[+-]?\d*,\d+", tok.upper):
        return tok.upper.replace(",", ".")
    return tok.upper


_ALIGNED_USAGES = {"COMP", "COMP-5", "COMP-1", "COMP-2", "INDEX", "POINTER"}


def _layout(entry: _Entry, inherited_usage: str, start: int = 0) -> None:
    """Offsets (from the start of the 01 record) and lengths (of one occurrence), REDEFINES
    sharing storage, SYNC binary items aligned to their size as IBM does (slack bytes)."""
    entry.offset = start
    usage = str(entry.clauses.get("usage", inherited_usage))
    storage_children = [c for c in entry.children if c.level != 88]
    if not storage_children:
        sign = str(_sign_of(entry, usage) or "")
        info = picture_info(entry.clauses.get("picture"), usage,  # type: ignore[arg-type]
                            "SEPARATE" in sign)
        entry.length = info.length
        return
    position = start
    end = start
    placed: dict[str, _Entry] = {}
    for child in storage_children:
        target = child.clauses.get("redefines")
        child_start = placed[str(target)].offset if target and str(target) in placed \
            else position
        if child.clauses.get("sync") and not child.children and \
                str(child.clauses.get("usage", usage)) in _ALIGNED_USAGES:
            size = picture_info(child.clauses.get("picture"),  # type: ignore[arg-type]
                                str(child.clauses.get("usage", usage))).length
            child_start += -child_start % min(size, 8)
        _layout(child, usage, child_start)
        size = child.length * int(child.clauses.get("occurs_max", 1))  # type: ignore[arg-type]
        if not target:
            position = child_start + size
        end = max(end, child_start + size)
        placed[child.name] = child
    entry.length = end - start


def _flatten(ctx: _Ctx, entry: _Entry, root: _Entry, out: list[DataItem], ids: set[str],
             parent_id: str | None = None) -> None:
    path = entry.name if parent_id is None else f"{parent_id.split('/data:', 1)[1]}.{entry.name}"
    item_id = f"{ctx.program_id}/data:{path}"
    n = 2
    while item_id in ids:
        item_id = f"{ctx.program_id}/data:{path}#{n}"
        n += 1
    ids.add(item_id)
    usage = _usage_of(entry)
    if usage == "DISPLAY" and str(entry.clauses.get("picture", "")).startswith("N"):
        usage = "NATIONAL"  # PIC N is national without saying so
    values = list(entry.clauses.get("values", []))  # type: ignore[call-overload]
    sign = _sign_of(entry, usage)
    is_88 = entry.level == 88
    info = picture_info(entry.clauses.get("picture"), usage,  # type: ignore[arg-type]
                        "SEPARATE" in str(sign or ""), currency=ctx.currency,
                        decimal_comma=ctx.decimal_comma) if entry.clauses.get("picture") \
        else None
    out.append(assemble(
        DataItem, id=item_id, name=entry.name, level=entry.level, parent=parent_id,
        storage=entry.storage, record=root.name, fd=entry.fd,
        picture=entry.clauses.get("picture"), usage=usage, sign=sign,
        value=None if is_88 or not values else values[0].value,
        justified=bool(entry.clauses.get("justified")),
        blank_when_zero=bool(entry.clauses.get("blank_when_zero")),
        indexed_by=tuple(entry.clauses.get("indexed_by", ())),
        occurs_keys=tuple(entry.clauses.get("occurs_keys", ())),
        occurs_min=entry.clauses.get("occurs_min"),
        occurs_max=entry.clauses.get("occurs_max"),
        depending_on=entry.clauses.get("depending_on"),
        redefines=entry.clauses.get("redefines"),
        condition_values=tuple(values) if is_88 else (),
        offset=None if is_88 else entry.offset, length=None if is_88 else entry.length,
        digits=info.digits if info else None, scale=info.scale if info else None,
        signed=info.signed if info else False,
        is_group=any(c.level != 88 for c in entry.children),
        file=entry.origin.file, line=entry.origin.line))
    for child in entry.children:
        _flatten(ctx, child, root, out, ids, item_id)


def _renames_item(ctx: _Ctx, entry: _Entry, record: _Entry | None,
                  items: list[DataItem]) -> DataItem:
    """Level 66 RENAMES a THRU b: the bytes from the start of a to the end of b. One that
    renames a single elementary item is that item again (its picture, usage, sign); any
    other is an alphanumeric group over its bytes."""
    names = tuple(str(n) for n in entry.clauses.get("renames", ()))  # type: ignore[attr-defined]
    record_name = record.name if record else None
    scope = _record_items(record, items)
    first = _renamed(scope, names[0]) if names else None
    last = _renamed(scope, names[-1]) if names else None
    offset = length = None
    if first and last and first.offset is not None and last.offset is not None:
        offset = first.offset
        length = last.offset + (last.length or 0) * (last.occurs_max or 1) - first.offset
    alias = first if first is not None and first is last and not first.is_group else None
    return DataItem(id=f"{ctx.program_id}/data:{record_name}.{entry.name}", name=entry.name,
                    level=66, parent=None, storage=entry.storage, record=record_name,
                    fd=entry.fd, renames=names, offset=offset, length=length,
                    picture=alias.picture if alias else None,
                    usage=alias.usage if alias else "DISPLAY",
                    sign=alias.sign if alias else None,
                    justified=alias.justified if alias else False,
                    blank_when_zero=alias.blank_when_zero if alias else False,
                    digits=alias.digits if alias else None,
                    scale=alias.scale if alias else None,
                    signed=alias.signed if alias else False,
                    file=entry.origin.file, line=entry.origin.line)


def _record_items(record: _Entry | None, items: list[DataItem]) -> list[DataItem]:
    """The items of ``record`` (itself first), not its level 88s: those flattened after it,
    up to the next record (two records of different FDs may share a name)."""
    if record is None:
        return []
    start = next((n for n, i in enumerate(items) if i.parent is None and i.name == record.name
                  and i.file == record.origin.file and i.line == record.origin.line), None)
    if start is None:
        return []
    end = next((n for n in range(start + 1, len(items)) if items[n].parent is None), len(items))
    return [i for i in items[start:end] if i.level != 88]


def _renamed(scope: list[DataItem], reference: str) -> DataItem | None:
    """The item of the record ``NAME [OF qualifier]...`` names (its first, if ambiguous)."""
    name, *qualifiers = reference.split(" OF ")
    by_id = {i.id: i for i in scope}
    for item in scope:
        if item.name != name:
            continue
        ancestors, node = [], item
        while node.parent is not None and node.parent in by_id:
            node = by_id[node.parent]
            ancestors.append(node.name)
        position = 0
        for qualifier in qualifiers:
            if qualifier not in ancestors[position:]:
                break
            position = ancestors.index(qualifier, position) + 1
        else:
            return item
    return None


def _sign_of(entry: _Entry, usage: str) -> str | None:
    """The SIGN clause that applies to the item: its own, else (for a signed DISPLAY
    elementary item) the nearest group's above it, which the item's then inherits (so an
    inner group's clause takes precedence over the record's)."""
    own = entry.clauses.get("sign")
    if own is not None or any(c.level != 88 for c in entry.children) or usage != "DISPLAY" or \
            not str(entry.clauses.get("picture", "")).upper().startswith("S"):
        return own  # type: ignore[return-value]
    node = entry.parent
    while node is not None:
        if "sign" in node.clauses:
            return str(node.clauses["sign"])
        node = node.parent
    return None


def _usage_of(entry: _Entry) -> str:
    node: _Entry | None = entry
    while node is not None:
        if "usage" in node.clauses:
            return str(node.clauses["usage"])
        node = node.parent
    return "DISPLAY"


_IBM_ASSIGN = re.compile(r"^(?:(?:UT|UR|DA|SYS\d{3})-)?(?:(?:S|AS|V|D|I|R|W)-)?"
                         r"([A-Z0-9@#$]{1,8})$")


def dd_name(assign: str | None, literal: bool = False) -> str | None:
    """The DD name of an IBM assignment-name: `UT-S-TRANSIN` and `S-TRANSIN` → TRANSIN, and
    in general the part after the last hyphen, as the name part of `[comment-][label-]name`
    (what GnuCOBOL's -fassign-clause=ibm looks up); a quoted literal is a file name as it is."""
    if not assign:
        return None
    if literal:
        return assign
    match = _IBM_ASSIGN.match(assign.upper())
    if match:
        return match.group(1)
    return assign.rsplit("-", 1)[-1] if "-" in assign.strip("-") else assign


def _alternate_keys(tokens: list[Token]) -> tuple[AlternateKey, ...]:
    """The `ALTERNATE [RECORD] [KEY] [IS] name [OF|IN q]... [WITH] [DUPLICATES] [SUPPRESS WHEN
    [ALL] value]` clauses of a SELECT's tokens (separators left out)."""
    keys: list[AlternateKey] = []
    words = [t.upper for t in tokens]
    i = 0
    while i < len(tokens):
        if words[i] != "ALTERNATE" or tokens[i].kind is TokenKind.LITERAL:
            i += 1
            continue
        i += 1
        while i < len(tokens) and words[i] in ("RECORD", "KEY", "IS"):
            i += 1
        if i >= len(tokens):
            break
        name = words[i]
        i += 1
        while i + 1 < len(tokens) and words[i] in ("OF", "IN"):
            i += 2  # a qualified key: the model names the item itself
        duplicates = False
        while i < len(tokens) and words[i] in ("WITH", "DUPLICATES"):
            duplicates = duplicates or words[i] == "DUPLICATES"
            i += 1
        suppress = None
        if i < len(tokens) and words[i] == "SUPPRESS":
            i += 1
            while i < len(tokens) and words[i] == "WHEN":
                i += 1
            value = []
            if i < len(tokens) and words[i] == "ALL":
                value.append("ALL")
                i += 1
            if i < len(tokens):
                value.append(tokens[i].text if tokens[i].kind is TokenKind.LITERAL
                             else words[i])
                i += 1
            suppress = " ".join(value) or None
        keys.append(AlternateKey(name=name, duplicates=duplicates, suppress=suppress))
    return tuple(keys)


def _file_def(ctx: _Ctx, node: Node, items: list[DataItem]) -> FileDef:
    tokens = [t for t in tokenize_line(ctx.full_text(node))
              if t.kind is not TokenKind.SEPARATOR]
    words = [t.upper if t.kind is not TokenKind.LITERAL else literal_value(t.text) for t in tokens]
    name = words[1] if len(words) > 1 and words[0] == "SELECT" else words[0]
    if name == "OPTIONAL" and len(words) > 2:
        name = words[2]

    def after(*keys: str) -> str | None:
        for k, w in enumerate(words):
            if k > 0 and words[k - 1] == "ALTERNATE":
                continue  # RECORD KEY of an ALTERNATE RECORD KEY
            if w == keys[0] and all(k + n < len(words) and words[k + n] == key
                                    for n, key in enumerate(keys[1:], 1)):
                j = k + len(keys)
                while j < len(words) and words[j] in ("IS", "TO", "MODE", "ARE", "USING"):
                    j += 1
                return words[j] if j < len(words) else None
        return None

    organization = after("ORGANIZATION") or ("SEQUENTIAL" if "SEQUENTIAL" in words else None)
    first_row = node.start_point[0]
    rows = range(first_row, node.end_point[0] + 1)
    if any(r in ctx.view.line_sequential_lines for r in rows):
        organization = "LINE SEQUENTIAL"
    elif organization is None:
        organization = next((w for w in ("INDEXED", "RELATIVE") if w in words), "SEQUENTIAL")
    records = tuple(i.name for i in items if i.fd == name and i.level in (1, 77))
    origin = ctx.at(node)
    assign = after("ASSIGN")
    at = next((k for k, w in enumerate(words) if w == "ASSIGN"), None)
    while at is not None and at + 1 < len(words) and words[at + 1] in ("TO", "USING"):
        at += 1
    literal = at is not None and at + 1 < len(tokens) and \
        tokens[at + 1].kind is TokenKind.LITERAL
    return FileDef(id=f"{ctx.program_id}/file:{name}", name=name, assign=assign,
                   dd_name=dd_name(assign, literal),
                   organization=organization, access=after("ACCESS") or "SEQUENTIAL",
                   record_key=after("RECORD", "KEY"), alternate_keys=_alternate_keys(tokens),
                   file_status=after("STATUS"),
                   optional=words[:2] == ["SELECT", "OPTIONAL"] or words[:1] == ["OPTIONAL"],
                   records=records, file=origin.file, line=origin.line)


# ------------------------------------------------------------------------- procedure division


@dataclass
class _Para:
    """A procedure (section or paragraph, or the entry: statements before the first header)."""

    name: str
    section: str | None
    row: int
    origin: Origin
    kind: str = "paragraph"  # paragraph, section, entry
    key: str = ""
    header_end: tuple[int, int] = (0, 0)  # (view row, column) where the header ends
    declarative: bool = False
    statements: int = 0
    last_kind: str | None = None
    last_origin: Origin | None = None


def _extract_procedures(ctx: _Ctx, structure: list[tuple[str, Node]], proc_row: int,
                        tree: SyntaxTree) -> list[_Para]:
    """Sections and paragraphs in source order, each with its key and DECLARATIVES flag."""
    heads: list[tuple[int, str, str, tuple[int, int]]] = []
    for cap, node in structure:
        if cap in ("section", "paragraph"):
            name = ctx.text(node).split()[0].rstrip(".").upper()
            heads.append((ctx.row(node), cap, name, (ctx.row(node, end=True), node.end_point[1])))
    for row, kind, name in _recover_headers(ctx, tree, proc_row, {h[0] for h in heads}):
        heads.append((row, kind, name, (row, 1 << 30)))
    heads.sort()
    declaratives = _declaratives_rows(ctx.view)
    procs: list[_Para] = []
    section: str | None = None
    for row, kind, name, header_end in heads:
        if kind == "section":
            section = name
        procs.append(_Para(name, section if kind == "paragraph" else None, row,
                           ctx.view.origin(row), kind=kind, header_end=header_end,
                           declarative=declaratives[0] < row < declaratives[1]))
    uses = Counter(p.name for p in procs if p.kind == "paragraph")
    for proc in procs:
        if proc.kind == "section":
            proc.key = f"{proc.name} SECTION"
        elif uses[proc.name] > 1 and proc.section:
            proc.key = f"{proc.name} IN {proc.section}"
        else:
            proc.key = proc.name
    return procs


_DECLARATIVES = re.compile(r"^\s*DECLARATIVES\s*\.", re.IGNORECASE)
_END_DECLARATIVES = re.compile(r"^\s*END\s+DECLARATIVES\b", re.IGNORECASE)


_DECLARATIVES_WORD = re.compile("DECLARATIVES", re.IGNORECASE)


def _declaratives_rows(view: ParserView) -> tuple[int, int]:
    """View rows of DECLARATIVES. and END DECLARATIVES. ((-1, -1) when there are none)."""
    if not _DECLARATIVES_WORD.search(view.text):  # most programs: one scan, no line loop
        return -1, -1
    start = -1
    for row, line in enumerate(view.lines):
        if start < 0 and _DECLARATIVES.match(line):
            start = row
        elif start >= 0 and _END_DECLARATIVES.match(line):
            return start, row
    return -1, -1


_HEADER = re.compile(r"^ {7,10}([A-Z0-9][A-Z0-9-]*)(\s+SECTION)?\s*\.\s*$", re.IGNORECASE)
_NOT_HEADERS = {"EXIT", "GOBACK", "CONTINUE", "END-IF", "END-EVALUATE", "END-PERFORM",
                "END-READ", "STOP", "ELSE", "DECLARATIVES", "END"}


def _recover_headers(ctx: _Ctx, tree: SyntaxTree, proc_row: int, known: set[int]
                     ) -> list[tuple[int, str, str]]:
    """Paragraph and section headers inside ERROR spans of the procedure division.

    A header is a name alone in area A followed by a period, which the grammar would have
    recognised but for the error around it.
    """
    out = []
    lines = ctx.view.lines
    for node in error_nodes(tree):
        for row in range(max(node.start_point[0], proc_row + 1), node.end_point[0] + 1):
            if row in known or row >= len(lines):
                continue
            match = _HEADER.match(lines[row])
            if match and match.group(1).upper() not in _NOT_HEADERS:
                kind = "section" if match.group(2) else "paragraph"
                out.append((row, kind, match.group(1).upper()))
    return out


def _sentences(lines: list[str], first: int, last: int) -> list[tuple[int, int]]:
    """Row spans of the sentences in rows first..last: up to a period, or up to the row before
    a paragraph or section header. A header goes with the sentence after it (the grammar wants
    a statement after a header)."""
    spans: list[tuple[int, int]] = []
    start = first
    for row in range(first, last + 1):
        header = bool(_HEADER.match(lines[row]))
        if header and row > start:
            spans.append((start, row - 1))
            start = row
        if (lines[row].rstrip().endswith(".") and not header) or row == last:
            spans.append((start, row))
            start = row + 1
    return spans


def _procedure_using(ctx: _Ctx, procedure: Node | None) -> tuple[str, ...]:
    if procedure is None:
        return ()
    for index in range(procedure.named_child_count):  # not the list of every statement
        child = procedure.named_child(index)
        if child is None:
            break
        if child.type == "procedure_using_chaining":
            # `BY VALUE P` and `BY REFERENCE Q` are parameters P and Q
            return tuple(ctx.text(c).upper().split()[-1] for c in child.named_children
                         if c.type == "procedure_param" and ctx.text(c).split())
        if child.type in _AFTER_THE_HEADER:  # USING is in the division's header
            return ()
    return ()


_AFTER_THE_HEADER = frozenset(("paragraph_header", "section_header", "period"))


@dataclass
class _RawCall:
    literal: str | None
    via: str | None
    kind: str
    paragraph: str | None
    origin: Origin
    using: tuple[str, ...]


class _ProcedureWalker:
    """One pass over the statements in source order: paragraph, nesting depth, facts."""

    _OPENERS = {"condition.if", "condition.evaluate", "perform.inline"}

    def __init__(self, ctx: _Ctx, procedures: list[_Para], items: list[DataItem],
                 proc_row: int) -> None:
        self.ctx = ctx
        origin = ctx.view.origin(proc_row) if proc_row < len(ctx.view.origins) else \
            Origin("", 0)
        self.entry = _Para("", None, proc_row, origin, kind="entry",
                           header_end=(proc_row, 1 << 30))
        self.paras = [self.entry] + procedures
        self.rows = [p.row for p in self.paras]
        self.exec_rows = {b.view_line: b for b in ctx.view.exec_blocks if b.in_procedure}
        self.conditions_88 = {i.name: i for i in items if i.level == 88}
        self.parents = {i.id: i for i in items}
        self.performs: list[Perform] = []
        self.gotos: list[GoTo] = []
        self.file_ops: list[FileOp] = []
        self.sql: list[SqlStatement] = []
        self.cics: list[CicsCommand] = []
        self.flows: list[DataFlow] = []
        self.conditions: list[Condition] = []
        self.raw_calls: list[_RawCall] = []
        self.depth = 0
        self.handler = False

    def para_at(self, row: int) -> _Para | None:
        index = bisect.bisect_right(self.rows, row) - 1
        return self.paras[index] if index >= 0 else None

    def walk(self, tree: SyntaxTree, skip: Sequence[tuple[int, int]] = ()) -> None:
        for cap, node in captures(tree, "statements"):
            row = self.ctx.row(node)
            if any(first <= row <= last for first, last in skip):
                continue  # re-parsed by recover()
            para = self.para_at(row)
            if para is not None and (row, node.start_point[1]) < para.header_end:
                continue  # part of the header line (PROCEDURE DIVISION USING ..., a name)
            self.statement(cap, node, para)

    def recover(self, first: int, last: int) -> None:
        """Re-parse rows the grammar failed on: the whole span, else sentence by sentence.

        An error in one sentence then costs that sentence only, not the rest of the program.
        """
        lines = self.ctx.view.lines
        if self._parse_slice(lines, first, last):
            return
        for start, end in _sentences(lines, first, last):
            if not self._parse_slice(lines, start, end):
                origin, end_origin = self.ctx.view.origin(start), self.ctx.view.origin(end)
                text = " ".join(" ".join(lines[start:end + 1]).split())
                self.ctx.diagnostics.append(Diagnostic(
                    severity=Severity.WARNING, code="parse-error", file=origin.file,
                    line=origin.line, program=self.ctx.program_id,
                    message=f"unparsable sentence (lines {origin.line}-{end_origin.line}): "
                            f"{text[:70]!r}; its statements are missing from the model"))

    def _parse_slice(self, lines: list[str], first: int, last: int) -> bool:
        wrapper = ["       IDENTIFICATION DIVISION.", "       PROGRAM-ID. RECOVERY.",
                   "       PROCEDURE DIVISION."]
        tree = parse("cobol", "\n".join(wrapper + lines[first:last + 1]) + "\n")
        if tree.root.has_error:
            return False
        saved = self.ctx.row_offset
        self.ctx.row_offset = first - len(wrapper)
        try:
            self.depth, self.handler = 0, False
            self.walk(tree)
        finally:
            self.ctx.row_offset = saved
        return True

    def statement(self, cap: str, node: Node, para: _Para | None) -> None:
        if cap == "perform.inline" and node.prev_sibling is not None and \
                node.prev_sibling.type == "exit_statement" and not node.named_children:
            return  # EXIT PERFORM: the grammar reads it as EXIT followed by an empty PERFORM
        if para is not None and cap.startswith("scope."):
            para.last_origin = self.ctx.at(node, end=True)
        if cap == "scope.period":
            self.depth, self.handler = 0, False
            return
        if cap == "scope.close":
            self.depth = max(0, self.depth - 1)
            self.handler = False
            return
        if cap in ("scope.branch",):
            return
        if cap == "scope.handler":
            self.handler = True
            kind = _HANDLER_CONDITIONS.get(node.type)
            if kind and para is not None:
                origin = self.ctx.at(node)
                self.conditions.append(Condition(
                    kind=kind, text=kind, expanded=kind, paragraph=para.key or None,
                    file=origin.file, line=origin.line))
            return
        conditional = self.depth > 0 or self.handler
        name = para.key or None if para else None
        origin = self.ctx.at(node)
        where = {"paragraph": name, "file": origin.file, "line": origin.line}
        if para is not None and not cap.startswith("condition.when"):
            para.statements += 1
            para.last_kind = None if conditional else self._terminal(cap, node)
            para.last_origin = self.ctx.at(node, end=True)
        if cap in self._OPENERS:
            self.depth += 1
        if cap.startswith("condition."):
            self.condition(cap, node, where)
        elif cap == "perform.sort":
            self.sort(node, where, conditional)
        elif cap == "perform" or cap == "perform.inline":
            self.perform(cap, node, where, conditional)
        elif cap == "goto.alter":
            self.alter(node, where)
        elif cap == "goto":
            labels = tuple(self._label(c) for c in node.children_by_field_name("to"))
            dep = node.child_by_field_name("depending")
            self.gotos.append(GoTo(targets=labels, depending_on=self._word(dep) if dep else None,
                                   conditional=conditional or dep is not None, **where))
        elif cap == "call":
            self.call(node, where, origin)
        elif cap.startswith("io."):
            self.io(cap, node, where)
        elif cap.startswith("flow."):
            self.flow(cap, node, where)

    def _terminal(self, cap: str, node: Node) -> str | None:
        if cap == "goto" and node.child_by_field_name("depending") is None:
            return "GOTO"
        if cap == "stop":
            return "GOBACK" if node.type == "goback_statement" else "STOP"
        if cap == "exit" and "PROGRAM" in self.ctx.text(node).upper():
            return "EXIT-PROGRAM"
        if cap == "continue":  # the stand-in for an EXEC block: CICS RETURN and XCTL end here
            block = self.exec_rows.get(self.ctx.row(node))
            if block is not None and block.kind == "CICS":
                command = parse_cics(block.text).command
                if command in ("RETURN", "XCTL"):
                    return f"CICS-{command}"
        return None

    def _label(self, node: Node) -> str:
        """A procedure name as written, qualification kept: `CHECK-IT IN E000-SEC`."""
        words = self.ctx.text(node).upper().split()
        return " ".join("IN" if w == "OF" else w for w in words)

    def alter(self, node: Node, where: dict) -> None:
        """ALTER A TO [PROCEED TO] B: the GO TO in A now goes to B, so A leads to B."""
        words = self.ctx.text(node).upper().replace(",", " ").split()[1:]
        i = 0
        while i + 2 < len(words):
            source, i = words[i], i + 2  # skip TO
            if words[i:i + 2] == ["PROCEED", "TO"]:
                i += 2
            if i < len(words):
                self.gotos.append(GoTo(targets=(words[i],), conditional=True,
                                       **{**where, "paragraph": source}))
            i += 1

    def _word(self, node: Node | None) -> str:
        if node is None:
            return ""
        return self.ctx.text(node).split()[0].upper() if self.ctx.text(node) else ""

    # -- conditions
    def condition(self, cap: str, node: Node, where: dict) -> None:
        kind = {"condition.if": "IF", "condition.evaluate": "EVALUATE",
                "condition.when": "WHEN"}[cap]
        if kind == "WHEN":  # the grammar splits `WHEN 1 THRU 5` oddly: take the whole phrase
            text = re.sub(r"^WHEN\s+", "", self.ctx.text(node), flags=re.IGNORECASE)
            self._add_condition(kind, node, where, text)
            return
        expr = node.child_by_field_name("condition") or next(
            (c for c in node.named_children if c.type in ("expr", "evaluate_subject")), None)
        if expr is None:
            return
        self._add_condition(kind, expr, where)

    def _add_condition(self, kind: str, expr: Node, where: dict, text: str | None = None
                       ) -> None:
        text = self.ctx.text(expr) if text is None else text
        reads = self._names(expr)
        self.conditions.append(assemble(Condition, kind=kind, text=text,
                                        expanded=self._expand_88(text), reads=reads, **where))

    def _expand_88(self, text: str) -> str:
        """Level-88 names replaced by the tests they stand for, keeping their qualification and
        subscripts on the item tested: `FLAG-ON (IX)` → `WS-FLAG (IX) = 'Y'`."""
        tokens = tokenize_line(text)
        edits: list[tuple[int, int, str]] = []
        i = 0
        while i < len(tokens):
            item = self.conditions_88.get(tokens[i].upper) \
                if tokens[i].kind is TokenKind.WORD else None
            if item is None or item.parent is None or not item.condition_values:
                i += 1
                continue
            j = i + 1
            while j + 1 < len(tokens) and tokens[j].upper in ("OF", "IN"):
                j += 2  # qualification of the condition name, which qualifies its item too
            if j < len(tokens) and tokens[j].text == "(":
                depth = 0
                while j < len(tokens):
                    depth += {"(": 1, ")": -1}.get(tokens[j].text, 0)
                    j += 1
                    if depth == 0:
                        break
            subject = self.parents[item.parent].name + text[tokens[i].end:tokens[j - 1].end]
            tests = [f"{subject} = {v.value}" if v.thru is None else
                     f"{subject} >= {v.value} AND {subject} <= {v.thru}"
                     for v in item.condition_values]
            if len(tests) == 1 and item.condition_values[0].thru is None:
                expanded = tests[0]
            else:
                expanded = "(" + " OR ".join(f"({t})" if " AND " in t and len(tests) > 1
                                             else t for t in tests) + ")"
            edits.append((tokens[i].start, tokens[j - 1].end, expanded))
            i = j
        for start, end, new in reversed(edits):
            text = text[:start] + new + text[end:]
        return text

    # -- PERFORM
    def perform(self, cap: str, node: Node, where: dict, conditional: bool) -> None:
        target = thru = None
        proc = node.child_by_field_name("procedure")
        if proc is not None:
            labels = [self._label(c) for c in proc.named_children if c.type == "label"]
            target = labels[0] if labels else None
            thru = labels[1] if len(labels) > 1 else None
        kind, cond_text = "once", None
        option = node.child_by_field_name("option")
        if option is not None:
            varyings = option.children_by_field_name("varying")  # VARYING and each AFTER
            untils = [u for u in [option.child_by_field_name("until")] if u is not None] + [
                u for v in varyings for u in v.children_by_field_name("until")]
            if varyings:
                kind = "varying"
            elif untils:
                kind = "until"
            elif option.child_by_field_name("times") is not None:
                kind = "times"
            for until in untils:
                self._add_condition("UNTIL", until, where)
            if untils:
                cond_text = " / ".join(self.ctx.text(u) for u in untils)
        if cap == "perform.inline" and kind == "once":
            kind = "inline"
        if cap == "perform.inline" and target is None and kind != "once":
            kind = f"inline-{kind}" if kind != "inline" else kind
        self.performs.append(assemble(Perform, target=target, thru=thru, kind=kind,
                                      condition=cond_text, conditional=conditional, **where))

    def sort(self, node: Node, where: dict, conditional: bool) -> None:
        """SORT/MERGE: INPUT/OUTPUT PROCEDUREs run like PERFORMs; USING/GIVING files are I/O."""
        for index, child in enumerate(node.children):
            role = node.field_name_for_child(index)
            if child.type in ("sort_input_procedure", "sort_output_procedure"):
                kind = "sort-input" if child.type == "sort_input_procedure" else "sort-output"
                proc = next((c for c in child.named_children if c.type == "perform_procedure"),
                            None)
                labels = [self._label(c) for c in proc.named_children if c.type == "label"] \
                    if proc is not None else []
                if labels:
                    self.performs.append(Perform(
                        target=labels[0], thru=labels[1] if len(labels) > 1 else None,
                        kind=kind, conditional=conditional, **where))
            elif child.type in ("sort_input_using", "sort_output_giving") or role in (
                    "input", "output") and child.type not in ("sort_input_procedure",
                                                              "sort_output_procedure"):
                verb = "SORT-USING" if "input" in (child.type + str(role)) else "SORT-GIVING"
                for name in self._files_named(child):
                    self.file_ops.append(FileOp(verb=verb, file_name=name, **where))

    def _files_named(self, node: Node) -> list[str]:
        names: list[str] = []
        stack = [node]
        while stack:
            current = stack.pop()
            if current.type in ("qualified_word", "WORD") and current.parent is not None and \
                    current.parent.type != "qualified_word":
                names.append(self.ctx.text(current).split()[0].upper())
                continue
            stack.extend(reversed(current.children))
        return names

    # -- CALL
    def call(self, node: Node, where: dict, origin: Origin) -> None:
        target = node.child_by_field_name("x")
        using: list[str] = []
        by_reference: list[str] = []  # BY CONTENT and BY VALUE arguments cannot be changed
        mode = "by_reference"
        for arg in node.children_by_field_name("using"):
            mode = next((c.type for c in arg.children
                         if c.type in ("by_reference", "by_content", "by_value")), mode)
            names = self._names(arg)
            using += names
            if mode == "by_reference":
                by_reference += names
        returning = [n for r in node.children_by_field_name("returning") for n in self._names(r)]
        literal = via = None
        if target is not None and target.type == "string":
            literal = literal_value(self.ctx.text(target)).strip().upper()
        elif target is not None:
            via = self._word(target)
        self.raw_calls.append(_RawCall(literal, via, "static" if literal else "dynamic",
                                       where["paragraph"], origin, tuple(using)))
        if using or returning:
            self.flows.append(DataFlow(verb="CALL", reads=tuple(using),
                                       writes=tuple(dict.fromkeys(by_reference + returning)),
                                       **where))

    # -- file I/O
    def io(self, cap: str, node: Node, where: dict) -> None:
        verb = cap.split(".", 1)[1].upper()
        if verb in ("OPEN", "CLOSE"):
            for arg in node.named_children:
                if arg.type not in ("open_arg", "close_arg"):
                    continue
                mode_node = arg.child_by_field_name("mode")
                mode = self.ctx.text(mode_node).upper() if mode_node is not None else None
                for index, child in enumerate(arg.children):
                    field_name = arg.field_name_for_child(index)
                    if field_name in ("file_name_list", "file_handler"):
                        self.file_ops.append(FileOp(verb=verb, file_name=self._word(child),
                                                    mode=mode if verb == "OPEN" else None,
                                                    **where))
            return
        file_node = node.child_by_field_name("file_name")
        record_node = node.child_by_field_name("record_name") or node.child_by_field_name("record")
        record = self._word(record_node) if record_node is not None else None
        self.file_ops.append(FileOp(verb=verb, file_name=self._word(file_node) if file_node else "",
                                    record=record, **where))
        into = node.child_by_field_name("into")
        source = node.child_by_field_name("from")
        if into is not None:
            self.flows.append(DataFlow(verb=verb, writes=self._names(into), **where))
        if source is not None:
            self.flows.append(DataFlow(verb=verb, reads=self._names(source),
                                       writes=(record,) if record else (), **where))

    # -- data flow
    def flow(self, cap: str, node: Node, where: dict) -> None:
        kind = node.type
        reads: list[str] = []
        writes: list[str] = []
        fields = self._fields(node)
        if kind in _WRITE_FIELDS:
            write_fields = _WRITE_FIELDS[kind]
        elif kind in _GIVING_OR:
            write_fields = ("giving", "remainder") if "giving" in fields else _GIVING_OR[kind]
        else:
            write_fields = ()
        for field_name, names in fields.items():
            if field_name in write_fields:
                writes += names
                if kind in _GIVING_OR and field_name in _GIVING_OR[kind]:
                    reads += names  # ADD a TO b reads b too
            else:
                reads += names
        if kind == "unstring_statement":
            first = reads[:1]
            writes = [n for n in reads[1:]]
            reads = first
        elif kind == "inspect_statement":
            counters = [n for child in node.named_children if child.type == "inspect_tallying"
                        for n in self._names(child.child_by_field_name("for") or child)[:1]]
            writes = counters + (fields.get("send", []) if "REPLACING" in
                                              self.ctx.text(node).upper() or "CONVERTING" in
                                              self.ctx.text(node).upper() else [])
        elif kind in ("set_statement", "accept_statement"):
            writes, reads = reads[:1], reads[1:]
            writes = [self._condition_parent(w) for w in writes]
        elif kind == "display_statement":
            writes = []
        elif kind == "search_statement":
            for child in node.named_children:
                if child.type == "when":
                    self._add_condition("WHEN", child, where)
        reads_t = tuple(dict.fromkeys(reads))
        writes_t = tuple(dict.fromkeys(writes))
        if reads_t or writes_t:
            self.flows.append(assemble(DataFlow, verb=kind.removesuffix("_statement").upper(),
                                       reads=reads_t, writes=writes_t, **where))

    def _condition_parent(self, name: str) -> str:
        item = self.conditions_88.get(name)
        return self.parents[item.parent].name if item and item.parent else name

    def _fields(self, node: Node) -> dict[str, list[str]]:
        """Data names under each field of a statement (subscripts always count as reads)."""
        out: dict[str, list[str]] = {}
        for index, child in enumerate(node.children):
            field_name = node.field_name_for_child(index) or child.type
            if child.type in _SUBSCRIPTS:
                out.setdefault("subscript", []).extend(self._names(child))
                continue
            names, subscripted = self._names_and_subscripts(child)
            out.setdefault(field_name, []).extend(names)
            out.setdefault("subscript", []).extend(subscripted)
        return out

    def _names_and_subscripts(self, node: Node) -> tuple[tuple[str, ...], list[str]]:
        """In one walk, what ``_names(node, subscripts=False)`` and ``_subscript_names(node)``
        give: the data names outside subscripts and reference modifications, and the names
        in each of those (the last one's first, as the subscript walk finds them)."""
        names: list[str] = []
        roots: list[Node] = []  # subscripts and reference modifications, in source order
        stack = [node]
        while stack:
            current = stack.pop()
            kind = current.type
            if kind in _SUBSCRIPTS:
                roots.append(current)
                continue
            if kind == "qualified_word":
                word = self.ctx.text(current).split()[0].upper()
                if word not in _FIGURATIVE:
                    names.append(word)
                continue  # (the grammar puts a qualified word's subscripts beside it)
            stack.extend(reversed(current.children))
        subscripted: list[str] = []
        for root in reversed(roots):
            subscripted += self._names(root)
        return tuple(dict.fromkeys(names)), subscripted

    def _names(self, node: Node, subscripts: bool = True) -> tuple[str, ...]:
        """Data names referenced under a node: the first word of each qualified word (those in
        subscripts and reference modifications too, unless ``subscripts`` is False)."""
        names: list[str] = []
        stack = [node]
        while stack:
            current = stack.pop()
            if not subscripts and current.type in _SUBSCRIPTS:
                continue
            if current.type == "qualified_word":
                word = self.ctx.text(current).split()[0].upper()
                if word not in _FIGURATIVE:
                    names.append(word)
                continue
            stack.extend(reversed(current.children))
        return tuple(dict.fromkeys(names))

    # -- EXEC blocks
    def add_exec_blocks(self) -> None:
        for block in self.ctx.view.exec_blocks:
            para = self.para_at(block.view_line) if block.in_procedure else None
            if para is not None and block.end_origin.file == para.origin.file:
                para.last_origin = max(para.last_origin or block.end_origin, block.end_origin,
                                       key=lambda o: o.line)
            where = {"paragraph": para.key or None if para else None,
                     "file": block.origin.file, "line": block.origin.line}
            if block.kind == "SQL":
                parsed = parse_sql(block.text)
                self.sql.append(SqlStatement(verb=parsed.verb, tables=parsed.tables,
                                             crud=parsed.crud, cursor=parsed.cursor,
                                             host_variables=parsed.host_reads + parsed.host_writes,
                                             text=block.text, **where))
                if parsed.host_reads or parsed.host_writes:
                    self.flows.append(DataFlow(verb="EXEC SQL", reads=parsed.host_reads,
                                               writes=parsed.host_writes, **where))
                if parsed.goto:  # WHENEVER ... GO TO: the precompiler branches after each call
                    self.gotos.append(GoTo(targets=(parsed.goto,), conditional=True, **where))
            elif block.kind == "CICS":
                parsed_cics = parse_cics(block.text)
                self.cics.append(CicsCommand(command=parsed_cics.command,
                                             target=parsed_cics.target,
                                             options=parsed_cics.options, text=block.text,
                                             **where))
                if parsed_cics.labels:  # HANDLE CONDITION/AID/ABEND: branches on a condition
                    self.gotos.append(GoTo(targets=parsed_cics.labels, conditional=True,
                                           **where))
                if parsed_cics.command in ("LINK", "XCTL") and (
                        parsed_cics.program_literal or parsed_cics.program_item):
                    literal, via = parsed_cics.program_literal, parsed_cics.program_item
                    self.raw_calls.append(_RawCall(
                        literal, via, f"cics-{parsed_cics.command.lower()}", where["paragraph"],
                        block.origin, ()))
                if parsed_cics.reads or parsed_cics.writes:
                    self.flows.append(DataFlow(verb=f"EXEC CICS {parsed_cics.command}",
                                               reads=parsed_cics.reads,
                                               writes=parsed_cics.writes, **where))
            else:
                self.ctx.diagnostics.append(Diagnostic(
                    severity=Severity.INFO, code="exec-unsupported", file=block.origin.file,
                    line=block.origin.line, program=self.ctx.program_id,
                    message=f"EXEC {block.kind} block not analysed"))
        for facts in (self.sql, self.cics, self.flows):
            facts.sort(key=lambda f: (f.file, f.line))

    def entry_points(self) -> tuple[EntryPoint, ...]:
        out = []
        for entry in self.ctx.view.entries:
            para = self.para_at(entry.view_line)
            out.append(EntryPoint(name=entry.name, using=entry.using,
                                  paragraph=para.key or None if para else None,
                                  file=entry.origin.file, line=entry.origin.line))
        return tuple(out)

    def finish_procedures(self) -> tuple[list[Section], list[Paragraph]]:
        sections: list[Section] = []
        paragraphs: list[Paragraph] = []
        pid = self.ctx.program_id
        for proc in self.paras[1:]:
            end = proc.last_origin or proc.origin
            common = {"name": proc.name, "key": proc.key, "file": proc.origin.file,
                      "line": proc.origin.line, "statements": proc.statements,
                      "ends_with": proc.last_kind,
                      "end_line": end.line if end.file == proc.origin.file else proc.origin.line}
            if proc.kind == "section":
                sections.append(Section(id=f"{pid}/section:{proc.name}",
                                        declarative=proc.declarative, **common))
            else:
                local = f"{proc.section}.{proc.name}" if " IN " in proc.key else proc.name
                paragraphs.append(Paragraph(id=f"{pid}/para:{local}", section=proc.section,
                                            **common))
        return sections, paragraphs


def _resolve_calls(ctx: _Ctx, raw: list[_RawCall], items: list[DataItem],
                   flows: list[DataFlow]) -> list[Call]:
    """Static calls as they are; dynamic ones through the item's VALUE and literal MOVEs."""
    values = _call_targets(ctx, items) if any(not call.literal for call in raw) else {}
    out: list[Call] = []
    for call in raw:
        where = {"paragraph": call.paragraph, "file": call.origin.file, "line": call.origin.line,
                 "using": call.using}
        if call.literal:
            out.append(Call(target=call.literal, kind=call.kind, **where))
            continue
        candidates = tuple(dict.fromkeys(values.get(call.via or "", [])))
        kind = "dynamic" if call.kind == "static" else call.kind
        if not candidates:
            out.append(Call(target=None, kind=kind, via=call.via, **where))
            ctx.diagnostics.append(Diagnostic(
                severity=Severity.WARNING, code="call-unresolved", file=call.origin.file,
                line=call.origin.line, program=ctx.program_id,
                message=f"CALL through {call.via}: no VALUE or literal MOVE gives its target"))
        for target in candidates:
            out.append(Call(target=target, kind=kind, via=call.via, candidates=candidates
                            if len(candidates) > 1 else (), **where))
    return out


def _call_targets(ctx: _Ctx, items: list[DataItem]) -> dict[str, list[str]]:
    """The literals each item may hold when a dynamic CALL names it: its VALUE, the literals
    MOVEd to it, the values of its level-88s SET TO TRUE (the text is searched only for a
    program that has a dynamic CALL)."""
    values: dict[str, list[str]] = {}
    for item in items:
        if item.value and item.value[:1] in "'\"":
            values.setdefault(item.name, []).append(literal_value(item.value).strip().upper())
    for flow in ctx_literal_moves(ctx):
        values.setdefault(flow[1], []).append(flow[0])
    by_id = {i.id: i for i in items}
    conditions = {i.name: i for i in items if i.level == 88 and i.parent in by_id}
    for name in _SET_TO_TRUE.findall(ctx.view.text):
        condition = conditions.get(name.upper())
        if condition is not None and condition.condition_values:
            value = condition.condition_values[0].value
            if value[:1] in "'\"":  # SET PGM-IS-A TO TRUE moves the 88's value to its item
                values.setdefault(by_id[condition.parent].name, []).append(  # type: ignore[index]
                    literal_value(value).strip().upper())
    return values


_SET_TO_TRUE = re.compile(r"\bSET\s+([A-Z0-9][A-Z0-9-]*)\s+TO\s+TRUE\b", re.IGNORECASE)


def ctx_literal_moves(ctx: _Ctx) -> list[tuple[str, str]]:
    """(literal, item) pairs of `MOVE 'LITERAL' TO item` anywhere in the view."""
    pattern = re.compile(r"\bMOVE\s+(['\"])([^'\"]+)\1\s+TO\s+([A-Z0-9][A-Z0-9-]*)", re.I)
    return [(m.group(2).strip().upper(), m.group(3).upper())
            for m in pattern.finditer(ctx.unplaceholder(ctx.view.text))]


def _record_flows(ops: list[FileOp], files: list[FileDef]) -> list[DataFlow]:
    """A READ fills the file's records; a WRITE sends its record out (reads it)."""
    records = {f.name: f.records for f in files}
    out = []
    for op in ops:
        where = {"paragraph": op.paragraph, "file": op.file, "line": op.line}
        if op.verb in ("READ", "RETURN") and records.get(op.file_name):
            out.append(DataFlow(verb=op.verb, writes=records[op.file_name], **where))
        elif op.verb in ("WRITE", "REWRITE", "RELEASE") and op.record:
            out.append(DataFlow(verb=op.verb, reads=(op.record,), **where))
    return out


def _resolve_records(ops: list[FileOp], files: list[FileDef], items: list[DataItem]
                     ) -> list[FileOp]:
    """WRITE and REWRITE name a record: find the file whose FD holds it."""
    by_record = {r: f.name for f in files for r in f.records}
    out = []
    for op in ops:
        if not op.file_name and op.record:
            op = op.model_copy(update={"file_name": by_record.get(op.record, op.record)})
        out.append(op)
    return out
