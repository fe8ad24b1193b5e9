"""Language Environment services (CEEDAYS, CEELOCT, CEE3ABD …): the twin links COBOL stubs
(``modernize/validate/harness/stubs``), a translated program runs
``modernize.runtime.services``, and the two do the same thing byte for byte.

Each probe below is a small shop-shaped program that CALLs the services with many inputs (read
from standard input, so one build serves every scenario); it runs through GnuCOBOL with the
stubs and through the translated Python, and the runs must be equivalent (standard output,
exit status, output files). Known values are then checked on the twin's output: Lilian day 1
is 15 October 1582, 1 January 2000 is 152385, IBM's examples (``6/2/88`` by ``MM/DD/YY`` and
``88154`` by ``YYDDD`` are 148155; 16 May 1988 is 148138).
"""

from __future__ import annotations

import random
import re
import struct
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import require_tool
from probe_support import translate_sources

from modernize.analysis.run import analyze_into
from modernize.analysis.store import load_analysis
from modernize.core.model import Estate
from modernize.runtime import services
from modernize.runtime.fields import Group
from modernize.validate.harness import Scenario, build, run
from modernize.validate.harness.compare import Verdict, compare
from modernize.validate.harness.legacy import STUBS_DIR, Build, RunResult, calls_services
from modernize.validate.harness.python import run_python

COBC = require_tool("cobc")
needs_cobc = pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")
ROOT = Path(__file__).resolve().parent.parent
CLOCK = {"COB_CURRENT_DATE": "2024/03/05 10:11:12.34+0130"}


# --------------------------------------------------------------------------- the twin and Python


@dataclass
class Twin:
    """A probe analysed, translated and built once; ``run`` runs a scenario both ways."""

    estate: Estate
    build: Build
    module: Path
    dd_names: tuple[str, ...]
    main: str

    def run(self, scenario: Scenario) -> tuple[RunResult, RunResult]:
        legacy = run(self.build, scenario)
        python = run_python(self.module, scenario, self.dd_names, self.main)
        program = self.estate.program(self.main)
        assert program is not None
        verdict: Verdict = compare(legacy, python, program)
        assert verdict.equivalent, (verdict.report() + "\npython stderr:\n" +
                                    python.stderr.decode("latin-1")[-2000:])
        return legacy, python


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build folder for the module: the stubs are compiled once."""
    return tmp_path_factory.mktemp("le-work")


def make_twin(tmp_path: Path, work: Path, sources: dict[str, str], main: str,
              dd_names: tuple[str, ...] = ()) -> Twin:
    root, estate, translated = translate_sources(tmp_path, sources, folder="estate")
    for translation in translated.translations:  # FLOAT8 items are only passed to services
        assert {u.construct for u in translation.unsupported} <= {"USAGE COMP-2"}
    modules = {t.program: t.module_name for t in translated.translations}
    program = estate.program(main)
    assert program is not None
    return Twin(estate, build(program, estate, root, work, trace=False),
                tmp_path / "code" / f"{modules[main]}.py", dd_names, main)


def lines(result: RunResult) -> list[bytes]:
    return result.stdout.split(b"\n")


# --------------------------------------------------------------------------- pure Python


def test_lilian_known_values() -> None:
    assert services.lilian(1582, 10, 15) == 1
    assert services.lilian(2000, 1, 1) == 152385
    assert services.lilian(1988, 5, 16) == 148138
    assert services.lilian(9999, 12, 31) == services.LILIAN_MAX


def test_condition_token_is_the_z_os_one() -> None:
    """CEE2EB: severity 3, message 2507, case 1 / severity 3 / control 1, facility CEE in
    EBCDIC, no ISI: the bytes IBM's CEEIGZCT level-88 spells X'000309CB59C3C5C5'."""
    assert services.CEE2EB.token() == bytes.fromhex("000309CB59C3C5C5") + bytes(4)
    assert services.CEE2EU.token()[4] == 0x51  # severity 2


def test_float8_truncates_toward_zero_as_gnucobol_does() -> None:
    """0.1 is not a double: GnuCOBOL's MOVE to COMP-2 keeps the double just below it (GMP's
    mpf_get_d truncates), where Python's float() rounds to the nearest (just above)."""
    assert services.to_float8(Decimal("0.1")) < 0.1
    assert services.to_float8(Decimal("-0.1")) > -0.1
    assert services.to_float8(86401) == 86401.0


