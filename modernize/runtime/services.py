"""IBM Language Environment (and old COBOL library) services a batch program CALLs.

A program ported from z/OS CALLs ``'CEEDAYS'``, ``'CEELOCT'``, ``'CEE3ABD'`` … which are not
COBOL programs of its estate. A translated program's CALL of such a name, when no translated
program of that name lies next to it, runs the service here; the GnuCOBOL twin links the stub
modules of ``modernize/validate/harness/stubs`` (COBOL, one module per service, put on
``COB_LIBRARY_PATH`` by ``modernize.validate.harness.legacy``). Both sides do the same thing
byte for byte: ``tests/test_le_services.py`` runs each service through both and compares.

Parameters are passed BY REFERENCE and read and written by the layout LE documents, whatever
the caller declared (as on z/OS): INT2 ``PIC S9(4) BINARY`` and INT4 ``PIC S9(9) BINARY``
(big-endian, the twin's ``binary-byteorder``), FLOAT8 ``COMP-2`` (the machine's double),
VSTRING a halfword length then the text (``05 LEN PIC S9(4) BINARY. 05 TXT PIC X(n).``), and
the feedback code FC, a 12-byte condition token. Storage past the end of a caller's item is
what the twin writes over (LE does too); here writes stop at the end of the caller's record.

=========  =====================================================  ==============================
service    parameters                                             what it does
=========  =====================================================  ==============================
CEE3ABD    abend code INT4, clean-up INT4                         ends the run as an abend (1)
ILBOABN0   abend code INT2                                        ends the run as an abend (1)
CEE3DMP    title CHAR80, options CHAR255, fc                      ``CEE3DMP: dump requested:
                                                                  <title>`` on standard error
CEEDAYS    date VSTRING, picture VSTRING, Lilian day INT4, fc     date → Lilian day (2)
CEEDATE    Lilian day INT4, picture VSTRING, date CHAR80, fc      Lilian day → date text (3)
CEEDYWK    Lilian day INT4, day of week INT4, fc                  1 = Sunday … 7 = Saturday
CEESECS    timestamp VSTRING, picture VSTRING, seconds FLOAT8,    timestamp → Lilian seconds (2)
           fc
CEEDATM    seconds FLOAT8, picture VSTRING, timestamp CHAR80, fc  Lilian seconds → text (3)
CEEISEC    year, month, day, hours, minutes, seconds,             integers → Lilian seconds
           milliseconds INT4, seconds FLOAT8, fc
CEESECI    seconds FLOAT8, year … milliseconds INT4 (7), fc       Lilian seconds → integers
CEELOCT    Lilian day INT4, seconds FLOAT8, Gregorian CHAR17, fc  local date and time (4)
CEEGMT     Lilian day INT4, seconds FLOAT8, fc                    GMT date and time (4)
CEEGMTO    hours INT4, minutes INT4, seconds FLOAT8, fc           offset of local time from GMT
                                                                  (4): -3, 30, -12600 for -0330
=========  =====================================================  ==============================

(1) **Abend.** A line ``<service>: abend U<code> (clean-up <n>): the run ends with exit status
<s>`` on standard error (CEE3ABD; ILBOABN0 without the clean-up), then the run ends as STOP RUN
does: open files are closed (whatever the clean-up flag: z/OS closes a task's data sets at an
abend too) and the exit status is the abend code modulo 256, or 255 where that is 0 (an abend
never reads as success). DB2 work is rolled back. ``U<code>`` shows the code's last 4 digits.

(2) **Pictures read.** ``YYYY``, ``YY`` (the 100-year window starting 80 years before the
current year, LE's default), ``MM``, ``MMM``/``Mmm`` (JAN … DEC, any case), ``DD``, ``DDD``
(day of the year, instead of month and day), and for CEESECS ``HH``, ``MI``, ``SS`` and ``9``,
``99``, ``999`` (fractions of a second); a year and a month and day (or a day of the year) are
required. Any other character but a letter is a delimiter that stands for one character of
the input, whatever it is. When the picture has a delimiter, a number followed by a delimiter
(or ending the picture) may be shorter (``6/2/88`` for ``MM/DD/YY``); else each takes its
width. Leading blanks of the input are skipped unless the picture starts with a blank; what
follows the last field is ignored. Results: Lilian day 1 is 15 October 1582; Lilian seconds
count from 00:00:00 on 14 October 1582 (86400 is midnight of day 1); an error gives 0.

(3) **Pictures written.** The same tokens (time tokens in CEEDATE are zeros; ``9`` and ``99``
truncate the milliseconds), delimiters copied; the output is 80 characters, blank-padded;
past 80 it is cut, with CEE2EU (CEEDATE) or CEE2EV (CEEDATM), severity 2. An error gives 80
blanks.

(4) **Clock.** FUNCTION CURRENT-DATE's, so ``COB_CURRENT_DATE`` fixes it on both sides and
``TZ`` sets the offset: milliseconds are its hundredths times 10. GMT is local time less the
offset.

**FLOAT8.** Seconds written are the COMP-2 GnuCOBOL makes of the exact decimal (the double
nearest it toward zero); seconds read are the double's exact value rounded to the millisecond
(half away from zero), so CEESECS then CEEDATM gives back the milliseconds it read.

**Feedback code.** All zeros for success; else severity and message number (INT2 each), the
case/severity/control byte (``0x59`` for severity 3, ``0x51`` for 2) and the facility ``CEE``
in EBCDIC (``X'C3C5C5'``, as the level-88s of IBM's ``CEEIGZCT`` spell it), then 4 zero bytes.
Conditions: CEE2E9 (2505) seconds out of range; CEE2EB (2507) input too short; CEE2EC (2508)
invalid day; CEE2EE (2510) hours; CEE2EF (2511) day for the month (CEEISEC); CEE2EG (2512)
Lilian day out of range; CEE2EH (2513) date out of range (before 15 October 1582, past 9999);
CEE2EI (2514) year (CEEISEC); CEE2EJ (2515) milliseconds; CEE2EK (2516) minutes; CEE2EL (2517)
month; CEE2EM (2518) picture not supported (blank, unknown letters, no full date to read);
CEE2EN (2519) seconds; CEE2EO (2520) not a number where the picture wants one.
When a condition arises and the caller passed no fc, the run abends U4038 (LE's abend for an
unhandled condition); a required parameter missing abends U4095. Both with a message as (1).

Not provided (a CALL of them is a missing program on both sides): CEE3AB2, CEE3GRC, CEE3SRC,
CEESCEN/CEEQCEN (the century window is fixed), CEEFMDA/CEEFMTM/CEEFMDT (country defaults:
a blank picture is CEE2EM), CEEMSG, CEEMOUT, CEE3CTY, CEEHDLR and the condition handling
services, CEERAN0, CEEGTST/CEEFRST (storage); era (``<JJJJ>``), AM/PM, day-name and
zero-suppressed (``ZD``) picture tokens are CEE2EM.
"""

