"""COBOL storage: records are ``bytearray`` s, items are views (offset, length) over them.

REDEFINES is two items over the same bytes; OCCURS is a :class:`Table` of items at a stride;
reference modification is an alphanumeric view of part of an item. ``get()`` reads, ``set()``
is COBOL's MOVE with the receiving item's rules (the COBOL 85 MOVE general rules, with
GnuCOBOL 3.1.2's behaviour where the standard leaves room, checked by the oracle tests):

* alphanumeric receiver: left-justified, space-padded or truncated on the right (JUSTIFIED
  RIGHT: the reverse); a numeric integer sender gives its digits without sign;
* numeric receiver: aligned on the decimal point, high-order digits and excess decimals dropped
  (no rounding), sign kept only if the receiver is signed (else the absolute value); a MOVE
  keeps the sender's sign even when the digits left are zero;
* numeric-edited receiver: see :mod:`modernize.runtime.editing`;
* group receiver or sender: an alphanumeric move of the bytes, whatever the other side.

Text is Latin-1 both ways, so each byte is one character and bytes round-trip unchanged.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, Generic, Self, TypeVar, Union

from modernize.analysis.cobol.pic import USAGE_ALIASES, expand_picture, picture_info

from . import encoding
from .editing import de_edit, edit, edit_digits, edited_digits_scale, edited_length
from .encoding import EXACT
from .errors import BoundsError, UnsupportedError
from .figurative import SPACES, Figurative

Value = Union[Decimal, int, str, bytes, "Item", Figurative]  # noqa: UP007 - forward reference
_NEGATIVE_ZERO = Decimal("-0")


class Item:
    """``length`` bytes at ``offset`` of a record ``buffer`` (abstract: see the subclasses).

    Not an ``abc.ABC``: ``isinstance(value, Item)`` is asked at nearly every statement of a
    translated program, and an ABC's instance check runs Python code where a plain class's is
    one C call."""

    __slots__ = ("buffer", "offset", "length")

    def __init__(self, buffer: bytearray, offset: int, length: int) -> None:
        if offset < 0 or length < 0 or offset + length > len(buffer):
            raise BoundsError(f"item at offset {offset}, length {length} lies outside its "
                              f"record of {len(buffer)} bytes")
        self.buffer = buffer
        self.offset = offset
        self.length = length

    @property
    def raw(self) -> bytes:
        """The item's bytes, exactly as stored."""
        return bytes(self.buffer[self.offset:self.offset + self.length])

    @raw.setter
    def raw(self, data: bytes) -> None:
        if len(data) != self.length:
            raise BoundsError(f"{len(data)} bytes given for an item of {self.length}")
        self.buffer[self.offset:self.offset + self.length] = data

    def ref(self, start: int, length: int | None = None) -> AlphanumericField:
        """Reference modification ``item(start:length)``, 1-based; an alphanumeric item."""
        if length is None:
            length = self.length - start + 1
        if start < 1 or length < 1 or start - 1 + length > self.length:
            raise BoundsError(f"reference modification ({start}:{length}) outside an item of "
                              f"{self.length} bytes")
        return AlphanumericField.view(self.buffer, self.offset + start - 1, length)

    def __getitem__(self, key: slice) -> AlphanumericField:
        """``item[start:length]`` is COBOL's ``item(start:length)``: 1-based start, then a
        length (not an end); ``item[start:]`` runs to the end of the item."""
        if not isinstance(key, slice) or key.step is not None or key.start is None:
            raise TypeError("reference modification is item[start:length], 1-based")
        return self.ref(key.start, key.stop)

    def alphanumeric_value(self) -> bytes:
        """The bytes this item sends in an alphanumeric MOVE (its own bytes by default)."""
        return self.raw

    def get(self) -> str | Decimal:
        """The item's value: text for alphanumeric, edited and group items, else a Decimal."""
        raise NotImplementedError(f"{type(self).__name__} defines no get()")

    def set(self, value: Value) -> None:
        """MOVE ``value`` to this item, by the rules of its category."""
        raise NotImplementedError(f"{type(self).__name__} defines no set()")

    def set_initial(self, value: Value) -> None:
        """The item's VALUE clause: as a MOVE, except that (as GnuCOBOL stores them) an
        alphanumeric literal or a figurative constant other than ZERO given to a numeric
        DISPLAY item, and any literal but a number or a figurative constant given to an
        edited item, is stored as it is (left-justified, space-padded; the constant
        repeated)."""
        self.set(value)

    def _store_as_is(self, value: Value) -> None:
        if isinstance(value, Figurative):
            self.raw = value.fill(self.length)
        else:
            self.raw = _justify(text_bytes(value), self.length)  # type: ignore[arg-type]


def text_bytes(value: str | bytes | bytearray) -> bytes:
    """A text literal's bytes (Latin-1: one byte a character); other text is refused."""
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError as exc:
        raise UnsupportedError(f"text {value!r} has characters outside Latin-1") from exc


def alphanumeric_source(value: Value) -> bytes:
    """The bytes a sender gives an alphanumeric receiver: a literal's text, an item's
    alphanumeric value, a number's integer digits without sign."""
    if isinstance(value, Item):
        return value.alphanumeric_value()
    if isinstance(value, str | bytes):
        return text_bytes(value)
    if isinstance(value, bool):
        raise UnsupportedError("MOVE of a Python bool")
    if isinstance(value, int | Decimal):
        number = Decimal(value)
        if number != number.to_integral_value():
            raise UnsupportedError(f"MOVE of the non-integer {value} to an alphanumeric item "
                                   "(cobc rejects it: move-noninteger-to-alphanumeric)")
        return str(abs(int(number))).encode("ascii")
    raise UnsupportedError(f"MOVE of a {type(value).__name__} value")


