"""COMPUTE and the arithmetic verbs: exact intermediates, truncation or ROUNDED, ON SIZE ERROR.

COBOL rules, with GnuCOBOL 3.1.2's behaviour where the standard leaves room:

* intermediate results are exact (``+ - *``); a quotient carries far more decimals than any
  field holds (80 significant digits here, GnuCOBOL uses 38 plus scale);
* storing drops the decimals the receiver has no room for (truncation toward zero), or with
  ROUNDED rounds half away from zero;
* size error: the (rounded or truncated) result has more integer digits than the receiver
  holds (its PICTURE; COMP-5: its bytes), or a division by zero happened. With ON SIZE ERROR
  the receiver keeps its value; without it the high-order digits are dropped (and a division
  by zero leaves the receiver unchanged);
* an unsigned receiver gets the absolute value; a result that is zero after truncation is a
  positive zero.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from .errors import UnsupportedError
from .fields import NUMERIC_TYPES, EditedField, NumericField

CONTEXT = decimal.Context(prec=80, rounding=ROUND_DOWN, Emax=999, Emin=-999,
                          traps=[decimal.DivisionByZero, decimal.InvalidOperation,
                                 decimal.Overflow])
"""The decimal context for COBOL expressions: use ``decimal.localcontext(CONTEXT)`` or pass a
callable to :func:`compute`, which evaluates it in this context."""


_ONE = Decimal(1)


def evaluate(value: Decimal | int | Callable[[], Decimal | int] | None) -> Decimal | None:
    """An arithmetic result worked out once, before any receiver is stored (``DIVIDE a INTO
    b GIVING c b``, ``COMPUTE x y = ...``: a receiver that is also an operand does not change
    the value the next receivers get); None after a division by zero, which :func:`compute`
    takes as the size error condition."""
    return _evaluate(value)


def _evaluate(value: Decimal | int | Callable[[], Decimal | int] | None) -> Decimal | None:
    """The value, evaluated in :data:`CONTEXT`; None for a division by zero (or None)."""
    if value is None:
        return None
    kind = type(value)
    if kind is Decimal:  # worked out already: nothing to evaluate
        return value  # type: ignore[return-value]
    if kind is int:
        return Decimal(value)  # type: ignore[arg-type]
    saved = decimal.getcontext()  # a swap of contexts: localcontext() copies one each time
    decimal.setcontext(CONTEXT)
    try:
        result = value() if callable(value) else value
    except (decimal.DivisionByZero, ZeroDivisionError):
        return None
    except decimal.InvalidOperation as exc:
        if _undefined_division(exc):
            return None
        raise
    finally:
        decimal.setcontext(saved)
    if result is None:  # a result worked out before (evaluate) had a division by zero
        return None
    if isinstance(result, bool) or not isinstance(result, int | Decimal):
        raise UnsupportedError(f"arithmetic on a {type(result).__name__} value")
    return Decimal(result)


def _undefined_division(exc: decimal.InvalidOperation) -> bool:
    """Whether the invalid operation is ``0 / 0`` (the signal DivisionUndefined)."""
    return decimal.DivisionUndefined in (exc.args[0] if exc.args else [])


_CONDITION_CONTEXT = CONTEXT.copy()
_CONDITION_CONTEXT.traps[decimal.DivisionByZero] = False  # x / 0 is an infinity, signed as x


def value_of(expression: Callable[[], Decimal | int]) -> Decimal | int:
    """An arithmetic expression outside COMPUTE (an operand of a condition), worked out as
    COMPUTE works it out: sums and products exact, not rounded to the 28 digits of Python's
    default context (GnuCOBOL holds 38).

    A division by zero does not stop the run, as GnuCOBOL 3.1.2 does not stop it (checked
    against cobc): its quotient is the dividend times ``10**32768`` (a scale it marks as
    not-a-number, which its comparison then aligns), so ``A / 0`` is greater than every
    number when A is positive, less when A is negative, and ``0 / 0`` is zero. Here the
    first two are a signed infinity, and ``0 / 0`` is zero. (GnuCOBOL keeps the left
    operand's digits through the arithmetic that follows, so ``-1 + A / 0`` is negative
    there and infinite here: a difference an equivalence run would show.)"""
    saved = decimal.getcontext()
    decimal.setcontext(_CONDITION_CONTEXT)
    try:
        return expression()
    except decimal.InvalidOperation as exc:
        if _undefined_division(exc):
            return Decimal(0)
        raise
    finally:
        decimal.setcontext(saved)


def quotient(dividend: int, divisor: int) -> int:
    """``dividend / divisor`` truncated toward zero (as COBOL stores a quotient in an item
    without decimals), in integers; the divisor is not zero."""
    units = abs(dividend) // abs(divisor)
    return -units if (dividend < 0) != (divisor < 0) else units


def compute(target: NumericField | EditedField,
            value: Decimal | int | Callable[[], Decimal | int | None] | None, *,
            rounded: bool = False, on_size_error: bool = True) -> bool:
    """``COMPUTE target [ROUNDED] = value``; returns True when the size error condition
    happened. ``on_size_error`` says whether the statement has an ON SIZE ERROR phrase (then
    the receiver is left unchanged on a size error, else it gets the truncated value)."""
    if type(value) is int and type(target) in NUMERIC_TYPES:  # an expression of integers
        return target.store_exact(value, 0, rounded, on_size_error)  # type: ignore[union-attr]
    result = _evaluate(value)
    if result is None:
        return True
    return _store(target, result, rounded, on_size_error)


def _store(target: NumericField | EditedField, result: Decimal, rounded: bool,
           on_size_error: bool) -> bool:
    """Store an evaluated result in ``target`` as COMPUTE does; True on a size error."""
    scale = target.scale
    shifted = result.scaleb(scale, CONTEXT) if scale else result
    if rounded:
        number = int(shifted.quantize(_ONE, rounding=ROUND_HALF_UP, context=CONTEXT))
    else:
        number = int(shifted)  # int() drops the decimals, toward zero
    if isinstance(target, NumericField):
        return target.store_checked(abs(number), number < 0, on_size_error)
    size_error = abs(number) > 10**target.digits - 1
    if size_error and on_size_error:
        return True
    target.set(Decimal(number).scaleb(-scale, CONTEXT))
    return size_error


def add(target: NumericField, *values: Decimal | int | NumericField, rounded: bool = False,
        on_size_error: bool = True) -> bool:
    """``ADD values TO target``: target + the sum, stored as by :func:`compute`."""
    if isinstance(target, NumericField):
        exact = target.add_exact(values, 1, rounded, on_size_error)
        if exact is not None:
            return exact
    total = target.get()
    for value in values:
        total = CONTEXT.add(total, _number(value))
    return _store(target, total, rounded, on_size_error)


def subtract(target: NumericField, *values: Decimal | int | NumericField,
             rounded: bool = False, on_size_error: bool = True) -> bool:
    """``SUBTRACT values FROM target``."""
    if isinstance(target, NumericField):
        exact = target.add_exact(values, -1, rounded, on_size_error)
        if exact is not None:
            return exact
    total = target.get()
    for value in values:
        total = CONTEXT.subtract(total, _number(value))
    return _store(target, total, rounded, on_size_error)


def _number(value: Decimal | int | NumericField) -> Decimal:
    if isinstance(value, NumericField):
        return value.get()
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise UnsupportedError(f"arithmetic on a {type(value).__name__} value")
    return Decimal(value)
