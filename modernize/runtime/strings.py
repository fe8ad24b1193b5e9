"""COBOL STRING, UNSTRING and INSPECT, as GnuCOBOL 3.1.2 runs them (``cobc -x``, default
configuration), verified case by case against cobc in tests/test_runtime_strings.py.

Operands ("values") are items, text literals (``str``/``bytes``), figurative constants or, where
cobc accepts them (STRING only), integer literals. An item operand gives its bytes as stored
(a signed DISPLAY number its overpunched sign byte too: ``-12`` in ``S9(3)`` is ``01r``); a
figurative constant used as a character string is one character (``SPACE`` is ``' '``) and
``ALL 'AB'`` is the literal ``'AB'``. Where an operand must be as long as another (INSPECT's BY
and CONVERTING's TO) a figurative constant other than ALL is repeated to that length.

GnuCOBOL behaviours that differ from a plain reading of the standard, all checked against cobc:

* INSPECT TALLYING/REPLACING does not scan the item once trying the operands at each position:
  each phrase scans its whole region in turn, left to right, and counts (or replaces) a match
  only if none of its characters was matched by an earlier phrase of the statement. ``INSPECT
  'ABC' TALLYING C1 FOR ALL 'BC' C2 FOR ALL 'AB'`` gives C1 = 1, C2 = 0.
* A match that overlaps an earlier phrase's match is skipped one character on; LEADING stops at
  the first position where the pattern does not match (whether or not it is marked).
* BEFORE and AFTER are applied in the order written, the second searched for only within what
  the first left (see :class:`Region`); comparisons and delimiters always see the original
  characters, the replacements are stored at the end.
* INSPECT on a signed DISPLAY number examines its digits only: a SEPARATE sign byte is left
  out, an overpunched sign is taken off first and put back (``byte | 0x40``) afterwards.
* UNSTRING without DELIMITED BY gives each receiving item as many characters as it has bytes
  (a SIGN SEPARATE number one fewer).
* A binary (COMP, COMP-5) TALLYING counter is added to in its bytes, not truncated to its
  PICTURE (PIC 9 COMP holding 5, plus 12, holds 17); a POINTER or COUNT IN is stored by MOVE
  rules (PIC 9 COMP pointer 13 holds 3).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from . import encoding
from .errors import UnsupportedError
from .fields import (
    AlphanumericField,
    Group,
    Item,
    NumericField,
    Value,
    alphanumeric_source,
)
from .figurative import SPACES, Figurative

__all__ = [
    "Delimited", "Region", "Replace", "Tally", "UnstringInto", "inspect_converting",
    "inspect_replacing", "inspect_tallying", "string_into", "unstring",
]


# -- operands ---------------------------------------------------------------------------------


def _item_bytes(item: Item, role: str) -> bytes:
    """An item's bytes as stored; a binary or packed number is refused (cobc compiles it, with
    results this runtime does not model)."""
    if isinstance(item, NumericField) and item.usage != "DISPLAY":
        raise UnsupportedError(f"{item!r} (USAGE {item.usage}) as {role}: "
                               "only USAGE DISPLAY items are supported")
    return item.raw


def _operand(value: Value, role: str, *, numbers: bool = False) -> bytes:
    """The characters an operand stands for. ``numbers``: integer literals are allowed (as in
    STRING, where ``-12`` is the three characters ``-12``); INSPECT and UNSTRING refuse them
    ("not an alphanumeric literal"), as cobc does."""
    if isinstance(value, Item):
        data = _item_bytes(value, role)
    elif isinstance(value, Figurative):
        data = value.pattern  # SPACE is one space; ALL 'AB' is 'AB'
    elif isinstance(value, str | bytes):
        data = alphanumeric_source(value)
    elif isinstance(value, bool):
        raise UnsupportedError(f"a Python bool as {role}")
    elif isinstance(value, int | Decimal):
        if not numbers:
            raise UnsupportedError(f"the numeric literal {value} as {role} (cobc: not an "
                                   "alphanumeric literal)")
        number = Decimal(value)
        if not number.is_finite() or number != number.to_integral_value():
            raise UnsupportedError(f"the non-integer literal {value} as {role}")
        data = str(int(number)).encode("ascii")
    else:
        raise UnsupportedError(f"a {type(value).__name__} as {role}")
    if not data:
        raise UnsupportedError(f"an empty {role}")
    return data


def _sized_operand(value: Value, length: int, role: str) -> bytes:
    """An operand that must have ``length`` characters (INSPECT's BY, CONVERTING's TO): a
    figurative constant other than ALL is repeated to that length."""
    if isinstance(value, Figurative) and not value.name.startswith("ALL "):
        return value.fill(length)
    data = _operand(value, role)
    if len(data) != length:
        raise UnsupportedError(f"{role} of {len(data)} characters where {length} are needed "
                               "(cobc: operands differ in size)")
    return data


def _position(pointer: NumericField) -> int:
    """The integer value of a POINTER item."""
    value = pointer.get()
    if value != value.to_integral_value():
        raise UnsupportedError(f"the non-integer pointer value {value}")
    return int(value)


def _add(counter: NumericField, amount: int) -> None:
    """Add to a TALLYING counter as GnuCOBOL does: a DISPLAY or packed counter drops high-order
    digits as a MOVE does; a binary one (COMP, COMP-5) is added in its bytes, ignoring its
    PICTURE, and wraps only at their size (PIC 9 COMP holding 5, plus 12, holds 17)."""
    if counter.scale != 0:
        raise UnsupportedError(f"the non-integer counter {counter!r}")
    if counter.usage in ("COMP", "COMP-5"):
        native = counter.usage == "COMP-5"
        total = encoding.decode_binary(counter.raw, counter.signed, native) + amount
        counter.raw = encoding.encode_binary(total, counter.length, counter.signed, native)
    else:
        counter.set(counter.get() + amount)


# -- STRING -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delimited:
    """One STRING sender: ``source DELIMITED BY delimiter`` (``delimiter`` None: BY SIZE)."""

    source: Value
    delimiter: Value | None = None


def string_into(target: Item, sources: Sequence[Delimited], *,
                pointer: NumericField | None = None) -> bool:
    """STRING sources INTO target [WITH POINTER pointer]; True on overflow.

    Each sender gives its characters up to (not including) the first occurrence of its
    delimiter, or all of them (BY SIZE); they are stored one after another from the pointer
    position (1 without POINTER). Only the characters stored change (no space filling,
    JUSTIFIED ignored). Overflow: a pointer below 1 or beyond the target at the start (nothing
    changes, the pointer neither) or characters left when the target is full (the transfer
    stops there). The pointer ends one past the last character stored."""
    if not isinstance(target, AlphanumericField | Group):
        raise UnsupportedError(f"STRING INTO {target!r}: the receiving item must be "
                               "alphanumeric or a group")
    position = 1 if pointer is None else _position(pointer)
    if position < 1 or position > target.length:
        return True
    at = position - 1
    overflow = False
    for sender in sources:
        data = _operand(sender.source, "a STRING sender", numbers=True)
        if sender.delimiter is not None:
            delimiter = _operand(sender.delimiter, "a STRING delimiter", numbers=True)
            end = data.find(delimiter)
            if end >= 0:
                data = data[:end]
        room = target.length - at
        if len(data) > room:
            data, overflow = data[:room], True
        start = target.offset + at
        target.buffer[start:start + len(data)] = data
        at += len(data)
        if overflow:
            break
    if pointer is not None:
        pointer.set(at + 1)
    return overflow


# -- UNSTRING ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnstringInto:
    """One UNSTRING receiving phrase: ``INTO target [DELIMITER IN d] [COUNT IN c]``."""

    target: Item
    delimiter_in: Item | None = None
    count_in: NumericField | None = None


def _receiving_size(target: Item) -> int:
    """Characters an UNSTRING without delimiters gives a receiving item: its bytes, one fewer
    for a SIGN SEPARATE number (what GnuCOBOL does)."""
    if isinstance(target, NumericField) and target.usage == "DISPLAY" and target.separate:
        return target.length - 1
    return target.length


def _unstring_delimiter(value: Value, repeated: bool) -> tuple[bytes, bool]:
    # ALL 'AB' written as a figurative is the ALL phrase of UNSTRING (cobc has no other reading)
    if isinstance(value, Figurative) and value.name.startswith("ALL "):
        repeated = True
    return _operand(value, "an UNSTRING delimiter"), repeated


def unstring(source: Item, delimiters: Sequence[tuple[Value, bool]],
             into: Sequence[UnstringInto], *, pointer: NumericField | None = None,
             tallying: NumericField | None = None) -> bool:
    """UNSTRING source DELIMITED BY [ALL] d1 OR [ALL] d2 ... INTO ... [WITH POINTER p]
    [TALLYING IN t]; ``delimiters`` are (value, all). True on overflow.

    From the pointer position (1 without POINTER), each receiving item in turn gets the
    characters up to the next delimiter (at each position the delimiters are tried in the
    order written; with ALL, repeats of the matched delimiter right after it are part of it),
    by the MOVE rules of its category (a numeric item gets the number the text reads as, empty
    text gives spaces or zero). DELIMITER IN gets the delimiter (spaces at the end of the
    source), COUNT IN the number of characters examined; a figurative ``ALL 'AB'`` delimiter
    is the ALL phrase, ``('AB', True)``. Without delimiters each item takes
    its own size in characters. It stops when the source is used up (items left are not
    changed); TALLYING IN is increased by the number of items given a value, the pointer left
    one past the last character examined. Overflow: a pointer below 1 or beyond the source at
    the start (nothing changes) or characters left when every receiving item has had one."""
    data = _item_bytes(source, "the UNSTRING source")
    patterns = [_unstring_delimiter(value, repeated) for value, repeated in delimiters]
    length = len(data)
    position = 1 if pointer is None else _position(pointer)
    if position < 1 or position > length:
        return True
    at = position - 1
    given = 0
    for receiver in into:
        if at >= length:
            break
        delimiter: bytes | None = None
        if patterns:
            end, after = length, length
            for scan in range(at, length):
                for pattern, repeated in patterns:
                    if data.startswith(pattern, scan):
                        delimiter, end, after = pattern, scan, scan + len(pattern)
                        while repeated and data.startswith(pattern, after):
                            after += len(pattern)
                        break
                if delimiter is not None:
                    break
        else:
            end = after = min(at + _receiving_size(receiver.target), length)
        part = data[at:end]
        receiver.target.set(part)
        if receiver.delimiter_in is not None:
            receiver.delimiter_in.set(SPACES if delimiter is None else delimiter)
        if receiver.count_in is not None:
            receiver.count_in.set(len(part))
        at = after
        given += 1
    if pointer is not None:
        pointer.set(at + 1)
    if tallying is not None:
        _add(tallying, given)
    return at < length


# -- INSPECT ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """The BEFORE/AFTER INITIAL phrases of an INSPECT operand.

    AFTER x: the region starts after the first x (none: the region is empty); BEFORE y: it ends
    before the first y (none: at the end). GnuCOBOL applies the two in the order written, the
    second searching only the part the first left: by default AFTER then BEFORE (``AFTER x
    BEFORE y`` looks for y after x); ``before_first`` for ``BEFORE y AFTER x`` (x is looked
    for before y)."""

    before: Value | None = None
    after: Value | None = None
    before_first: bool = False

    def bounds(self, data: bytes) -> tuple[int, int]:
        """(start, end) of the region in ``data``, end exclusive."""
        start, end = 0, len(data)
        phrases = [("AFTER", self.after), ("BEFORE", self.before)]
        if self.before_first:
            phrases.reverse()
        for kind, value in phrases:
            if value is None:
                continue
            delimiter = _operand(value, f"a {kind} INITIAL operand")
            found = data.find(delimiter, start, end)
            if kind == "AFTER":
                start = end if found < 0 else found + len(delimiter)
            elif found >= 0:
                end = found
        return start, end


def _inspected(source: Item) -> tuple[bytes, Callable[[bytes], None]]:
    """The characters INSPECT examines and a function that stores them back changed.

    A signed DISPLAY number is examined without its sign: a SEPARATE sign byte is left out, an
    overpunched one (``p``-``y`` negative) is taken off and, when negative, put back afterwards
    as ``byte | 0x40`` on whatever the position then holds."""
    raw = bytearray(_item_bytes(source, "the INSPECT item"))

    def store_all(data: bytes) -> None:
        source.raw = bytes(data)

    if not isinstance(source, NumericField) or not source.signed:
        return bytes(raw), store_all
    if source.separate:
        first, last = (1, len(raw)) if source.leading else (0, len(raw) - 1)

        def store_digits(data: bytes) -> None:
            raw[first:last] = data
            source.raw = bytes(raw)

        return bytes(raw[first:last]), store_digits
    index = 0 if source.leading else len(raw) - 1
    sign = raw[index]
    negative = 0x70 <= sign <= 0x79
    if negative:
        raw[index] = sign - 0x40
    elif not (0x30 <= sign <= 0x39 or sign == 0x20):
        raise UnsupportedError(f"INSPECT of {source!r} holding the sign byte {sign:#04x}")

    def store_signed(data: bytes) -> None:
        out = bytearray(data)
        if negative:
            out[index] |= 0x40
        source.raw = bytes(out)

    return bytes(raw), store_signed


def _matches(data: bytes, marks: bytearray, mode: str, pattern: bytes,
             bounds: tuple[int, int]) -> list[int]:
    """Where one ALL/LEADING/FIRST phrase matches in its region, GnuCOBOL's way: left to right,
    a match overlapping characters an earlier phrase matched is skipped by one character,
    LEADING stops at the first position that does not match, FIRST after one match. Marks the
    characters matched."""
    start, end = bounds
    found: list[int] = []
    size = len(pattern)
    at = start
    while at + size <= end:
        if data.startswith(pattern, at):
            if any(marks[at:at + size]):
                at += 1
                continue
            marks[at:at + size] = b"\x01" * size
            found.append(at)
            if mode == "FIRST":
                break
            at += size
        elif mode == "LEADING":
            break
        else:
            at += 1
    return found


def _characters(marks: bytearray, bounds: tuple[int, int]) -> list[int]:
    """CHARACTERS: each character of the region no earlier phrase matched; marks them."""
    found = [at for at in range(*bounds) if not marks[at]]
    for at in found:
        marks[at] = 1
    return found


@dataclass(frozen=True)
class Tally:
    """``counter FOR CHARACTERS | ALL x | LEADING x [BEFORE/AFTER INITIAL y]``."""

    counter: NumericField
    mode: str
    pattern: Value | None = None
    region: Region = Region()


def inspect_tallying(source: Item, tallies: Sequence[Tally]) -> None:
    """INSPECT source TALLYING ...: each phrase, in the order written, adds to its counter the
    matches in its region that no earlier phrase matched (see the module notes)."""
    data, _ = _inspected(source)
    marks = bytearray(len(data))
    for tally in tallies:
        bounds = tally.region.bounds(data)
        if tally.mode == "CHARACTERS":
            if tally.pattern is not None:
                raise ValueError("TALLYING FOR CHARACTERS takes no pattern")
            count = len(_characters(marks, bounds))
        elif tally.mode in ("ALL", "LEADING"):
            if tally.pattern is None:
                raise ValueError(f"TALLYING FOR {tally.mode} needs a pattern")
            pattern = _operand(tally.pattern, f"a TALLYING {tally.mode} operand")
            count = len(_matches(data, marks, tally.mode, pattern, bounds))
        else:
            raise UnsupportedError(f"INSPECT TALLYING FOR {tally.mode} (supported: "
                                   "CHARACTERS, ALL, LEADING)")
        _add(tally.counter, count)


@dataclass(frozen=True)
class Replace:
    """``CHARACTERS BY y | ALL x BY y | LEADING x BY y | FIRST x BY y [BEFORE/AFTER INITIAL z]``
    (``pattern`` None for CHARACTERS)."""

    mode: str
    pattern: Value | None
    by: Value
    region: Region = Region()


def inspect_replacing(source: Item, replaces: Sequence[Replace]) -> None:
    """INSPECT source REPLACING ...: each phrase, in the order written, replaces the matches in
    its region that no earlier phrase matched; matching and BEFORE/AFTER see the original
    characters. BY must be as long as the pattern (one character for CHARACTERS); a figurative
    BY is repeated to that length."""
    data, store = _inspected(source)
    marks = bytearray(len(data))
    out = bytearray(data)
    for replace in replaces:
        bounds = replace.region.bounds(data)
        if replace.mode == "CHARACTERS":
            if replace.pattern is not None:
                raise ValueError("REPLACING CHARACTERS takes no pattern")
            size, places = 1, _characters(marks, bounds)
        elif replace.mode in ("ALL", "LEADING", "FIRST"):
            if replace.pattern is None:
                raise ValueError(f"REPLACING {replace.mode} needs a pattern")
            pattern = _operand(replace.pattern, f"a REPLACING {replace.mode} operand")
            size, places = len(pattern), _matches(data, marks, replace.mode, pattern, bounds)
        else:
            raise UnsupportedError(f"INSPECT REPLACING {replace.mode} (supported: CHARACTERS, "
                                   "ALL, LEADING, FIRST)")
        by = _sized_operand(replace.by, size, "a REPLACING BY operand")
        for at in places:
            out[at:at + size] = by
    store(bytes(out))


def inspect_converting(source: Item, from_: Value, to: Value, region: Region = Region()) -> None:
    """INSPECT source CONVERTING from_ TO to [BEFORE/AFTER INITIAL ...]: within the region each
    character found in ``from_`` becomes the character at the same place in ``to`` (the first
    occurrence counts when ``from_`` repeats one). ``to`` must be as long as ``from_``; a
    figurative ``to`` is repeated to that length, ``ALL 'xy'`` is the literal."""
    data, store = _inspected(source)
    if isinstance(from_, Figurative) and from_.name.startswith("ALL "):
        raise UnsupportedError("CONVERTING ALL literal (cobc: syntax error)")
    table = _operand(from_, "a CONVERTING operand")
    replacement = _sized_operand(to, len(table), "a CONVERTING TO operand")
    mapping: dict[int, int] = {}
    for old, new in zip(table, replacement, strict=True):
        mapping.setdefault(old, new)
    start, end = region.bounds(data)
    out = bytearray(data)
    for at in range(start, end):
        out[at] = mapping.get(out[at], out[at])
    store(bytes(out))
