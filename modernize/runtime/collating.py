"""Collating sequences: SPECIAL-NAMES ``ALPHABET`` and OBJECT-COMPUTER ``PROGRAM COLLATING
SEQUENCE``, as GnuCOBOL 3.1.2 applies them (checked against cobc in tests/test_nist_collating.py).

A collating sequence gives each byte a weight; a nonnumeric comparison compares weights instead
of bytes. A program's sequence is active while its procedure division runs (each program of a
run unit has its own, as in libcob, where it belongs to the module).

A custom alphabet (``ALPHABET name IS literal [THRU literal | ALSO literal ...] ...``) ranks
the characters it names in the order written: each character of a literal one after the other,
a ``THRU`` range one after the other (either way round), an ``ALSO`` group all at the same
weight. A numeric literal is an ordinal position in the native character set (1 is X'00'); a
figurative constant is its character (``LOW-VALUE`` X'00', ``HIGH-VALUE`` X'FF'). The
characters it does not name follow, in native order.

Under such a sequence ``LOW-VALUE`` in the procedure division is the first character named and
``HIGH-VALUE`` the last character of the sequence: the last one named when all 256 are, else
X'FF' unless the alphabet names it, in which case the highest byte it does not name. VALUE
clauses of data items keep X'00' and X'FF' (as cobc compiles a program alone in its source
file; of several programs in one file it gives all but the last the sequence's characters
there too, which translations do not follow). The standard alphabets (``NATIVE``, ``STANDARD-1``,
``STANDARD-2``, ``ASCII``) are the native order; ``EBCDIC`` weighs each byte by its EBCDIC code
(GnuCOBOL's ASCII-to-EBCDIC table) and keeps X'00' and X'FF' as LOW-VALUE and HIGH-VALUE.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from .figurative import HIGH_VALUES, LOW_VALUES, Figurative

Character = str | bytes | int | Figurative
"""One character of an alphabet: a one-character literal, a numeric literal (an ordinal, 1 for
X'00') or a figurative constant."""


@dataclass(frozen=True)
class Thru:
    """``literal THRU literal`` of an alphabet: the characters between them, in order."""

    first: Character
    last: Character


@dataclass(frozen=True)
class Also:
    """``literal ALSO literal ...`` of an alphabet: characters of equal weight."""

    characters: tuple[Character, ...]


def thru(first: Character, last: Character) -> Thru:
    """``first THRU last`` in :func:`alphabet`."""
    return Thru(first, last)


def also(*characters: Character) -> Also:
    """``first ALSO second ...`` in :func:`alphabet`."""
    return Also(tuple(characters))


@dataclass(frozen=True)
class CollatingSequence:
    """The weight of each byte, and the bytes LOW-VALUE and HIGH-VALUE stand for."""

    name: str
    weights: bytes
    low: int = 0x00
    high: int = 0xFF

    def key(self, data: bytes) -> bytes:
        """``data`` as weights: comparing keys compares the data in this sequence."""
        return data.translate(self.weights)

    @property
    def low_values(self) -> Figurative:
        """LOW-VALUE of a procedure division (and of level 88s) under this sequence: cobc
        makes it an ALL literal of the first character, unless that is X'00'."""
        if self.low == 0x00:
            return LOW_VALUES
        return Figurative("LOW-VALUES", bytes([self.low]), literal=True)

    @property
    def high_values(self) -> Figurative:
        """HIGH-VALUE of a procedure division (and of level 88s) under this sequence: an ALL
        literal of the last character, unless that is X'FF'."""
        if self.high == 0xFF:
            return HIGH_VALUES
        return Figurative("HIGH-VALUES", bytes([self.high]), literal=True)


def _code(character: Character) -> int:
    """The byte of one character of an alphabet (the first one of a longer literal)."""
    if isinstance(character, Figurative):
        return character.pattern[0]
    if isinstance(character, int):
        if not 1 <= character <= 256:
            raise ValueError(f"alphabet ordinal {character} is not 1 to 256")
        return character - 1
    data = character.encode("latin-1") if isinstance(character, str) else bytes(character)
    if not data:
        raise ValueError("an empty literal in an alphabet")
    return data[0]


def alphabet(name: str, *items: Character | Thru | Also) -> CollatingSequence:
    """A custom alphabet: ``items`` in the order written (a literal of several characters
    ranks each of them in turn). A character named twice is an error, as for cobc."""
    weights: dict[int, int] = {}
    rank = 0
    low: int | None = None
    last = 0

    def place(code: int) -> None:
        if code in weights:
            raise ValueError(f"alphabet {name}: character X'{code:02X}' named twice")
        weights[code] = rank

    for item in items:
        if isinstance(item, Also):
            codes = [_code(c) for c in item.characters]
            for code in codes:
                place(code)
            rank += 1
        elif isinstance(item, Thru):
            first, end = _code(item.first), _code(item.last)
            step = 1 if first <= end else -1
            codes = list(range(first, end + step, step))
            for code in codes:
                place(code)
                rank += 1
        elif isinstance(item, str | bytes) and len(item) > 1:
            codes = list(item.encode("latin-1") if isinstance(item, str) else item)
            for code in codes:
                place(code)
                rank += 1
        else:
            codes = [_code(item)]
            place(codes[0])
            rank += 1
        if low is None and codes:
            low = codes[0]
        if codes:
            last = codes[-1]
    if len(weights) == 256:
        high = last
    elif 0xFF in weights:
        high = max(code for code in range(256) if code not in weights)
    else:
        high = 0xFF
    for code in range(256):  # the characters not named follow, in native order
        if code not in weights:
            weights[code] = rank
            rank += 1
    return CollatingSequence(name, bytes(weights[code] for code in range(256)),
                             low or 0, high)


# GnuCOBOL's ASCII-to-EBCDIC table (the EBCDIC alphabet weighs each byte by its entry)
_EBCDIC = bytes.fromhex(
    "00010203372d2e2f1605250b0c0d0e0f101112133c3d322618193f271c1d1e1f"
    "405a7f7b5b6c507d4d5d5c4e6b604b61f0f1f2f3f4f5f6f7f8f97a5e4c7e6e6f"
    "7cc1c2c3c4c5c6c7c8c9d1d2d3d4d5d6d7d8d9e2e3e4e5e6e7e8e9ade0bd5f6d"
    "79818283848586878889919293949596979899a2a3a4a5a6a7a8a9c06ad0a107"
    "68dc5142434447485253545756586367719c9ecbcccddbdddfecfcb0b1b23eb4"
    "4555cede49699a9bab9fbab8b7aa8a8bb6b5624f6465662021227023727374be"
    "7677788024158c8d8e41061728299d2a2b2c090aac4aaeaf1b3031fa1a333435"
    "36590838bc39a0bfca3afe3b04cfda14e18f4675fdebeeed90efb3fbb9eabbff")

EBCDIC = CollatingSequence("EBCDIC", _EBCDIC)
"""The ``EBCDIC`` alphabet as a collating sequence."""

# -- the active sequence ----------------------------------------------------------------------

_active: CollatingSequence | None = None


def active() -> CollatingSequence | None:
    """The collating sequence of the program running now (None: the native order)."""
    return _active


@contextlib.contextmanager
def collating(sequence: CollatingSequence | None) -> Iterator[None]:
    """Run a program's procedure division under its collating sequence (None: native), and
    give the caller's back afterwards."""
    global _active
    saved, _active = _active, sequence
    try:
        yield
    finally:
        _active = saved
