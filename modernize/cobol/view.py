"""The parser view: preprocessed COBOL laid out the way the tree-sitter grammar reads it best.

Measured on real estates, the grammar breaks on EXEC blocks, on `NOT=` without a space, on
`LINE SEQUENTIAL`, on continued literals and on text past column 72. So the view:

- sets each `EXEC ... END-EXEC` block aside (kept whole in ``exec_blocks``) and puts a neutral
  `CONTINUE` in its place in the procedure division (nothing in the data division);
- joins continuation lines, and stands a short placeholder in for any literal too long for
  one line (the real text stays in ``literals``);
- spaces out relational operators glued to NOT, and reads `LINE SEQUENTIAL` as `SEQUENTIAL`
  (remembering where, in ``line_sequential_lines``);
- leaves out the comment paragraphs of the identification division (AUTHOR, DATE-COMPILED, …),
  whose free text trips the grammar and holds no facts;
- writes every line in fixed format (program text from column 8, at most to column 72), wrapping
  long lines between tokens.

Every view line keeps the original (file, line) it came from in ``origins``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from .preprocess import FIXED_TEXT_END, Origin, Preprocessed, join_continuations
from .tokens import Token, TokenKind, literal_value, tokenize_line

AREA_WIDTH = FIXED_TEXT_END - 7  # columns 8..72
_PROCEDURE_DIVISION = re.compile(r"\bPROCEDURE\s+DIVISION\b", re.IGNORECASE)
# what the view rewrites: EXEC blocks, glued NOT=, LINE SEQUENTIAL (long lines are checked apart)
_NEEDS_REWRITE = re.compile(r"\bEXEC(UTE)?\b|\bNOT[=<>]|\bLINE\s+SEQUENTIAL\b|\bENTRY\s+['\"]",
                            re.IGNORECASE)
_ENTRY_WORDS = {"USING", "BY", "REFERENCE", "CONTENT", "VALUE"}
_ID_COMMENT_PARAGRAPHS = {"AUTHOR", "INSTALLATION", "DATE-WRITTEN", "DATE-COMPILED", "SECURITY",
                          "REMARKS"}
_GLUED_OPERATORS = {"NOT=": "NOT =", "NOT>": "NOT >", "NOT<": "NOT <"}


@dataclass(frozen=True)
class ExecBlock:
    kind: str  # SQL, CICS, DLI, ...
    text: str  # the block's tokens between EXEC <kind> and END-EXEC, single-spaced
    origin: Origin
    end_origin: Origin
    view_line: int  # 0-based line of the view where its placeholder stands
    in_procedure: bool


@dataclass(frozen=True)
class EntryStatement:
    name: str
    using: tuple[str, ...]
    origin: Origin
    view_line: int


@dataclass
class ParserView:
    text: str
    origins: list[Origin]
    exec_blocks: list[ExecBlock] = field(default_factory=list)
    literals: dict[str, str] = field(default_factory=dict)
    line_sequential_lines: set[int] = field(default_factory=set)
    entries: list[EntryStatement] = field(default_factory=list)

    @cached_property
    def lines(self) -> list[str]:
        """The view's text line by line (split once; the extractor reads it many times)."""
        return self.text.split("\n")

    def origin(self, view_line: int) -> Origin:
        return self.origins[min(view_line, len(self.origins) - 1)]