def test_services_match_the_stubs_and_the_wheel_ships_them() -> None:
    stubs = {p.stem for p in STUBS_DIR.glob("*.cob")}
    assert stubs == set(services.SERVICES)
    for name in stubs:  # each stub documents itself
        head = (STUBS_DIR / f"{name}.cob").read_text().split("IDENTIFICATION")[0]
        assert name in head and "services.py" in head
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "modernize.validate.harness.stubs" in data["packages"]
    patterns = data["package-data"]["modernize.validate.harness.stubs"]
    shipped = {p for pattern in patterns for p in STUBS_DIR.glob(pattern)}
    assert set(STUBS_DIR.iterdir()) == shipped


def test_missing_parameter_and_unhandled_condition_abend() -> None:
    area = Group(bytearray(b"\x00\x08YYYYMMDD"), 0, 10)
    with pytest.raises(services.Abend) as missing:
        services.call_service("CEEDAYS", [area, area])
    assert missing.value.status == 255
    assert missing.value.message == ("CEEDAYS: parameter 3 is missing: abend U4095: the run "
                                     "ends with exit status 255")
    bad = Group(bytearray(b"\x00\x04YYYY"), 0, 6)
    out = Group(bytearray(4), 0, 4)
    with pytest.raises(services.Abend) as unhandled:
        services.call_service("CEEDAYS", [area, bad, out])
    assert unhandled.value.status == 4038 % 256
    assert "condition 2518 (severity 3) and no feedback code" in unhandled.value.message
    assert services.call_service("NOT-A-SERVICE", []) is False
    day = Group(bytearray(4), 0, 4)
    assert services.call_service("CEEDYWK", [Group(bytearray(b"\0\0\0\1"), 0, 4), day, None])
    assert day.raw == b"\0\0\0\6"  # OMITTED fc, no condition: the call returns
    with pytest.raises(services.Abend) as omitted:
        services.call_service("CEEDYWK", [Group(bytearray(4), 0, 4), day, None])
    assert omitted.value.code == services.ABEND_UNHANDLED


# --------------------------------------------------------------------------- dates


