"""Intrinsic functions with GnuCOBOL 3.1.2's results (checked against cobc in
tests/test_runtime_terminal.py). Numeric functions return ``Decimal``, alphanumeric ones
``bytes``; :func:`call_function` dispatches by the COBOL name.

Arguments are numeric items and numeric literals (int, Decimal) for numeric parameters, and
alphanumeric, group or edited items and text literals (str, bytes) for alphanumeric ones.
Where GnuCOBOL signals EC-ARGUMENT-FUNCTION (MOD or REM by zero, SQRT of a negative number,
a date outside 1601-01-01 .. 9999-12-31) the result is zero, as GnuCOBOL's is.

``DISPLAY FUNCTION f(...)`` of a numeric function is not covered: GnuCOBOL prints such results
in widths of its own (``000000002`` for MOD(-7 3), ``+1.50`` for ABS(-1.50)), while
:func:`~modernize.runtime.display.display_bytes` shows a Decimal as a literal (``2``).
"""

from __future__ import annotations

import calendar
import inspect
import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

from .compare import compare, numeric_value
from .errors import UnsupportedError
from .fields import Item, NumericField, text_bytes
from .terminal import current_datetime

Argument = Item | Decimal | int | str | bytes
Result = Decimal | bytes

_EPOCH = date(1600, 12, 31)  # day 0 of the COBOL integer date
_LAST_DAY = (date(9999, 12, 31) - _EPOCH).days  # 3067671


def _number(value: Argument) -> Decimal:
    if isinstance(value, NumericField):
        return numeric_value(value)
    if isinstance(value, Decimal) and value.is_finite():
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise UnsupportedError(f"a {type(value).__name__} value as a numeric argument")


def _text(value: Argument) -> bytes:
    if isinstance(value, NumericField):
        raise UnsupportedError(f"the numeric item {value!r} as an alphanumeric argument")
    if isinstance(value, Item):
        return value.raw
    if isinstance(value, str | bytes | bytearray):
        return text_bytes(value)
    raise UnsupportedError(f"a {type(value).__name__} value as an alphanumeric argument")


def _integer(value: Argument) -> int:
    """A numeric argument's integer part (GnuCOBOL truncates non-integer date arguments)."""
    return int(_number(value))


# -- date and time ----------------------------------------------------------------------------


def current_date() -> bytes:
    """FUNCTION CURRENT-DATE: ``YYYYMMDDHHMMSShh`` and the UTC offset ``+hhmm`` (``-hhmm``),
    21 characters, from :func:`~modernize.runtime.terminal.current_datetime`."""
    now = current_datetime()
    offset = now.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    text = f"{now:%Y%m%d%H%M%S}{now.microsecond // 10000:02d}{sign}{hours:02d}{minutes:02d}"
    return text.encode("ascii")


def integer_of_date(value: Argument) -> Decimal:
    """FUNCTION INTEGER-OF-DATE(YYYYMMDD): days since 1600-12-31; 0 for an invalid date."""
    number = _integer(value)
    year, month, day = number // 10000, number // 100 % 100, number % 100
    if not 1601 <= year <= 9999:
        return Decimal(0)
    try:
        return Decimal((date(year, month, day) - _EPOCH).days)
    except ValueError:
        return Decimal(0)


def integer_of_day(value: Argument) -> Decimal:
    """FUNCTION INTEGER-OF-DAY(YYYYDDD): days since 1600-12-31; 0 for an invalid day."""
    number = _integer(value)
    year, day = number // 1000, number % 1000
    if not 1601 <= year <= 9999 or not 1 <= day <= (366 if calendar.isleap(year) else 365):
        return Decimal(0)
    return Decimal((date(year, 1, 1) - _EPOCH).days + day - 1)


def _day(value: Argument) -> date | None:
    number = _integer(value)
    return _EPOCH + timedelta(days=number) if 1 <= number <= _LAST_DAY else None


def date_of_integer(value: Argument) -> Decimal:
    """FUNCTION DATE-OF-INTEGER(n): the date YYYYMMDD of day n (1 is 1601-01-01); 0 outside
    1 .. 3067671 (9999-12-31)."""
    day = _day(value)
    return Decimal(int(f"{day:%Y%m%d}")) if day else Decimal(0)


def day_of_integer(value: Argument) -> Decimal:
    """FUNCTION DAY-OF-INTEGER(n): the day YYYYDDD of day n; 0 outside 1 .. 3067671."""
    day = _day(value)
    return Decimal(day.year * 1000 + day.timetuple().tm_yday) if day else Decimal(0)


# -- arithmetic -------------------------------------------------------------------------------