def _justify(data: bytes, length: int, right: bool = False) -> bytes:
    """Alphanumeric MOVE: pad with spaces or truncate, on the right (or on the left)."""
    if right:
        return data[-length:].rjust(length, b" ") if length else b""
    return data[:length].ljust(length, b" ")


class Group(Item):
    """A group item: its value is its bytes; every MOVE to or from it is alphanumeric."""

    __slots__ = ()

    def get(self) -> str:
        return self.raw.decode("latin-1")

    def set(self, value: Value) -> None:
        if isinstance(value, Figurative):
            self.raw = value.fill(self.length)
        elif isinstance(value, Item):
            self.raw = _justify(value.raw, self.length)
        else:
            self.raw = _justify(alphanumeric_source(value), self.length)


class VariableGroup(Group):
    """A group item below the 01 level that ends with an OCCURS DEPENDING ON table: as
    GnuCOBOL sizes it, its length is ``fixed`` bytes plus the current number of occurrences
    (the DEPENDING ON item's value, read at each use) times ``stride`` — as a sender, in a
    comparison, STRING, UNSTRING, INSPECT, DISPLAY, reference modification and as a receiver
    — except that a MOVE to a group that holds the DEPENDING ON item itself (``owns``) fills
    its maximum length (COBOL 85). Until :meth:`depends_on` names the item, the maximum."""

    __slots__ = ("maximum", "fixed", "stride", "owns", "count_of")

    def __init__(self, buffer: bytearray, offset: int, length: int, fixed: int, stride: int,
                 owns: bool = False) -> None:
        self.fixed = fixed
        self.stride = stride
        self.owns = owns
        self.count_of: Callable[[], Item] | None = None
        super().__init__(buffer, offset, length)

    def depends_on(self, count_of: Callable[[], Item]) -> None:
        """``count_of()`` is the DEPENDING ON item (looked up at each use)."""
        self.count_of = count_of

    @property  # type: ignore[override]
    def length(self) -> int:
        if self.count_of is None:
            return self.maximum
        count = int(self.count_of().get())
        length = self.fixed + count * self.stride
        if count < 0 or self.offset + length > len(self.buffer):
            raise BoundsError(f"OCCURS DEPENDING ON {count}: the group would run past its "
                              f"record ({self.fixed} + {count} x {self.stride} bytes)")
        return length

    @length.setter
    def length(self, value: int) -> None:
        self.maximum = value

    def set(self, value: Value) -> None:
        length = self.maximum if self.owns else self.length
        if isinstance(value, Figurative):
            data = value.fill(length)
        else:
            data = _justify(value.raw if isinstance(value, Item) else alphanumeric_source(value),
                            length)
        self.buffer[self.offset:self.offset + length] = data


class Field(Item):
    """An elementary item described by its PICTURE (and USAGE)."""

    __slots__ = ("picture",)

    def __init__(self, buffer: bytearray, offset: int, length: int, picture: str) -> None:
        super().__init__(buffer, offset, length)
        self.picture = picture

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.picture!r} @{self.offset}+{self.length})"


class AlphanumericField(Field):
    """PIC X/A (and alphanumeric-edited X with B, 0, /): text, MOVEd left-justified."""

    __slots__ = ("justified", "_symbols")

    def __init__(self, buffer: bytearray, offset: int, picture: str,
                 justified: bool = False) -> None:
        symbols = expand_picture(picture)
        if set(symbols) - set("XA9B0/"):
            raise UnsupportedError(f"alphanumeric picture {picture!r}")
        super().__init__(buffer, offset, len(symbols), picture)
        self.justified = justified
        self._symbols = symbols if set(symbols) & set("B0/") else ""

    @classmethod
    def view(cls, buffer: bytearray, offset: int, length: int) -> AlphanumericField:
        """``PIC X(length)`` at ``offset``, made without reading a picture (a reference
        modification makes one at each use); the caller has checked the bounds."""
        item = cls.__new__(cls)
        item.buffer, item.offset, item.length = buffer, offset, length
        item.picture, item.justified, item._symbols = f"X({length})", False, ""
        return item

    def get(self) -> str:
        # decoded from the slice itself (``raw`` would copy it to bytes first)
        return self.buffer[self.offset:self.offset + self.length].decode("latin-1")

    def set_initial(self, value: Value) -> None:
        # the VALUE of a JUSTIFIED RIGHT item is left-justified all the same (as in GnuCOBOL)
        if (self._symbols or self.justified) and isinstance(value, str | bytes | Figurative):
            self._store_as_is(value)
        else:
            self.set(value)

    def set(self, value: Value) -> None:
        kind = type(value)
        if (kind is AlphanumericField or kind is str) and not self._symbols and \
                not self.justified:  # the common MOVEs, without the general dispatch
            if kind is str:
                try:
                    data: bytes | bytearray = value.encode("latin-1")  # type: ignore[union-attr]
                except UnicodeEncodeError:
                    data = text_bytes(value)  # type: ignore[arg-type]  # its error says why
            else:
                data = value.buffer[value.offset:value.offset + value.length]  # type: ignore
            length = self.length
            self.buffer[self.offset:self.offset + length] = data[:length] if len(data) >= length \
                else data + b" " * (length - len(data))
            return
        if isinstance(value, Figurative) and (not self._symbols or value.name.startswith("ALL ")):
            self.raw = value.fill(self.length)
            return
        # a figurative constant (not ALL literal) to an alphanumeric-edited item is edited
        data = value.fill(self.length) if isinstance(value, Figurative) else \
            alphanumeric_source(value)
        if not self._symbols or isinstance(value, Group):  # a group move is never edited
            self.raw = _justify(data, self.length, self.justified)
            return
        # alphanumeric-edited: each X/A/9 takes the next character, B 0 / are inserted
        out = bytearray()
        source = iter(data)
        for c in self._symbols:
            if c in "XA9":
                out.append(next(source, 0x20))
            else:
                out.append(0x20 if c == "B" else ord(c))
        self.raw = bytes(out)