DATES = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. LEDATES.
      * Reads OP|PICTURE|ARGUMENT| lines and CALLs the LE date services.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-LINE                  PIC X(120).
       01  WS-EOF                   PIC X VALUE 'N'.
       01  WS-OP                    PIC X(4).
       01  WS-IN.
           05  WS-IN-LEN            PIC S9(4) BINARY.
           05  WS-IN-TXT            PIC X(60).
       01  WS-PIC.
           05  WS-PIC-LEN           PIC S9(4) BINARY.
           05  WS-PIC-TXT           PIC X(100).
       01  WS-BAD-PIC.
           05  WS-BAD-LEN           PIC X(2) VALUE X'2711'.
           05  FILLER               PIC X(8) VALUE 'YYYYMMDD'.
       01  WS-OUT-PIC.
           05  FILLER               PIC S9(4) BINARY VALUE 23.
           05  FILLER               PIC X(23)
                                    VALUE 'YYYY-MM-DD HH:MI:SS.999'.
       01  WS-LILIAN                PIC S9(9) BINARY.
       01  WS-DAY                   PIC S9(9) BINARY.
       01  WS-SECS                  COMP-2.
       01  WS-SECS-X REDEFINES WS-SECS PIC X(8).
       01  WS-OUT                   PIC X(80).
       01  WS-INTS.
           05  WS-INT               PIC S9(9) BINARY OCCURS 7 TIMES.
       01  WS-PARTS.
           05  WS-PART              PIC X(10) OCCURS 7 TIMES.
       01  WS-I                     PIC 9.
       01  WS-FC.
           05  WS-SEV               PIC S9(4) BINARY.
           05  WS-MSGNO             PIC S9(4) BINARY.
           05  WS-CTL               PIC X.
           05  WS-FAC               PIC X(3).
           05  WS-ISI               PIC S9(9) BINARY.
       PROCEDURE DIVISION.
       MAIN-LINE.
           PERFORM UNTIL WS-EOF = 'Y'
               MOVE SPACES TO WS-LINE
               ACCEPT WS-LINE
                   ON EXCEPTION MOVE 'Y' TO WS-EOF
               END-ACCEPT
               IF WS-EOF = 'N'
                   PERFORM ONE-CASE
               END-IF
           END-PERFORM
           STOP RUN.
       ONE-CASE.
           MOVE SPACES TO WS-OP WS-PIC-TXT WS-IN-TXT
           MOVE 0 TO WS-PIC-LEN WS-IN-LEN
           MOVE ALL '*' TO WS-FC
           UNSTRING WS-LINE DELIMITED BY '|'
               INTO WS-OP WS-PIC-TXT COUNT IN WS-PIC-LEN
                    WS-IN-TXT COUNT IN WS-IN-LEN
           END-UNSTRING
           EVALUATE WS-OP
           WHEN 'DAYS'
               CALL 'CEEDAYS' USING WS-IN WS-PIC WS-LILIAN WS-FC
               DISPLAY 'DAYS ' WS-LILIAN ' ' WS-MSGNO ' ' WS-FC
           WHEN 'DATE'
               COMPUTE WS-LILIAN = FUNCTION NUMVAL(WS-IN-TXT)
               CALL 'CEEDATE' USING WS-LILIAN WS-PIC WS-OUT WS-FC
               DISPLAY 'DATE [' WS-OUT '] ' WS-MSGNO
           WHEN 'DYWK'
               COMPUTE WS-LILIAN = FUNCTION NUMVAL(WS-IN-TXT)
               CALL 'CEEDYWK' USING WS-LILIAN WS-DAY WS-FC
               DISPLAY 'DYWK ' WS-DAY ' ' WS-MSGNO
           WHEN 'SECS'
               CALL 'CEESECS' USING WS-IN WS-PIC WS-SECS WS-FC
               DISPLAY 'SECS F[' WS-SECS-X '] ' WS-MSGNO
               PERFORM SHOW-SECONDS
           WHEN 'ISEC'
               UNSTRING WS-IN-TXT DELIMITED BY ALL SPACE
                   INTO WS-PART(1) WS-PART(2) WS-PART(3) WS-PART(4)
                        WS-PART(5) WS-PART(6) WS-PART(7)
               END-UNSTRING
               PERFORM VARYING WS-I FROM 1 BY 1 UNTIL WS-I > 7
                   COMPUTE WS-INT(WS-I) = FUNCTION NUMVAL(WS-PART(WS-I))
               END-PERFORM
               CALL 'CEEISEC' USING WS-INT(1) WS-INT(2) WS-INT(3)
                   WS-INT(4) WS-INT(5) WS-INT(6) WS-INT(7) WS-SECS WS-FC
               DISPLAY 'ISEC F[' WS-SECS-X '] ' WS-MSGNO
               PERFORM SHOW-SECONDS
           WHEN 'ZERO'
               MOVE LOW-VALUES TO WS-SECS-X
               PERFORM SHOW-SECONDS
           WHEN 'HUGE'
               MOVE X'0000000000C08742' TO WS-SECS-X
               PERFORM SHOW-SECONDS
           WHEN 'VSTR'
               MOVE 8 TO WS-IN-LEN
               MOVE '20000101' TO WS-IN-TXT
               CALL 'CEEDAYS' USING WS-IN WS-BAD-PIC WS-LILIAN WS-FC
               DISPLAY 'VSTR ' WS-LILIAN ' ' WS-MSGNO
               CALL 'CEEDAYS' USING WS-IN BY CONTENT 'YYYYMMDD'
                   BY REFERENCE WS-LILIAN WS-FC
               DISPLAY 'VSTR ' WS-LILIAN ' ' WS-MSGNO
           END-EVALUATE.
       SHOW-SECONDS.
           CALL 'CEEDATM' USING WS-SECS WS-OUT-PIC WS-OUT WS-FC
           DISPLAY 'DATM [' WS-OUT(1:24) '] ' WS-MSGNO
           CALL 'CEESECI' USING WS-SECS WS-INT(1) WS-INT(2) WS-INT(3)
               WS-INT(4) WS-INT(5) WS-INT(6) WS-INT(7) WS-FC
           DISPLAY 'SECI ' WS-INT(1) ' ' WS-INT(2) ' ' WS-INT(3) ' '
               WS-INT(4) ' ' WS-INT(5) ' ' WS-INT(6) ' ' WS-INT(7) ' '
               WS-MSGNO.
