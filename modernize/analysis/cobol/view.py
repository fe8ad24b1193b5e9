"""The parser view: preprocessed COBOL laid out the way the tree-sitter grammar reads it best.

Measured on real estates, the grammar breaks on EXEC blocks, on relational operators without
spaces around them (`UNTIL X='Y'`, `IF A>=B`, `NOT=`), on `Z'...'` literals, on
`LINE SEQUENTIAL`, on continued literals and on text past column 72. So the view:

- sets each `EXEC ... END-EXEC` block aside (kept whole in ``exec_blocks``) and puts a neutral
  `CONTINUE` in its place in the procedure division (nothing in the data division);
- joins continuation lines, and stands a short placeholder in for any literal too long for
  one line (the real text stays in ``literals``);
- spaces out relational operators glued to their operands (cobc reads `A>=B` as `A >= B`),
  writes GnuCOBOL's `<>` as `NOT =`, and reads `LINE SEQUENTIAL` as `SEQUENTIAL` (remembering
  where, in ``line_sequential_lines``);
- blanks for the grammar what it does not know but the statement tree and the extractor need
  (kept in ``statement_lines``, columns unchanged): a reference modification of a function
  result (`FUNCTION CURRENT-DATE(1:4)`) and the ALTERNATE KEY clauses of a SELECT;
- writes a null-terminated literal `Z'AB'` (IBM and GnuCOBOL extension: the characters, then
  X'00') as the hexadecimal literal of its bytes, `X'414200'`, which every later stage reads;
- leaves out the comment paragraphs of the identification division (AUTHOR, DATE-COMPILED, …),
  whose free text trips the grammar and holds no facts, IBM's `CBL` / `PROCESS` compiler
  option lines before the program, and a data division section left empty just before the
  procedure division (`LINKAGE SECTION.` alone), which the grammar refuses;
- writes every line in fixed format (program text from column 8, at most to column 72), wrapping
  long lines between tokens.

Every view line keeps the original (file, line) it came from in ``origins``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from .preprocess import FIXED_TEXT_END, Origin, Preprocessed, join_continuations
from .tokens import Token, TokenKind, literal_value, may_hold, tokenize_line

AREA_WIDTH = FIXED_TEXT_END - 7  # columns 8..72
_PROCEDURE_DIVISION = re.compile(r"\bPROCEDURE\s+DIVISION\b", re.IGNORECASE)
# what the view rewrites: EXEC blocks, glued relational operators, Z literals, LINE SEQUENTIAL,
# reference modification of a function, ALTERNATE KEY clauses (long lines are checked apart);
# a literal holding `=`, or a colon in a function's arguments, only sends its line the slow way
_NEEDS_REWRITE = re.compile(r"\bEXEC(UTE)?\b|[^\s<>=][<>=]|[<>=][^\s<>=]|\bLINE\s+SEQUENTIAL\b"
                            r"|\bENTRY\s+['\"]|(?<![\w-])Z['\"]|\bFUNCTION\b.*:|\bALTERNATE\b"
                            r'|""',
                            re.IGNORECASE)
# a line without one of these cannot match _NEEDS_REWRITE (see may_hold)
_REWRITE_HINTS = ("EXEC", "<", ">", "=", "LINE", "ENTRY", "Z'", 'Z"', "FUNCTION", "ALTERNATE",
                  '""')


@lru_cache(maxsize=1 << 14)  # asked of every line of every program: an estate repeats them
def _needs_rewrite(text: str) -> bool:
    return may_hold(text, _REWRITE_HINTS) and _NEEDS_REWRITE.search(text) is not None


@lru_cache(maxsize=1 << 14)
def _opens_procedure_division(text: str) -> bool:
    return may_hold(text, ("PROCEDURE",)) and _PROCEDURE_DIVISION.search(text) is not None


_EMPTY_SECTION = re.compile(r"\s*(LINKAGE|LOCAL-STORAGE|WORKING-STORAGE|FILE|REPORT|SCREEN)\s+"
                            r"SECTION\s*\.\s*$", re.IGNORECASE)
_PROCEDURE_HEADER = re.compile(r"\s*PROCEDURE\s+DIVISION\b", re.IGNORECASE)
_RELATIONAL = frozenset({"=", "<", ">", "<=", ">=", "<>"})
_ENTRY_WORDS = {"USING", "BY", "REFERENCE", "CONTENT", "VALUE"}
_ID_COMMENT_PARAGRAPHS = {"AUTHOR", "INSTALLATION", "DATE-WRITTEN", "DATE-COMPILED", "SECURITY",
                          "REMARKS"}


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
    statement_lines: dict[int, str] = field(default_factory=dict)
    """Lines whose full text differs from the grammar's, by view line: what the grammar does
    not know is blanked for it (columns kept) and kept here for the statement tree and the
    extractor: a reference modification of a function result (`FUNCTION
    CURRENT-DATE(1:4)`), an ALTERNATE KEY clause."""

    @cached_property
    def lines(self) -> list[str]:
        """The view's text line by line (split once; the extractor reads it many times)."""
        return self.text.split("\n")

    def full_line(self, view_line: int) -> str:
        """A view line with what was blanked for the grammar (see ``statement_lines``)."""
        return self.statement_lines.get(view_line, self.lines[view_line])

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
    before_program = True  # CBL / PROCESS compiler options may stand before the program
    in_comment_paragraph = False
    drop_period = False
    alternate = _AlternateKeyClause()
    picture_next = False  # a PICTURE string begins the next line

    for number, line in enumerate(lines):
        tokens: list[Token] = []
        if in_identification:
            tokens = tokenize_line(line.text, number)
        first = tokens[0].upper if tokens else ""
        if before_program and first in ("CBL", "PROCESS"):
            continue  # IBM compiler options: no facts, and the grammar does not know them
        if first:
            before_program = False
        if in_identification and tokens:
            if first in ("ENVIRONMENT", "DATA", "PROCEDURE"):
                in_identification = in_comment_paragraph = False
            elif first in _ID_COMMENT_PARAGRAPHS:
                in_comment_paragraph = True
            elif first in ("PROGRAM-ID", "IDENTIFICATION", "ID"):
                in_comment_paragraph = False
            if in_comment_paragraph:
                continue  # AUTHOR. etc.: free text the grammar trips over; no facts in it
        if not in_procedure and _EMPTY_SECTION.match(line.text) and number + 1 < len(lines) \
                and _PROCEDURE_HEADER.match(lines[number + 1].text):
            continue  # an empty LINKAGE (LOCAL-STORAGE ...) SECTION: the grammar wants items
        if _opens_procedure_division(line.text):
            in_procedure = True
        if exec_tokens is None and not drop_period and not alternate.active \
                and len(line.text) <= AREA_WIDTH and not _needs_rewrite(line.text):
            out_lines.append(" " * 7 + line.text)  # the common case: nothing to change
            view.origins.append(line.origin)
            continue
        tokens = tokens or tokenize_line(line.text, number)
        # (spaces before it in the source, text, whether the grammar sees it)
        pieces: list[tuple[int, str, bool]] = []
        hidden: set[int] = set()  # tokens only the statement tree reads
        prev_end = None
        i = 0
        line_sequential = False
        picture, picture_next = (set(), False) if in_procedure else \
            _picture_tokens(tokens, picture_next)
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
            if i not in picture and (tok.upper in _RELATIONAL or
                                     (i > 0 and tokens[i - 1].upper in _RELATIONAL)):
                gap = 1  # `A>=B` is `A >= B` (but a PICTURE string stays one word)
            prev_end = tok.end
            if tok.upper == "EXEC" or tok.upper == "EXECUTE" and _next_is_kind(tokens, i):
                exec_tokens = []
                exec_start = (line.origin, len(out_lines), in_procedure)
                if in_procedure:
                    pieces.append((1, "CONTINUE", True))
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
                pieces.append((gap, "CONTINUE", True))
                i = j
                continue
            if tok.upper == "FUNCTION":
                hidden.update(_function_refmod(tokens, i))
            elif not in_procedure and alternate.takes(tok):
                hidden.add(i)
            text = tok.text
            if tok.kind is TokenKind.WORD and text == "<>":
                text = "NOT ="  # GnuCOBOL's not-equal, which the grammar does not know
            if tok.kind is TokenKind.LITERAL and text[:1] in "zZ" and not tok.unterminated:
                text = null_terminated_as_hex(text)
            elif tok.kind is TokenKind.LITERAL and not tok.unterminated and '""' in text[1:-1]:
                text = apostrophe_quoted(text)
            if tok.upper == "LINE" and tokens[i + 1:i + 2] and \
                    tokens[i + 1].upper == "SEQUENTIAL":
                line_sequential = True
            elif tok.kind is TokenKind.LITERAL and len(text) > AREA_WIDTH - 12:
                key = f"#L{len(view.literals) + 1:04d}"
                view.literals[key] = text
                pieces.append((gap, f"'{key}'", i not in hidden))
            else:
                pieces.append((gap, text, i not in hidden))
            i += 1
        if not pieces:
            continue
        indent = len(line.text) - len(line.text.lstrip())
        for full, seen in _wrap(pieces, indent):
            if line_sequential:
                view.line_sequential_lines.add(len(out_lines))
            if seen != full:
                view.statement_lines[len(out_lines)] = " " * 7 + full
            out_lines.append(" " * 7 + seen)
            view.origins.append(line.origin)
    if exec_tokens is not None and exec_start is not None:
        origin, view_line, in_proc = exec_start
        view.exec_blocks.append(ExecBlock(exec_tokens[0].upper if exec_tokens else "",
                                          _join_tokens(exec_tokens[1:]), origin,
                                          origin, view_line, in_proc))
    view.text = "\n".join(out_lines) + "\n"
    return view


