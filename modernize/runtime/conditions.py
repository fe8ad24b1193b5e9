"""Level-88 condition names: ``88 name VALUE v1 v2 ... | lo THRU hi``.

A condition is true when its item's value equals one of the values or lies in one of the
ranges. Numeric items compare numerically; alphanumeric and group items compare as text, the
shorter operand padded with spaces, byte by byte in the program's collating sequence (see
:mod:`.collating`; the native ASCII order by default); a figurative constant stands for its
pattern repeated to the item's length. SET name TO TRUE MOVEs the first value (or the first
range's low end) to the item.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from decimal import Decimal

from .collating import active
from .errors import UnsupportedError
from .fields import Item, NumericField, VariableGroup, alphanumeric_source
from .figurative import Figurative

ConditionValue = Decimal | int | str | bytes | Figurative


class Condition:
    """A level-88 condition over ``item``."""

    def __init__(self, item: Item, values: Sequence[ConditionValue] = (),
                 ranges: Sequence[tuple[ConditionValue, ConditionValue]] = (), *,
                 range_first: bool = False) -> None:
        if not values and not ranges:
            raise ValueError("a level-88 condition needs at least one value or range")
        self.item = item
        self.values = tuple(values)
        self.ranges = tuple(ranges)
        self.range_first = range_first or not values  # the VALUE clause starts with a THRU
        self._keys: tuple[list[Decimal | bytes], list[tuple[Decimal | bytes, Decimal | bytes]]] \
            | None = None
        self._numeric = isinstance(item, NumericField)
        self._integer = self._numeric and item.scale == 0  # type: ignore[attr-defined]
        # the values as a set, when equality is a lookup: a numeric item, or an item of fixed
        # length in the native order (a collating sequence may make two bytes compare equal)
        self._members: frozenset[Decimal | bytes] | None = None

    def _key(self, value: ConditionValue) -> Decimal | bytes:
        if isinstance(self.item, NumericField):
            if isinstance(value, Figurative):
                if not value.is_zero:
                    raise UnsupportedError(f"{value.name} in a numeric level-88 condition")
                return Decimal(0)
            if isinstance(value, int | Decimal):
                return Decimal(value)
            raise UnsupportedError(f"the text {value!r} in a numeric level-88 condition")
        if isinstance(value, Figurative):
            return value.fill(self.item.length)
        return alphanumeric_source(value)

    @staticmethod
    def _compare(left: Decimal | int | bytes, right: Decimal | bytes) -> int:
        if isinstance(left, bytes) and isinstance(right, bytes):
            width = max(len(left), len(right))
            left, right = left.ljust(width, b" "), right.ljust(width, b" ")
            sequence = active()
            if sequence is not None:
                left, right = sequence.key(left), sequence.key(right)
        return (left > right) - (left < right)  # type: ignore[operator]

    def _constant_keys(self) -> tuple[list[Decimal | bytes],
                                      list[tuple[Decimal | bytes, Decimal | bytes]]]:
        """The values and ranges as compared, worked out once (an item whose length varies,
        OCCURS DEPENDING ON, fills a figurative constant anew each time)."""
        keys = ([self._key(v) for v in self.values],
                [(self._key(lo), self._key(hi)) for lo, hi in self.ranges])
        if not isinstance(self.item, VariableGroup):
            self._keys = keys
            self._members = frozenset(keys[0]) if self._numeric else \
                frozenset(_padded(key, self.item.length) for key in keys[0]
                          if key[self.item.length:].strip(b" ") == b"")
        return keys

    def is_true(self) -> bool:
        numeric = self._numeric
        current: Decimal | int | bytes
        if self._integer:  # an int equals (and hashes as) the Decimal of the same value
            current = self.item.integer()  # type: ignore[attr-defined]
        else:
            current = self.item.get() if numeric else self.item.raw  # type: ignore[assignment]
        values, ranges = self._keys or self._constant_keys()
        members = self._members
        if members is not None and (numeric or active() is None):
            if current in members:  # equal Decimals hash alike, whatever their exponents
                return True
            values = []
        compare = self._compare
        for value in values:  # loops, not any(): a condition is tested at most statements
            if compare(current, value) == 0:
                return True
        for low, high in ranges:
            if compare(current, low) >= 0 and compare(current, high) <= 0:
                return True
        return False

    __bool__ = is_true  # ``if record.end_of_file:`` tests the condition

    def set_true(self) -> None:
        """``SET condition TO TRUE``: MOVE the first value written to the item (the low end
        when the VALUE clause starts with a range)."""
        first = self.ranges[0][0] if self.range_first else self.values[0]
        self.item.set(first)


def _padded(key: bytes, length: int) -> bytes:
    """A value as an item of ``length`` bytes compares with it in the native order: padded
    with spaces, or cut where only spaces follow (the caller leaves out the other keys,
    which no value of the item equals)."""
    return key[:length].ljust(length, b" ")


# -- SPECIAL-NAMES switches -------------------------------------------------------------------

_SWITCHES: dict[int, bool] = {}


def _switch(number: int) -> bool:
    if number not in _SWITCHES:
        # as libcob reads them when the run unit starts: COB_SWITCH_n is ON (in any case) or
        # begins with 1; anything else, or nothing, is off
        value = os.environ.get(f"COB_SWITCH_{number}", "")
        _SWITCHES[number] = value[:1] == "1" or value.upper() == "ON"
    return _SWITCHES[number]


def switch_status(number: int) -> bool:
    """``IF condition-name`` of SWITCH-``number`` ON STATUS (its OFF STATUS is ``not``)."""
    return _switch(number)


def set_switch(number: int, on: bool) -> None:
    """``SET mnemonic-name TO ON|OFF``: the switch stays so for the rest of the run unit."""
    _SWITCHES[number] = on