from __future__ import annotations

import math
import struct
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from .errors import CobolRuntimeError
from .fields import Item
from .intrinsics import current_date

LILIAN_EPOCH = date(1582, 10, 14).toordinal()
"""Ordinal of the day before Lilian day 1 (15 October 1582)."""
LILIAN_MAX = 3074324
"""Lilian day of 31 December 9999."""
SECONDS_FIRST = 86400
SECONDS_END = (LILIAN_MAX + 1) * 86400
"""Lilian seconds from midnight of day 1 up to (not including) the end of 31 December 9999."""
CENTURY_WINDOW = 80
OUTPUT_LENGTH = 80
VSTRING_MAX = 255
ABEND_UNHANDLED = 4038
ABEND_MISSING_PARAMETER = 4095
FACILITY = b"\xc3\xc5\xc5"
MONTHS = b"JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC"
_Service = Callable[[str, list[Item | None]], None]


@dataclass(frozen=True)
class LeCondition:
    """A Language Environment condition: its symbol, severity and message number."""

    symbol: str
    severity: int
    number: int

    def token(self) -> bytes:
        """The 12-byte condition token: severity and message number (INT2), case 1 with the
        severity and control 1 in one byte, the facility ``CEE`` in EBCDIC, no ISI."""
        flags = 0x40 | (self.severity << 3) | 0x01
        return struct.pack(">hhB", self.severity, self.number, flags) + FACILITY + bytes(4)


