"""The DISPLAY statement: the bytes GnuCOBOL 3.1.2 (``cobc -x``, default configuration, ASCII)
writes for each operand, checked against cobc in tests/test_runtime_terminal.py.

* alphanumeric, alphanumeric-edited, numeric-edited and group items: their bytes as stored;
* numeric items: the digits the PICTURE describes, never zero-suppressed, with a ``.`` where
  the V is (fractional P positions show as zeros after it), and for a signed item a ``+`` or
  ``-`` first, or last for SIGN TRAILING SEPARATE. A negative zero shows ``+``. COMP and COMP-3
  show the PICTURE's digits (a COMP value beyond them keeps its low-order digits); COMP-5 shows
  as many digits as its bytes hold (3, 5, 10 or 20), unscaled, with no decimal point; USAGE
  INDEX at least nine;
* numeric literals as written (``-1.50``; a negative zero as ``+0``), text literals as is;
* a figurative constant once: SPACE one space, ZERO one ``0``, ``ALL 'AB'`` shows ``AB``.

Refused (:class:`UnsupportedError`) where GnuCOBOL's output is not a plain rule: integer P
scaling, any P with COMP/COMP-3/COMP-5, and numeric DISPLAY items holding bytes other than
digits (spaces are shown as they are in integer items) or an invalid sign.
"""

from __future__ import annotations

import sys
from decimal import Decimal

from .encoding import EXACT
from .errors import UnsupportedError
from .fields import IndexField, Item, NumericField, text_bytes
from .figurative import Figurative

DisplayValue = Item | Figurative | Decimal | int | str | bytes

_DIGITS = frozenset(b"0123456789")
_NEGATIVE_PUNCH = range(0x70, 0x7A)  # 'p'..'y': a digit with a negative overpunched sign
_COMP5_WIDTH = {1: 3, 2: 5, 4: 10, 8: 20}  # digits of the largest unsigned value of n bytes


def display_usage_digits(item: NumericField, allow_spaces: bool = False) -> tuple[bytes, bool]:
    """(digit bytes, negative) of a numeric USAGE DISPLAY item: a separate sign byte removed, an
    overpunched sign taken off its digit. Digits must be ``0``-``9`` (with ``allow_spaces``,
    spaces too); a separate sign must be ``+`` or ``-``; else :class:`UnsupportedError`."""
    data = bytearray(item.raw)
    negative = False
    if item.signed and item.separate:
        mark = data.pop(0) if item.leading else data.pop()
        if mark not in b"+-":
            raise UnsupportedError(f"{item!r} holds the sign byte {bytes([mark])!r}")
        negative = mark == ord("-")
    elif item.signed and data:
        index = 0 if item.leading else len(data) - 1
        if data[index] in _NEGATIVE_PUNCH:
            data[index] -= 0x40
            negative = True
    allowed = _DIGITS | {0x20} if allow_spaces else _DIGITS
    if any(byte not in allowed for byte in data):
        raise UnsupportedError(f"{item!r} holds non-digit bytes {item.raw!r}")
    return bytes(data), negative


def packed_digits(item: NumericField, check_pad: bool = True) -> tuple[int, int]:
    """(magnitude, sign nibble) of a COMP-3 item; digit nibbles must be 0-9 (the pad nibble of
    an even digit count too, unless ``check_pad`` is off: DISPLAY ignores it) and the sign
    nibble A-F, else :class:`UnsupportedError`."""
    data = item.raw
    nibbles = [n for byte in data for n in (byte >> 4, byte & 0x0F)]
    sign = nibbles.pop()
    if item.digits % 2 == 0 and not check_pad:
        nibbles[0] = 0
    if any(n > 9 for n in nibbles) or sign < 0x0A:
        raise UnsupportedError(f"{item!r} holds invalid packed-decimal data {data.hex()}")
    return int("".join(map(str, nibbles))), sign


def _with_point(digits: bytes, scale: int) -> bytes:
    """Digits with the decimal point ``scale`` places from the right (before P zeros)."""
    if scale <= 0:
        return digits
    if scale > len(digits):
        return b"." + b"0" * (scale - len(digits)) + digits
    return digits[:len(digits) - scale] + b"." + digits[len(digits) - scale:]


