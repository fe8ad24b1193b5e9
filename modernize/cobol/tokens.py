"""A small COBOL tokenizer, enough for COPY/REPLACE and the parser view.

It splits the program text of one line (the area after the indicator column) into words,
literals, separators and pseudo-text delimiters, keeping each token's column so that edits can be
made in place without disturbing the rest of the line.

A period, comma or semicolon is a separator when a space, the end of the line or the closing
``==`` of pseudo-text follows it (``==PIC X.==`` is PIC, X and a period, as in the program text it
is to match); elsewhere it belongs to the word or number (``1.5``, ``A.B``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TokenKind(StrEnum):
    WORD = "word"
    LITERAL = "literal"
    SEPARATOR = "separator"  # . , ; ( ) when they act as separators
    PSEUDO = "pseudo"  # the == delimiter of pseudo-text


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    text: str
    line: int  # index of the line in the list being tokenized
    start: int
    end: int
    unterminated: bool = False  # a literal that runs to the end of the line (continued)

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind is not TokenKind.LITERAL else self.text

    def same_as(self, other: Token) -> bool:
        """COBOL words compare case-insensitively; literals compare exactly."""
        return self.kind == other.kind and self.upper == other.upper


_LITERAL_PREFIXES = ("X", "N", "Z", "G", "B", "NX", "H")


def tokenize_line(text: str, line: int = 0) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t":
            i += 1
            continue
        if ch in "'\"" or _literal_prefix_at(text, i):
            start = i
            while text[i] not in "'\"":
                i += 1
            quote = text[i]
            i += 1
            closed = False
            while i < n:
                if text[i] == quote:
                    if i + 1 < n and text[i + 1] == quote:
                        i += 2
                        continue
                    i += 1
                    closed = True
                    break
                i += 1
            tokens.append(Token(TokenKind.LITERAL, text[start:i], line, start, i, not closed))
            continue
        if text.startswith("==", i):
            tokens.append(Token(TokenKind.PSEUDO, "==", line, i, i + 2))
            i += 2
            continue
        if ch in "()":
            tokens.append(Token(TokenKind.SEPARATOR, ch, line, i, i + 1))
            i += 1
            continue
        if ch in ".,;" and _ends_separator(text, i + 1):
            tokens.append(Token(TokenKind.SEPARATOR, ch, line, i, i + 1))
            i += 1
            continue
        start = i
        while i < n and text[i] not in " \t'\"()" and not text.startswith("==", i):
            if text[i] in ".,;" and _ends_separator(text, i + 1):
                break
            i += 1
        if i == start:  # a lone character no rule above took
            i += 1
        tokens.append(Token(TokenKind.WORD, text[start:i], line, start, i))
    return tokens


def _ends_separator(text: str, i: int) -> bool:
    """Whether a `.`, `,` or `;` just before position i is a separator."""
    return i >= len(text) or text[i] in " \t" or text.startswith("==", i)


def _literal_prefix_at(text: str, i: int) -> bool:
    """X'..', N'..' and friends start a literal, but only at the start of a word."""
    if i > 0 and text[i - 1] not in " \t(":
        return False
    for prefix in _LITERAL_PREFIXES:
        end = i + len(prefix)
        if text[i:end].upper() == prefix and end < len(text) and text[end] in "'\"":
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
