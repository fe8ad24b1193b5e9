"""A small COBOL tokenizer, enough for COPY/REPLACE and the parser view.

It splits the program text of one line (the area after the indicator column) into words,
literals, separators and pseudo-text delimiters, keeping each token's column so that edits can be
made in place without disturbing the rest of the line.

A period, comma or semicolon is a separator when a space, the end of the line or the closing
``==`` of pseudo-text follows it (``==PIC X.==`` is PIC, X and a period, as in the program text it
is to match); elsewhere it belongs to the word or number (``1.5``, ``A.B``).

A relational operator (``=``, ``<``, ``>``, ``<=``, ``>=``, ``<>``) is a token of its own (a
WORD) even when nothing separates it from its operands: cobc reads ``UNTIL X='Y'`` and
``IF A>=B`` as ``X = 'Y'`` and ``A >= B``, since none of these characters can be part of a
COBOL word. ``==`` is the pseudo-text delimiter, never two ``=``.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import NamedTuple


class TokenKind(StrEnum):
    WORD = "word"
    LITERAL = "literal"
    SEPARATOR = "separator"  # . , ; ( ) when they act as separators
    PSEUDO = "pseudo"  # the == delimiter of pseudo-text


class Token(NamedTuple):
    """One token of a line (a named tuple: the tokenizer makes one per word of the estate,
    and a tuple is made several times faster than a frozen dataclass)."""

    kind: TokenKind
    text: str
    line: int  # index of the line in the list being tokenized
    start: int
    end: int
    unterminated: bool  # a literal that runs to the end of the line (continued)
    # the text as COBOL compares it: a word in upper case, a literal as written (kept, not
    # worked out at each use: the analysis asks a token for it several times)
    upper: str

    def same_as(self, other: Token) -> bool:
        """COBOL words compare case-insensitively; literals compare exactly."""
        return self.kind == other.kind and self.upper == other.upper


_TOKEN = re.compile(  # a space or tab (where no token starts) fails at once, not in each branch
    r"""
    (?=[^ \t])(?:
    (?P<lit>(?:(?<![^ \t(<>=])(?:NX|[XNZGBH]))?   # optional X/N/... prefix at a word start
        (?P<q>['"])(?:(?!(?P=q)).|(?P=q)(?P=q))*   # body; a doubled quote stands for one
        (?P<close>(?P=q))?)                        # no closing quote: continued literal
    | (?P<pseudo>==)
    | (?P<op>[<>]=|<>|[<>=])
    | (?P<sep>[()]|[.,;](?=[ \t]|==|$))
    | (?P<word>(?:[^ \t'"()<>=.,;]+|[.,;](?![ \t]|==|$))+)
    | (?P<other>\S)
    )""",
    re.VERBOSE | re.IGNORECASE,
)


def tokenize_line(text: str, line: int = 0) -> list[Token]:
    """Split one line of program text into tokens.

    Literals may carry an X/N/Z/G/B/H/NX prefix (only at the start of a word) and run to the end
    of the line when not closed (a literal continued on the next line). `.`, `,` and `;` are
    separators only before a space, `==` or the end of the line; elsewhere they belong to the word
    (`1.5`, `X.Y`). `==` delimits pseudo-text.

    A line seen lately is not tokenized again: an estate repeats its lines (each program
    holds the lines of the copybooks it copies, and ``END-IF`` is ``END-IF``): 58% to 64% of
    the lines the analysis tokenizes in the NIST suite and a CICS estate were seen before.
    The tokens are immutable; the list is the caller's own.
    """
    global _SEEN_LINES, _OLDER_LINES
    key = (text, line)
    known = _SEEN_LINES.get(key)
    if known is None:
        known = _OLDER_LINES.get(key)
        if known is None:
            known = tuple(_tokens_of(text, line))
        if len(_SEEN_LINES) >= _SEEN_LINES_LIMIT:  # two generations: memory stays bounded,
            _OLDER_LINES, _SEEN_LINES = _SEEN_LINES, {}  # and the lines in use are kept
        _SEEN_LINES[key] = known
    return list(known)


_SEEN_LINES: dict[tuple[str, int], tuple[Token, ...]] = {}
_OLDER_LINES: dict[tuple[str, int], tuple[Token, ...]] = {}
_SEEN_LINES_LIMIT = 1 << 14  # lines of a generation (two at most: about 28 MB)


def _tokens_of(text: str, line: int) -> list[Token]:
    """:func:`tokenize_line`, worked out."""
    if _SPECIAL.search(text) is None:
        return _plain_tokens(text, line)
    tokens: list[Token] = []
    append = tokens.append
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup  # the outermost group: "lit" for a literal, prefix or not
        start, end = match.span()
        text = match.group()
        if kind == "lit":
            append(_token(Token, (_LITERAL, text, line, start, end,
                                  match.group("close") is None, text)))
        else:
            upper = text.upper()
            append(_token(Token, (_KINDS.get(kind, _WORD), text, line, start, end, False,
                                  text if upper == text else upper)))
    return tokens


def _plain_tokens(text: str, line: int) -> list[Token]:
    """What the pattern gives for a line with no quote, parenthesis, operator, comma or
    semicolon (most lines): its runs of non-blanks are words, but for a period that ends a
    run, which is a separator."""
    tokens: list[Token] = []
    append = tokens.append
    for match in _RUN.finditer(text):
        start, end = match.span()
        if text[end - 1] == ".":
            if end - 1 > start:
                word = text[start:end - 1]
                upper = word.upper()
                append(_token(Token, (_WORD, word, line, start, end - 1, False,
                                      word if upper == word else upper)))
            append(_token(Token, (_SEPARATOR, ".", line, end - 1, end, False, ".")))
        else:
            word = match.group()
            upper = word.upper()
            append(_token(Token, (_WORD, word, line, start, end, False,
                                  word if upper == word else upper)))
    return tokens


_SPECIAL = re.compile("['\"()<>=,;]")  # where the pattern must decide
# a Token made from a whole tuple of its fields, without the named tuple's keyword-taking
# constructor (a Python function call per token)
_token = tuple.__new__
_RUN = re.compile(r"[^ \t]+")
_LITERAL, _WORD, _SEPARATOR = TokenKind.LITERAL, TokenKind.WORD, TokenKind.SEPARATOR
_KINDS = {"pseudo": TokenKind.PSEUDO, "sep": TokenKind.SEPARATOR}


def may_hold(text: str, words: tuple[str, ...]) -> bool:
    """False when ``text`` holds none of ``words`` (upper case) in any letter case: a few
    substring tests that rule most lines out before a case-insensitive pattern is tried on
    them. A line beyond ASCII is always True: the pattern's case folding may read one of its
    characters as a letter of a word (``ſ`` as ``S``)."""
    if not text.isascii():
        return True
    upper = text.upper()
    for word in words:  # noqa: SIM110 - a loop, not any(): no generator for 1-3 words
        if word in upper:
            return True
    return False


def tokenize_lines(lines: list[str]) -> list[Token]:
    out: list[Token] = []
    for index, text in enumerate(lines):
        out.extend(tokenize_line(text, index))
    return out


def literal_value(token_text: str) -> str:
    """The characters of a literal without its quotes (doubled quotes undone)."""
    text = token_text
    while text and text[0] not in "'\"":
        text = text[1:]
    if not text:
        return token_text
    quote = text[0]
    body = text[1:-1] if len(text) > 1 and text.endswith(quote) else text[1:]
    return body.replace(quote * 2, quote)