CEE2E9 = LeCondition("CEE2E9", 3, 2505)
CEE2EB = LeCondition("CEE2EB", 3, 2507)
CEE2EC = LeCondition("CEE2EC", 3, 2508)
CEE2EE = LeCondition("CEE2EE", 3, 2510)
CEE2EF = LeCondition("CEE2EF", 3, 2511)
CEE2EG = LeCondition("CEE2EG", 3, 2512)
CEE2EH = LeCondition("CEE2EH", 3, 2513)
CEE2EI = LeCondition("CEE2EI", 3, 2514)
CEE2EJ = LeCondition("CEE2EJ", 3, 2515)
CEE2EK = LeCondition("CEE2EK", 3, 2516)
CEE2EL = LeCondition("CEE2EL", 3, 2517)
CEE2EM = LeCondition("CEE2EM", 3, 2518)
CEE2EN = LeCondition("CEE2EN", 3, 2519)
CEE2EO = LeCondition("CEE2EO", 3, 2520)
CEE2EU = LeCondition("CEE2EU", 2, 2526)
CEE2EV = LeCondition("CEE2EV", 2, 2527)


class Abend(CobolRuntimeError):
    """The run ends as an abend: ``message`` goes to standard error, the exit status is
    ``status`` (the abend code modulo 256, 255 where that is 0)."""

    def __init__(self, service: str, code: int, *, reason: str = "", detail: str = "") -> None:
        self.service = service
        self.code = code
        self.status = abend_status(code)
        self.message = (f"{service}: {reason}abend U{abs(code) % 10000:04d}{detail}: "
                        f"the run ends with exit status {self.status}")
        super().__init__(self.message)


def abend_status(code: int) -> int:
    """The exit status of an abend with ``code``: the code modulo 256, 255 where that is 0."""
    return code % 256 or 255


# --------------------------------------------------------------------------- parameters


def _read(item: Item, start: int, length: int) -> bytes:
    """``length`` bytes from ``start`` of the caller's item (fewer at the end of its record)."""
    begin = item.offset + start
    return bytes(item.buffer[begin:begin + max(length, 0)])


def _write(item: Item, data: bytes) -> None:
    """``data`` over the caller's item, as the twin's stub writes it (up to its record's end)."""
    end = min(item.offset + len(data), len(item.buffer))
    item.buffer[item.offset:end] = data[:end - item.offset]


def _int(item: Item, size: int = 4) -> int:
    return int.from_bytes(_read(item, 0, size).ljust(size, b"\0"), "big", signed=True)


def _put_int(item: Item, value: int) -> None:
    _write(item, value.to_bytes(4, "big", signed=True))


def _vstring(item: Item) -> tuple[int, bytes]:
    """A VSTRING's length and its text (at most 255 characters)."""
    length = _int(item, 2)
    return length, _read(item, 2, min(length, VSTRING_MAX))


def to_float8(value: Decimal | int) -> float:
    """The COMP-2 GnuCOBOL stores for an exact decimal ``value``: the double nearest it
    toward zero (GMP's ``mpf_get_d`` truncates)."""
    exact = Fraction(value)
    result = float(exact)
    if abs(Fraction(result)) > abs(exact):
        result = math.nextafter(result, 0.0)
    return result


def _put_float8(item: Item, value: Decimal | int) -> None:
    _write(item, struct.pack("=d", to_float8(value)))


def _get_float8(item: Item) -> float:
    return struct.unpack("=d", _read(item, 0, 8).ljust(8, b"\0"))[0]


def _milliseconds(seconds: float) -> int | None:
    """Lilian seconds as whole milliseconds: the double's exact value rounded half away from
    zero (``COMPUTE x ROUNDED`` into ``PIC S9(12)V999``); None outside 86400 to the end of
    9999 (NaN too)."""
    if not SECONDS_FIRST <= seconds < SECONDS_END:
        return None
    with localcontext() as context:
        context.prec = 400
        millis = int((Decimal(seconds) * 1000).to_integral_value(rounding=ROUND_HALF_UP))
    return millis if millis < SECONDS_END * 1000 else None


