"""The statement tree of the PROCEDURE DIVISION: sentences, statements and their nested branches.

The tree-sitter grammar keeps statements flat, which is enough for facts (calls, performs, data
flow) but not for a translator, which needs to know which statements an IF, an AT END or a WHEN
governs. This module builds that nesting from the parser view's tokens (the preprocessed text,
copybooks expanded), by the COBOL rules:

* a statement starts with a verb and takes the words up to the next verb, phrase, scope
  terminator or period;
* a conditional phrase (ELSE, WHEN, AT END, NOT AT END, INVALID KEY, ON SIZE ERROR, ON
  OVERFLOW, ON EXCEPTION ...) governs the statements up to the next phrase of the same
  statement, its END-verb, the end of the enclosing phrase, or the period;
* an END-verb closes the innermost open statement of that verb; a period closes them all.

Operands stay tokens (words upper-cased, literals as written) so that the code generator reads
each verb's syntax itself; this module only decides where statements start, end and nest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ...core.model import (
    Branch,
    Diagnostic,
    ProcedureBody,
    Sentence,
    Severity,
    Statement,
    assemble,
)
from .tokens import Token, TokenKind, tokenize_line
from .view import ParserView

_VERB_WORDS = """
ACCEPT ADD ALLOCATE ALTER CALL CANCEL CLOSE COMMIT COMPUTE CONTINUE DELETE DISPLAY DIVIDE ENTRY
EVALUATE EXIT FREE GENERATE GO GOBACK IF INITIALIZE INITIATE INSPECT INVOKE JSON MERGE MOVE
MULTIPLY OPEN PERFORM READ RELEASE RETURN REWRITE ROLLBACK SEARCH SET SORT START STOP STRING
SUBTRACT SUPPRESS TERMINATE UNLOCK UNSTRING USE WRITE XML
"""
VERBS = frozenset(_VERB_WORDS.split())
TERMINATORS = frozenset(f"END-{verb}" for verb in VERBS)

# the conditional phrases each verb may carry, by phrase name
_PHRASES: dict[str, tuple[str, ...]] = {
    "READ": ("AT END", "NOT AT END", "INVALID KEY", "NOT INVALID KEY"),
    "RETURN": ("AT END", "NOT AT END"),
    "WRITE": ("INVALID KEY", "NOT INVALID KEY", "AT END-OF-PAGE", "NOT AT END-OF-PAGE"),
    "REWRITE": ("INVALID KEY", "NOT INVALID KEY"),
    "DELETE": ("INVALID KEY", "NOT INVALID KEY"),
    "START": ("INVALID KEY", "NOT INVALID KEY"),
    "ADD": ("ON SIZE ERROR", "NOT ON SIZE ERROR"),
    "SUBTRACT": ("ON SIZE ERROR", "NOT ON SIZE ERROR"),
    "MULTIPLY": ("ON SIZE ERROR", "NOT ON SIZE ERROR"),
    "DIVIDE": ("ON SIZE ERROR", "NOT ON SIZE ERROR"),
    "COMPUTE": ("ON SIZE ERROR", "NOT ON SIZE ERROR"),
    "STRING": ("ON OVERFLOW", "NOT ON OVERFLOW"),
    "UNSTRING": ("ON OVERFLOW", "NOT ON OVERFLOW"),
    "CALL": ("ON OVERFLOW", "ON EXCEPTION", "NOT ON EXCEPTION"),
    "ACCEPT": ("ON EXCEPTION", "NOT ON EXCEPTION"),
    "DISPLAY": ("ON EXCEPTION", "NOT ON EXCEPTION"),
}

# phrase spellings: (words, phrase name); the optional AT / ON / KEY words spelled out
_SPELLINGS: tuple[tuple[tuple[str, ...], str], ...] = tuple(sorted((
    (("AT", "END"), "AT END"), (("END",), "AT END"),
    (("NOT", "AT", "END"), "NOT AT END"), (("NOT", "END"), "NOT AT END"),
    (("INVALID", "KEY"), "INVALID KEY"), (("INVALID",), "INVALID KEY"),
    (("NOT", "INVALID", "KEY"), "NOT INVALID KEY"), (("NOT", "INVALID"), "NOT INVALID KEY"),
    (("AT", "END-OF-PAGE"), "AT END-OF-PAGE"), (("END-OF-PAGE",), "AT END-OF-PAGE"),
    (("AT", "EOP"), "AT END-OF-PAGE"), (("EOP",), "AT END-OF-PAGE"),
    (("NOT", "AT", "END-OF-PAGE"), "NOT AT END-OF-PAGE"),
    (("NOT", "END-OF-PAGE"), "NOT AT END-OF-PAGE"), (("NOT", "AT", "EOP"), "NOT AT END-OF-PAGE"),
    (("NOT", "EOP"), "NOT AT END-OF-PAGE"),
    (("ON", "SIZE", "ERROR"), "ON SIZE ERROR"), (("SIZE", "ERROR"), "ON SIZE ERROR"),
    (("NOT", "ON", "SIZE", "ERROR"), "NOT ON SIZE ERROR"),
    (("NOT", "SIZE", "ERROR"), "NOT ON SIZE ERROR"),
    (("ON", "OVERFLOW"), "ON OVERFLOW"), (("OVERFLOW",), "ON OVERFLOW"),
    (("NOT", "ON", "OVERFLOW"), "NOT ON OVERFLOW"), (("NOT", "OVERFLOW"), "NOT ON OVERFLOW"),
    (("ON", "EXCEPTION"), "ON EXCEPTION"), (("EXCEPTION",), "ON EXCEPTION"),
    (("NOT", "ON", "EXCEPTION"), "NOT ON EXCEPTION"), (("NOT", "EXCEPTION"), "NOT ON EXCEPTION"),
), key=lambda spelling: -len(spelling[0])))
# the spellings by their first word (longest first), so a word that starts none costs one lookup
_SPELLINGS_BY_FIRST: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    first: tuple(s for s in _SPELLINGS if s[0][0] == first)
    for first in dict.fromkeys(words[0] for words, _ in _SPELLINGS)}



class _Tok(NamedTuple):  # a tuple: made once per word of every PROCEDURE DIVISION
    text: str  # words upper-cased, literals as written
    row: int  # view row
    literal: bool = False


@dataclass(frozen=True)
class ProcedureSpan:
    """Where one procedure's statements are in the view: from ``row`` (its header, skipped;
    for the statements before the first header, the PROCEDURE DIVISION header) up to the row
    before ``end_row``. ``key`` is the procedure's key ('' for those first statements)."""

    key: str
    row: int
    end_row: int