def build_view(pre: Preprocessed) -> ParserView:
    lines = join_continuations(pre.lines)
    view = ParserView(text="", origins=[])
    out_lines: list[str] = []
    in_procedure = False
    exec_tokens: list[Token] | None = None
    exec_start: tuple[Origin, int, bool] | None = None
    in_identification = True
    in_comment_paragraph = False
    drop_period = False

    for line in lines:
        tokens: list[Token] = []
        if in_identification:
            tokens = tokenize_line(line.text)
        first = tokens[0].upper if tokens else ""
        if in_identification and tokens:
            if first in ("ENVIRONMENT", "DATA", "PROCEDURE"):
                in_identification = in_comment_paragraph = False
            elif first in _ID_COMMENT_PARAGRAPHS:
                in_comment_paragraph = True
            elif first in ("PROGRAM-ID", "IDENTIFICATION", "ID"):
                in_comment_paragraph = False
            if in_comment_paragraph:
                continue  # AUTHOR. etc.: free text the grammar trips over; no facts in it
        if _PROCEDURE_DIVISION.search(line.text):
            in_procedure = True
        if exec_tokens is None and not drop_period and len(line.text) <= AREA_WIDTH \
                and not _NEEDS_REWRITE.search(line.text):
            out_lines.append(" " * 7 + line.text)  # the common case: nothing to change
            view.origins.append(line.origin)
            continue
        tokens = tokens or tokenize_line(line.text)
        pieces: list[tuple[int, str]] = []  # (spaces before it in the source, text)
        prev_end = None
        i = 0
        line_sequential = False
        while i < len(tokens):
            tok = tokens[i]
            if exec_tokens is not None:
                if tok.upper == "END-EXEC":
                    origin, view_line, in_proc = exec_start  # type: ignore[misc]
                    kind = exec_tokens[0].upper if exec_tokens else ""
                    body = _join_tokens(exec_tokens[1:])
                    view.exec_blocks.append(ExecBlock(kind, body, origin, line.origin,
                                                      view_line, in_proc))
                    exec_tokens = None
                    # in the data division the block's closing period goes with it
                    drop_period = not in_proc
                else:
                    exec_tokens.append(tok)
                i += 1
                continue
            if drop_period and tok.kind is TokenKind.SEPARATOR and tok.text == ".":
                drop_period = False
                i += 1
                continue
            drop_period = False
            gap = 0 if prev_end is None else min(tok.start - prev_end, 1)
            prev_end = tok.end
            if tok.upper == "EXEC" or tok.upper == "EXECUTE" and _next_is_kind(tokens, i):
                exec_tokens = []
                exec_start = (line.origin, len(out_lines), in_procedure)
                if in_procedure:
                    pieces.append((1, "CONTINUE"))
                i += 1
                continue
            if in_procedure and tok.upper == "ENTRY" and tokens[i + 1:i + 2] and \
                    tokens[i + 1].kind is TokenKind.LITERAL:
                # ENTRY 'ALT' USING a b: an alternate entry point the grammar does not know
                j = i + 2
                using = []
                while j < len(tokens) and tokens[j].text != ".":
                    if tokens[j].kind is TokenKind.WORD and tokens[j].upper not in _ENTRY_WORDS:
                        using.append(tokens[j].upper)
                    j += 1
                view.entries.append(EntryStatement(literal_value(tokens[i + 1].text).upper(),
                                                   tuple(using), line.origin, len(out_lines)))
                pieces.append((gap, "CONTINUE"))
                i = j
                continue
            if tok.kind is TokenKind.WORD and tok.upper in _GLUED_OPERATORS:
                pieces.append((gap, _GLUED_OPERATORS[tok.upper]))
            elif tok.upper == "LINE" and tokens[i + 1:i + 2] and \
                    tokens[i + 1].upper == "SEQUENTIAL":
                line_sequential = True
            elif tok.kind is TokenKind.LITERAL and len(tok.text) > AREA_WIDTH - 12:
                key = f"#L{len(view.literals) + 1:04d}"
                view.literals[key] = tok.text
                pieces.append((gap, f"'{key}'"))
            else:
                pieces.append((gap, tok.text))
            i += 1
        if not pieces:
            continue
        indent = len(line.text) - len(line.text.lstrip())
        for text in _wrap(pieces, indent):
            if line_sequential:
                view.line_sequential_lines.add(len(out_lines))
            out_lines.append(" " * 7 + text)
            view.origins.append(line.origin)
    if exec_tokens is not None and exec_start is not None:
        origin, view_line, in_proc = exec_start
        view.exec_blocks.append(ExecBlock(exec_tokens[0].upper if exec_tokens else "",
                                          _join_tokens(exec_tokens[1:]), origin,
                                          origin, view_line, in_proc))
    view.text = "\n".join(out_lines) + "\n"
    return view


def _join_tokens(tokens: list[Token]) -> str:
    """Tokens single-spaced, but `NAME(arg)` kept together as written."""
    text = ""
    for tok in tokens:
        tight = not text or text.endswith("(") or tok.text in (")", ",") or tok.text == "("
        text += ("" if tight else " ") + tok.text
    return text


def _next_is_kind(tokens: list[Token], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1].upper in ("SQL", "CICS", "DLI", "SQLIMS")


def _wrap(pieces: list[tuple[int, str]], indent: int) -> list[str]:
    """Lay tokens out from column 8, wrapping between tokens before column 72."""
    indent = min(indent, 30)
    lines: list[str] = []
    current = " " * indent
    for gap, piece in pieces:
        glue = "" if current.strip() == "" else " " * gap
        if len(current) + len(glue) + len(piece) > AREA_WIDTH and current.strip():
            lines.append(current)
            current = " " * max(indent, 4) + piece
        else:
            current += glue + piece
    if current.strip():
        lines.append(current)
    return lines