class _Call:
    """One call of a service: its arguments, checked for the required ones. An argument that
    is None (OMITTED) counts as not passed, as the twin's stub sees a NULL address."""

    def __init__(self, service: str, arguments: Sequence[Item | None], required: int) -> None:
        self.service = service
        self.arguments = list(arguments)
        for number in range(1, required + 1):
            if not self.passed(number):
                raise Abend(service, ABEND_MISSING_PARAMETER,
                            reason=f"parameter {number} is missing: ")

    def passed(self, number: int) -> bool:
        return number <= len(self.arguments) and self.arguments[number - 1] is not None

    def __getitem__(self, number: int) -> Item:
        item = self.arguments[number - 1]
        assert item is not None  # checked by __init__
        return item

    def finish(self, number: int, condition: LeCondition | None) -> None:
        """Set the feedback code (parameter ``number``); with none passed, a condition is
        unhandled and the run abends U4038, as LE's does."""
        if not self.passed(number):
            if condition is not None:
                raise Abend(self.service, ABEND_UNHANDLED,
                            reason=f"condition {condition.number} (severity "
                                   f"{condition.severity}) and no feedback code: ")
            return
        _write(self[number], bytes(12) if condition is None else condition.token())


# --------------------------------------------------------------------------- dates


def lilian(year: int, month: int, day: int) -> int:
    """The Lilian day of a valid Gregorian date (1 is 15 October 1582)."""
    return date(year, month, day).toordinal() - LILIAN_EPOCH


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _month_days(year: int, month: int) -> int:
    return (31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]


@dataclass(frozen=True)
class _Token:
    kind: str  # YYYY YY MM MMM Mmm DD DDD HH MI SS 9, or LIT
    width: int
    char: int = 0x20


def _letter(byte: int) -> bool:
    return 0x41 <= byte <= 0x5A or 0x61 <= byte <= 0x7A


def tokens(picture: bytes) -> list[_Token] | None:
    """The picture's tokens, or None when it is not supported (CEE2EM)."""
    out: list[_Token] = []
    i = 0
    while i < len(picture):
        byte = picture[i]
        run = 1
        while i + run < len(picture) and picture[i + run] == byte:
            run += 1
        kind: str | None = None
        if byte == ord("Y"):
            kind = {2: "YY", 4: "YYYY"}.get(run)
        elif byte == ord("M") and picture[i + 1:i + 2] == b"I":
            kind, run = "MI", 2
        elif byte == ord("M") and picture[i + 1:i + 3] == b"mm":
            kind, run = "Mmm", 3
        elif byte == ord("M"):
            kind = {2: "MM", 3: "MMM"}.get(run)
        elif byte == ord("D"):
            kind = {2: "DD", 3: "DDD"}.get(run)
        elif byte == ord("H"):
            kind = "HH" if run == 2 else None
        elif byte == ord("S"):
            kind = "SS" if run == 2 else None
        elif byte == ord("9"):
            kind = "9" if run <= 3 else None
        elif not _letter(byte):
            kind, run = "LIT", 1
        if kind is None:
            return None
        out.append(_Token(kind, run, byte if kind == "LIT" else 0x20))
        i += run
    return out


def _picture(item: Item) -> list[_Token] | None:
    """The tokens of a picture VSTRING: None (CEE2EM) when its length is not 1-255, it is
    blank or it is not supported."""
    length, text = _vstring(item)
    if not 1 <= length <= VSTRING_MAX or text.strip(b" ") == b"":
        return None
    return tokens(text)


def _reads_a_date(found: list[_Token]) -> bool:
    kinds = [t.kind for t in found]
    year = "YYYY" in kinds or "YY" in kinds
    month = any(k in kinds for k in ("MM", "MMM", "Mmm"))
    day, julian = "DD" in kinds, "DDD" in kinds
    return year and ((month and day and not julian) or (julian and not month and not day))


@dataclass
class _Parts:
    year: int = 0
    two_digit_year: bool = False
    month: int = 0
    day: int = 0
    julian: int = 0
    hour: int = 0
    minute: int = 0
    second: int = 0
    millisecond: int = 0