"""

DAYS_CASES = [  # (picture, date) → (Lilian, message number)
    ("YYYYMMDD", "20000101", 152385, 0),
    ("YYYY-MM-DD", "1582-10-15", 1, 0),
    ("MMDDYYYY", "06021988", 148155, 0),
    ("YYMMDD", "880602", 148155, 0),  # the window from 1944 (clock: 2024)
    ("YYMMDD", "430602", services.lilian(2043, 6, 2), 0),
    ("YYMMDD", "440602", services.lilian(1944, 6, 2), 0),
    ("YYYYDDD", "1988137", 148138, 0),
    ("YYDDD", "88154", 148155, 0),
    ("MM/DD/YY", "6/2/88", 148155, 0),
    ("YYYY-MM-DD", "2000-1-1", 152385, 0),
    ("YYYYMMDD", "   20000101", 152385, 0),  # leading blanks skipped
    (" YYYYMMDD", "x20000101", 152385, 0),  # a leading blank in the picture: one position
    ("DD MMM YYYY", "16 MAY 1988", 148138, 0),
    ("DD Mmm YYYY", "16 may 1988 and more", 148138, 0),
    ("YYYY/MM/DD HH:MI", "1988/05/16 23:59", 148138, 0),
    ("YYYYMMDD", "99991231", 3074324, 0),
    ("YYYYMMDD", "20001301", 0, 2517),  # month
    ("YYYYMMDD", "20010229", 0, 2508),  # no 29 February in 2001
    ("YYYYMMDD", "15821014", 0, 2513),  # before the Gregorian calendar
    ("YYYYMMDD", "00000101", 0, 2513),
    ("YYYYMMDD", "2000AB01", 0, 2520),
    ("YYYYMMDD", "200001", 0, 2507),
    ("YYYYMMDD", "", 0, 2507),
    ("YYYYMMXX", "20000101", 0, 2518),  # an unknown picture letter
    ("YYYYMM", "200001", 0, 2518),  # no day
    ("YYYYYMMDD", "200001011", 0, 2518),
    ("        ", "20000101", 0, 2518),  # a blank picture
    ("DD MMM YYYY", "16 XYZ 1988", 0, 2517),
]


@needs_cobc
def test_ceedays_ceedate_ceedywk_match_the_twin(tmp_path: Path, work: Path) -> None:
    twin = make_twin(tmp_path, work, {"LEDATES": DATES}, "LEDATES")
    assert twin.build.services_dir is not None
    stdin = [f"DAYS|{pic}|{text}|" for pic, text, _, _ in DAYS_CASES]
    stdin += ["DATE|YYYY-MM-DD|152385|", "DATE|DD Mmm YYYY|1|", "DATE|MMDDYY|148138|",
              "DATE|YYYYDDD|3074324|", "DATE|YYYY|0|", "DATE|YYYY|3074325|",
              "DATE|YYYY HH:MI:SS.99|152385|", f"DATE|{'YYYY-MM-DD ' * 9}|152385|",
              "DATE|YYYYQQ|152385|", "DATE|    |152385|",
              "DYWK||1|", "DYWK||152385|", "DYWK||0|", "VSTR|||"]
    legacy, _ = twin.run(Scenario("dates", stdin="\n".join(stdin).encode() + b"\n",
                                  env=CLOCK))
    out = lines(legacy)
    for (pic, text, lilian, msgno), line in zip(DAYS_CASES, out, strict=False):
        assert line.startswith(f"DAYS {lilian:+010d} {msgno:+05d} ".encode()), (pic, text, line)
        token = line[-12:]
        assert token == (bytes(12) if msgno == 0 else
                         bytes.fromhex(f"0003{msgno:04X}59C3C5C5") + bytes(4)), (pic, text)
    rest = [line.decode("latin-1") for line in out[len(DAYS_CASES):]]
    assert rest[0] == f"DATE [{'2000-01-01':80}] +0000"
    assert rest[1] == f"DATE [{'15 Oct 1582':80}] +0000"
    assert rest[2] == f"DATE [{'051688':80}] +0000"
    assert rest[3] == f"DATE [{'9999365':80}] +0000"
    assert rest[4] == rest[5] == f"DATE [{'':80}] +2512"
    assert rest[6] == f"DATE [{'2000 00:00:00.00':80}] +0000"
    assert rest[7] == f"DATE [{('2000-01-01 ' * 9)[:80]}] +2526"  # cut at 80: severity 2
    assert rest[8] == rest[9] == f"DATE [{'':80}] +2518"
    assert rest[10:13] == ["DYWK +000000006 +0000", "DYWK +000000007 +0000",
                           "DYWK +000000000 +2512"]
    assert rest[13:15] == ["VSTR +000000000 +2518", "VSTR +000000000 +2518"]


SECONDS_CASES = [
    "SECS|YYYY-MM-DD HH:MI:SS|1582-10-15 00:00:01|",
    "SECS|YYYY-MM-DD HH:MI:SS.999|2024-03-05 10:11:12.345|",
    "SECS|YYYY-MM-DD HH:MI:SS.9|1988-06-02 15:35:02.5|",
    "SECS|YY/MM/DD HH.MI.SS|92/6/3 15.35.03|",
    "SECS|YYYY-MM-DD|1988-05-16|",
    "SECS|YYYY-MM-DD HH:MI:SS|2000-01-01 24:00:00|",
    "SECS|YYYY-MM-DD HH:MI:SS|2000-01-01 23:60:00|",
    "SECS|YYYY-MM-DD HH:MI:SS|2000-01-01 23:59:60|",
    "ISEC||2000 1 1 12 30 45 678|",
    "ISEC||9999 12 31 23 59 59 999|",
    "ISEC||2000 1 1 0 0 0 1|",
    "ISEC||1581 1 1 0 0 0 0|",
    "ISEC||2000 13 1 0 0 0 0|",
    "ISEC||2001 2 29 0 0 0 0|",
    "ISEC||1582 10 14 0 0 0 0|",
    "ISEC||2000 1 1 24 0 0 0|",
    "ISEC||2000 1 1 0 60 0 0|",
    "ISEC||2000 1 1 0 0 60 0|",
    "ISEC||2000 1 1 0 0 0 1000|",
    "ZERO|||",
    "HUGE|||",
]
_RANDOM = random.Random(1582)
ROUND_TRIPS = [(_RANDOM.randint(1583, 9999), _RANDOM.randint(1, 12), _RANDOM.randint(1, 28),
                _RANDOM.randint(0, 23), _RANDOM.randint(0, 59), _RANDOM.randint(0, 59),
                _RANDOM.randint(0, 999)) for _ in range(40)]


@needs_cobc
def test_lilian_seconds_services_match_the_twin(tmp_path: Path, work: Path) -> None:
    """CEESECS, CEEISEC (FLOAT8 out), CEEDATM and CEESECI (FLOAT8 in): the doubles are the
    same bytes on both sides, and read back the same."""
    twin = make_twin(tmp_path, work, {"LEDATES": DATES}, "LEDATES")
    trips = ["ISEC||" + " ".join(map(str, t)) + "|" for t in ROUND_TRIPS]
    stdin = "\n".join([*SECONDS_CASES, *trips]).encode() + b"\n"
    legacy, _ = twin.run(Scenario("seconds", stdin=stdin, env=CLOCK))
    doubles = [struct.unpack("=d", m)[0]
               for m in re.findall(rb"F\[(.{8})\]", legacy.stdout, re.DOTALL)]
    assert doubles[0] == 86401.0
    assert doubles[1] == services.to_float8(
        services.lilian(2024, 3, 5) * 86400 + 36672 + Decimal("0.345"))
    assert doubles[3] == services.lilian(1992, 6, 3) * 86400 + 15 * 3600 + 35 * 60 + 3
    assert doubles[4] == 148138 * 86400
    assert doubles[5:8] == [0.0, 0.0, 0.0]
    text = legacy.stdout.decode("latin-1")
    assert "DATM [1582-10-15 00:00:01.000 ] +0000" in text
    assert "DATM [2024-03-05 10:11:12.345 ] +0000" in text
    assert "SECI +000002000 +000000001 +000000001 +000000012 +000000030 +000000045 " \
           "+000000678 +0000" in text
    assert "DATM [9999-12-31 23:59:59.999 ] +0000" in text
    # 2000-01-01 00:00:00.001 as a COMP-2 is just below .001: read back, it rounds to .001
    assert "DATM [2000-01-01 00:00:00.001 ] +0000" in text
    for year, month, day, hour, minute, second, millis in ROUND_TRIPS:
        shown = f"{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:{second:02d}"
        assert f"DATM [{shown}.{millis:03d} ] +0000" in text
    for msgno in (2510, 2516, 2519, 2514, 2517, 2511, 2513, 2515, 2505):
        assert f"+{msgno:04d}" in text, msgno
    assert text.count(f"DATM [{'':24}] +2505") >= 2  # 0.0 and 3.3e12 are out of range


CLOCK_PROGRAM = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. LECLOCK.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-LILIAN                PIC S9(9) BINARY.
       01  WS-SECS                  COMP-2.
       01  WS-SECS-X REDEFINES WS-SECS PIC X(8).
       01  WS-GREG                  PIC X(17).
       01  WS-HOURS                 PIC S9(9) BINARY.
       01  WS-MINUTES               PIC S9(9) BINARY.
       01  WS-OUT                   PIC X(80).
       01  WS-OUT-PIC.
           05  FILLER               PIC S9(4) BINARY VALUE 23.
           05  FILLER               PIC X(23)
                                    VALUE 'YYYY-MM-DD HH:MI:SS.999'.
       01  WS-FC                    PIC X(12).
       PROCEDURE DIVISION.
           CALL 'CEELOCT' USING WS-LILIAN WS-SECS WS-GREG WS-FC
           DISPLAY 'LOCT ' WS-LILIAN ' ' WS-GREG ' F[' WS-SECS-X ']'
           PERFORM SHOW
           CALL 'CEEGMT' USING WS-LILIAN WS-SECS WS-FC
           DISPLAY 'GMT ' WS-LILIAN ' F[' WS-SECS-X ']'
           PERFORM SHOW
           CALL 'CEEGMTO' USING WS-HOURS WS-MINUTES WS-SECS WS-FC
           DISPLAY 'GMTO ' WS-HOURS ' ' WS-MINUTES ' F[' WS-SECS-X ']'
           STOP RUN.
       SHOW.
           CALL 'CEEDATM' USING WS-SECS WS-OUT-PIC WS-OUT WS-FC
           DISPLAY 'DATM ' WS-OUT(1:23).
"""


