"""Figurative constants (SPACES, ZEROS, HIGH-VALUES, LOW-VALUES, QUOTES, ALL literal).

A figurative constant MOVEd to an alphanumeric or group item fills every byte with its pattern,
repeated (COBOL 85, MOVE general rules). ZERO also stands for the
numeric value 0.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figurative:
    """A figurative constant: its name as COBOL spells it and the bytes it repeats.
    ``literal`` marks an ``ALL`` literal (cobc compares two literals in the native order,
    whatever the program's collating sequence)."""

    name: str
    pattern: bytes
    literal: bool = False

    def fill(self, length: int) -> bytes:
        """The pattern repeated (and cut) to ``length`` bytes."""
        if length <= 0:
            return b""
        times = -(-length // len(self.pattern))
        return (self.pattern * times)[:length]

    @property
    def is_zero(self) -> bool:
        return self.pattern == b"0"

    def __eq__(self, other: object) -> bool:
        """Two constants are equal when they are the same constant; a ``str`` (an item's
        text) equals the constant when it is the pattern repeated to its length, as COBOL
        compares an item with a figurative constant (``status.get() == SPACES``)."""
        if isinstance(other, Figurative):
            return (self.name, self.pattern, self.literal) == \
                (other.name, other.pattern, other.literal)
        if isinstance(other, str):
            try:
                return other.encode("latin-1") == self.fill(len(other))
            except UnicodeEncodeError:
                return False
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.name, self.pattern, self.literal))


SPACES = Figurative("SPACES", b" ")
ZEROS = Figurative("ZEROS", b"0")
HIGH_VALUES = Figurative("HIGH-VALUES", b"\xff")
LOW_VALUES = Figurative("LOW-VALUES", b"\x00")
QUOTES = Figurative("QUOTES", b'"')


def ALL(literal: str | bytes | Figurative) -> Figurative:  # noqa: N802 - as in COBOL
    """``ALL 'literal'``: the literal repeated across the receiving item (``ALL QUOTE`` and
    the like: the figurative constant itself, which repeats already)."""
    if isinstance(literal, Figurative):
        return literal
    data = literal.encode("latin-1") if isinstance(literal, str) else bytes(literal)
    if not data:
        raise ValueError("ALL needs a non-empty literal")
    return Figurative(f"ALL {literal!r}", data, literal=True)
