"""Storage size of a COBOL elementary item from its PICTURE and USAGE (IBM Enterprise rules)."""

from __future__ import annotations

import re
from dataclasses import dataclass

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


def expand_picture(picture: str) -> str:
    """`S9(5)V99` → `S99999V99`; `CR` and `DB` stay as two letters."""
    return _REPEAT.sub(lambda m: m.group(1) * int(m.group(2)), picture.upper())


def picture_info(picture: str | None, usage: str = "DISPLAY",
                 sign_separate: bool = False) -> PictureInfo:
    usage = USAGE_ALIASES.get(usage.upper(), usage.upper())
    if usage == "COMP-1":
        return PictureInfo(4, 0, 0, True, "numeric")
    if usage == "COMP-2":
        return PictureInfo(8, 0, 0, True, "numeric")
    if usage in ("INDEX", "POINTER") and not picture:
        return PictureInfo(4, 0, 0, False, "numeric")
    pic = expand_picture(picture or "")
    signed = pic.startswith("S")
    digits = pic.count("9")
    scale = 0
    if "V" in pic:
        scale = pic.split("V", 1)[1].count("9")
    elif pic.startswith("P") or pic.endswith("P"):
        scale = pic.count("P") if pic.startswith("P") or pic.startswith("SP") else -pic.count("P")
    edit_chars = set(pic) - set("SV9P")
    if edit_chars <= set():
        category = "numeric"
    elif set(pic) <= set("X9A"):
        category = "alphabetic" if set(pic) == {"A"} else "alphanumeric"
    elif set(pic) <= set("N"):
        category = "national"
    else:
        category = "numeric-edited" if set(pic) & set("Z*+-,.$0B/CRD9") and "X" not in pic \
            else "alphanumeric"
    if category == "numeric" and usage in ("COMP", "COMP-5"):
        length = 2 if digits <= 4 else 4 if digits <= 9 else 8
    elif category == "numeric" and usage == "COMP-3":
        length = digits // 2 + 1
    elif category == "national" or usage == "NATIONAL":
        length = 2 * len(pic.replace("S", "").replace("V", "").replace("P", ""))
    elif category == "numeric":
        length = digits + (1 if signed and sign_separate else 0)
    else:
        length = len(pic.replace("V", "").replace("P", ""))
        if category == "numeric-edited":
            signed = "-" in pic or "+" in pic or "CR" in pic or "DB" in pic
    return PictureInfo(length, digits, scale, signed, category)