@needs_cobc
@pytest.mark.parametrize(("env", "local", "gmt", "offset"), [
    (CLOCK, "2024-03-05 10:11:12.340", "2024-03-05 08:41:12.340", (1, 30, 5400)),
    ({"COB_CURRENT_DATE": "2024/03/05 00:30:00.50+0130"}, "2024-03-05 00:30:00.500",
     "2024-03-04 23:00:00.500", (1, 30, 5400)),
    ({"COB_CURRENT_DATE": "2024/12/31 22:00:00.00", "TZ": "XST+3:30"},
     "2024-12-31 22:00:00.000", "2025-01-01 01:30:00.000", (-3, 30, -12600)),
], ids=["plus-offset", "gmt-the-day-before", "tz-west"])
def test_clock_services_follow_the_fixed_clock_on_both_sides(
        tmp_path: Path, work: Path, env: dict[str, str], local: str, gmt: str,
        offset: tuple[int, int, int]) -> None:
    twin = make_twin(tmp_path, work, {"LECLOCK": CLOCK_PROGRAM}, "LECLOCK")
    legacy, _ = twin.run(Scenario("clock", env=env))
    text = legacy.stdout.decode("latin-1")
    day = date.fromisoformat(local[:10])
    digits = local.replace("-", "").replace(" ", "").replace(":", "").replace(".", "")
    assert f"LOCT {services.lilian(day.year, day.month, day.day):+010d} {digits} " in text
    assert f"DATM {local}\n" in text and f"DATM {gmt}\n" in text
    hours, minutes, seconds = offset
    assert f"GMTO {hours:+010d} {minutes:+010d} F[" in text
    found = re.search(rb"GMTO .{21} F\[(.{8})\]", legacy.stdout, re.DOTALL)
    assert found is not None and struct.unpack("=d", found.group(1))[0] == seconds