def _picture_tokens(tokens: list[Token], pending: bool) -> tuple[set[int], bool]:
    """Indexes of the tokens that make up a PICTURE string on this line (after `PIC [IS]`, or
    from the first token when ``pending``: the string one glued run, `<(3),<<<.99` with the
    CURRENCY SIGN `<` too), and whether a PICTURE string begins the next line."""
    found: set[int] = set()
    i = 0
    while i < len(tokens):
        if not pending:
            if tokens[i].upper not in ("PIC", "PICTURE"):
                i += 1
                continue
            i += 1
            if i < len(tokens) and tokens[i].upper == "IS":
                i += 1
        pending = False
        if i >= len(tokens):
            return found, True
        found.add(i)
        i += 1
        while i < len(tokens) and tokens[i].start == tokens[i - 1].end and \
                tokens[i].kind is not TokenKind.LITERAL and \
                not (tokens[i].kind is TokenKind.SEPARATOR and tokens[i].text in ".,;"):
            found.add(i)
            i += 1
    return found, False


def apostrophe_quoted(token_text: str) -> str:
    """A literal between quotation marks that holds a doubled one (`"A ""B"" C"`), written
    between apostrophes (`'A "B" C'`, its own apostrophes doubled): the grammar cannot read a
    doubled quotation mark inside a literal (it reads a doubled apostrophe); same value."""
    start = token_text.find('"')
    if start < 0:
        return token_text
    value = literal_value(token_text)
    return token_text[:start] + "'" + value.replace("'", "''") + "'"