class NumericField(Field):
    """PIC 9/S/V/P with USAGE DISPLAY, COMP (BINARY, COMP-4), COMP-5 or COMP-3;
    ``decimal_comma``: the program says DECIMAL-POINT IS COMMA (the point of the text an
    alphanumeric MOVE gives it)."""

    __slots__ = ("usage", "digits", "scale", "signed", "leading", "separate", "decimal_comma",
                 "modulus", "max_magnitude", "unit", "binary")

    def __new__(cls, *args: Any, **kwargs: Any) -> NumericField:
        """``NumericField(buffer, offset, picture, usage, ...)`` makes the subclass with the
        codec of its USAGE (reading and storing fields is most of a translated program's
        time)."""
        if cls is NumericField:
            usage = str(args[3] if len(args) > 3 else kwargs.get("usage", "DISPLAY")).upper()
            cls = _CODECS.get(USAGE_ALIASES.get(usage, usage), NumericField)
        return super().__new__(cls)

    def __init__(self, buffer: bytearray, offset: int, picture: str, usage: str = "DISPLAY",
                 sign: str = "trailing", separate: bool = False, *,
                 decimal_comma: bool = False) -> None:
        usage = USAGE_ALIASES.get(usage.upper(), usage.upper())
        if usage not in ("DISPLAY", "COMP", "COMP-3", "COMP-5"):
            raise UnsupportedError(f"USAGE {usage} (supported: DISPLAY, COMP/BINARY/COMP-4, "
                                   "COMP-3, COMP-5)")
        if sign not in ("leading", "trailing"):
            raise ValueError("sign is 'leading' or 'trailing'")
        info = picture_info(picture, "DISPLAY", separate)
        if info.category != "numeric":
            raise UnsupportedError(f"{picture!r} is not a numeric picture")
        if info.digits > 38:
            raise UnsupportedError(f"{info.digits} digits (GnuCOBOL allows at most 38)")
        if usage == "DISPLAY":
            length = info.length
        elif usage == "COMP-3":
            length = encoding.packed_length(info.digits)
        else:
            length = encoding.binary_length(info.digits)
        super().__init__(buffer, offset, length, picture)
        self.usage = usage
        self.digits = info.digits
        self.scale = info.scale
        self.signed = info.signed
        self.leading = sign == "leading"
        self.separate = separate and info.signed
        self.decimal_comma = decimal_comma
        self.modulus = 10**self.digits
        if usage == "COMP-5":  # the largest unscaled integer the item holds: COMP-5, its bytes
            self.max_magnitude = (1 << (8 * self.length - (1 if self.signed else 0))) - 1
        else:
            self.max_magnitude = self.modulus - 1
        # what ``item += 1`` adds to the unscaled integer (0: P-scaled, the general path)
        self.unit = 10**self.scale if self.scale >= 0 else 0
        # COMP and COMP-5: the C integer of its bytes (read and written in place)
        self.binary = None if usage in ("DISPLAY", "COMP-3") else struct.Struct(
            ("=" if usage == "COMP-5" else ">") + _C_INTEGERS[self.length][self.signed])

    # -- reading ---------------------------------------------------------------------------
    def _stored(self) -> tuple[int, bool]:
        """(unscaled integer magnitude, negative) as stored: each USAGE's codec (the subclass
        ``NumericField(...)`` makes) reads it, as :mod:`.encoding` lays it out."""
        raise NotImplementedError(f"{type(self).__name__} has no codec")

    def get(self) -> Decimal:
        """The value, scaled by V/P; a stored negative zero reads as ``Decimal('-0')``."""
        magnitude, negative = self._stored()
        if not negative:
            return Decimal(magnitude) if self.scale == 0 else \
                Decimal(magnitude).scaleb(-self.scale, EXACT)
        value = Decimal(-magnitude) if magnitude else _NEGATIVE_ZERO
        return value if self.scale == 0 else value.scaleb(-self.scale, EXACT)

    def integer(self) -> int:
        """The value of an item without decimals, as an int (a negative zero is 0): what the
        translator reads in an expression of integers only. (With decimals: the value times
        10**scale.)"""
        magnitude, negative = self._stored()
        return -magnitude if negative else magnitude

    def alphanumeric_value(self) -> bytes:
        """Numeric to alphanumeric MOVE: the unsigned integer digits (P positions as zeros)."""
        if self.scale > 0:
            raise UnsupportedError(f"MOVE of the non-integer {self!r} to an alphanumeric item")
        if self.usage == "DISPLAY" and self.scale == 0:
            return self._digit_bytes()  # GnuCOBOL moves the digits as stored, even invalid ones
        magnitude, _ = self._stored()
        if self.usage != "DISPLAY":
            magnitude %= 10**self.digits
        return str(magnitude).zfill(self.digits).encode("ascii") + b"0" * -self.scale

    def _digit_bytes(self) -> bytes:
        """A DISPLAY item's digit characters as stored, its sign taken off (an overpunched
        sign byte becomes its digit, a separate sign byte is dropped)."""
        data = self.raw
        if not self.signed:
            return data
        if self.separate:
            return data[1:] if self.leading else data[:-1]
        at = 0 if self.leading else len(data) - 1
        byte = data[at]
        if 0x70 <= byte <= 0x79:  # GnuCOBOL's negative overpunch: 'p'..'y' for 0..9
            byte -= 0x40
        return data[:at] + bytes([byte]) + data[at + 1:]

    # -- writing ---------------------------------------------------------------------------
    def set_initial(self, value: Value) -> None:
        if self.usage == "DISPLAY" and (isinstance(value, str | bytes) or (
                isinstance(value, Figurative) and not value.is_zero)):
            self._store_as_is(value)
        else:
            self.set(value)

    def store(self, unscaled: int, negative: bool) -> None:
        """Store an unscaled integer magnitude and sign, dropping high-order digits that do not
        fit (the PICTURE's digits; COMP-5: the bytes) and the sign if the item is unsigned:
        each USAGE's codec writes it, as :mod:`.encoding` lays it out."""
        raise NotImplementedError(f"{type(self).__name__} has no codec")

    def _units(self, magnitude: int, scale: int) -> int:
        """An unscaled magnitude of ``scale`` decimals as a count of this item's units
        (excess decimals dropped), in integers."""
        shift = self.scale - scale
        if shift >= 0:
            return magnitude * 10**shift if shift else magnitude
        return magnitude // 10**-shift

    def unscaled(self, value: Decimal) -> int:
        """abs(value) as an integer count of this item's units, excess decimals dropped."""
        return int(value.copy_abs().scaleb(self.scale, EXACT))

    def set(self, value: Value) -> None:
        kind = type(value)
        if kind is int:  # the common senders first, without the general dispatch
            self.store(self._units(abs(value), 0), value < 0)  # type: ignore[arg-type]
            return
        if kind is Figurative and value.is_zero and not value.literal:  # type: ignore[union-attr]
            self.store(0, False)  # MOVE ZERO
            return
        if kind is Decimal and value.is_finite():  # type: ignore[union-attr]
            self.store(self.unscaled(value), value.is_signed())  # type: ignore[arg-type]
            return
        if kind in NUMERIC_TYPES and not (value.usage == self.usage == "DISPLAY"  # type: ignore
                                         and not self.signed):
            magnitude, negative = value._stored()  # type: ignore[union-attr]
            self.store(self._units(magnitude, value.scale), negative)  # type: ignore
            return
        if isinstance(value, NumericField) and value.usage == self.usage == "DISPLAY" and \
                not value.signed and not self.signed and value.digits == self.digits and \
                value.scale == self.scale:
            self.raw = value.raw  # same picture: GnuCOBOL copies the bytes, even invalid ones
            return
        if isinstance(value, Figurative) and value.literal:
            if self.usage not in ("DISPLAY", "COMP-3"):
                raise UnsupportedError(f"MOVE {value.name} to a binary item")
            # GnuCOBOL repeats an ALL literal over an unsigned integer of 38 digits and MOVEs
            # that: the receiver keeps its low-order integer digits, no decimals
            value = value.fill(38)
        number, negative = numeric_source(value, self.digits - self.scale, self.scale,
                                          decimal_comma=self.decimal_comma)
        if number is None:
            self.raw = _justify(alphanumeric_source(value), self.length)
            return
        self.store(self.unscaled(number), negative)

    # -- ADD and SUBTRACT in integers -----------------------------------------------------------
    def add_exact(self, values: tuple[object, ...], sign: int, rounded: bool,
                  on_size_error: bool) -> bool | None:
        """``ADD values TO self`` (``sign`` 1) or ``SUBTRACT values FROM self`` (-1) worked out
        in integers, when every value is an int or a numeric item (else None: the caller
        works in decimals); True on a size error, as :func:`~.arithmetic.compute` decides
        it. The sum of scaled integers is exact, as the decimal sum is (38 digits at most
        on either side of the point), so the result is the same, without a Decimal made or
        a decimal context entered."""
        magnitude, negative = self._stored()
        total, scale = (-magnitude if negative else magnitude), self.scale
        for value in values:
            kind = type(value)
            if kind is int:
                units, units_scale = value, 0
            elif kind in NUMERIC_TYPES:
                magnitude, negative = value._stored()  # type: ignore[attr-defined]
                units, units_scale = (-magnitude if negative else magnitude), value.scale  # type: ignore[attr-defined]
            else:
                return None
            if units_scale > scale:
                total *= 10 ** (units_scale - scale)
                scale = units_scale
            elif units_scale < scale:
                units *= 10 ** (scale - units_scale)
            total += units if sign > 0 else -units  # type: ignore[operator]
        return self.store_exact(total, scale, rounded, on_size_error)

    def store_exact(self, total: int, scale: int, rounded: bool, on_size_error: bool) -> bool:
        """Store ``total`` × 10**-``scale`` as COMPUTE stores a result: excess decimals
        dropped (toward zero) or ROUNDED half away from zero, a size error when the integer
        digits do not fit (the item is then left as it is with ``on_size_error``, else
        truncated); True on a size error. A result that is zero is a positive zero."""
        shift = self.scale - scale
        magnitude = -total if total < 0 else total
        if shift >= 0:
            magnitude *= 10 ** shift
        else:
            magnitude, dropped = divmod(magnitude, 10 ** -shift)
            if rounded and 2 * dropped >= 10 ** -shift:
                magnitude += 1
        return self.store_checked(magnitude, total < 0 and magnitude != 0, on_size_error)

    def store_checked(self, magnitude: int, negative: bool, on_size_error: bool) -> bool:
        """Store a result (its unscaled magnitude) as COMPUTE stores it: a size error when its
        integer digits do not fit (PICTURE digits; COMP-5: the bytes), the item then left as
        it is with ``on_size_error``, else the high-order digits dropped; True on a size
        error."""
        size_error = magnitude > self.max_magnitude
        if size_error and on_size_error:
            return True
        self.store(magnitude, negative)
        return size_error

    # -- ADD and SUBTRACT as Python writes them -----------------------------------------------
    def __iadd__(self, value: Decimal | int | NumericField) -> Self:
        """``item += value`` is ``ADD value TO item`` (no ROUNDED, no SIZE ERROR phrase):
        exact, excess decimals and high-order digits dropped."""
        self._add(value, 1)
        return self

    def __isub__(self, value: Decimal | int | NumericField) -> Self:
        """``item -= value`` is ``SUBTRACT value FROM item`` (no ROUNDED, no SIZE ERROR)."""
        self._add(value, -1)
        return self

    def _add(self, value: Decimal | int | NumericField, sign: int) -> None:
        if type(value) is int and self.unit:  # ADD 1 TO COUNTER: no decimals to align
            total = self.integer() + sign * value * self.unit
            self.store(-total, True) if total < 0 else self.store(total, False)
        elif self.add_exact((value,), sign, False, False) is None:
            from .arithmetic import add, subtract  # a decimal operand (arithmetic imports us)
            (add if sign > 0 else subtract)(self, value, on_size_error=False)