# --------------------------------------------------------------------------- abends and misuse


ABEND = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. LEABEND.
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT OUT-FILE ASSIGN TO OUTF
               ORGANIZATION IS LINE SEQUENTIAL.
       DATA DIVISION.
       FILE SECTION.
       FD  OUT-FILE.
       01  OUT-REC                  PIC X(20).
       WORKING-STORAGE SECTION.
       01  WS-CMD                   PIC X(12).
       01  WS-NUM                   PIC S9(9).
       01  WS-NUM2                  PIC S9(9).
       01  WS-CODE                  PIC S9(9) BINARY.
       01  WS-CLEANUP               PIC S9(9) BINARY.
       01  WS-HALF                  PIC S9(4) BINARY.
       01  WS-IN.
           05  FILLER               PIC S9(4) BINARY VALUE 8.
           05  FILLER               PIC X(8) VALUE '20000101'.
       01  WS-PIC.
           05  WS-PIC-LEN           PIC S9(4) BINARY VALUE 8.
           05  WS-PIC-TXT           PIC X(8) VALUE 'YYYYMMDD'.
       01  WS-LILIAN                PIC S9(9) BINARY.
       01  WS-DAY                   PIC S9(9) BINARY.
       01  WS-TITLE                 PIC X(80) VALUE 'NIGHTLY RUN'.
       01  WS-OPTIONS               PIC X(255) VALUE 'THREAD(ALL)'.
       01  WS-FC                    PIC X(12).
       01  WS-PGM                   PIC X(8) VALUE SPACES.
       01  WS-FOUND                 PIC X VALUE 'Y'.
       PROCEDURE DIVISION.
           OPEN OUTPUT OUT-FILE
           MOVE 'BEFORE THE CALL' TO OUT-REC
           WRITE OUT-REC
           ACCEPT WS-CMD
           ACCEPT WS-NUM
           ACCEPT WS-NUM2
           MOVE WS-NUM TO WS-CODE
           MOVE WS-NUM2 TO WS-CLEANUP
           DISPLAY 'CALLING ' WS-CMD
           EVALUATE WS-CMD
           WHEN 'CEE3ABD'
               CALL 'CEE3ABD' USING WS-CODE WS-CLEANUP
           WHEN 'ILBOABN0'
               MOVE WS-NUM TO WS-HALF
               CALL 'ILBOABN0' USING WS-HALF
           WHEN 'MISSING'
               CALL 'CEEDAYS' USING WS-IN WS-PIC
           WHEN 'NOFC-ERROR'
               MOVE 4 TO WS-PIC-LEN
               CALL 'CEEDAYS' USING WS-IN WS-PIC WS-LILIAN
           WHEN 'NOFC-OK'
               MOVE 4 TO RETURN-CODE
               CALL 'CEEDAYS' USING WS-IN WS-PIC WS-LILIAN
               DISPLAY 'RC ' RETURN-CODE ' LILIAN ' WS-LILIAN
               CALL 'CEEDYWK' USING WS-LILIAN WS-DAY WS-FC
               DISPLAY 'DAY ' WS-DAY
           WHEN 'NAMES'
               CALL 'ceedywk' USING WS-LILIAN WS-DAY WS-FC
                   ON EXCEPTION MOVE 'N' TO WS-FOUND
               END-CALL
               DISPLAY 'LOWER CASE FOUND ' WS-FOUND
               MOVE 152385 TO WS-LILIAN
               MOVE 'CEEDYWK' TO WS-PGM
               CALL WS-PGM USING WS-LILIAN WS-DAY WS-FC
               DISPLAY 'DYNAMIC DAY ' WS-DAY
           WHEN 'DUMP'
               CALL 'CEE3DMP' USING WS-TITLE WS-OPTIONS WS-FC
               IF WS-FC = LOW-VALUES
                   DISPLAY 'DUMP FC ZERO'
               END-IF
           END-EVALUATE
           DISPLAY 'AFTER THE CALL'
           MOVE 'AFTER THE CALL' TO OUT-REC
           WRITE OUT-REC
           CLOSE OUT-FILE
           STOP RUN.
