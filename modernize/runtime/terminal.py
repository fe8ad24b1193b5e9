"""ACCEPT: from the clock (DATE, DAY, DAY-OF-WEEK, TIME), from standard input, from the command
line and from the environment, as GnuCOBOL 3.1.2 does it (checked against cobc in
tests/test_runtime_terminal.py).

The clock is :func:`current_datetime`, which FUNCTION CURRENT-DATE shares. GnuCOBOL lets the
environment variable ``COB_CURRENT_DATE`` fix it; the forms honoured here are
``YYYY/MM/DD``, ``YYYY-MM-DD`` or ``YYYYMMDD``, optionally followed (after a space or not) by
``HH:MM:SS`` or ``HHMMSS``, then optionally ``.hh`` (hundredths) and a ``+hhmm``/``-hhmm``
offset. What the value leaves out comes from the real clock, as in GnuCOBOL: the whole time
of day when only a date is given (the clock then runs), the hundredths when only seconds are
given (taken once, so the time stays fixed), and the UTC offset in force now. Other spellings
GnuCOBOL reads in its own partial ways (or warns about and half-ignores): they, and dates
before 1601 or out of range, raise :class:`UnsupportedError`.
"""

from __future__ import annotations

import os
import re
import sys
from datetime import date, datetime, timedelta, timezone

from .errors import UnsupportedError
from .fields import EditedField, Item, NumericField

_OVERRIDE = re.compile(
    r"(?P<year>\d{4})(?P<ds>[/-]?)(?P<month>\d{2})(?P=ds)(?P<day>\d{2})"
    r"(?:(?: ?)(?P<hour>\d{2})(?P<tc>:?)(?P<minute>\d{2})(?P=tc)(?P<second>\d{2})"
    r"(?:\.(?P<hundredths>\d{2}))?(?P<zone>[+-]\d{4})?)?")
_FROZEN_HUNDREDTHS: dict[str, int] = {}
_CLEAN_NUMBER = re.compile(rb" *[+-]?[0-9 ,]*(\.[0-9 ,]*)?")