class _DisplayNumeric(NumericField):
    """USAGE DISPLAY: one digit a byte (see :mod:`.encoding`)."""

    __slots__ = ()

    def _stored(self) -> tuple[int, bool]:
        data = self.buffer[self.offset:self.offset + self.length]
        if data.isdigit() and not self.separate:  # valid digits, positive: one C call
            return int(data), False
        return encoding.decode_display(data, self.signed, self.leading, self.separate)

    def store(self, unscaled: int, negative: bool) -> None:
        if negative and self.signed or self.separate:
            data = encoding.encode_display(unscaled % self.modulus, self.digits,
                                           negative and self.signed, self.signed,
                                           self.leading, self.separate)
        else:
            data = b"%0*d" % (self.digits, unscaled % self.modulus)
        self.buffer[self.offset:self.offset + self.length] = data


class _PackedNumeric(NumericField):
    """USAGE COMP-3 (PACKED-DECIMAL): two digits a byte and a sign nibble."""

    __slots__ = ()

    def _stored(self) -> tuple[int, bool]:
        nibbles = self.buffer[self.offset:self.offset + self.length].hex()
        if nibbles[:-1].isdigit():  # valid digit nibbles (hex shows A-F as letters)
            return int(nibbles[:-1]), self.signed and nibbles[-1] in "bd"
        magnitude, negative = encoding.decode_packed(
            bytes(self.buffer[self.offset:self.offset + self.length]))
        return magnitude, negative and self.signed

    def store(self, unscaled: int, negative: bool) -> None:
        sign = ("d" if negative else "c") if self.signed else "f"
        self.buffer[self.offset:self.offset + self.length] = bytes.fromhex(
            _PACKED_FORMATS[self.length] % (unscaled % self.modulus) + sign)