"""


@needs_cobc
@pytest.mark.parametrize(("stdin", "status", "message"), [
    ("CEE3ABD\n999\n1\n", 231,
     "CEE3ABD: abend U0999 (clean-up 1): the run ends with exit status 231"),
    ("CEE3ABD\n4096\n0\n", 255,
     "CEE3ABD: abend U4096 (clean-up 0): the run ends with exit status 255"),
    ("CEE3ABD\n-3\n-5\n", 253,
     "CEE3ABD: abend U0003 (clean-up -5): the run ends with exit status 253"),
    ("ILBOABN0\n1000\n0\n", 232, "ILBOABN0: abend U1000: the run ends with exit status 232"),
    ("MISSING\n0\n0\n", 255,
     "CEEDAYS: parameter 3 is missing: abend U4095: the run ends with exit status 255"),
    ("NOFC-ERROR\n0\n0\n", 198, "CEEDAYS: condition 2518 (severity 3) and no feedback "
     "code: abend U4038: the run ends with exit status 198"),
], ids=["cee3abd", "code-256-multiple", "negative", "ilboabn0", "missing-parameter",
        "unhandled-condition"])
def test_abends_end_the_run_alike(tmp_path: Path, work: Path, stdin: str, status: int,
                                  message: str) -> None:
    """The run ends at the CALL with the same status, the same standard output and the same
    output file (closed as STOP RUN closes it) on both sides, and the same message."""
    twin = make_twin(tmp_path, work, {"LEABEND": ABEND}, "LEABEND", ("OUTF",))
    legacy, python = twin.run(Scenario("abend", stdin=stdin.encode()))
    assert legacy.returncode == status
    assert b"AFTER THE CALL" not in legacy.stdout
    assert legacy.files["OUTF"].rstrip() == b"BEFORE THE CALL"
    for result in (legacy, python):
        assert message.encode() in result.stderr, result.stderr


@needs_cobc
def test_services_return_with_return_code_zero_and_dump_goes_on(tmp_path: Path,
                                                                work: Path) -> None:
    twin = make_twin(tmp_path, work, {"LEABEND": ABEND}, "LEABEND", ("OUTF",))
    legacy, _ = twin.run(Scenario("ok", stdin=b"NOFC-OK\n0\n0\n"))
    assert legacy.returncode == 0
    assert b"RC +000000000 LILIAN +000152385\nDAY +000000007\nAFTER THE CALL\n" in \
        legacy.stdout
    legacy, python = twin.run(Scenario("dump", stdin=b"DUMP\n0\n0\n"))
    assert legacy.returncode == 0 and b"DUMP FC ZERO\nAFTER THE CALL" in legacy.stdout
    for result in (legacy, python):
        assert b"CEE3DMP: dump requested: NIGHTLY RUN\n" in result.stderr
    legacy, _ = twin.run(Scenario("names", stdin=b"NAMES\n0\n0\n"))
    # libcob finds a module by its exact name: 'ceedywk' is not the stub, on either side
    assert b"LOWER CASE FOUND N\nDYNAMIC DAY +000000007\n" in legacy.stdout


OWN = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. LEOWN.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-LILIAN                PIC S9(9) BINARY VALUE 1.
       01  WS-DAY                   PIC S9(9) BINARY VALUE 0.
       01  WS-FC                    PIC X(12).
       PROCEDURE DIVISION.
           CALL 'CEEDYWK' USING WS-LILIAN WS-DAY WS-FC
           DISPLAY 'DAY ' WS-DAY
           STOP RUN.
       END PROGRAM LEOWN.
       IDENTIFICATION DIVISION.
       PROGRAM-ID. CEEDYWK.
       DATA DIVISION.
       LINKAGE SECTION.
       01  LK-LILIAN                PIC S9(9) BINARY.
       01  LK-DAY                   PIC S9(9) BINARY.
       PROCEDURE DIVISION USING LK-LILIAN LK-DAY.
           DISPLAY 'THE SHOP''S OWN CEEDYWK'
           MOVE 99 TO LK-DAY
           GOBACK.
       END PROGRAM CEEDYWK.
"""