def _remainder(left: Argument, right: Argument, floor: bool) -> Decimal:
    a, b = _number(left), _number(right)
    if not b:
        return Decimal(0)
    with localcontext() as context:
        context.prec = 100
        remainder = a % b  # a - b * (a / b truncated): the sign of a
        if floor and remainder and (remainder < 0) != (b < 0):
            remainder += b
        return remainder


def mod(left: Argument, right: Argument) -> Decimal:
    """FUNCTION MOD(a b): a - b * FUNCTION INTEGER(a / b), so the sign of b; 0 when b is 0."""
    return _remainder(left, right, floor=True)


def rem(left: Argument, right: Argument) -> Decimal:
    """FUNCTION REM(a b): a - b * FUNCTION INTEGER-PART(a / b), so the sign of a; 0 when b is
    0."""
    return _remainder(left, right, floor=False)


def integer(value: Argument) -> Decimal:
    """FUNCTION INTEGER(x): the greatest integer not greater than x."""
    with localcontext() as context:
        context.prec = 100
        return _number(value).to_integral_value(rounding=ROUND_FLOOR)


def integer_part(value: Argument) -> Decimal:
    """FUNCTION INTEGER-PART(x): x truncated toward zero."""
    with localcontext() as context:
        context.prec = 100
        return _number(value).to_integral_value(rounding=ROUND_DOWN) + 0  # -0 becomes 0


def absolute(value: Argument) -> Decimal:
    """FUNCTION ABS(x): x without its sign."""
    return _number(value).copy_abs()


def sqrt(value: Argument) -> Decimal:
    """FUNCTION SQRT(x): the square root rounded half up to 96 significant digits (exact when
    it has fewer); 0 for a negative x."""
    number = _number(value)
    if number <= 0:
        return Decimal(0)
    with localcontext() as context:
        context.prec = 120
        root = number.sqrt()
        context.prec = 96
        context.rounding = ROUND_HALF_UP
        return +root


def _extreme(args: tuple[Argument, ...], sign: int, name: str) -> Result:
    if not args:
        raise UnsupportedError(f"FUNCTION {name} needs at least one argument")
    numeric = [isinstance(a, NumericField | int | Decimal) for a in args]
    if all(numeric):
        values = [_number(a) for a in args]
        best = values[0]
        for value in values[1:]:
            if (value > best) - (value < best) == sign:
                best = value
        return best
    if any(numeric):
        raise UnsupportedError(f"FUNCTION {name} of numeric and alphanumeric arguments")
    texts = [_text(a) for a in args]
    best_text = texts[0]
    for text in texts[1:]:
        if compare(text, best_text) == sign:
            best_text = text
    return best_text


def maximum(*args: Argument) -> Result:
    """FUNCTION MAX: the first greatest argument; numeric arguments compare algebraically
    (Decimal result), alphanumeric ones as COBOL text (the argument's bytes)."""
    return _extreme(args, 1, "MAX")


def minimum(*args: Argument) -> Result:
    """FUNCTION MIN: the first least argument (see :func:`maximum`)."""
    return _extreme(args, -1, "MIN")


# -- NUMVAL -----------------------------------------------------------------------------------

_NUMVAL = re.compile(
    rb" *(?:(?P<lead>[+-]) *)?(?P<int>[0-9]*)(?:\.(?P<frac>[0-9]*))?"
    rb"(?: *(?P<trail>[+-]|CR|DB)(?P<after> *))? *")
_NUMVAL_C = re.compile(
    rb" *(?:(?P<lead>[+-]) *)?(?:\$ *)?(?:(?P<lead2>[+-]) *)?(?P<int>(?:[0-9][0-9,]*)?)"
    rb"(?:\.(?P<frac>[0-9]*))?(?: *(?P<trail>[+-]|CR|DB)(?P<after> *))? *")


def _numval(data: bytes, pattern: re.Pattern[bytes]) -> Decimal:
    match = pattern.fullmatch(data)
    if match is None:
        return Decimal(0)
    groups = match.groupdict()
    signs = [s for s in (groups["lead"], groups.get("lead2"), groups["trail"]) if s]
    whole = (groups["int"] or b"").replace(b",", b"")
    fraction = groups["frac"] or b""
    if len(signs) > 1 or not (whole or fraction):
        return Decimal(0)
    negative = bool(signs) and (signs[0] == b"-" or (signs[0] in (b"CR", b"DB")
                                                     and bool(match["after"])))
    number = Decimal(f"{(whole or b'0').decode()}.{fraction.decode()}" if fraction
                     else (whole or b"0").decode())
    return -number if negative else number


