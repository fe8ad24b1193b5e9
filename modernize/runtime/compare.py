"""Relation, class and sign conditions, as GnuCOBOL 3.1.2 evaluates them (checked against cobc
in tests/test_runtime_terminal.py).

Relation conditions (COBOL 85 comparison rules, with GnuCOBOL's choices where they differ):

* both operands numeric (numeric items, numeric literals, and ZERO or ``ALL '0'`` against
  either) compare algebraically: ``-0`` equals ``0``, scaling is aligned, COMP values are
  their full binary value; a COMP-3 value is negative when its sign nibble is D (even in an
  unsigned item);
* otherwise the comparison is nonnumeric: each operand gives bytes, the shorter is padded
  with spaces and the bytes compare in the program's collating sequence (see
  :mod:`.collating`; without one, and between two alphanumeric or ALL literals, the native
  ASCII order). An alphanumeric, edited or group item gives its bytes (a numeric-edited
  item is never compared as a number); a numeric DISPLAY item its bytes with an overpunched
  sign taken off its digit (an invalid overpunch byte counts as ``0``, a space stays, a
  separate sign byte stays, V and P add nothing); a COMP/COMP-3/COMP-5 item its PICTURE's
  digits without sign; a numeric literal its digits without the decimal point, ``-`` first
  when negative; a figurative constant or ``ALL`` literal its pattern repeated to the other
  operand's length.

Class conditions test the bytes against the item's category (see each function); sign
conditions take the numeric value, so a negative zero IS ZERO and neither POSITIVE nor
NEGATIVE.
"""

from __future__ import annotations

from decimal import Decimal

from .collating import active
from .display import display_usage_digits, packed_digits
from .encoding import EXACT
from .errors import UnsupportedError
from .fields import AlphanumericField, Group, Item, NumericField, text_bytes
from .figurative import Figurative

Operand = Item | Figurative | Decimal | int | str | bytes

_DIGITS = frozenset(b"0123456789")
_UPPER = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ ")
_LOWER = frozenset(b"abcdefghijklmnopqrstuvwxyz ")


def numeric_value(item: NumericField) -> Decimal:
    """The value of a numeric item in arithmetic comparisons and sign conditions. DISPLAY and
    COMP-3 data must be valid (see :func:`is_numeric`, though any sign nibble A-F is read,
    negative only for D), else :class:`UnsupportedError`; COMP items hold any binary value."""
    if item.usage == "DISPLAY":
        digits, negative = display_usage_digits(item)
        magnitude = int(digits or b"0")
    elif item.usage == "COMP-3":
        magnitude, sign = packed_digits(item)
        negative = sign == 0x0D
    else:
        return item.get()
    return Decimal(-magnitude if negative else magnitude).scaleb(-item.scale, EXACT)


def _is_number(value: Operand) -> bool:
    return isinstance(value, NumericField | Decimal) or (
        isinstance(value, int) and not isinstance(value, bool))


def _number(value: Operand) -> Decimal:
    if isinstance(value, NumericField):
        return numeric_value(value)
    if isinstance(value, Figurative):
        return Decimal(0)
    if isinstance(value, Decimal) and not value.is_finite():
        raise UnsupportedError(f"comparison with {value}")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    raise UnsupportedError(f"a {type(value).__name__} value as a number")


def _numeric_item_text(item: NumericField) -> bytes:
    """The bytes a numeric item gives a nonnumeric comparison."""
    if item.usage == "DISPLAY":
        data = bytearray(item.raw)
        if item.signed and not item.separate and data:
            index = 0 if item.leading else len(data) - 1
            byte = data[index]
            if byte in range(0x70, 0x7A):
                data[index] = byte - 0x40
            elif byte not in _DIGITS and byte != 0x20:
                data[index] = ord("0")  # an invalid overpunch compares as a zero digit
        return bytes(data)
    if item.scale < 0 or item.scale > item.digits:
        raise UnsupportedError(f"nonnumeric comparison of the P-scaled {item!r}")
    if item.usage == "COMP-3":
        magnitude, _ = packed_digits(item)
    else:
        magnitude = abs(int(item.get().scaleb(item.scale, EXACT)))
    return str(magnitude % 10**item.digits).zfill(item.digits).encode("ascii")


def _text(value: Operand, other: Operand) -> bytes:
    """The bytes ``value`` gives a nonnumeric comparison with ``other``."""
    if isinstance(value, NumericField):
        return _numeric_item_text(value)
    if isinstance(value, Item):
        return value.raw
    if isinstance(value, Figurative):
        return value.fill(len(_text(other, value)))
    if isinstance(value, bool):
        raise UnsupportedError("comparison with a Python bool")
    if isinstance(value, int | Decimal):
        number = Decimal(value)
        if not number.is_finite() or (number.is_signed() and not number):
            raise UnsupportedError(f"nonnumeric comparison with the literal {value}")
        digits = format(number.copy_abs(), "f").replace(".", "")
        return (("-" if number < 0 else "") + digits).encode("ascii")
    if isinstance(value, str | bytes | bytearray):
        return text_bytes(value)
    raise UnsupportedError(f"comparison with a {type(value).__name__} value")


def _is_literal(value: Operand) -> bool:
    """An alphanumeric literal or ``ALL`` literal: cobc compares two of them when it compiles,
    in the native order."""
    return isinstance(value, str | bytes | bytearray) or (
        isinstance(value, Figurative) and value.literal)