class _Parser:
    def __init__(self, tokens: list[_Tok], view: ParserView, procedure_names: set[str],
                 program_id: str) -> None:
        self.tokens = tokens
        self.i = 0
        self.view = view
        self.procedure_names = procedure_names
        self.program_id = program_id
        self.exec_rows = {b.view_line: b for b in view.exec_blocks if b.in_procedure}
        self.entry_rows = {e.view_line: e for e in view.entries}
        self.diagnostics: list[Diagnostic] = []

    # -- token helpers -------------------------------------------------------------------
    def peek(self, offset: int = 0) -> str:
        j = self.i + offset
        return self.tokens[j].text if j < len(self.tokens) else ""

    def at_end(self) -> bool:
        return self.i >= len(self.tokens)

    def phrase_at(self, j: int | None = None) -> tuple[str, int] | None:
        """The conditional phrase starting at token ``j`` (name, number of words), if any."""
        j = self.i if j is None else j
        tokens = self.tokens
        if j >= len(tokens) or tokens[j].literal:
            return None
        for words, name in _SPELLINGS_BY_FIRST.get(tokens[j].text, ()):
            if all(j + k < len(tokens) and not tokens[j + k].literal
                   and tokens[j + k].text == w for k, w in enumerate(words)):
                return name, len(words)
        return None

    def is_verb(self, j: int | None = None) -> bool:
        j = self.i if j is None else j
        if j >= len(self.tokens) or self.tokens[j].literal:
            return False
        text = self.tokens[j].text
        if text == "NEXT":
            return j + 1 < len(self.tokens) and self.tokens[j + 1].text == "SENTENCE"
        return text in VERBS

    def is_boundary(self) -> bool:
        """Where a statement's operands end: a verb, a period, a scope word or a phrase."""
        if self.at_end():
            return True
        tok = self.tokens[self.i]
        if tok.literal:
            return False
        text = tok.text
        return (text == "." or self.is_verb() or text in ("ELSE", "WHEN", "THEN")
                or text in TERMINATORS
                or self.phrase_at() is not None)

    def origin(self, row: int) -> tuple[str, int]:
        origin = self.view.origin(row)
        return origin.file, origin.line

    # -- grammar -------------------------------------------------------------------------
    def sentences(self) -> list[Sentence]:
        out: list[Sentence] = []
        while not self.at_end():
            if self.peek() == ".":
                self.i += 1
                continue
            start = self.tokens[self.i].row
            statements = self.statements()
            while not self.at_end() and self.peek() != ".":
                statements.append(self.stray())
                statements += self.statements()
            file, line = self.origin(start)
            if statements:
                out.append(assemble(Sentence, file=file, line=line, statements=tuple(statements)))
        return out

    def stray(self) -> Statement:
        """Words where a statement should start: reported once, and kept in the tree as an
        UNPARSED statement up to the next verb or period (so a translation cannot skip them
        silently)."""
        tok = self.tokens[self.i]
        skipped: list[_Tok] = []
        while not self.at_end() and self.peek() != "." and not self.is_verb():
            skipped.append(self.tokens[self.i])
            self.i += 1
        file, line = self.origin(tok.row)
        words = [t.text for t in skipped]
        self.diagnostics.append(Diagnostic(
            severity=Severity.WARNING, code="statement-syntax", file=file, line=line,
            program=self.program_id,
            message=f"unexpected {' '.join(words)[:60]!r} where a statement should start; "
                    "skipped (check the scope terminators and periods around it)"))
        return self._make("UNPARSED", tok, skipped, [])

    def statements(self) -> list[Statement]:
        """Statements up to something that is not a verb (a period, a phrase, a terminator)."""
        out: list[Statement] = []
        while self.is_verb():
            out.append(self.statement())
        return out

    def statement(self) -> Statement:
        start = self.tokens[self.i]
        verb = start.text
        self.i += 1
        if verb == "NEXT":
            self.i += 1
            return self._make("NEXT SENTENCE", start, [], [])
        if verb == "CONTINUE" and start.row in self.exec_rows:
            block = self.exec_rows.pop(start.row)
            return self._make("EXEC", start, [_Tok(block.kind, start.row),
                                              _Tok(block.text, start.row, True)], [])
        if verb == "CONTINUE" and start.row in self.entry_rows:
            entry = self.entry_rows.pop(start.row)
            return self._make("ENTRY", start, [_Tok(f"'{entry.name}'", start.row, True)] +
                              [_Tok(u, start.row) for u in entry.using], [])
        if verb == "EXIT" and self.peek() in ("PERFORM", "PROGRAM", "PARAGRAPH", "SECTION",
                                              "FUNCTION", "METHOD"):
            words = [self.tokens[self.i]]
            self.i += 1
            if words[0].text == "PERFORM" and self.peek() == "CYCLE":
                words.append(self.tokens[self.i])
                self.i += 1
            return self._make("EXIT", start, words, [])
        if verb == "IF":
            return self.if_statement(start)
        if verb == "EVALUATE":
            return self.evaluate(start)
        if verb == "SEARCH":
            return self.search(start)
        if verb == "PERFORM":
            return self.perform(start)
        operands = self.operands()
        branches = self.phrases(verb) if verb in _PHRASES else []
        self.terminator(verb)
        return self._make(verb, start, operands, branches)

    def operands(self, stop_at_then: bool = False) -> list[_Tok]:
        out: list[_Tok] = []
        while not self.is_boundary():
            out.append(self.tokens[self.i])
            self.i += 1
        if stop_at_then and self.peek() == "THEN":
            self.i += 1
        return out

    def terminator(self, verb: str) -> None:
        if self.peek() == f"END-{verb}":
            self.i += 1

    def phrases(self, verb: str) -> list[Branch]:
        allowed = _PHRASES[verb]
        branches: list[Branch] = []
        while True:
            found = self.phrase_at()
            if found is None or found[0] not in allowed:
                return branches
            self.i += found[1]
            branches.append(assemble(Branch, phrase=found[0], statements=tuple(self.statements())))

    def if_statement(self, start: _Tok) -> Statement:
        condition = self.operands(stop_at_then=True)
        branches = [assemble(Branch, phrase="THEN", statements=tuple(self.statements()))]
        if self.peek() == "ELSE":
            self.i += 1
            branches.append(assemble(Branch, phrase="ELSE", statements=tuple(self.statements())))
        self.terminator("IF")
        return self._make("IF", start, condition, branches)

    def evaluate(self, start: _Tok) -> Statement:
        subjects = self.operands()
        branches: list[Branch] = []
        while self.peek() == "WHEN":
            self.i += 1
            objects = self.operands()
            phrase = "WHEN"
            if [t.text for t in objects] == ["OTHER"]:
                phrase, objects = "WHEN OTHER", []
            branches.append(assemble(Branch, phrase=phrase,
                                     operands=tuple(t.text for t in objects),
                                     statements=tuple(self.statements())))
        self.terminator("EVALUATE")
        return self._make("EVALUATE", start, subjects, branches)

    def search(self, start: _Tok) -> Statement:
        operands = self.operands()
        branches: list[Branch] = []
        found = self.phrase_at()
        if found is not None and found[0] == "AT END":
            self.i += found[1]
            branches.append(assemble(Branch, phrase="AT END", statements=tuple(self.statements())))
        while self.peek() == "WHEN":
            self.i += 1
            condition = self.operands()
            branches.append(assemble(Branch, phrase="WHEN",
                                     operands=tuple(t.text for t in condition),
                                     statements=tuple(self.statements())))
        self.terminator("SEARCH")
        return self._make("SEARCH", start, operands, branches)

    def perform(self, start: _Tok) -> Statement:
        operands = self.operands()
        first = operands[0].text if operands else ""
        out_of_line = bool(operands) and not operands[0].literal and (
            first in self.procedure_names
            or (len(operands) > 2 and operands[1].text in ("IN", "OF")
                and operands[0].text in self.procedure_names))
        if out_of_line:
            return self._make("PERFORM", start, operands, [])
        body = self.statements()
        self.terminator("PERFORM")
        return self._make("PERFORM", start, operands,
                          [assemble(Branch, phrase="BODY", statements=tuple(body))])

    def _make(self, verb: str, start: _Tok, operands: Sequence[_Tok],
              branches: Sequence[Branch]) -> Statement:
        file, line = self.origin(start.row)
        last_row = self.tokens[self.i - 1].row if self.i > 0 else start.row
        end_file, end_line = self.origin(last_row)
        return assemble(Statement, verb=verb, file=file, line=line,
                        end_line=end_line if end_file == file else line,
                        operands=tuple(t.text for t in operands), branches=tuple(branches))


