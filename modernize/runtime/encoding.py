"""Byte encodings of numeric items as GnuCOBOL 3.1.2 stores them with ``cobc -x`` (default.conf,
ASCII, Linux), verified against cobc in tests/test_runtime.py.

* DISPLAY: one ASCII digit a byte. A signed item without SEPARATE carries the sign in its last
  (or, SIGN LEADING, first) digit: positive leaves the digit as is (``0x30``-``0x39``), negative
  adds 0x40 (``0x70``-``0x79``, ``'p'``-``'y'``). SIGN ... SEPARATE adds a ``'+'``/``'-'`` byte.
* COMP-3 / PACKED-DECIMAL: two digits a byte, a leading 0 nibble when the digit count is even,
  sign nibble C (+), D (-), F (unsigned).
* COMP / BINARY / COMP-4: two's complement, big-endian (``binary-byteorder: big-endian``), size
  by digits (``binary-size: 1-2-4-8``: 1-2 digits 1 byte, 3-4 2, 5-9 4, 10-18 8) and values
  truncated to the PICTURE's digits (``binary-truncate: yes``).
* COMP-5: same sizes, the machine's byte order (little-endian on x86-64 and arm64), and the
  value is limited by the bytes, not by the PICTURE.
"""

from __future__ import annotations

import sys
from decimal import Context

from .errors import UnsupportedError

EXACT = Context(prec=80, Emax=999_999, Emin=-999_999)
"""The decimal context of every scaling between an item's digits and its value. GnuCOBOL
holds up to 38 digits, Python's default context keeps 28: ``Decimal(n).scaleb(-s)`` without
a context rounds the low-order digits of a longer value away."""

NATIVE_ORDER = sys.byteorder


def binary_length(digits: int) -> int:
    """Bytes of a COMP/COMP-5 item of ``digits`` digits (GnuCOBOL ``binary-size: 1-2-4-8``)."""
    for limit, size in ((2, 1), (4, 2), (9, 4), (18, 8)):
        if digits <= limit:
            return size
    raise UnsupportedError(f"binary item of {digits} digits: at most 18 are supported")


def packed_length(digits: int) -> int:
    """Bytes of a COMP-3 item: one nibble a digit plus the sign nibble."""
    return digits // 2 + 1


def encode_display(magnitude: int, digits: int, negative: bool, signed: bool,
                   leading: bool = False, separate: bool = False) -> bytes:
    """DISPLAY digits of ``magnitude`` (already within ``digits``) with the sign as above."""
    if not signed:
        return b"%0*d" % (digits, magnitude)
    text = bytearray(b"%0*d" % (digits, magnitude))
    if separate:
        mark = b"-" if negative else b"+"
        return mark + bytes(text) if leading else bytes(text) + mark
    if negative:
        text[0 if leading else -1] += 0x40
    return bytes(text)


def decode_display(data: bytes, signed: bool, leading: bool = False,
                   separate: bool = False) -> tuple[int, bool]:
    """(magnitude, negative) of DISPLAY bytes. Each digit is the low nibble of its byte (as
    GnuCOBOL reads it); an overpunched sign byte that is not ``'0'``-``'9'`` or a space means
    minus."""
    if data.isdigit() and not (signed and separate):  # valid digits, positive: one C call
        return int(data), False
    negative = False
    body = bytearray(data)
    if signed and separate:
        mark = body.pop(0) if leading else body.pop()
        negative = mark == ord("-")
    elif signed and body:
        index = 0 if leading else len(body) - 1
        byte = body[index]
        if not (0x30 <= byte <= 0x39 or byte == 0x20):
            negative = True
    magnitude = 0
    for byte in body:
        magnitude = magnitude * 10 + (byte & 0x0F) % 10
    return magnitude, negative


def encode_packed(magnitude: int, digits: int, negative: bool, signed: bool) -> bytes:
    """COMP-3 bytes of ``magnitude`` (already within ``digits``)."""
    sign = ("d" if negative else "c") if signed else "f"
    return bytes.fromhex(f"{magnitude:0{2 * packed_length(digits) - 1}d}{sign}")


def decode_packed(data: bytes) -> tuple[int, bool]:
    """(magnitude, negative) of COMP-3 bytes; sign nibble D or B means minus."""
    nibbles = data.hex()
    if nibbles[:-1].isdigit():  # valid digit nibbles (hex shows A-F as letters)
        return int(nibbles[:-1]), nibbles[-1] in "bd"
    magnitude = 0
    for byte in data[:-1]:
        magnitude = magnitude * 100 + (byte >> 4) * 10 + (byte & 0x0F)
    last = data[-1]
    magnitude = magnitude * 10 + (last >> 4)
    return magnitude, (last & 0x0F) in (0x0B, 0x0D)


def encode_binary(value: int, length: int, signed: bool, native: bool) -> bytes:
    """Two's complement bytes of ``value``, wrapped to ``length`` bytes like a C store."""
    bits = 8 * length
    value %= 1 << bits
    if signed and value >= 1 << (bits - 1):
        value -= 1 << bits
    order = NATIVE_ORDER if native else "big"
    return value.to_bytes(length, order, signed=signed)


def decode_binary(data: bytes, signed: bool, native: bool) -> int:
    order = NATIVE_ORDER if native else "big"
    return int.from_bytes(data, order, signed=signed)