def compare(left: Operand, right: Operand) -> int:
    """-1, 0 or 1 as ``left`` is less than, equal to or greater than ``right`` by COBOL's
    relation-condition rules (see the module)."""
    if type(left) is AlphanumericField:  # the common case: text against text, no dispatch
        kind = type(right)
        if kind is str or kind is AlphanumericField or kind is Figurative:
            a = left.buffer[left.offset:left.offset + left.length]
            b = text_bytes(right) if kind is str else \
                right.fill(len(a)) if kind is Figurative else right.raw  # type: ignore
            if len(a) != len(b):
                width = max(len(a), len(b))
                a, b = a.ljust(width, b" "), b.ljust(width, b" ")
            sequence = active()
            if sequence is not None:
                a, b = sequence.key(a), sequence.key(b)
            return (a > b) - (a < b)
    if isinstance(left, Figurative) and isinstance(right, Figurative):
        raise UnsupportedError(f"comparison of {left.name} with {right.name}")
    left_numeric = _is_number(left) or (isinstance(left, Figurative) and left.is_zero)
    right_numeric = _is_number(right) or (isinstance(right, Figurative) and right.is_zero)
    if left_numeric and right_numeric:
        x, y = _number(left), _number(right)
        return (x > y) - (x < y)
    a, b = _text(left, right), _text(right, left)
    width = max(len(a), len(b))
    a, b = a.ljust(width, b" "), b.ljust(width, b" ")
    sequence = active()
    if sequence is not None and not (_is_literal(left) and _is_literal(right)):
        a, b = sequence.key(a), sequence.key(b)
    return (a > b) - (a < b)


# -- class conditions -------------------------------------------------------------------------


def is_numeric(item: Item) -> bool:
    """``item IS NUMERIC``. Numeric DISPLAY: every byte a digit, except an overpunched sign
    (``0``-``9`` or ``p``-``y``) where the SIGN clause puts it or a separate ``+``/``-``.
    COMP-3: every digit nibble (a pad nibble too) 0-9 and the sign nibble C or D when signed,
    F when unsigned. COMP and COMP-5: always. Alphanumeric and group items: every byte a digit
    (a sign or space makes them not numeric)."""
    if isinstance(item, NumericField):
        if item.usage in ("COMP", "COMP-5"):
            return True
        if item.usage == "COMP-3":
            nibbles = item.raw.hex()  # the digit nibbles show as 0-9, the others as letters
            return nibbles[:-1].isdigit() and nibbles[-1] in ("cd" if item.signed else "f")
        if not item.separate and item.raw.isdigit():  # digits only: numeric, sign or not
            return True
        try:
            display_usage_digits(item)  # refuses anything but digits and a valid sign
        except UnsupportedError:
            return False
        return True
    if isinstance(item, AlphanumericField | Group):
        data = item.raw
        return data.isdigit() or not data  # bytes.isdigit: ASCII digits only
    raise UnsupportedError(f"IS NUMERIC of {item!r}")


def _alphabetic_bytes(item: Item, condition: str) -> bytes:
    if not isinstance(item, AlphanumericField | Group):
        raise UnsupportedError(f"IS {condition} of {item!r} (cobc allows it on alphanumeric, "
                               "alphabetic and group items)")
    return item.raw


def is_alphabetic(item: Item) -> bool:
    """``item IS ALPHABETIC``: every byte an ASCII letter (either case) or a space."""
    return all(b in _UPPER or b in _LOWER for b in _alphabetic_bytes(item, "ALPHABETIC"))


def is_alphabetic_lower(item: Item) -> bool:
    """``item IS ALPHABETIC-LOWER``: every byte ``a``-``z`` or a space."""
    return all(b in _LOWER for b in _alphabetic_bytes(item, "ALPHABETIC-LOWER"))


def is_alphabetic_upper(item: Item) -> bool:
    """``item IS ALPHABETIC-UPPER``: every byte ``A``-``Z`` or a space."""
    return all(b in _UPPER for b in _alphabetic_bytes(item, "ALPHABETIC-UPPER"))


def is_class(item: Item, characters: bytes) -> bool:
    """``item IS class-name`` of a SPECIAL-NAMES CLASS: every byte of the item is one of the
    class's ``characters`` (GnuCOBOL tests the stored bytes, whatever the item's category)."""
    if not isinstance(item, Item):
        raise UnsupportedError(f"IS class-name of a {type(item).__name__} value")
    return all(byte in characters for byte in item.raw)


# -- sign conditions --------------------------------------------------------------------------


def _signed_value(value: NumericField | Decimal | int) -> Decimal:
    if not _is_number(value):
        raise UnsupportedError(f"sign condition on a {type(value).__name__} value")
    return _number(value)


def is_positive(value: NumericField | Decimal | int) -> bool:
    """``value IS POSITIVE``: greater than zero."""
    return _signed_value(value) > 0


def is_negative(value: NumericField | Decimal | int) -> bool:
    """``value IS NEGATIVE``: less than zero (a negative zero is not)."""
    return _signed_value(value) < 0


def is_zero(value: NumericField | Decimal | int) -> bool:
    """``value IS ZERO``: equal to zero, whatever its sign."""
    return _signed_value(value) == 0