def _parse(text: bytes, found: list[_Token]) -> _Parts | LeCondition:
    """Read ``text`` by the picture's tokens (see the module doc)."""
    parts = _Parts()
    delimited = any(t.kind == "LIT" for t in found)
    pos = 0
    if not (found[0].kind == "LIT" and found[0].char == 0x20):
        while pos < len(text) and text[pos] == 0x20:
            pos += 1
    for k, token in enumerate(found):
        if token.kind == "LIT":  # stands for one character, whatever it is
            if pos < len(text):
                pos += 1
            continue
        if token.kind in ("MMM", "Mmm"):
            if pos + 3 > len(text):
                return CEE2EB
            name = text[pos:pos + 3].upper()
            months = [MONTHS[i:i + 3] for i in range(0, 36, 3)]
            if name not in months:
                return CEE2EL
            parts.month = months.index(name) + 1
            pos += 3
            continue
        if pos >= len(text):
            return CEE2EB
        flexible = delimited and (k == len(found) - 1 or found[k + 1].kind == "LIT")
        end = pos
        if flexible:
            while end < len(text) and end - pos < token.width and 0x30 <= text[end] <= 0x39:
                end += 1
            if end == pos:
                return CEE2EO
        else:
            if pos + token.width > len(text):
                return CEE2EB
            end = pos + token.width
            if not all(0x30 <= b <= 0x39 for b in text[pos:end]):
                return CEE2EO
        value, digits = int(text[pos:end]), end - pos
        pos = end
        if token.kind in ("YYYY", "YY"):
            parts.year, parts.two_digit_year = value, token.kind == "YY"
        elif token.kind == "MM":
            parts.month = value
        elif token.kind == "DD":
            parts.day = value
        elif token.kind == "DDD":
            parts.julian = value
        elif token.kind == "HH":
            parts.hour = value
        elif token.kind == "MI":
            parts.minute = value
        elif token.kind == "SS":
            parts.second = value
        else:
            parts.millisecond = value * 10 ** (3 - digits)
    return parts


def _window(two_digits: int) -> int:
    """A 2-digit year in the 100 years starting 80 years before the current year."""
    first = int(current_date()[:4]) - CENTURY_WINDOW
    year = first // 100 * 100 + two_digits
    return year + 100 if year < first else year


def _day_of(parts: _Parts, julian: bool) -> int | LeCondition:
    """The Lilian day of parsed date parts, or the condition that stops it."""
    year = _window(parts.year) if parts.two_digit_year else parts.year
    if not julian and not 1 <= parts.month <= 12:
        return CEE2EL
    if not 1582 <= year <= 9999:
        return CEE2EH
    if julian:
        if not 1 <= parts.julian <= (366 if _leap(year) else 365):
            return CEE2EC
        day = lilian(year, 1, 1) + parts.julian - 1
    else:
        if not 1 <= parts.day <= _month_days(year, parts.month):
            return CEE2EC
        day = lilian(year, parts.month, parts.day)
    return CEE2EH if day < 1 else day


def _read_date(call: _Call, julian_time: bool) -> tuple[_Parts, int] | LeCondition:
    """Parameters 1 and 2 (input and picture VSTRINGs) as date parts and a Lilian day."""
    found = _picture(call[2])
    if found is None or not _reads_a_date(found):
        return CEE2EM
    length, text = _vstring(call[1])
    if length < 1:
        return CEE2EB
    parts = _parse(text, found)
    if isinstance(parts, LeCondition):
        return parts
    day = _day_of(parts, any(t.kind == "DDD" for t in found))
    if isinstance(day, LeCondition):
        return day
    if julian_time:
        if parts.hour > 23:
            return CEE2EE
        if parts.minute > 59:
            return CEE2EK
        if parts.second > 59:
            return CEE2EN
    return parts, day