_PACKED_FORMATS = ["%0" + str(2 * length - 1) + "d" for length in range(21)]
"""The digit nibbles of a COMP-3 item of each length (at most 20 bytes: 38 digits)."""


_C_INTEGERS = {1: ("B", "b"), 2: ("H", "h"), 4: ("I", "i"), 8: ("Q", "q")}
"""The struct codes of a binary item's bytes: (unsigned, signed) by length."""


class _BinaryNumeric(NumericField):
    """USAGE COMP (BINARY, COMP-4): big-endian two's complement, truncated to the PICTURE."""

    __slots__ = ()

    def _stored(self) -> tuple[int, bool]:
        number = self.binary.unpack_from(self.buffer, self.offset)[0]  # type: ignore[union-attr]
        return (-number, True) if number < 0 else (number, False)

    def store(self, unscaled: int, negative: bool) -> None:
        # the PICTURE's digits always fit the bytes (binary-size 1-2-4-8)
        unscaled %= self.modulus
        self.binary.pack_into(self.buffer, self.offset,  # type: ignore[union-attr]
                              -unscaled if negative and self.signed else unscaled)


class _NativeBinaryNumeric(_BinaryNumeric):
    """USAGE COMP-5: the machine's byte order (its struct says so), limited by the bytes, not
    the PICTURE."""

    __slots__ = ()

    def store(self, unscaled: int, negative: bool) -> None:
        # wrapped to the bytes like a C store
        bits = 8 * self.length
        value = (-unscaled if negative and self.signed else unscaled) % (1 << bits)
        if self.signed and value >> (bits - 1):
            value -= 1 << bits
        self.binary.pack_into(self.buffer, self.offset, value)  # type: ignore[union-attr]


class IndexField(_NativeBinaryNumeric):
    """USAGE INDEX (and an INDEXED BY index name), as GnuCOBOL holds it: an occurrence number
    in a native signed 4-byte binary, ``S9(9) COMP-5`` (never truncated to nine digits);
    DISPLAY shows a sign and at least nine digits."""

    __slots__ = ()

    def __init__(self, buffer: bytearray, offset: int) -> None:
        super().__init__(buffer, offset, "S9(9)", "COMP-5")


