"""Storage size of a COBOL elementary item from its PICTURE and USAGE (IBM Enterprise rules)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_REPEAT = re.compile(r"(.)\((\d+)\)")

USAGE_ALIASES = {
    "COMP": "COMP", "COMPUTATIONAL": "COMP", "COMP-4": "COMP", "COMPUTATIONAL-4": "COMP",
    "BINARY": "COMP", "COMP-5": "COMP-5", "COMPUTATIONAL-5": "COMP-5",
    "COMP-3": "COMP-3", "COMPUTATIONAL-3": "COMP-3", "PACKED-DECIMAL": "COMP-3",
    "COMP-1": "COMP-1", "COMPUTATIONAL-1": "COMP-1", "COMP-2": "COMP-2",
    "COMPUTATIONAL-2": "COMP-2", "DISPLAY": "DISPLAY", "NATIONAL": "NATIONAL",
    "INDEX": "INDEX", "POINTER": "POINTER", "PROCEDURE-POINTER": "POINTER",
    "FUNCTION-POINTER": "POINTER", "DISPLAY-1": "DISPLAY-1",
}


@dataclass(frozen=True)
class PictureInfo:
    length: int  # bytes
    digits: int
    scale: int
    signed: bool
    category: str  # numeric, alphanumeric, alphabetic, numeric-edited, national


@lru_cache(maxsize=4096)  # pure, and the runtime asks again for every item it makes
def expand_picture(picture: str) -> str:
    """`S9(5)V99` → `S99999V99`; `CR` and `DB` stay as two letters."""
    return _REPEAT.sub(lambda m: m.group(1) * int(m.group(2)), picture.upper())


@lru_cache(maxsize=4096)
def picture_info(picture: str | None, usage: str = "DISPLAY",
                 sign_separate: bool = False, *, currency: str = "$",
                 decimal_comma: bool = False) -> PictureInfo:
    """Size and kind of an item; ``currency`` and ``decimal_comma`` are the program's
    CURRENCY SIGN and DECIMAL-POINT IS COMMA, which change how an edited picture reads."""
    usage = USAGE_ALIASES.get(usage.upper(), usage.upper())
    if usage == "COMP-1":
        return PictureInfo(4, 0, 0, True, "numeric")
    if usage == "COMP-2":
        return PictureInfo(8, 0, 0, True, "numeric")
    if usage in ("INDEX", "POINTER") and not picture:
        return PictureInfo(4, 0, 0, False, "numeric")
    pic = expand_picture(picture or "")
    signed = pic.startswith("S")
    category = _category(pic)
    digits, scale = _digits_and_scale(pic, category, currency.upper(),
                                      "," if decimal_comma else ".")
    if category == "numeric" and usage in ("COMP", "COMP-5"):
        length = 2 if digits <= 4 else 4 if digits <= 9 else 8
    elif category == "numeric" and usage == "COMP-3":
        length = digits // 2 + 1
    elif category == "national":
        length = 2 * len(pic)
    elif category == "numeric":
        length = digits + (1 if signed and sign_separate else 0)
    else:  # one byte a position; CR and DB are two letters, two bytes
        length = len(pic.replace("V", "").replace("P", ""))
        if category in ("numeric-edited", "external-float"):
            signed = any(mark in pic for mark in ("+", "-", "CR", "DB"))
    return PictureInfo(length, digits, scale, signed, category)


def _category(pic: str) -> str:
    symbols = set(pic)
    if symbols <= set("SV9P"):
        return "numeric"
    if symbols <= {"N"}:
        return "national"
    if symbols <= set("A"):
        return "alphabetic"
    if "X" in symbols or "A" in symbols and symbols <= set("AX9B0/"):
        return "alphanumeric"
    if "E" in symbols and "." in pic and pic[:1] in "+-":
        return "external-float"
    return "numeric-edited"


def _digits_and_scale(pic: str, category: str, currency: str = "$",
                      point: str = ".") -> tuple[int, int]:
    """Digit positions and decimal places.

    9, Z and * each hold a digit; a floating string of n currency symbols (`$`), `+` or `-`
    holds n-1 (its first symbol only places the sign or currency); the decimal point is `V`,
    or in an edited picture ``point`` (`.`, or `,` under DECIMAL-POINT IS COMMA); P positions
    scale: `VPP99` has 4 places, `PPP999` 6, `999PPP` -3.
    """
    if category not in ("numeric", "numeric-edited"):
        return pic.count("9"), 0
    body = pic.replace("CR", "").replace("DB", "")
    point = "V" if "V" in body else point if category == "numeric-edited" and point in body \
        else ""
    whole, _, fraction = body.partition(point) if point else (body, "", "")

    def positions(part: str) -> int:
        count = sum(part.count(c) for c in "9Z*")
        for symbol in (currency, "+", "-"):
            if part.count(symbol) > 1:  # a floating insertion string
                count += part.count(symbol) - 1
        return count

    digits = positions(whole) + positions(fraction)
    if point:
        scale = positions(fraction) + fraction.count("P")
    elif body.lstrip("S").startswith("P"):
        scale = body.count("P") + digits
    else:
        scale = -body.count("P")
    return digits, scale