def _numeric_item(item: NumericField) -> bytes:
    if item.scale < 0:
        raise UnsupportedError(f"DISPLAY of {item!r}: integer P scaling (GnuCOBOL 3.1.2 "
                               "writes stray bytes after the digits)")
    if item.usage != "DISPLAY" and item.scale > item.digits:
        raise UnsupportedError(f"DISPLAY of {item!r}: P scaling with USAGE {item.usage}")
    scale = item.scale
    if item.usage == "DISPLAY" and scale == 0 and not item.signed and b"\x00" in item.raw:
        # invalid data, as in a record area never read into (low-values): GnuCOBOL writes
        # the bytes up to the first NUL
        return item.raw.split(b"\x00", 1)[0]
    if item.usage == "DISPLAY":
        digits, negative = display_usage_digits(item, allow_spaces=scale == 0)
        if negative and b" " in digits and not set(digits) & set(b"123456789"):
            raise UnsupportedError(f"DISPLAY of {item!r}: a negative sign over spaces")
    elif item.usage == "COMP-3":
        magnitude, sign = packed_digits(item, check_pad=False)
        negative = item.signed and sign == 0x0D
        digits = str(magnitude).zfill(item.digits).encode("ascii")
    else:
        value = item.get().scaleb(item.scale, EXACT)
        negative = value < 0
        if item.usage == "COMP-5":
            width = 9 if isinstance(item, IndexField) else _COMP5_WIDTH[item.length]
            digits = str(abs(int(value))).zfill(width).encode("ascii")
            scale = 0
        else:
            digits = str(abs(int(value)) % 10**item.digits).zfill(item.digits).encode("ascii")
    text = _with_point(digits, scale)
    if not item.signed:
        return text
    sign = b"-" if negative and set(digits) & set(b"123456789") else b"+"
    if item.usage == "DISPLAY" and item.separate and not item.leading:
        return text + sign
    return sign + text


def _decimal_literal(value: Decimal) -> bytes:
    if not value.is_finite():
        raise UnsupportedError(f"DISPLAY of {value}")
    text = format(value.copy_abs(), "f")
    if value.is_signed():
        text = ("-" if value else "+") + text
    return text.encode("ascii")


def display_bytes(value: DisplayValue, *, decimal_comma: bool = False) -> bytes:
    """The bytes DISPLAY writes for one operand (see the module's rules); under
    DECIMAL-POINT IS COMMA (``decimal_comma``) a number shows ``,`` for its point."""
    if decimal_comma and isinstance(value, NumericField | Decimal):
        return display_bytes(value).replace(b".", b",")
    if isinstance(value, NumericField):
        return _numeric_item(value)
    if isinstance(value, Item):
        return value.raw
    if isinstance(value, Figurative):
        return value.pattern
    if isinstance(value, bool):
        raise UnsupportedError("DISPLAY of a Python bool")
    if isinstance(value, int):
        return str(value).encode("ascii")
    if isinstance(value, Decimal):
        return _decimal_literal(value)
    if isinstance(value, str | bytes | bytearray):
        return text_bytes(value)
    raise UnsupportedError(f"DISPLAY of a {type(value).__name__} value")


def display(*values: DisplayValue, upon: str = "SYSOUT", advancing: bool = True,
            decimal_comma: bool = False) -> None:
    """``DISPLAY values [UPON upon] [WITH NO ADVANCING]``: the operands' bytes one after the
    other, then a newline unless ``advancing`` is off. SYSOUT and CONSOLE are standard output,
    SYSERR standard error; the stream is flushed so the order with other output is kept.
    ``decimal_comma``: the program says DECIMAL-POINT IS COMMA."""
    device = upon.upper()
    if device in ("SYSOUT", "CONSOLE"):
        stream = sys.stdout
    elif device == "SYSERR":
        stream = sys.stderr
    else:
        raise UnsupportedError(f"DISPLAY UPON {upon}")
    data = b"".join(display_bytes(value, decimal_comma=decimal_comma) for value in values) + \
        (b"\n" if advancing else b"")
    stream.flush()
    stream.buffer.write(data)
    stream.buffer.flush()