def null_terminated_as_hex(token_text: str) -> str:
    """`Z'AB'` → `X'414200'`: the literal's characters (Latin-1, as the runtime stores text;
    UTF-8 for a character beyond it, as the source bytes hold it), then a NUL byte."""
    value = literal_value(token_text)
    try:
        data = value.encode("latin-1")
    except UnicodeEncodeError:
        data = value.encode("utf-8")
    return f"X'{(data + bytes(1)).hex().upper()}'"


def _join_tokens(tokens: list[Token]) -> str:
    """Tokens single-spaced, but `NAME(arg)` kept together as written, and so are operators
    written against their operands (`A=:B`, `A<>B`, SQL's `!=`)."""
    text = ""
    previous: Token | None = None
    for tok in tokens:
        tight = not text or text.endswith("(") or tok.text in (")", ",") or tok.text == "("
        if previous is not None and previous.line == tok.line and previous.end == tok.start \
                and (tok.upper in _RELATIONAL or previous.upper in _RELATIONAL):
            tight = True
        text += ("" if tight else " ") + tok.text
        previous = tok
    return text


def _next_is_kind(tokens: list[Token], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1].upper in ("SQL", "CICS", "DLI", "SQLIMS")


class _AlternateKeyClause:
    """Follows `ALTERNATE [RECORD] [KEY] [IS] name [OF|IN q]... [WITH] [DUPLICATES]
    [SUPPRESS WHEN [ALL] value]` of a SELECT, over as many lines as it takes.

    The grammar knows only some of its spellings (not `ALTERNATE KEY` without RECORD, nor
    SUPPRESS WHEN), so the view hides the whole clause from it; the extractor reads the
    clause from the full text (``ParserView.statement_lines``)."""

    def __init__(self) -> None:
        self.state: str | None = None

    @property
    def active(self) -> bool:
        return self.state is not None

    def takes(self, tok: Token) -> bool:
        """Whether ``tok`` belongs to an ALTERNATE KEY clause (starting one or going on)."""
        word = tok.upper if tok.kind is not TokenKind.LITERAL else ""
        if self.state is None:
            if word == "ALTERNATE":
                self.state = "head"
                return True
            return False
        if tok.kind is TokenKind.SEPARATOR and tok.text in (".", "(", ")"):
            self.state = None
            return False
        if self.state == "head":
            if word not in ("RECORD", "KEY", "IS"):
                self.state = "named"  # the key's name
            return True
        if self.state == "qualifier":
            self.state = "named"
            return True
        if self.state == "named":
            if word in ("OF", "IN"):
                self.state = "qualifier"
                return True
            if word in ("WITH", "DUPLICATES"):
                return True
            if word == "SUPPRESS":
                self.state = "suppress"
                return True
        elif self.state == "suppress":
            if word not in ("WHEN", "ALL"):
                self.state = None  # the value
            return True
        self.state = None
        return word == "ALTERNATE" and self.takes(tok)