def _override(text: str, now: datetime) -> datetime:
    match = _OVERRIDE.fullmatch(text)
    if match is None:
        raise UnsupportedError(f"COB_CURRENT_DATE {text!r}: supported forms are YYYY/MM/DD "
                               "[HH:MM:SS[.hh][+hhmm]] and the same without separators")
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    try:
        date(year, month, day)
    except ValueError as exc:
        raise UnsupportedError(f"COB_CURRENT_DATE {text!r}: not a valid date") from exc
    if year < 1601:
        raise UnsupportedError(f"COB_CURRENT_DATE {text!r}: a year before 1601")
    if match["hour"] is None:
        return now.replace(year=year, month=month, day=day)
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"])
    if hour > 23 or minute > 59 or second > 59:
        raise UnsupportedError(f"COB_CURRENT_DATE {text!r}: not a valid time of day")
    if match["hundredths"] is not None:
        hundredths = int(match["hundredths"])
    else:
        hundredths = _FROZEN_HUNDREDTHS.setdefault(text, now.microsecond // 10000)
    zone = now.tzinfo
    if match["zone"] is not None:
        hours, minutes = int(match["zone"][1:3]), int(match["zone"][3:])
        if hours > 23 or minutes > 59:
            raise UnsupportedError(f"COB_CURRENT_DATE {text!r}: not a valid UTC offset")
        offset = timedelta(hours=hours, minutes=minutes)
        zone = timezone(-offset if match["zone"][0] == "-" else offset)
    return datetime(year, month, day, hour, minute, second, hundredths * 10000, zone)


def current_datetime() -> datetime:
    """The COBOL clock: local date and time to the hundredth of a second (microseconds are
    whole hundredths) with the UTC offset, or what ``COB_CURRENT_DATE`` fixes (see above)."""
    now = datetime.now().astimezone()
    now = now.replace(microsecond=now.microsecond // 10000 * 10000)
    text = os.environ.get("COB_CURRENT_DATE", "")
    return _override(text, now) if text else now


def _clock_digits(source: str, now: datetime) -> str:
    key = " ".join(source.upper().split())
    day_of_year = now.timetuple().tm_yday
    if key == "DATE":
        return f"{now:%y%m%d}"
    if key == "DATE YYYYMMDD":
        return f"{now:%Y%m%d}"
    if key == "DAY":
        return f"{now:%y}{day_of_year:03d}"
    if key == "DAY YYYYDDD":
        return f"{now:%Y}{day_of_year:03d}"
    if key == "DAY-OF-WEEK":
        return str(now.isoweekday())
    if key == "TIME":
        return f"{now:%H%M%S}{now.microsecond // 10000:02d}"
    raise UnsupportedError(f"ACCEPT FROM {source}")


def accept_from(target: Item, source: str) -> None:
    """``ACCEPT target FROM source``: DATE (YYMMDD), DATE YYYYMMDD, DAY (YYDDD), DAY YYYYDDD,
    DAY-OF-WEEK (1 is Monday) or TIME (HHMMSShh), MOVEd to the target as an unsigned integer
    DISPLAY item of that many digits (so ``PIC X(4)`` gets HHMM, ``PIC 9(4)`` SShh)."""
    digits = _clock_digits(source, current_datetime()).encode("ascii")
    target.set(NumericField(bytearray(digits), 0, f"9({len(digits)})"))


def _store(target: Item, data: bytes, cut: bool) -> None:
    """Store accepted text as GnuCOBOL does: alphanumeric (edited, JUSTIFIED) and group
    targets by the MOVE rules; numeric and numeric-edited targets read it as a number (leading
    spaces, a sign, digits among which spaces and commas are ignored, one decimal point),
    a numeric DISPLAY target reading standard input only its first ``length`` characters.
    Text not of that form gives zero, except into an unsigned DISPLAY item, where GnuCOBOL
    reads it in a way of its own (:class:`UnsupportedError`)."""
    if isinstance(target, NumericField | EditedField):
        if cut and isinstance(target, NumericField) and target.usage == "DISPLAY":
            data = data[:target.length]
        if _CLEAN_NUMBER.fullmatch(data) is None:
            if isinstance(target, NumericField) and target.usage == "DISPLAY" \
                    and not target.signed:
                raise UnsupportedError(f"ACCEPT of {data!r} into {target!r} (GnuCOBOL reads "
                                       "malformed numbers into unsigned items its own way)")
            if any(byte >= 0x80 or (chr(byte).isspace() and byte != 0x20) for byte in data):
                raise UnsupportedError(f"ACCEPT of {data!r} into {target!r}")
            # a malformed number: the MOVE gives zero, as GnuCOBOL's ACCEPT does
    target.set(data)


def accept_line(target: Item) -> bool:
    """``ACCEPT target``: one line of standard input (its ``\\n`` removed; a ``\\r`` or tab
    stays), stored as :func:`_store` says; the rest of a long line is skipped. At end of input
    the target gets an empty line (spaces, or zero) and the result is False (the ON EXCEPTION
    condition); so is a last line without its ``\\n``, which is stored all the same (as
    GnuCOBOL does). Standard output is flushed first, so a prompt shows."""
    sys.stdout.flush()
    line = sys.stdin.buffer.readline()
    _store(target, line[:-1] if line.endswith(b"\n") else line, cut=True)
    return line.endswith(b"\n")


def accept_command_line(target: Item, argv: list[str] | None = None) -> None:
    """``ACCEPT target FROM COMMAND-LINE``: the arguments (not the program name) joined by
    single spaces, stored as :func:`_store` says (whole: no cut to the target's length);
    ``argv`` defaults to ``sys.argv[1:]``."""
    args = sys.argv[1:] if argv is None else argv
    _store(target, b" ".join(os.fsencode(arg) for arg in args), cut=False)


def accept_environment(target: Item, name: str) -> bool:
    """``ACCEPT target FROM ENVIRONMENT name``: the variable's value stored as
    :func:`_store` says (whole). Trailing spaces of the name are ignored; an empty value is
    not an exception. An unset variable gives spaces (zero for a
    numeric target) and False: the ON EXCEPTION condition."""
    value = os.environ.get(name.rstrip(" "))
    _store(target, b"" if value is None else os.fsencode(value), cut=False)
    return value is not None
