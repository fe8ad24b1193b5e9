"""Numeric-edited pictures: MOVE of a number into ``ZZZ,ZZ9.99-``, ``$$$,$$9.99``, ``***9.99``,
``ZZ9.99CR`` ... and reading such an item back as a number (de-editing).

The rules, as the COBOL standard states them (and the oracle tests check against GnuCOBOL):

- digit positions are ``9``, ``Z``, ``*`` and every symbol of a floating insertion string
  (two or more ``$``, ``+`` or ``-``) but its first; the value is aligned on the decimal point
  (``.`` or ``V``) and truncated on both sides to those positions;
- leading zeros in ``Z``, ``*`` and floating positions are suppressed (space, or ``*`` for check
  protection), and so are the simple insertion characters (``,``, ``B``, ``0``, ``/``) among
  them; a ``9``, a non-zero digit or the decimal point ends the suppression;
- a floating string shows its symbol once, just left of the first character it does not
  suppress;
- ``+`` shows the sign, ``-`` shows it only when negative, ``CR``/``DB`` appear only when
  negative; a value that edits to zero counts as positive;
- a zero value whose digit positions are all suppressing is all spaces (all ``*`` but the
  decimal point, with check protection), and BLANK WHEN ZERO blanks any zero value.

Currency is ``$`` and the decimal point ``.`` (no CURRENCY SIGN or DECIMAL-POINT IS COMMA).
"""

from __future__ import annotations

from decimal import Decimal

from modernize.cobol.pic import expand_picture

from .errors import UnsupportedError

_INSERTION = ",B0/"
_FLOATING = "$+-"


def edit_symbols(picture: str) -> list[str]:
    """The picture as one symbol a position; ``CR``/``DB`` become ``C``/``D`` (two bytes)."""
    pic = expand_picture(picture)
    if "P" in pic:
        raise UnsupportedError(f"P scaling in the numeric-edited picture {picture!r}")
    if "S" in pic or "E" in pic:
        raise UnsupportedError(f"numeric-edited picture {picture!r} (S or floating point E)")
    return list(pic.replace("CR", "C").replace("DB", "D"))


def _floating(symbols: list[str], point: int) -> tuple[str | None, list[int]]:
    """The floating insertion symbol and the indexes of its string, left of the point."""
    for symbol in _FLOATING:
        where = [i for i, s in enumerate(symbols[:point]) if s == symbol]
        if len(where) >= 2:
            span = range(where[0], where[-1] + 1)
            if all(symbols[i] == symbol or symbols[i] in _INSERTION for i in span):
                return symbol, where
    return None, []


def _layout(symbols: list[str]) -> tuple[int, str | None, list[int], list[int]]:
    """(decimal point index, floating symbol, its indexes, digit position indexes)."""
    point = next((i for i, s in enumerate(symbols) if s in ".V"), len(symbols))
    symbol, floating = _floating(symbols, point)
    digits = [i for i, s in enumerate(symbols)
              if s in "9Z*" or (i in floating and i != floating[0])]
    return point, symbol, floating, digits


def edit(value: Decimal, negative: bool, picture: str, blank_when_zero: bool = False) -> bytes:
    """The bytes of a numeric-edited item after MOVE of ``value`` (its sign given apart, since a
    MOVE keeps the sign of a negative zero)."""
    symbols = edit_symbols(picture)
    point, floater, floating, digit_at = _layout(symbols)
    whole_places = sum(1 for i in digit_at if i < point)
    fraction_places = len(digit_at) - whole_places
    magnitude = abs(value)
    whole = int(magnitude) % (10 ** whole_places)
    fraction = int((magnitude - int(magnitude)).scaleb(fraction_places))
    digits = (str(whole).zfill(whole_places) if whole_places else "") + \
        (str(fraction).zfill(fraction_places) if fraction_places else "")
    zero = set(digits) <= {"0"}
    minus = negative and not zero
    width = sum(2 if s in "CD" else 0 if s == "V" else 1 for s in symbols)
    if zero and (blank_when_zero or not any(symbols[i] == "9" for i in digit_at)):
        if blank_when_zero or "*" not in symbols:
            return b" " * width
        return "".join("." if s == "." else "*" * (0 if s == "V" else 2 if s in "CD" else 1)
                       for s in symbols).encode()
    pad = "*" if "*" in symbols else " "
    out: list[str] = []
    next_digit = iter(digits)
    suppressing = True
    for index, symbol in enumerate(symbols):
        if index in digit_at:
            digit = next(next_digit)
            if suppressing and index < point and symbol != "9" and digit == "0":
                out.append(pad if symbol == "*" else " ")
                continue
            suppressing = False
            out.append(digit)
        elif index in floating:  # the first symbol of a floating string: placed below
            out.append(" ")
        elif symbol == "V":
            suppressing = False
        elif symbol == ".":
            suppressing = False
            out.append(".")
        elif symbol in _INSERTION:
            out.append((pad if "*" in symbols else " ") if suppressing else
                       " " if symbol == "B" else symbol)
        elif symbol == "+":
            out.append("-" if minus else "+")
        elif symbol == "-":
            out.append("-" if minus else " ")
        elif symbol in "CD":
            out.append(("CR" if symbol == "C" else "DB") if minus else "  ")
        elif symbol == "$":
            out.append("$")
        else:
            raise UnsupportedError(f"symbol {symbol!r} in numeric-edited picture {picture!r}")
    if floater is not None:
        mark = {"$": "$", "+": "-" if minus else "+", "-": "-" if minus else " "}[floater]
        # the symbol goes in the last suppressed place of the string, before the first digit
        place = floating[0]
        for index in floating:
            if out[index] == " " and all(out[i] in " " + _INSERTION for i in floating
                                         if i < index):
                place = index
            elif out[index] not in " ":
                break
        out[place] = mark
    return "".join(out).encode("latin-1")


def de_edit(data: bytes, picture: str) -> tuple[Decimal, bool]:
    """(value, negative) of a numeric-edited item's bytes: its digits read as a number with the
    decimal places of the picture, negative when a ``-``, ``CR`` or ``DB`` shows."""
    symbols = edit_symbols(picture)
    point, _, _, digit_at = _layout(symbols)
    text = data.decode("latin-1")
    number = "".join(ch for ch in text if ch.isdigit()) or "0"
    places = sum(1 for i in digit_at if i > point)
    negative = "-" in text or text.rstrip().endswith(("CR", "DB"))
    return Decimal(int(number)).scaleb(-places), negative