def _function_refmod(tokens: list[Token], i: int) -> range:
    """The tokens of a reference modification after the function reference that starts at
    ``i`` (`FUNCTION CURRENT-DATE(1:4)`, `FUNCTION UPPER-CASE(A)(2:3)`); empty when none.
    A parenthesis holding a colon at its own depth is a reference modification."""
    j = i + 2  # past FUNCTION and its name
    group = _parenthesis(tokens, j)
    if group is not None and not group[1]:
        j = group[0]  # past the arguments
        group = _parenthesis(tokens, j)
    if group is None or not group[1]:
        return range(0)
    return range(j, group[0])


def _parenthesis(tokens: list[Token], j: int) -> tuple[int, bool] | None:
    """For a parenthesis opening at ``j``: (the index after its closing one, whether a colon
    stands at its depth); None when no complete parenthesis starts there."""
    if j >= len(tokens) or tokens[j].text != "(" or tokens[j].kind is not TokenKind.SEPARATOR:
        return None
    depth, colon = 0, False
    for k in range(j, len(tokens)):
        tok = tokens[k]
        if tok.kind is TokenKind.SEPARATOR and tok.text == "(":
            depth += 1
        elif tok.kind is TokenKind.SEPARATOR and tok.text == ")":
            depth -= 1
            if depth == 0:
                return k + 1, colon
        elif tok.kind is TokenKind.WORD and depth == 1 and ":" in tok.text:
            colon = True
    return None


def _wrap(pieces: list[tuple[int, str, bool]], indent: int) -> list[tuple[str, str]]:
    """Lay tokens out from column 8, wrapping between tokens before column 72: each line as
    the statement tree reads it, and as the grammar does (the pieces it does not see blanked,
    so that both keep the same columns)."""
    indent = min(indent, 30)
    lines: list[tuple[str, str]] = []
    full = seen = " " * indent
    for gap, piece, visible in pieces:
        glue = "" if full.strip() == "" else " " * gap
        shown = piece if visible else " " * len(piece)
        if len(full) + len(glue) + len(piece) > AREA_WIDTH and full.strip():
            lines.append((full, seen.rstrip()))
            full = seen = " " * max(indent, 4)
            glue = ""
        full += glue + piece
        seen += glue + shown
    if full.strip():
        lines.append((full, seen.rstrip()))
    return lines