def _format(found: list[_Token], day: int, millis_of_day: int) -> bytes:
    when = date.fromordinal(day + LILIAN_EPOCH)
    seconds, millis = divmod(millis_of_day, 1000)
    out = bytearray()
    for token in found:
        kind = token.kind
        if kind == "LIT":
            out.append(token.char)
        elif kind in ("MMM", "Mmm"):
            name = MONTHS[(when.month - 1) * 3:when.month * 3]
            out += name if kind == "MMM" else name[:1] + name[1:].lower()
        elif kind == "9":
            out += f"{millis // 10 ** (3 - token.width):0{token.width}d}".encode()
        else:
            value = {"YYYY": when.year, "YY": when.year % 100, "MM": when.month,
                     "DD": when.day, "DDD": when.timetuple().tm_yday,
                     "HH": seconds // 3600, "MI": seconds // 60 % 60, "SS": seconds % 60}[kind]
            out += f"{value:0{token.width}d}".encode()
    return bytes(out)


def _output(found: list[_Token] | None, day: int, millis: int,
            truncated: LeCondition) -> tuple[bytes, LeCondition | None]:
    if found is None:
        return b" " * OUTPUT_LENGTH, CEE2EM
    text = _format(found, day, millis)
    condition = truncated if len(text) > OUTPUT_LENGTH else None
    return text[:OUTPUT_LENGTH].ljust(OUTPUT_LENGTH), condition


# --------------------------------------------------------------------------- the clock


@dataclass(frozen=True)
class _Now:
    day: int  # Lilian
    hundredths_of_day: int
    offset_minutes: int  # local time less GMT
    digits: bytes  # YYYYMMDDHHMMSS
    hundredths: int


def _now() -> _Now:
    text = current_date()
    year, month, dom = int(text[0:4]), int(text[4:6]), int(text[6:8])
    hour, minute, second, hundredths = (int(text[i:i + 2]) for i in range(8, 16, 2))
    offset = int(text[17:19]) * 60 + int(text[19:21])
    return _Now(lilian(year, month, dom),
                ((hour * 60 + minute) * 60 + second) * 100 + hundredths,
                -offset if text[16:17] == b"-" else offset, text[:14], hundredths)


def _seconds(hundredths: int) -> Decimal:
    return Decimal(hundredths).scaleb(-2)


# --------------------------------------------------------------------------- the services


def cee3abd(service: str, arguments: list[Item | None]) -> None:
    call = _Call(service, arguments, 2)
    raise Abend(service, _int(call[1]), detail=f" (clean-up {_int(call[2])})")


def ilboabn0(service: str, arguments: list[Item | None]) -> None:
    call = _Call(service, arguments, 1)
    raise Abend(service, _int(call[1], 2))


def cee3dmp(service: str, arguments: list[Item | None]) -> None:
    call = _Call(service, arguments, 2)
    title = _read(call[1], 0, OUTPUT_LENGTH).rstrip(b" ")
    sys.stdout.flush()
    sys.stderr.flush()
    sys.stderr.buffer.write(b"CEE3DMP: dump requested: " + title + b"\n")
    sys.stderr.buffer.flush()
    call.finish(3, None)


def ceedays(service: str, arguments: list[Item | None]) -> None:
    call = _Call(service, arguments, 3)
    result = _read_date(call, julian_time=False)
    _put_int(call[3], 0 if isinstance(result, LeCondition) else result[1])
    call.finish(4, result if isinstance(result, LeCondition) else None)


def ceesecs(service: str, arguments: list[Item | None]) -> None:
    call = _Call(service, arguments, 3)
    result = _read_date(call, julian_time=True)
    if isinstance(result, LeCondition):
        _put_float8(call[3], 0)
        call.finish(4, result)
        return
    parts, day = result
    seconds = day * 86400 + (parts.hour * 60 + parts.minute) * 60 + parts.second
    _put_float8(call[3], seconds + Decimal(parts.millisecond).scaleb(-3))
    call.finish(4, None)


def ceedate(service: str, arguments: list[Item | None]) -> None:
    call = _Call(service, arguments, 3)
    day = _int(call[1])
    if not 1 <= day <= LILIAN_MAX:
        text, condition = b" " * OUTPUT_LENGTH, CEE2EG
    else:
        text, condition = _output(_picture(call[2]), day, 0, CEE2EU)
    _write(call[3], text)
    call.finish(4, condition)


def ceedatm(service: str, arguments: list[Item | None]) -> None:
    call = _Call(service, arguments, 3)
    total = _milliseconds(_get_float8(call[1]))
    if total is None:
        text, condition = b" " * OUTPUT_LENGTH, CEE2E9
    else:
        day, millis = divmod(total, 86400 * 1000)
        text, condition = _output(_picture(call[2]), day, millis, CEE2EV)
    _write(call[3], text)
    call.finish(4, condition)


def ceedywk(service: str, arguments: list[Item | None]) -> None:
    call = _Call(service, arguments, 2)
    day = _int(call[1])
    valid = 1 <= day <= LILIAN_MAX
    _put_int(call[2], (day + 4) % 7 + 1 if valid else 0)
    call.finish(3, None if valid else CEE2EG)


def ceeisec(service: str, arguments: list[Item | None]) -> None:
    call = _Call(service, arguments, 8)
    year, month, dom, hour, minute, second, millis = (_int(call[n]) for n in range(1, 8))
    condition: LeCondition | None = None
    if not 1582 <= year <= 9999:
        condition = CEE2EI
    elif not 1 <= month <= 12:
        condition = CEE2EL
    elif not 1 <= dom <= _month_days(year, month):
        condition = CEE2EF
    elif not 0 <= hour <= 23:
        condition = CEE2EE
    elif not 0 <= minute <= 59:
        condition = CEE2EK
    elif not 0 <= second <= 59:
        condition = CEE2EN
    elif not 0 <= millis <= 999:
        condition = CEE2EJ
    elif lilian(year, month, dom) < 1:
        condition = CEE2EH
    if condition is not None:
        _put_float8(call[8], 0)
    else:
        whole = lilian(year, month, dom) * 86400 + (hour * 60 + minute) * 60 + second
        _put_float8(call[8], whole + Decimal(millis).scaleb(-3))
    call.finish(9, condition)


def ceeseci(service: str, arguments: list[Item | None]) -> None:
    call = _Call(service, arguments, 8)
    total = _milliseconds(_get_float8(call[1]))
    if total is None:
        values, condition = [0] * 7, CEE2E9
    else:
        day, millis = divmod(total, 86400 * 1000)
        when = date.fromordinal(day + LILIAN_EPOCH)
        whole, millis = divmod(millis, 1000)
        values = [when.year, when.month, when.day, whole // 3600, whole // 60 % 60,
                  whole % 60, millis]
        condition = None
    for number, value in enumerate(values, start=2):
        _put_int(call[number], value)
    call.finish(9, condition)


def ceeloct(service: str, arguments: list[Item | None]) -> None:
    call = _Call(service, arguments, 3)
    now = _now()
    _put_int(call[1], now.day)
    _put_float8(call[2], now.day * 86400 + _seconds(now.hundredths_of_day))
    _write(call[3], now.digits + f"{now.hundredths * 10:03d}".encode())
    call.finish(4, None)


def ceegmt(service: str, arguments: list[Item | None]) -> None:
    call = _Call(service, arguments, 2)
    now = _now()
    total = now.day * 8640000 + now.hundredths_of_day - now.offset_minutes * 6000
    _put_int(call[1], total // 8640000)
    _put_float8(call[2], _seconds(total))
    call.finish(3, None)


def ceegmto(service: str, arguments: list[Item | None]) -> None:
    call = _Call(service, arguments, 3)
    offset = _now().offset_minutes
    hours, minutes = divmod(abs(offset), 60)
    _put_int(call[1], -hours if offset < 0 else hours)
    _put_int(call[2], minutes)
    _put_float8(call[3], offset * 60)
    call.finish(4, None)


SERVICES: dict[str, _Service] = {
    "CEE3ABD": cee3abd, "ILBOABN0": ilboabn0, "CEE3DMP": cee3dmp, "CEEDAYS": ceedays,
    "CEEDATE": ceedate, "CEEDYWK": ceedywk, "CEESECS": ceesecs, "CEEDATM": ceedatm,
    "CEEISEC": ceeisec, "CEESECI": ceeseci, "CEELOCT": ceeloct, "CEEGMT": ceegmt,
    "CEEGMTO": ceegmto,
}
"""The services provided, by the name a program CALLs (the twin has a stub of each)."""


def call_service(name: str, arguments: Sequence[Item | None]) -> bool:
    """Run the service ``name`` on the CALL's arguments (None for OMITTED); False when there is
    none of that name. Raises :class:`Abend` where the service ends the run."""
    service = SERVICES.get(name)
    if service is None:
        return False
    service(name, list(arguments))
    return True