def numval(value: Argument) -> Decimal:
    """FUNCTION NUMVAL: the number in text ``[sp][+|-][sp]digits[.digits][sp]`` or
    ``[sp]digits[.digits][sp][+|-|CR|DB][sp]``; 0 when the text is not of that form. GnuCOBOL
    3.1.2 takes CR or DB as negative only when at least one space follows it (``12CR`` is
    +12, ``12CR `` is -12)."""
    return _numval(_text(value), _NUMVAL)


def numval_c(value: Argument, currency: Argument | None = None) -> Decimal:
    """FUNCTION NUMVAL-C: as NUMVAL, with a ``$`` allowed before or after a leading sign and
    commas among the integer digits (after the first one)."""
    if currency is not None:
        raise UnsupportedError("FUNCTION NUMVAL-C with a currency argument (GnuCOBOL 3.1.2 "
                               "returns 0 for it)")
    data = _text(value)
    if data.count(b"$") > 1:
        raise UnsupportedError(f"FUNCTION NUMVAL-C of {data!r}: more than one currency sign")
    return _numval(data, _NUMVAL_C)


# -- alphanumeric -----------------------------------------------------------------------------


def upper_case(value: Argument) -> bytes:
    """FUNCTION UPPER-CASE: ``a``-``z`` become ``A``-``Z``; every other byte stays."""
    return _text(value).upper()


def lower_case(value: Argument) -> bytes:
    """FUNCTION LOWER-CASE: ``A``-``Z`` become ``a``-``z``; every other byte stays."""
    return _text(value).lower()


def trim(value: Argument, where: str = "") -> bytes:
    """FUNCTION TRIM(x [LEADING|TRAILING]): x without its leading and/or trailing spaces (only
    spaces: a tab stays); all spaces give an empty result (length 0)."""
    data = _text(value)
    mode = where.upper()
    if mode == "LEADING":
        return data.lstrip(b" ")
    if mode == "TRAILING":
        return data.rstrip(b" ")
    if mode:
        raise UnsupportedError(f"FUNCTION TRIM ... {where}")
    return data.strip(b" ")


def length(value: Argument) -> Decimal:
    """FUNCTION LENGTH: the bytes of an item (a COMP item's storage size) or of a text
    literal."""
    if isinstance(value, Item):
        return Decimal(value.length)
    return Decimal(len(_text(value)))


def reverse(value: Argument) -> bytes:
    """FUNCTION REVERSE: the bytes in reverse order."""
    return _text(value)[::-1]


def ordinal(value: Argument) -> Decimal:
    """FUNCTION ORD: the ordinal position (1-based, native ASCII) of the first character."""
    data = _text(value)
    if not data:
        raise UnsupportedError("FUNCTION ORD of an empty value")
    return Decimal(data[0] + 1)


def character(value: Argument) -> bytes:
    """FUNCTION CHAR(n): the character in ordinal position n (1 to 256)."""
    number = _number(value)
    if number != number.to_integral_value() or not 1 <= number <= 256:
        raise UnsupportedError(f"FUNCTION CHAR({number}): outside 1 .. 256")
    return bytes([int(number) - 1])


_FUNCTIONS: dict[str, Callable[..., Result]] = {
    "CURRENT-DATE": current_date,
    "MOD": mod,
    "REM": rem,
    "INTEGER": integer,
    "INTEGER-PART": integer_part,
    "ABS": absolute,
    "MAX": maximum,
    "MIN": minimum,
    "NUMVAL": numval,
    "NUMVAL-C": numval_c,
    "UPPER-CASE": upper_case,
    "LOWER-CASE": lower_case,
    "TRIM": trim,
    "LENGTH": length,
    "REVERSE": reverse,
    "ORD": ordinal,
    "CHAR": character,
    "INTEGER-OF-DATE": integer_of_date,
    "DATE-OF-INTEGER": date_of_integer,
    "DAY-OF-INTEGER": day_of_integer,
    "INTEGER-OF-DAY": integer_of_day,
    "SQRT": sqrt,
}


def call_function(name: str, *args: Argument) -> Result:
    """``FUNCTION name(args)`` by its COBOL name (``TRIM`` takes ``'LEADING'`` or
    ``'TRAILING'`` as a second argument); an unknown name raises UnsupportedError."""
    key = name.upper().replace("_", "-")
    function = _FUNCTIONS.get(key)
    if function is None:
        raise UnsupportedError(f"FUNCTION {name}")
    try:
        inspect.signature(function).bind(*args)
    except TypeError as exc:
        raise UnsupportedError(f"FUNCTION {key} with {len(args)} arguments") from exc
    return function(*args)