@needs_cobc
def test_a_program_of_the_estate_wins_over_the_stub(tmp_path: Path, work: Path) -> None:
    twin = make_twin(tmp_path, work, {"LEOWN": OWN}, "LEOWN")
    legacy, _ = twin.run(Scenario("own"))
    assert legacy.stdout == b"THE SHOP'S OWN CEEDYWK\nDAY +000000099\n"


@needs_cobc
def test_stubs_are_built_only_for_programs_that_call_services(tmp_path: Path) -> None:
    root = tmp_path / "estate"
    root.mkdir()
    (root / "LEOWN.cbl").write_text(OWN)
    analyze_into(root, tmp_path / "analysis")
    estate, _ = load_analysis(tmp_path / "analysis")
    own, callee = estate.program("LEOWN"), estate.program("CEEDYWK")
    assert own is not None and callee is not None
    assert calls_services([own]) and not calls_services([callee])
    built = build(callee, estate, root, tmp_path / "work", trace=False)
    assert built.services_dir is None and not (tmp_path / "work" / "services").exists()


DYNAMIC_MAIN = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. LEDYN.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-PGM                   PIC X(8) VALUE 'LEDYNSUB'.
       01  WS-LILIAN                PIC S9(9) BINARY VALUE 152385.
       01  WS-DAY                   PIC S9(9) BINARY VALUE 0.
       01  WS-FC                    PIC X(12).
       PROCEDURE DIVISION.
           CALL WS-PGM
           CALL 'CEEDYWK' USING WS-LILIAN WS-DAY WS-FC
           DISPLAY 'DAY ' WS-DAY
           STOP RUN.
"""
DYNAMIC_SUB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. LEDYNSUB.
       PROCEDURE DIVISION.
           DISPLAY 'IN THE MODULE'
           GOBACK.
"""


@needs_cobc
def test_modules_and_stubs_are_found_from_a_work_folder_with_a_colon(tmp_path: Path,
                                                                       work: Path) -> None:
    """COB_LIBRARY_PATH is split at ``:``: the run sees the build's modules and the stubs at
    fixed paths, whatever the work folder is called."""
    odd = work / "odd:work dir"
    twin = make_twin(tmp_path, odd, {"LEDYN": DYNAMIC_MAIN, "LEDYNSUB": DYNAMIC_SUB}, "LEDYN")
    assert twin.build.modules == ("LEDYNSUB",) and twin.build.services_dir is not None
    legacy, _ = twin.run(Scenario("colon"))
    assert legacy.returncode == 0
    assert legacy.stdout == b"IN THE MODULE\nDAY +000000007\n"