class IndexName(IndexField):
    """An index name (``INDEXED BY``): an IndexField with storage of its own, which no other
    item overlays (an index name has no place in a record, cannot be reference-modified or
    passed by reference), so its value is also kept as an int and read from there."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        super().__init__(bytearray(4), 0)
        self.value = 0

    def _stored(self) -> tuple[int, bool]:
        value = self.value
        return (-value, True) if value < 0 else (value, False)

    def integer(self) -> int:
        return self.value

    def store(self, unscaled: int, negative: bool) -> None:
        super().store(unscaled, negative)  # the bytes, wrapped as a C int
        self.value = self.binary.unpack_from(self.buffer, 0)[0]  # type: ignore[union-attr]

    @property
    def raw(self) -> bytes:
        return bytes(self.buffer)

    @raw.setter
    def raw(self, data: bytes) -> None:
        Item.raw.fset(self, data)  # type: ignore[attr-defined]
        self.value = self.binary.unpack_from(self.buffer, 0)[0]  # type: ignore[union-attr]


class NegativeZero(int):
    """The negative zero a held item keeps (:data:`NEGATIVE_ZERO`): 0 in every arithmetic and
    comparison, told apart by identity where COBOL shows it (a signed DISPLAY or COMP-3 item
    stores a MOVE of -0 with its sign)."""

    __slots__ = ()


NEGATIVE_ZERO = NegativeZero(0)


class HeldNumeric(NumericField):
    """A numeric item no statement sees as bytes, holding its value as a Python int.

    The translator makes one (:meth:`~.program.Record.held`) only for an item it has proved
    private (see :mod:`modernize.translate.held`): its record of its own storage, no
    REDEFINES, group VALUE, used group, level-88 of a group or reference modification over
    its bytes, no table in its record used, the record never moved, written, compared or
    passed whole, and every statement that stores into it one that stores a number.

    ``value`` is the unscaled integer as its USAGE would store it (the PICTURE's digits, the
    sign only if signed, :data:`NEGATIVE_ZERO` where the bytes would hold a negative zero),
    so every reading is what the byte-backed item gives, without a codec. Its bytes are made
    on demand (DISPLAY, a MOVE to text) by a byte-backed twin of the same PICTURE and
    USAGE."""

    __slots__ = ("value", "twin")

    def __init__(self, offset: int, picture: str, usage: str = "DISPLAY",
                 sign: str = "trailing", separate: bool = False, *,
                 decimal_comma: bool = False) -> None:
        twin = NumericField(bytearray(64), 0, picture, usage, sign, separate,
                            decimal_comma=decimal_comma)
        if twin.usage not in HELD_USAGES or twin.scale < 0:
            raise UnsupportedError(f"USAGE {twin.usage} {picture!r} cannot be held as a value")
        twin.buffer = bytearray(twin.length)
        self.twin = twin
        for name in NumericField.__slots__:
            setattr(self, name, getattr(twin, name))
        self.offset = offset  # where the item sits in its record (INITIALIZE of a part)
        self.length = twin.length
        self.picture = picture
        self.value: int = 0

    @property  # type: ignore[override]
    def buffer(self) -> bytes:  # type: ignore[override]
        """Bytes with the item's own at ``offset``, made now (nothing else holds them);
        read-only, so a write that would be lost fails instead."""
        return bytes(self.offset) + self.raw

    @property
    def raw(self) -> bytes:
        twin = self.twin
        twin.store(*self._stored())
        return bytes(twin.buffer)

    @raw.setter
    def raw(self, data: bytes) -> None:
        twin = self.twin
        twin.raw = data
        magnitude, negative = twin._stored()
        self.store(magnitude, negative)
        if self.raw != data:  # the proof said this cannot happen: say so, loudly
            raise UnsupportedError(f"{self!r} was given bytes that are not a number it can "
                                   f"hold ({data!r}): the translator's proof that it is a "
                                   "private number is wrong")

    def _stored(self) -> tuple[int, bool]:
        value = self.value
        return (-value, True) if value < 0 else (value, value is NEGATIVE_ZERO)

    def integer(self) -> int:
        value = self.value
        return 0 if value is NEGATIVE_ZERO else value

    def store(self, unscaled: int, negative: bool) -> None:
        magnitude = unscaled % self.modulus
        if negative and self.signed:
            self.value = -magnitude if magnitude else (
                0 if self.binary is not None else NEGATIVE_ZERO)
        else:
            self.value = magnitude


HELD_USAGES = frozenset({"DISPLAY", "COMP-3", "COMP"})
"""USAGEs a held item may have (COMP-5 wraps to its bytes, not its PICTURE)."""


_CODECS: dict[str, type[NumericField]] = {
    "DISPLAY": _DisplayNumeric, "COMP-3": _PackedNumeric, "COMP": _BinaryNumeric,
    "COMP-5": _NativeBinaryNumeric}
NUMERIC_TYPES = frozenset((NumericField, IndexField, IndexName, HeldNumeric, *_CODECS.values()))
"""The concrete numeric item classes (a set lookup of ``type(value)`` is cheaper than
``isinstance`` where most values are ints)."""


class EditedField(Field):
    """A numeric-edited item (``ZZ,ZZ9.99-``, ``$$$9``, ``***9.99``, ``9(3)CR``, ``ZZZPP`` ...);
    ``currency`` and ``decimal_comma`` are the program's CURRENCY SIGN and DECIMAL-POINT IS
    COMMA."""

    __slots__ = ("blank_when_zero", "digits", "scale", "currency", "decimal_comma")

    def __init__(self, buffer: bytearray, offset: int, picture: str,
                 blank_when_zero: bool = False, *, currency: str = "$",
                 decimal_comma: bool = False) -> None:
        info = picture_info(picture, currency=currency, decimal_comma=decimal_comma)
        if info.category != "numeric-edited" and not (blank_when_zero and
                                                      _blank_zero_integer(picture)):
            raise UnsupportedError(f"{picture!r} is not a numeric-edited picture")
        super().__init__(buffer, offset, edited_length(picture), picture)
        self.blank_when_zero = blank_when_zero
        self.currency = currency
        self.decimal_comma = decimal_comma
        self.digits, self.scale = edited_digits_scale(picture, currency=currency,
                                                      decimal_comma=decimal_comma)
        self._edit(b"0", 0, False)  # reject unsupported symbols now, not at first MOVE

    def set_initial(self, value: Value) -> None:
        if isinstance(value, Figurative) and value.is_zero and self.blank_when_zero:
            self.raw = b" " * self.length  # VALUE ZERO, blanked
        elif isinstance(value, str | bytes | Figurative):
            self._store_as_is(value)
        else:
            self.set(value)

    def _edit(self, digits: bytes, scale: int, negative: bool) -> None:
        self.raw = edit_digits(digits, scale, negative, self.picture, self.blank_when_zero,
                               currency=self.currency, decimal_comma=self.decimal_comma)

    def get(self) -> str:
        return self.raw.decode("latin-1")

    def value(self) -> Decimal:
        """The number the edited text shows (de-editing)."""
        number, negative = de_edit(self.raw, self.picture, decimal_comma=self.decimal_comma)
        return -number if negative else number

    def set(self, value: Value) -> None:
        if isinstance(value, NumericField) and value.scale >= 0:
            magnitude, negative = value._stored()
            if value.usage == "DISPLAY":
                # GnuCOBOL feeds the sender's digit characters as they are to the picture
                self._edit(value._digit_bytes(), value.scale, negative)
            else:
                self._edit(b"%d" % magnitude, value.scale, negative)
            return
        if isinstance(value, Figurative) and not value.is_zero:
            if value == SPACES:
                raise UnsupportedError("MOVE SPACES to a numeric-edited item (cobc rejects it)")
            # the figurative constant as an alphanumeric item of this one's length, MOVEd
            value = value.fill(self.length)
        number, negative = numeric_source(value, 38, 38, decimal_comma=self.decimal_comma)
        if number is None:
            self.raw = _justify(alphanumeric_source(value), self.length)
            return
        self.raw = edit(number, negative, self.picture, self.blank_when_zero,
                        currency=self.currency, decimal_comma=self.decimal_comma)


def numeric_source(value: Value, integer_digits: int, scale: int, *,
                   decimal_comma: bool = False) -> tuple[Decimal | None, bool]:
    """(value, negative) that a sender gives a numeric or numeric-edited receiver, or
    (None, False) when the MOVE is a byte move (from a group item); ``decimal_comma``: text
    is read with ``,`` as its point."""
    if isinstance(value, Group):
        return None, False
    if isinstance(value, bool):
        raise UnsupportedError("MOVE of a Python bool")
    if isinstance(value, int):
        return Decimal(value), value < 0
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise UnsupportedError(f"MOVE of {value}")
        return value, value.is_signed()
    if isinstance(value, NumericField):
        number = value.get()
        return number, number.is_signed()
    if isinstance(value, EditedField):
        return value.value().copy_abs(), value.value().is_signed()
    if isinstance(value, Figurative):
        if value.is_zero:
            return Decimal(0), False
        raise UnsupportedError(f"MOVE {value.name} to a numeric item")
    if isinstance(value, AlphanumericField | str | bytes):
        data = value.raw if isinstance(value, AlphanumericField) else text_bytes(value)
        return alphanumeric_to_number(data, integer_digits, scale, decimal_comma)
    raise UnsupportedError(f"MOVE of a {type(value).__name__} value")


def alphanumeric_to_number(data: bytes, integer_digits: int, scale: int,
                           decimal_comma: bool = False) -> tuple[Decimal, bool]:
    """Alphanumeric to numeric MOVE, as GnuCOBOL does it for a field: the text is read as a
    number (leading spaces, then an optional sign, digits aligned on a ``.``, with spaces and
    ``,`` ignored; under DECIMAL-POINT IS COMMA the other way round) and fitted to the
    receiver; any other character, or a second point, makes the value zero."""
    if integer_digits < 0 or scale < 0:
        raise UnsupportedError("alphanumeric MOVE to a P-scaled numeric item")
    if data.isdigit():  # ASCII digits only (bytes.isdigit): the whole text is the integer
        negative, whole_digits, fraction_digits = False, data.decode("ascii"), ""
    else:
        text = data.decode("latin-1").lstrip()
        negative = text[:1] == "-"
        if text[:1] in ("+", "-"):
            text = text[1:]
        point, separator = (",", ".") if decimal_comma else (".", ",")
        whole, _, fraction = text.partition(point)
        if point in fraction or any(not (c.isdigit() or c.isspace() or c == separator)
                                    for c in whole + fraction):
            return Decimal(0), False
        whole_digits = "".join(c for c in whole if c.isdigit())
        fraction_digits = "".join(c for c in fraction if c.isdigit())
    kept_whole = whole_digits[max(len(whole_digits) - integer_digits, 0):] if integer_digits \
        else ""
    kept_fraction = (fraction_digits + "0" * scale)[:scale]
    number = int((kept_whole or "0") + kept_fraction)
    return Decimal(number).scaleb(-scale, EXACT), negative


def field(buffer: bytearray, offset: int, picture: str, usage: str = "DISPLAY", *,
          sign: str = "trailing", separate: bool = False, justified: bool = False,
          blank_when_zero: bool = False, currency: str = "$", decimal_comma: bool = False
          ) -> AlphanumericField | NumericField | EditedField:
    """The elementary item for a PICTURE: numeric, numeric-edited or alphanumeric.

    ``sign``/``separate`` are ``SIGN IS LEADING|TRAILING [SEPARATE CHARACTER]``;
    ``justified`` is JUSTIFIED RIGHT; ``blank_when_zero`` is BLANK WHEN ZERO; ``currency`` and
    ``decimal_comma`` the program's CURRENCY SIGN and DECIMAL-POINT IS COMMA. USAGE INDEX
    (no PICTURE) is GnuCOBOL's: a native signed 4-byte binary holding an occurrence number,
    ``S9(9) COMP-5`` (DISPLAY shows a sign and 10 digits)."""
    if USAGE_ALIASES.get(usage.upper(), usage.upper()) == "INDEX":
        return IndexField(buffer, offset)
    category = picture_info(picture, currency=currency, decimal_comma=decimal_comma).category
    if category == "numeric" and blank_when_zero and _blank_zero_integer(picture) and \
            USAGE_ALIASES.get(usage.upper(), usage.upper()) == "DISPLAY":
        category = "numeric-edited"  # BLANK WHEN ZERO makes a numeric item numeric-edited
    if category == "numeric":
        return NumericField(buffer, offset, picture, usage, sign, separate,
                            decimal_comma=decimal_comma)
    if USAGE_ALIASES.get(usage.upper(), usage.upper()) != "DISPLAY":
        raise UnsupportedError(f"USAGE {usage} on the {category} picture {picture!r}")
    if category == "numeric-edited":
        return EditedField(buffer, offset, picture, blank_when_zero, currency=currency,
                           decimal_comma=decimal_comma)
    if category in ("alphanumeric", "alphabetic"):
        return AlphanumericField(buffer, offset, picture, justified)
    raise UnsupportedError(f"{category} picture {picture!r}")


def numeric_field(buffer: bytearray, offset: int, picture: str, usage: str = "DISPLAY",
                  **options: Any) -> NumericField:
    """:func:`field` for an item the translator knows to be numeric (typed for the reader
    and for mypy)."""
    return _expect(field(buffer, offset, picture, usage, **options), NumericField)


def field_length(picture: str, usage: str = "DISPLAY", **options: Any) -> int:
    """The bytes an elementary item of this PICTURE and USAGE takes (as :func:`field` makes
    it)."""
    return field(_SCRATCH, 0, picture, usage, **options).length


_SCRATCH = bytearray(1 << 16)
"""Bytes :func:`field_length` lays an item over (never written; a longer item is refused)."""


def held_number(picture: str, usage: str = "DISPLAY", **options: Any) -> HeldNumeric:
    """An 01/77 numeric item of its own that the translator proved private (see
    :class:`HeldNumeric`)."""
    return HeldNumeric(0, picture, usage, **options)


def alphanumeric_field(buffer: bytearray, offset: int, picture: str, usage: str = "DISPLAY",
                       **options: Any) -> AlphanumericField:
    """:func:`field` for an alphanumeric or alphabetic item."""
    return _expect(field(buffer, offset, picture, usage, **options), AlphanumericField)


def edited_field(buffer: bytearray, offset: int, picture: str, usage: str = "DISPLAY",
                 **options: Any) -> EditedField:
    """:func:`field` for a numeric-edited item."""
    return _expect(field(buffer, offset, picture, usage, **options), EditedField)


F = TypeVar("F", bound=Field)


def _expect(item: Field, kind: type[F]) -> F:
    if not isinstance(item, kind):
        raise UnsupportedError(f"{item!r} is not a {kind.__name__}")
    return item


def _blank_zero_integer(picture: str) -> bool:
    """Whether a numeric picture with BLANK WHEN ZERO is one of 9s only, which GnuCOBOL
    edits as the numeric-edited picture it then is (with V or P it sizes and moves it in
    ways of its own, left to the plain numeric item)."""
    return set(expand_picture(picture)) == {"9"}


T = TypeVar("T")


class Table(Generic[T]):
    """OCCURS: ``count`` elements ``stride`` bytes apart from ``offset``; ``make(offset)``
    builds the element (an item, a group of items, another Table). Subscripts are 1-based.

    As GnuCOBOL 3.1.2 without -debug (which checks nothing at run time), a subscript outside
    1 to ``count`` is not an error: the element is the ``stride`` bytes at ``offset +
    (subscript - 1) * stride`` all the same — subscript 0 is the bytes just before the table,
    ``count + 1`` those just after it, in the same record. Only an element that would lie
    outside its record's buffer (storage the translation does not share with the record) is a
    BoundsError."""

    def __init__(self, offset: int, count: int, stride: int, make: Callable[[int], T]) -> None:
        self.offset = offset
        self.count = count
        self.stride = stride
        self.make = make

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: int) -> T:
        try:
            return self.make(self.offset + (index - 1) * self.stride)
        except BoundsError:
            if 1 <= index <= self.count:
                raise
            raise BoundsError(f"subscript {index} outside OCCURS 1 to {self.count} reaches "
                              "past the record") from None

    def __iter__(self) -> Iterator[T]:
        return (self[i] for i in range(1, self.count + 1))

    def __setitem__(self, index: int, value: Value) -> None:
        """``table[i] = value`` MOVEs ``value`` to the element (``table[i] += 1`` stores in
        place, then gives the element itself back, which needs no MOVE)."""
        element = self[index]
        if element is not value:
            element.set(value)  # type: ignore[attr-defined]
