"""Numeric-edited pictures: MOVE of a number into ``ZZZ,ZZ9.99-``, ``$$$,$$9.99``, ``***9.99``,
``ZZ9.99CR``, ``+++.++``, ``ZZZPP`` ... and reading such an item back as a number (de-editing),
as GnuCOBOL 3.1.2 does it (checked against cobc in tests/test_runtime.py and
tests/test_nist_data.py).

The picture is read left to right against the sending value's digits, aligned on the decimal
point (``.``, or ``,`` under DECIMAL-POINT IS COMMA, or ``V``); the digit positions before it are
``9``, ``Z``, ``*``, P positions right of a digit, and every currency symbol or ``+``/``-`` met
before the first ``9``, ``Z`` or ``*`` (so the first symbol of a floating string takes a digit
too, which it never shows: the value is truncated to the positions that can show it):

- ``9`` shows its digit; ``Z`` and ``*`` show theirs once a non-zero digit or a ``9`` has ended
  the suppression, a space (``*``: an asterisk) before; a ``,`` (the point under DECIMAL-POINT
  IS COMMA: ``.``) and ``B`` among suppressed digits show the pad too; ``0`` and ``/`` always
  show;
- a currency symbol or ``+``/``-`` before any ``9``/``Z``/``*`` is a floating (two or more) or a
  fixed (one) insertion: while zeros are suppressed it shows the pad, after it shows its digit;
  at the end the symbol (``+`` or ``-``, the sign: ``-`` when negative, ``+`` or a space when
  not) is put in the rightmost space of the item (floating) or back in its own place (fixed);
  after a ``9``/``Z``/``*`` it is a trailing sign or currency symbol, shown as it is;
- ``CR``/``DB`` show when negative, else two spaces; a value whose shown digits are all zero is
  positive;
- digit places after the decimal point that suppression left blank show ``0`` (unless every
  digit was suppressed); a value all of whose digit positions were suppressed is all spaces
  (with ``*``: all ``*`` but the decimal point), and BLANK WHEN ZERO blanks any zero value.

The currency symbol is ``$`` unless the program's CURRENCY SIGN clause says otherwise.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from .encoding import EXACT
from .errors import UnsupportedError


@lru_cache(maxsize=4096)  # pure; every MOVE to an edited item reads its picture
def picture_runs(picture: str) -> tuple[tuple[str, int], ...]:
    """The picture as (symbol, times) runs, as cobc stores it: ``$$,$$9(3).99CR`` →
    ``[('$', 2), (',', 1), ('$', 2), ('9', 3), ('.', 1), ('9', 2), ('C', 1)]`` (``CR``/``DB``
    are one symbol ``C``/``D`` of two bytes)."""
    text = picture.upper()
    runs: list[tuple[str, int]] = []
    i = 0
    while i < len(text):
        symbol = text[i]
        i += 1
        times = 1
        if symbol in "CD" and text[i:i + 1] in ("R", "B"):
            i += 1
        elif text[i:i + 1] == "(":
            close = text.find(")", i)
            if close < 0 or not text[i + 1:close].isdigit():
                raise UnsupportedError(f"picture {picture!r}")
            times = int(text[i + 1:close])
            i = close + 1
        if runs and runs[-1][0] == symbol and symbol not in "CD":
            runs[-1] = (symbol, runs[-1][1] + times)
        else:
            runs.append((symbol, times))
    if any(s in "SE" for s, _ in runs):
        raise UnsupportedError(f"numeric-edited picture {picture!r} (S or floating point E)")
    return tuple(runs)


@lru_cache(maxsize=4096)
def edited_length(picture: str) -> int:
    """Bytes of a numeric-edited item: one a symbol, two for CR/DB, none for V and P."""
    return sum(0 if s in "VP" else 2 * n if s in "CD" else n for s, n in picture_runs(picture))


def _point(decimal_comma: bool) -> str:
    """The decimal point of pictures: ``.``, or ``,`` under DECIMAL-POINT IS COMMA."""
    return "," if decimal_comma else "."


def _source_digits(value: Decimal) -> tuple[str, int]:
    """The digits of abs(value) and how many of them are decimals."""
    sign, digits, exponent = value.copy_abs().as_tuple()
    text = "".join(map(str, digits))
    if not isinstance(exponent, int):
        raise UnsupportedError(f"MOVE of {value}")
    if exponent > 0:
        return text + "0" * exponent, 0
    return text, -exponent


def edit(value: Decimal, negative: bool, picture: str, blank_when_zero: bool = False, *,
         currency: str = "$", decimal_comma: bool = False) -> bytes:
    """The bytes of a numeric-edited item after MOVE of ``value`` (its sign given apart, since a
    MOVE keeps the sign of a negative zero)."""
    digits, scale = _source_digits(value)
    return edit_digits(digits.encode("ascii"), scale, negative, picture, blank_when_zero,
                       currency=currency, decimal_comma=decimal_comma)


def edit_digits(data: bytes, scale: int, negative: bool, picture: str,
                blank_when_zero: bool = False, *, currency: str = "$",
                decimal_comma: bool = False) -> bytes:
    """MOVE of the digit characters ``data`` (``scale`` of them decimals) into a numeric-edited
    ``picture``: the characters are placed as they are (GnuCOBOL feeds a DISPLAY sender's bytes
    to the picture, so a space digit shows as a space)."""
    plan = _suppression_plan(picture, decimal_comma)
    if plan is not None:
        return _edit_suppressed(data, scale, negative, plan, blank_when_zero)
    return _edit_any(data, scale, negative, picture, blank_when_zero, currency=currency,
                     decimal_comma=decimal_comma)


def _edit_any(data: bytes, scale: int, negative: bool, picture: str,
              blank_when_zero: bool = False, *, currency: str = "$",
              decimal_comma: bool = False) -> bytes:
    """:func:`edit_digits` for any picture: the picture read symbol by symbol."""
    runs = picture_runs(picture)
    point = _point(decimal_comma)
    cur = ord(currency)
    # digit places before the decimal point
    count = 0
    count_sign = count_curr = True
    p_is_left = False
    for symbol, times in runs:
        if symbol in "9Z*":
            count += times
            count_sign = count_curr = False
        elif count_curr and symbol == currency or count_sign and symbol in "+-":
            count += times
        elif symbol == "P":
            if count == 0:
                p_is_left = True
                break
            count += times
            count_sign = count_curr = False
        elif symbol in ("V", point):
            break
    src = len(data) - scale - count

    def take() -> int:
        nonlocal src, is_zero, suppress
        x = data[src] if 0 <= src < len(data) else 0x30
        src += 1
        if x != 0x30:
            is_zero = suppress = False
        return x

    size = edited_length(picture)
    out = bytearray(b" " * (size + 1))
    dst = 0
    end = size
    decimal_at: int | None = None
    pad = 0x20
    is_zero = suppress = True
    trailing_sign = trailing_curr = False
    sign_symbol: int | None = None
    curr_symbol: int | None = None
    sign_first = 0
    floating = False
    fixed_at: int | None = None
    fixed_char: int | None = None
    for symbol, times in runs:
        code = ord(symbol)
        n = times
        while n > 0:
            if symbol in "0/":
                out[dst] = code
            elif symbol == "B":
                out[dst] = pad if suppress else code
            elif symbol == "P":
                if p_is_left:
                    src += 1
                    dst -= 1
            elif symbol == "9":
                x = take()
                out[dst] = x
                suppress = False
                trailing_sign = trailing_curr = True
            elif symbol == "V":
                dst -= 1
                decimal_at = dst
            elif symbol in ".,":
                if symbol == point:
                    out[dst] = code
                    decimal_at = dst
                else:
                    out[dst] = pad if suppress else code
            elif symbol in "CD":
                end = dst
                out[dst:dst + 2] = (b"CR" if symbol == "C" else b"DB") \
                    if negative and not is_zero else b"  "
                dst += 1
            elif symbol in "Z*":
                x = take()
                pad = 0x2A if symbol == "*" else 0x20
                out[dst] = pad if suppress else x
                trailing_sign = trailing_curr = True
            elif symbol in "+-" or symbol == currency:
                sign = symbol in "+-"
                x = take()
                if trailing_sign if sign else trailing_curr:
                    if sign:
                        out[dst] = 0x2D if negative and not is_zero else \
                            0x2B if symbol == "+" else 0x20
                    else:
                        out[dst] = cur
                    end -= 1
                elif dst == 0 or suppress:
                    out[dst] = pad
                    if sign:
                        sign_symbol = code
                        if curr_symbol is None:
                            sign_first += 1
                    else:
                        curr_symbol = cur
                else:
                    out[dst] = x
                if n > 1 or fixed_char == code:
                    floating = True
                elif not (trailing_sign if sign else trailing_curr):
                    if fixed_at is not None and fixed_char is not None:
                        out[fixed_at] = fixed_char
                    fixed_at, fixed_char = dst, code
            else:
                raise UnsupportedError(f"symbol {symbol!r} in numeric-edited picture "
                                       f"{picture!r}")
            n -= 1
            dst += 1
    if sign_symbol is not None:
        sign_symbol = 0x2D if negative and not is_zero else \
            0x2B if sign_symbol == 0x2B else 0x20
    result = out[:size]
    if suppress or (is_zero and blank_when_zero):
        if pad == 0x20 or blank_when_zero:
            return b" " * size
        return bytes(c if c == ord(point) else pad for c in result)
    if decimal_at is not None:
        for at in range(decimal_at + 1, end):
            if result[at] not in b"0123456789,+-/B":
                result[at] = 0x30
    if sign_symbol is not None or curr_symbol is not None:
        if floating:
            at = end - 1
            while at > 0 and result[at] != 0x20:
                at -= 1
            if sign_symbol is not None and curr_symbol is not None:
                result[at] = curr_symbol if sign_first else sign_symbol
            else:
                result[at] = sign_symbol if sign_symbol is not None else curr_symbol  # type: ignore[assignment]
        elif fixed_at is not None:
            result[fixed_at] = (curr_symbol if fixed_char == cur else sign_symbol) or 0x20
    seen = 0
    for at in range(end):
        if result[at] == 0x42:  # B
            result[at] = pad if seen == 0 else 0x20
        else:
            seen += 1
    return bytes(result)


_Formats = tuple[int, tuple[bytes, ...], bytes, int, int]
"""A report picture edited by formatting (see :func:`_formats`): the Z positions before the
first 9; per count k of leading zeros blanked, the integer part as a ``%c`` template with k
digits blanked; the decimal point (empty: none); the digits after it; the source digits
read in all."""

_SuppressionPlan = tuple[bytes, int, int, int, bytes, _Formats | None]


@lru_cache(maxsize=4096)
def _suppression_plan(picture: str, decimal_comma: bool) -> _SuppressionPlan | None:
    """The picture as :func:`_edit_suppressed` edits it, when it is one of the common report
    pictures: ``Z``, ``9``, the separator and the decimal point (``ZZZ,ZZ9.99``, ``Z(14)9``),
    at least one digit position, and at most a trailing ``+``, ``-``, ``CR`` or ``DB``; else
    None (:func:`edit_digits` reads the picture itself). The plan: the symbols, one a
    byte; the digit positions before the point; the point's byte; the item's length; the
    trailing sign symbol (empty: none)."""
    runs = list(picture_runs(picture))
    sign = b""
    if runs and runs[-1][0] in "+-CD" and runs[-1][1] == 1:
        sign = {"+": b"+", "-": b"-", "C": b"CR", "D": b"DB"}[runs.pop()[0]]
    point = _point(decimal_comma)
    separator = "." if decimal_comma else ","
    symbols = "".join(symbol * times for symbol, times in runs)
    if not symbols or set(symbols) - {"Z", "9", point, separator} or \
            not set(symbols) & {"Z", "9"} or symbols.count(point) > 1:
        return None
    whole = symbols.split(point)[0]
    count = whole.count("Z") + whole.count("9")
    return symbols.encode("ascii"), count, ord(point), edited_length(picture), sign, \
        _formats(symbols, point, separator, sign)


def _formats(symbols: str, point: str, separator: str, sign: bytes) -> _Formats | None:
    """The plan of :func:`_edit_formatted`, for a picture whose integer part is Z positions
    then 9 positions (at least one 9, separators anywhere) and whose decimals are all 9:
    zero suppression then stops at the first 9 at the latest, so the edit is a template
    with the leading zeros blanked. None for any other picture."""
    whole, _, fraction = symbols.partition(point)
    digits = whole.replace(separator, "")
    nines = digits.lstrip("Z")
    if not nines or set(nines) != {"9"} or set(fraction) - {"9"}:
        return None
    zeros = len(digits) - len(nines)
    templates = []
    for blanked in range(zeros + 1):
        at, seen = 0, 0  # the symbol position of digit ``blanked``
        while seen < blanked or whole[at] == separator:
            seen += whole[at] != separator
            at += 1
        shown = whole[at:].replace("Z", "%c").replace("9", "%c")
        templates.append((" " * at + shown).encode("ascii"))
    read = len(digits) + len(fraction) + (1 if sign in (b"+", b"-") else 0)
    return zeros, tuple(templates), point.encode("ascii") if point in symbols else b"", \
        len(fraction), read


def _edit_suppressed(data: bytes, scale: int, negative: bool, plan: _SuppressionPlan,
                     blank_when_zero: bool) -> bytes:
    """:func:`edit_digits` for a picture of :func:`_suppression_plan`, by the same rules in
    fewer steps (most report fields are such pictures; a test compares the two)."""
    symbols, count, point, size, sign, formats = plan
    if formats is not None and data.isdigit():
        return _edit_formatted(data, scale, negative, plan, formats, blank_when_zero)
    src = len(data) - scale - count
    length = len(data)
    out = bytearray()
    suppress = is_zero = True
    decimal_at = -1
    for symbol in symbols:
        if symbol == 0x39 or symbol == 0x5A:  # 9, Z: the next source character
            x = data[src] if 0 <= src < length else 0x30
            src += 1
            if x != 0x30:
                is_zero = suppress = False
            if symbol == 0x39:
                suppress = False
                out.append(x)
            else:
                out.append(0x20 if suppress else x)
        elif symbol == point:
            decimal_at = len(out)
            out.append(point)
        else:  # the separator: blank while zeros are suppressed
            out.append(0x20 if suppress else symbol)
    if sign == b"+" or sign == b"-":  # a trailing sign takes a source character, unshown
        x = data[src] if 0 <= src < length else 0x30
        if x != 0x30:
            is_zero = suppress = False
    if suppress or (is_zero and blank_when_zero):
        return b" " * size
    if decimal_at >= 0:
        for at in range(decimal_at + 1, len(out)):
            if out[at] not in b"0123456789,+-/B":
                out[at] = 0x30
    if sign:
        shown = negative and not is_zero
        out += (b"CR" if shown else b"  ") if sign == b"CR" else \
            (b"DB" if shown else b"  ") if sign == b"DB" else \
            b"-" if shown else sign if sign == b"+" else b" "
    return bytes(out)


def _edit_formatted(data: bytes, scale: int, negative: bool, plan: _SuppressionPlan,
                    formats: _Formats, blank_when_zero: bool) -> bytes:
    """:func:`_edit_suppressed` for digits only and a picture :func:`_formats` planned: the
    same bytes from one template (a test compares the two)."""
    _, count, _, size, sign, _ = plan
    zeros, templates, point_byte, fraction, read = formats
    start = len(data) - scale - count
    if start >= 0:
        source = data[start:start + read]
    else:  # positions before the sender's digits read as zeros
        source = b"0" * min(-start, read) + data[:max(start + read, 0)]
    if len(source) < read:  # positions past the sender's digits read as zeros
        source += b"0" * (read - len(source))
    is_zero = not source.strip(b"0")
    if is_zero and blank_when_zero:
        return b" " * size
    leading = source[:zeros]
    blanked = len(leading) - len(leading.lstrip(b"0"))
    out = templates[blanked] % tuple(source[blanked:count])
    if point_byte:
        out += point_byte + source[count:count + fraction]
    if sign:
        shown = negative and not is_zero
        out += (b"CR" if shown else b"  ") if sign == b"CR" else \
            (b"DB" if shown else b"  ") if sign == b"DB" else \
            b"-" if shown else sign if sign == b"+" else b" "
    return out


def de_edit(data: bytes, picture: str, *, currency: str = "$",
            decimal_comma: bool = False) -> tuple[Decimal, bool]:
    """(value, negative) of a numeric-edited item's bytes, as GnuCOBOL reads them back: every
    digit character counts (``0`` insertions too), the decimals are the digits after the
    decimal point (or, when none follows it, the picture's positions after ``V``), and the
    value is negative when a ``-`` or the ``C`` of ``CR`` shows."""
    point = _point(decimal_comma)
    digits = []
    scale = 0
    have_point = False
    negative = False
    for byte in data:
        ch = chr(byte)
        if ch.isdigit() and byte < 0x80:
            digits.append(ch)
            if have_point:
                scale += 1
        elif ch == point:
            have_point = True
        elif ch in "-C":
            negative = True
    if scale == 0:
        count = 0
        for symbol, times in picture_runs(picture):
            if symbol in "90Z*":
                if have_point:
                    scale += times
                else:
                    count += times
            elif symbol == "P":
                if count == 0:
                    have_point = True
                    scale += times
                else:
                    scale -= times
            elif symbol == "V":
                have_point = True
    number = int("".join(digits) or "0")
    return Decimal(number).scaleb(-scale, EXACT), negative


@lru_cache(maxsize=4096)
def edited_digits_scale(picture: str, *, currency: str = "$",
                        decimal_comma: bool = False) -> tuple[int, int]:
    """(digit positions, decimal places) of a numeric-edited picture: its digit positions are
    ``9``, ``Z``, ``*`` and the symbols of a floating string but its first (past the decimal
    point: all of them); P positions scale (``ZZZPP``: 3 digits, scale -2; ``VPP99``: 2
    digits, scale 4; ``PP99``: 2 digits, scale 4)."""
    point = _point(decimal_comma)
    leading: dict[str, int] = {}
    whole = fraction = p_left = p_right = 0
    seen_digit = seen_point = p_first = False
    for symbol, times in picture_runs(picture):
        if symbol in "9Z*":
            seen_digit = True
            if seen_point:
                fraction += times
            else:
                whole += times
        elif symbol in ("V", point):
            seen_point = True
        elif symbol == "P":
            if seen_point:
                p_left += times
            elif not (seen_digit or leading):
                p_left += times
                p_first = True
            else:
                p_right += times
        elif (symbol in "+-" or symbol == currency) and not seen_digit:
            if seen_point:
                fraction += times
            else:
                leading[symbol] = leading.get(symbol, 0) + times
    whole += sum(k - 1 for k in leading.values() if k > 1)
    if p_first:
        return whole + fraction, whole + fraction + p_left
    return whole + fraction, fraction + p_left - p_right