def _view_tokens(view: ParserView, first_row: int, end_row: int) -> list[_Tok]:
    out: list[_Tok] = []
    for row in range(first_row, min(end_row, len(view.lines))):
        for tok in tokenize_line(view.full_line(row)[7:]):
            out.append(_from_token(tok, row, view))
    return out


def _from_token(tok: Token, row: int, view: ParserView) -> _Tok:
    if tok.kind is TokenKind.LITERAL:
        text = tok.text
        inner = text[1:-1]
        if inner in view.literals:  # a long literal the view moved aside
            text = view.literals[inner]
        return _new_tok(_Tok, (text, row, True))
    return _new_tok(_Tok, (tok.upper, row, False))


_new_tok = tuple.__new__  # a _Tok from all its fields, without the named tuple's constructor


def _skip_header(tokens: list[_Tok]) -> list[_Tok]:
    """Drop the header the span starts with, up to its period (`NAME.`, `NAME SECTION [nn].`,
    `PROCEDURE DIVISION [USING ...].`)."""
    i = 0
    while i < len(tokens) and tokens[i].text != ".":
        i += 1
    return tokens[i + 1:]


def _drop_declarative_markers(tokens: list[_Tok]) -> list[_Tok]:
    """The tokens without ``DECLARATIVES.``, ``END DECLARATIVES.`` and ``END PROGRAM name.``"""
    out: list[_Tok] = []
    i, count = 0, len(tokens)
    while i < count:
        text = tokens[i].text
        if text == "DECLARATIVES" and i + 1 < count and tokens[i + 1].text == ".":
            i += 2
            continue
        if text == "END" and i + 1 < count:
            following = tokens[i + 1].text
            if following == "DECLARATIVES" and i + 2 < count and tokens[i + 2].text == ".":
                i += 3
                continue
            if following == "PROGRAM":  # END PROGRAM name.
                while i < count and tokens[i].text != ".":
                    i += 1
                i += 1
                continue
        out.append(tokens[i])
        i += 1
    return out


def build_bodies(view: ParserView, spans: Sequence[ProcedureSpan], procedure_names: set[str],
                 program_id: str) -> tuple[list[ProcedureBody], list[Diagnostic]]:
    """The statement tree of each procedure span (see :class:`ProcedureSpan`)."""
    bodies: list[ProcedureBody] = []
    diagnostics: list[Diagnostic] = []
    for span in spans:
        tokens = _view_tokens(view, span.row, span.end_row)
        tokens = _drop_declarative_markers(_skip_header(tokens))
        parser = _Parser(tokens, view, procedure_names, program_id)
        sentences = parser.sentences()
        diagnostics += parser.diagnostics
        if span.key or sentences:
            bodies.append(ProcedureBody(procedure=span.key, sentences=tuple(sentences)))
    return bodies, diagnostics
