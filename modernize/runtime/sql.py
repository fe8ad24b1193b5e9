"""Embedded SQL: a DB2 batch program's static SQL run against a SQLite database, with COBOL's
view of it kept (host variables, indicator variables, the SQLCA).

The translator turns each ``EXEC SQL ... END-EXEC`` into a call on a :class:`SqlSession`.
Every host reference (``:NAME``, optionally followed by an indicator ``:IND``, `` :IND`` or
``INDICATOR :IND``) is replaced by ``?`` in the text, and the items are passed in order as
:class:`HostVar` s: the ``INTO`` targets of ``SELECT ... INTO``, ``FETCH ... INTO``,
``VALUES ... INTO`` and ``SET :hv = ...`` as ``outputs``, every other ``?`` as ``inputs``.
The runtime receives DB2 SQL with ``?`` placeholders, for example::

    session.execute("SELECT COUNT(*) INTO ? FROM COLLECTION_QUEUE WHERE QUEUE_DATE = ?",
                    inputs=[HostVar(hv_run_date)], outputs=[HostVar(hv_queue_count)])

Statements (:meth:`SqlSession.execute` takes them all; the cursor methods are also direct):
``SELECT ... INTO`` (one row: 0; none: +100; several: -811, host variables unchanged),
``INSERT``/``UPDATE``/``DELETE`` (SQLERRD(3) = rows affected; none affected is +100, as DB2
says it of a searched UPDATE or DELETE and of INSERT ... SELECT), ``UPDATE``/``DELETE ... WHERE
CURRENT OF`` a cursor declared ``FOR UPDATE``, ``DECLARE c CURSOR``, ``OPEN`` (host variables
bound at OPEN, as DB2 does), ``FETCH`` (0, +100 at the end), ``CLOSE``, ``COMMIT`` (closes the
cursors not declared ``WITH HOLD``), ``ROLLBACK`` (closes every cursor),
``SAVEPOINT``/``RELEASE SAVEPOINT``/``ROLLBACK TO SAVEPOINT name`` (the name is needed),
``DECLARE t TABLE`` (the table is created when it does not exist), ``VALUES ... INTO`` and
``SET :hv = expr``. ``LOCK TABLE``, ``INCLUDE``, ``BEGIN``/``END DECLARE SECTION``,
``CONNECT``, ``SET CURRENT ...`` and ``DECLARE ... STATEMENT`` do nothing (SQLCODE 0).
``WHENEVER`` is the precompiler's and the translator's business: it raises
:class:`SqlUsageError`. Anything else runs as written after the rewrite below, and whatever
SQLite rejects becomes a negative SQLCODE.

Units of work: the first statement after a COMMIT or ROLLBACK begins a transaction (``BEGIN``,
DB2's unit of work). :meth:`SqlSession.close`, at STOP RUN, **commits** what is pending, as DB2
does when a batch program (TSO ``DSN RUN``, CAF) ends normally, and rolls back with
``abend=True``; used as a context manager the session commits when the block ends normally or
by :class:`~modernize.runtime.program.StopRun`/``GoBack``, and rolls back on any other
exception. A session that is never closed loses its pending work, as an abend does.

Host variables IN (:func:`_input_value`):

* numeric items (DISPLAY, COMP, COMP-3, COMP-5) give their value: an ``int`` when the item
  has no decimals, else a ``float``; SQLite keeps DECIMAL columns as REAL when they have
  decimals, which is exact to 15 significant digits (DECIMAL(15,2) and narrower round-trip);
* alphanumeric items (and group items) give their text, Latin-1, **trailing spaces removed**:
  DB2 compares CHAR values as if the shorter were padded with blanks, which SQLite does not;
  storing values without their padding, comparing CHAR columns with SQLite's ``RTRIM``
  collation (tables created here have it) and padding again on output (a COBOL MOVE) keeps
  DB2's results. Literals in the SQL text are used as written;
* a :class:`Varchar` host structure (the 49-level ``LEN``/``TEXT`` pair) gives its first
  ``LEN`` characters, trailing spaces kept;
* an indicator below zero makes the value NULL.

Host variables OUT (:func:`_plan_output`), assigned only when the whole row converts (else
none is assigned and SQLCODE is negative):

* NULL: the indicator is set to -1, the host variable is left as it was; without an
  indicator, SQLCODE -305;
* text into an alphanumeric item: a MOVE (left-justified, space-padded); text longer than
  the item (after the stored value's trailing blanks, which are not kept) is truncated, the
  indicator set to its length, SQLWARN1 and SQLWARN0 set to ``'W'`` (SQLCODE stays 0);
  numbers given to alphanumeric items are their plain decimal text;
* numbers into numeric items: a MOVE (aligned on the decimal point, excess decimals dropped);
  a value whose integer part does not fit the PICTURE is -304 rather than a MOVE's silent
  truncation. A binary item without decimals (COMP, COMP-5) holds what its bytes hold, as DB2
  (which sees ``S9(4) COMP`` as a SMALLINT) writes it; text that reads as a number is
  converted, other text is -420; a BLOB into a numeric item is -303;
* otherwise the indicator, when there is one, is set to 0; DATE columns come back as their
  ``YYYY-MM-DD`` text; ``FETCH``/``SELECT INTO`` with fewer host variables than columns sets
  SQLWARN3.

The SQLCA (:data:`SQLCA_LAYOUT`) is set after every statement: SQLCODE, SQLSTATE, SQLERRD(3)
(rows affected, or 1 for a row fetched), SQLERRMC/SQLERRML (the message of an error), SQLWARN.
SQLCODE mapping: 0 ``00000``; +100 ``02000``; -803 ``23505`` (UNIQUE or PRIMARY KEY); -407
``23502`` (NOT NULL); -530 ``23503``/-532 ``23504`` (foreign key on INSERT/UPDATE, on DELETE);
-545 ``23513`` (CHECK); -811 ``21000``; -305 ``22002``; -304 ``22003``; -302 ``22001`` (an
input host variable that cannot be used); -303 ``42806``; -420 ``22018``; -330 ``22021``
(text outside Latin-1); -802 ``22003`` (integer overflow); -204 ``42704`` (unknown table);
-206 ``42703`` (unknown column); -203 ``42702`` (ambiguous column); -440 ``42884`` (unknown
function); -117 ``42802`` (wrong number of values); -104 ``42601`` (syntax); -501 ``24501``
(FETCH/CLOSE of a cursor not open); -502 ``24502`` (OPEN of an open cursor); -504 ``34000``
(cursor not declared); -507 ``24501``/-508 ``24504``/-510 ``42828`` (WHERE CURRENT OF a cursor
not open, not on a row, not ``FOR UPDATE``); -911 ``40001`` (database locked). Any other
SQLite error is SQLCODE **-1**, SQLSTATE ``HY000``, with SQLite's message in SQLERRMC (there
is no DB2 code to invent for it).

The DB2 to SQLite rewrite works on tokens (quoted strings and identifiers are never touched):
``CURRENT DATE``/``CURRENT_DATE``, ``CURRENT TIME``, ``CURRENT TIMESTAMP`` become one value per
statement from the COBOL clock (:func:`~modernize.runtime.terminal.current_datetime`, which
``COB_CURRENT_DATE`` can fix; DB2 formats ``YYYY-MM-DD``, ``HH.MM.SS``,
``YYYY-MM-DD-HH.MM.SS.NNNNNN``); ``x ± n DAYS|MONTHS|YEARS`` (``DAY``, ``MONTH``, ``YEAR`` too;
``x`` a column, ``DATE(...)``, ``CURRENT DATE``, a host variable, a parenthesized expression;
``n`` a number, host variable or expression) becomes ``date(x, '±n days')``, and months and
years keep DB2's end-of-month rule (January 31 + 1 MONTH is February's last day); ``FETCH FIRST
[n] ROW[S] ONLY`` becomes ``LIMIT n``; ``WITH UR|CS|RS|RR [USE AND KEEP ... LOCKS]``, ``FOR
READ ONLY``, ``FOR FETCH ONLY``, ``FOR UPDATE [OF ...]``, ``OPTIMIZE FOR n ROWS``, ``QUERYNO
n``, ``SKIP LOCKED DATA`` and ``WITH HOLD`` (in DECLARE CURSOR) are dropped; ``FROM
SYSIBM.SYSDUMMY1`` is dropped; a dotted name's qualifiers (``HFCS.ACCOUNT``,
``HFCS.ACCOUNT.ACCT_NO``) are dropped before a part that names a table of the database; ``¬=``,
``¬<``, ``¬>`` become ``<>``, ``>=``, ``<=``; ``CONCAT`` becomes ``||``; functions: ``VALUE`` →
``COALESCE``, ``UCASE``/``LCASE`` → ``UPPER``/``LOWER``, ``STRIP`` →
``TRIM``/``LTRIM``/``RTRIM``, ``POSSTR``/``LOCATE`` (two arguments) → ``INSTR``, ``MOD`` →
``%``, ``INTEGER``/``INT``/``SMALLINT``/``BIGINT`` → a CAST,
``YEAR``/``MONTH``/``DAY``/``DAYS``/``DATE`` of ISO date (or DB2 timestamp) text. ``SUBSTR``,
``||``, ``COUNT(*)``, ``COALESCE``, ``TRIM``, ``UPPER`` and the like are SQLite's already.
Identifiers with ``#``, ``@`` or ``$`` are quoted.

Not supported: dynamic SQL (PREPARE, EXECUTE, DESCRIBE), scrollable cursors and FETCH
orientations other than NEXT, multi-row FETCH/INSERT (rowsets), host variable arrays and
indicator arrays, host structures (the translator passes their fields), MERGE, ``OFFSET``,
DB2's CREATE TABLE options (``WITH DEFAULT`` is understood only in DECLARE TABLE), DATE/TIME
formats other than ISO, timestamp arithmetic and durations other than days, months and
years, ``date - date``, ``DECIMAL()``, ``CHAR()``, ``DIGITS()``, string literals compared
with blank padding, EBCDIC collating (ORDER BY sorts in ASCII, as the rest of this runtime),
DECIMAL values beyond 15 significant digits when they have decimals, division by zero (SQLite
gives NULL where DB2 gives -802), SQLWARN2 (nulls eliminated), the declared length of CHAR
columns in truncation warnings (see above).

:attr:`SqlSession.connection` is the ``sqlite3`` connection (autocommit mode: the session
issues BEGIN, COMMIT and ROLLBACK itself). :func:`new_sqlca` makes an SQLCA record,
:func:`create_table_sql` shows what a DECLARE TABLE creates, :func:`close_all` closes every
open session (for a run's end).

Each statement is logged at DEBUG on ``modernize.runtime.sql`` (its number in the run, the
text, the SQLite text the first time, SQLCODE and rows; never the host variables' values);
:attr:`SqlSession.statistics` counts statements by verb and SQLCODE, logged at close.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import weakref
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache, partial
from types import TracebackType

from . import encoding
from .errors import CobolRuntimeError, UnsupportedError
from .fields import Group, Item, NumericField, field
from .program import GoBack, StopRun
from .terminal import current_datetime

log = logging.getLogger(__name__)

DATABASE_ENV = "MODERNIZE_SQL_DATABASE"
"""Environment variable naming the SQLite file when the session is given none."""
DEFAULT_DATABASE = "db2.sqlite"
"""The SQLite file used when neither the session nor the environment names one (in the
working directory)."""

# --------------------------------------------------------------------------- the SQLCA

SqlcaRow = tuple[str, int, str, str, int]

SQLCA_LENGTH = 136
SQLCA_LAYOUT: tuple[SqlcaRow, ...] = (
    # (name, offset, picture, usage, occurs): the DB2 SQLCA for COBOL, 136 bytes
    ("SQLCAID", 0, "X(8)", "DISPLAY", 1),      # 'SQLCA   '
    ("SQLCABC", 8, "S9(9)", "COMP-5", 1),      # 136
    ("SQLCODE", 12, "S9(9)", "COMP-5", 1),
    ("SQLERRML", 16, "S9(4)", "COMP-5", 1),    # 05 SQLERRM: 49 SQLERRML, 49 SQLERRMC
    ("SQLERRMC", 18, "X(70)", "DISPLAY", 1),
    ("SQLERRP", 88, "X(8)", "DISPLAY", 1),
    ("SQLERRD", 96, "S9(9)", "COMP-5", 6),     # OCCURS 6, 4 bytes each: 96, 100, ... 116
    ("SQLWARN0", 120, "X", "DISPLAY", 1),      # 05 SQLWARN: SQLWARN0 .. SQLWARN7, 120-127
    ("SQLWARN1", 121, "X", "DISPLAY", 1),
    ("SQLWARN2", 122, "X", "DISPLAY", 1),
    ("SQLWARN3", 123, "X", "DISPLAY", 1),
    ("SQLWARN4", 124, "X", "DISPLAY", 1),
    ("SQLWARN5", 125, "X", "DISPLAY", 1),
    ("SQLWARN6", 126, "X", "DISPLAY", 1),
    ("SQLWARN7", 127, "X", "DISPLAY", 1),
    ("SQLWARN8", 128, "X", "DISPLAY", 1),      # 05 SQLEXT: SQLWARN8 .. SQLWARNA, SQLSTATE
    ("SQLWARN9", 129, "X", "DISPLAY", 1),
    ("SQLWARNA", 130, "X", "DISPLAY", 1),
    ("SQLSTATE", 131, "X(5)", "DISPLAY", 1),   # ends at 136
)
"""The standard DB2 SQLCA as (name, offset, picture, usage, occurs) rows; the translator
builds the SQLCA record from it (``EXEC SQL INCLUDE SQLCA``). The elements of an OCCURS row
follow each other (SQLERRD(n) is at 96 + 4 * (n - 1)). COMP-5 is native binary, as GnuCOBOL
and DB2 for z/OS keep it."""

SQLCA_GROUPS: tuple[tuple[str, int, int], ...] = (
    ("SQLERRM", 16, 72), ("SQLWARN", 120, 8), ("SQLEXT", 128, 8),
)
"""The SQLCA's group items as (name, offset, length)."""

_SQLCA_CLEAN = (bytes(4) + bytes(2) + b" " * 70 + b" " * 8 + bytes(24) + b" " * 11 + b"00000")
"""Bytes 12 to 135 of the SQLCA before a statement reports: SQLCODE 0, no message, no
warning, SQLSTATE 00000."""


def new_sqlca() -> Group:
    """A fresh 136-byte SQLCA record (``SQLCAID``, ``SQLCABC`` set, the rest as before any
    statement)."""
    record = Group(bytearray(SQLCA_LENGTH), 0, SQLCA_LENGTH)
    _Sqlca(record).reset()
    return record


class _Sqlca:
    """The items of an SQLCA record, found through :data:`SQLCA_LAYOUT`."""

    def __init__(self, record: Item) -> None:
        if record.length < SQLCA_LENGTH:
            raise UnsupportedError(f"an SQLCA of {record.length} bytes: the DB2 SQLCA has "
                                   f"{SQLCA_LENGTH}")
        self.buffer, self.base = record.buffer, record.offset
        self.items: dict[str, Item] = {}
        self.errd: list[NumericField] = []
        for name, offset, picture, usage, occurs in SQLCA_LAYOUT:
            for n in range(occurs):
                item = field(self.buffer, self.base + offset + 4 * n, picture, usage)
                if occurs > 1:
                    assert isinstance(item, NumericField)
                    self.errd.append(item)
                else:
                    self.items[name] = item
        self.items["SQLCAID"].set("SQLCA")
        self.items["SQLCABC"].set(SQLCA_LENGTH)

    def reset(self) -> None:
        self.buffer[self.base + 12:self.base + SQLCA_LENGTH] = _SQLCA_CLEAN

    def report(self, outcome: _Outcome) -> None:
        self.reset()
        self.items["SQLCODE"].set(outcome.code)
        self.items["SQLSTATE"].set(outcome.state)
        self.errd[2].set(outcome.rows)
        if outcome.message:
            text = outcome.message.encode("latin-1", "replace")[:70]
            self.items["SQLERRML"].set(len(text))
            self.items["SQLERRMC"].set(text)
        if outcome.code < 0:
            self.items["SQLERRP"].set("SQLITE")
        for n in sorted(outcome.warnings):
            self.items[f"SQLWARN{n}"].set("W")
        if outcome.warnings:
            self.items["SQLWARN0"].set("W")


# --------------------------------------------------------------------------- host variables


class SqlUsageError(CobolRuntimeError):
    """The call does not match its statement (host variables counted wrong, a ``:NAME`` left
    in the text, WHENEVER passed to the runtime): a translator error, not an SQLCODE."""


@dataclass(frozen=True)
class Varchar:
    """A VARCHAR host structure: the 49-level ``LEN`` (``S9(4) COMP``) and ``TEXT`` items.
    IN: the first LEN characters of TEXT; OUT: LEN set to the value's length, and only that
    many characters of TEXT written (the rest of TEXT keeps its bytes, as DB2 leaves it)."""

    length: NumericField
    text: Item


@dataclass(frozen=True)
class HostVar:
    """A host variable reference: the item (or :class:`Varchar` structure) and its indicator
    variable (``S9(4) COMP``), if the statement names one."""

    item: Item | Varchar
    indicator: Item | None = None


HostRef = HostVar | Item | Varchar


def _host(ref: HostRef) -> HostVar:
    return ref if isinstance(ref, HostVar) else HostVar(ref)


class _SqlError(Exception):
    """A statement's failure as DB2 reports it."""

    def __init__(self, code: int, state: str, message: str = "") -> None:
        super().__init__(message)
        self.code, self.state, self.message = code, state, message


@dataclass
class _Outcome:
    code: int = 0
    state: str = "00000"
    rows: int = 0
    message: str = ""
    warnings: frozenset[int] = frozenset()


_INT64 = 1 << 63


def _input_value(host: HostVar) -> object:
    """The SQLite value of an input host variable (see the module docstring)."""
    if host.indicator is not None and _indicator_value(host.indicator) < 0:
        return None
    item = host.item
    if isinstance(item, Varchar):
        length = int(item.length.get())
        if not 0 <= length <= item.text.length:
            raise _SqlError(-302, "22001", f"VARCHAR length {length} outside 0 to "
                                           f"{item.text.length}")
        return item.text.raw[:length].decode("latin-1")
    if isinstance(item, NumericField):
        value = item.get()
        if item.scale <= 0:
            whole = int(value)
            return whole if -_INT64 <= whole < _INT64 else float(whole)
        return float(value)
    return item.raw.decode("latin-1").rstrip(" ")


def _indicator_value(item: Item) -> int:
    value = item.get()
    if isinstance(value, Decimal):
        return int(value)
    raise SqlUsageError(f"indicator variable {item!r} is not numeric")


def _float_decimal(value: float) -> Decimal:
    """A REAL as the decimal SQLite means by it: 15 significant digits."""
    if value != value or value in (float("inf"), float("-inf")):
        raise _SqlError(-802, "22003", f"value {value} is not a number")
    return Decimal(f"{value:.15g}")


def _as_text(value: object) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, float):
        value = _float_decimal(value)
    if isinstance(value, Decimal):
        value = format(value, "f")
    text = str(value)
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError as exc:
        raise _SqlError(-330, "22021", "a character outside Latin-1") from exc


def _as_number(value: object) -> Decimal:
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return _float_decimal(value)
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation as exc:
            raise _SqlError(-420, "22018", f"{value[:40]!r} is not a number") from exc
        if not number.is_finite():
            raise _SqlError(-420, "22018", f"{value[:40]!r} is not a number")
        return number
    raise _SqlError(-303, "42806", "a binary value for a numeric host variable")


def _numeric_store(item: NumericField, number: Decimal) -> Callable[[], None]:
    """How ``number`` is stored in ``item``; -304 when its integer part does not fit."""
    if number == 0:
        number = abs(number)  # no negative zero from SQLite's -0.0
    if item.usage in ("COMP", "COMP-5") and item.scale == 0:
        whole = int(number)
        bits = 8 * item.length
        low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if item.signed \
            else (0, (1 << bits) - 1)
        if not low <= whole <= high:
            raise _SqlError(-304, "22003", f"{number} does not fit {item!r}")
        raw = encoding.encode_binary(whole, item.length, item.signed,
                                     native=item.usage == "COMP-5")

        def store_binary() -> None:
            item.raw = raw
        return store_binary
    if item.unscaled(number) > item.max_magnitude:
        raise _SqlError(-304, "22003", f"{number} does not fit {item!r}")
    return partial(item.set, number)


def _plan_output(host: HostVar, value: object) -> tuple[Callable[[], None], bool]:
    """How a column value is assigned to an output host variable, and whether it is
    truncated; raises _SqlError (nothing assigned) when it cannot be."""
    item, indicator = host.item, host.indicator
    if value is None:
        if indicator is None:
            raise _SqlError(-305, "22002", "NULL value and no indicator variable")
        return partial(indicator.set, -1), False
    truncated: int | None = None
    action: Callable[[], None]
    if isinstance(item, Varchar):
        data = _as_text(value)
        if len(data) > item.text.length:
            truncated, data = len(data), data[:item.text.length]
        target = item

        def store_varchar() -> None:
            target.length.set(len(data))
            start = target.text.offset
            target.text.buffer[start:start + len(data)] = data
        action = store_varchar
    elif isinstance(item, NumericField):
        action = _numeric_store(item, _as_number(value))
    else:
        data = _as_text(value)
        if len(data) > item.length:
            truncated = len(data)
        action = partial(item.set, data)

    def assign() -> None:
        action()
        if indicator is not None:
            indicator.set(truncated or 0)
    return assign, truncated is not None


def _assign_row(outputs: Sequence[HostVar], row: Sequence[object]) -> frozenset[int]:
    """Assign a row to the host variables (all or none); the SQLWARN flags it raises."""
    plans = [_plan_output(host, value) for host, value in zip(outputs, row, strict=False)]
    warnings = set()
    if any(truncated for _, truncated in plans):
        warnings.add(1)
    if len(outputs) != len(row):
        warnings.add(3)
    for action, _ in plans:
        action()
    return frozenset(warnings)


# --------------------------------------------------------------------------- tokens

_LEXER = re.compile(
    r"(?P<space>\s+|--[^\n]*|/\*.*?\*/)"
    r"|(?P<string>[xXgGnN]?'(?:[^']|'')*')"
    r"|(?P<quoted>\"(?:[^\"]|\"\")*\")"
    r"|(?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<param>\?)"
    r"|(?P<word>[A-Za-z_#@$][A-Za-z0-9_#@$]*)"
    r"|(?P<op>\|\||<>|<=|>=|!=|¬=|¬<|¬>|\S)",
    re.DOTALL)
_NOT_OPERATORS = {"¬=": "<>", "¬<": ">=", "¬>": "<="}
_EXEC = re.compile(r"^\s*EXEC\s+SQL\b|\bEND-EXEC\s*\.?\s*$|;\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class _Token:
    """``kind``: name (one or more dotted parts), string, number, param, op, or expr (text
    made by the rewrite, used as one primary)."""

    kind: str
    text: str

    @property
    def key(self) -> str:
        return self.text.upper() if self.kind == "name" else self.text

    def parts(self) -> list[str]:
        return self.text.split(".") if self.kind == "name" else [self.text]


def _lex(text: str) -> list[_Token]:
    """The tokens of a statement, dotted names as one token, ``?`` as params."""
    raw: list[tuple[str, str]] = []
    for match in _LEXER.finditer(_EXEC.sub("", text)):
        kind = match.lastgroup or "op"
        if kind == "space":
            continue
        value = match.group()
        if kind == "word":
            if set(value) & set("#@$"):
                value = f'"{value}"'
            kind = "name"
        elif kind == "quoted":
            kind = "name"
        elif kind == "op":
            value = _NOT_OPERATORS.get(value, value)
        raw.append((kind, value))
    tokens: list[_Token] = []
    i = 0
    while i < len(raw):
        kind, value = raw[i]
        if kind == "op" and value == ":" and i + 1 < len(raw) and raw[i + 1][0] == "name":
            raise SqlUsageError(f"host variable :{raw[i + 1][1]} was not replaced by '?'")
        if kind == "name":
            parts = [value]
            while i + 2 < len(raw) and raw[i + 1] == ("op", ".") and (
                    raw[i + 2][0] == "name" or raw[i + 2] == ("op", "*")):
                parts.append(raw[i + 2][1])
                i += 2
            value = ".".join(parts)
        tokens.append(_Token(kind, value))
        i += 1
    return tokens


@lru_cache(maxsize=2048)
def _lex_cached(text: str) -> tuple[_Token, ...]:
    """:func:`_lex`, remembered: a program runs the same static statements many times."""
    return tuple(_lex(text))


def _join(tokens: Sequence[_Token]) -> str:
    return " ".join(token.text for token in tokens)


def _is(tokens: Sequence[_Token], i: int, *words: str | frozenset[str]) -> bool:
    """Whether tokens[i:] start with the names ``words`` (a frozenset: any of them)."""
    if i + len(words) > len(tokens):
        return False
    for token, word in zip(tokens[i:], words, strict=False):
        if token.kind != "name":
            return False
        wanted = {word} if isinstance(word, str) else word
        if token.key not in wanted:
            return False
    return True


def _is_op(token: _Token, text: str) -> bool:
    return token.kind == "op" and token.text == text


def _split(tokens: Sequence[_Token]) -> list[list[_Token]]:
    """Split on commas outside parentheses."""
    parts: list[list[_Token]] = [[]]
    depth = 0
    for token in tokens:
        if token.kind == "op" and token.text in "()":
            depth += 1 if token.text == "(" else -1
        if depth == 0 and _is_op(token, ","):
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


# --------------------------------------------------------------------------- the rewrite

_ISOLATION = frozenset({"UR", "CS", "RS", "RR"})
_ROWS = frozenset({"ROW", "ROWS"})
_UNITS = {"DAY": "days", "DAYS": "days", "MONTH": "months", "MONTHS": "months",
          "YEAR": "years", "YEARS": "years"}
_SPECIALS = {"DATE": "date", "TIME": "time", "TIMESTAMP": "timestamp"}
_DUMMY = frozenset({"SYSIBM.SYSDUMMY1", "SYSIBM.SYSDUMMYA", "SYSIBM.SYSDUMMYE",
                    "SYSIBM.SYSDUMMYU"})
_PRIMARY = frozenset({"name", "string", "number", "param", "expr"})


class _Rewrite:
    """One statement's DB2 to SQLite rewrite: numbers the ``?`` (so that rewrites may move
    arguments), then rewrites on tokens; extra values (CURRENT DATE, a cursor's row) are
    bound after the host variables."""

    def __init__(self, tables: frozenset[str]) -> None:
        self.tables = tables
        self.inputs = 0
        self.extras: list[str] = []
        self.for_update = False

    def extra(self, kind: str) -> _Token:
        if kind not in self.extras:
            self.extras.append(kind)
        return _Token("param", f"?{self.inputs + 1 + self.extras.index(kind)}")

    def number(self, tokens: list[_Token]) -> list[_Token]:
        out = []
        for token in tokens:
            if token.kind == "param":
                self.inputs += 1
                token = _Token("param", f"?{self.inputs}")
            out.append(token)
        return out

    def run(self, tokens: list[_Token]) -> list[_Token]:
        flat = self.flat(tokens)
        out, end = self.level(flat, 0)
        if end != len(flat):
            raise _SqlError(-104, "42601", "unbalanced parentheses")
        return out

    # -- token-level rewrites (clauses, special registers, names) ----------------------------
    def flat(self, tokens: list[_Token]) -> list[_Token]:
        out: list[_Token] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            skip = self.dropped(tokens, i)
            if skip:
                i += skip
                continue
            if _is(tokens, i, "FETCH", frozenset({"FIRST", "NEXT"})):
                j = i + 2
                count = "1"
                if j < len(tokens) and tokens[j].kind in ("number", "param"):
                    count = tokens[j].text
                    j += 1
                if _is(tokens, j, _ROWS, "ONLY"):
                    out += [_Token("name", "LIMIT"), _Token("number", count)]
                    i = j + 2
                    continue
            if _is(tokens, i, "CURRENT", frozenset(_SPECIALS)):
                out.append(self.extra(_SPECIALS[tokens[i + 1].key]))
                i += 2
                continue
            if token.kind == "name" and token.key in ("CURRENT_DATE", "CURRENT_TIME",
                                                       "CURRENT_TIMESTAMP"):
                out.append(self.extra(_SPECIALS[token.key[8:]]))
                i += 1
                continue
            if _is(tokens, i, "FROM") and i + 1 < len(tokens) and tokens[i + 1].key in _DUMMY:
                i += 2
                continue
            if token.kind == "name" and token.key == "CONCAT" and not (
                    i + 1 < len(tokens) and _is_op(tokens[i + 1], "(")):
                out.append(_Token("op", "||"))
                i += 1
                continue
            out.append(self.unqualified(token))
            i += 1
        return out

    def dropped(self, tokens: list[_Token], i: int) -> int:
        """How many tokens from i form a clause SQLite does without (0: none)."""
        if _is(tokens, i, "WITH", _ISOLATION):
            if _is(tokens, i + 2, "USE", "AND", "KEEP"):
                return 7
            return 2
        if _is(tokens, i, "FOR", frozenset({"READ", "FETCH"}), "ONLY"):
            return 3
        if _is(tokens, i, "FOR", "UPDATE"):
            self.for_update = True
            j = i + 2
            if _is(tokens, j, "OF"):
                j += 2
                while j + 1 < len(tokens) and _is_op(tokens[j], ","):
                    j += 2
            return j - i
        if _is(tokens, i, "OPTIMIZE", "FOR") and _is(tokens, i + 3, _ROWS):
            return 4
        if _is(tokens, i, "QUERYNO"):
            return 2
        if _is(tokens, i, "SKIP", "LOCKED", "DATA"):
            return 3
        return 0

    def unqualified(self, token: _Token) -> _Token:
        """``SCHEMA.TABLE`` → ``TABLE`` (and ``SCHEMA.TABLE.COLUMN`` → ``TABLE.COLUMN``) when
        the part is a table of the database."""
        parts = token.parts()
        if token.kind != "name" or len(parts) < 2:
            return token
        for p in range(len(parts) - 1, 0, -1):
            if parts[p].strip('"').upper() in self.tables:
                return _Token("name", ".".join(parts[p:]))
        return token

    # -- structure: functions and durations ------------------------------------------------
    def level(self, tokens: list[_Token], i: int) -> tuple[list[_Token], int]:
        """Tokens from i to the ``)`` closing this level: parenthesized groups become one
        expr token (functions rewritten), durations rewritten."""
        out: list[_Token] = []
        while i < len(tokens):
            token = tokens[i]
            if _is_op(token, ")"):
                break
            if not _is_op(token, "("):
                out.append(token)
                i += 1
                continue
            inner, i = self.level(tokens, i + 1)
            if i >= len(tokens):
                raise _SqlError(-104, "42601", "unbalanced parentheses")
            i += 1
            name = out[-1].key if out and out[-1].kind == "name" else ""
            replacement = _function(name, [_join(arg) for arg in _split(inner)]) \
                if "." not in name else None
            if replacement is not None:
                out[-1] = _Token("expr", replacement)
            else:
                out.append(_Token("expr", f"({_join(inner)})"))
        return _durations(out), i


def _durations(tokens: list[_Token]) -> list[_Token]:
    """``x ± n DAYS|MONTHS|YEARS`` → SQLite date arithmetic, left to right."""
    out: list[_Token] = []
    for token in tokens:
        if (token.kind == "name" and token.key in _UNITS and len(out) >= 3
                and out[-2].kind == "op" and out[-2].text in "+-"
                and out[-1].kind in _PRIMARY and out[-3].kind in _PRIMARY):
            amount, sign, operand = out.pop(), out.pop().text, out.pop()
            out.append(_Token("expr", _add_duration(operand.text, sign, amount,
                                                    _UNITS[token.key])))
        else:
            out.append(token)
    return out


def _add_duration(operand: str, sign: str, amount: _Token, unit: str) -> str:
    if amount.kind == "number" and re.fullmatch(r"\d+", amount.text):
        modifier = f"'{'-' if sign == '-' else '+'}{int(amount.text)} {unit}'"
    else:
        modifier = f"printf('%+d {unit}', {'-' if sign == '-' else ''}({amount.text}))"
    moved = f"date({operand}, {modifier})"
    if unit == "days":
        return moved
    # DB2: a day past the end of the month becomes its last day (SQLite would overflow)
    return (f"(CASE WHEN strftime('%d', {moved}) = strftime('%d', {operand}) THEN {moved} "
            f"ELSE date({operand}, {modifier}, 'start of month', '-1 day') END)")


_TRIMS = {"B": "TRIM", "BOTH": "TRIM", "L": "LTRIM", "LEADING": "LTRIM", "T": "RTRIM",
          "TRAILING": "RTRIM"}


def _function(name: str, args: list[str]) -> str | None:
    """A DB2 function call in SQLite terms, or None to leave it as written."""
    n = len(args)
    if name == "VALUE" and n >= 2:
        return f"COALESCE({', '.join(args)})"
    if name in ("UCASE", "LCASE") and n == 1:
        return f"{'UPPER' if name == 'UCASE' else 'LOWER'}({args[0]})"
    if name in ("YEAR", "MONTH", "DAY") and n == 1:
        start, length = {"YEAR": (1, 4), "MONTH": (6, 2), "DAY": (9, 2)}[name]
        return f"CAST(substr({args[0]}, {start}, {length}) AS INTEGER)"
    if name == "DAYS" and n == 1:  # days since 0000-12-31: DAYS('0001-01-01') is 1
        return f"CAST(julianday(substr({args[0]}, 1, 10)) - 1721424.5 AS INTEGER)"
    if name == "DATE" and n == 1:
        return f"date(substr({args[0]}, 1, 10))"
    if name in ("INTEGER", "INT", "SMALLINT", "BIGINT") and n == 1:
        return f"CAST({args[0]} AS INTEGER)"
    if name == "STRIP" and n == 1:
        return f"TRIM({args[0]})"
    if name == "STRIP" and n in (2, 3) and args[1].upper() in _TRIMS:
        return f"{_TRIMS[args[1].upper()]}({', '.join([args[0], *args[2:]])})"
    if name == "CONCAT" and n == 2:
        return f"({args[0]} || {args[1]})"
    if name == "POSSTR" and n == 2:
        return f"INSTR({args[0]}, {args[1]})"
    if name == "LOCATE" and n == 2:
        return f"INSTR({args[1]}, {args[0]})"
    if name == "MOD" and n == 2:
        return f"(({args[0]}) % ({args[1]}))"
    return None


# --------------------------------------------------------------------------- DECLARE TABLE

_CHAR_TYPES = frozenset({"CHAR", "CHARACTER", "VARCHAR", "GRAPHIC", "VARGRAPHIC", "CLOB",
                         "DBCLOB", "XML", "LONG", "VARYING", "LARGE", "OBJECT"})
_AFFINITIES = {
    "TEXT": frozenset({"DATE", "TIME", "TIMESTAMP"}),
    "INTEGER": frozenset({"SMALLINT", "INTEGER", "INT", "BIGINT"}),
    "NUMERIC": frozenset({"DECIMAL", "DEC", "NUMERIC"}),
    "REAL": frozenset({"REAL", "FLOAT", "DOUBLE", "PRECISION", "DECFLOAT"}),
    "BLOB": frozenset({"BLOB", "BINARY", "VARBINARY", "ROWID"}),
}
_TYPE_WORDS = _CHAR_TYPES.union(*_AFFINITIES.values())
_DEFAULTS = {
    "TEXT": "''", "INTEGER": "0", "NUMERIC": "0", "REAL": "0", "BLOB": "X''",
    "DATE": "(date('now', 'localtime'))",
    "TIME": "(strftime('%H.%M.%S', 'now', 'localtime'))",
    "TIMESTAMP": "(strftime('%Y-%m-%d-%H.%M.%f000', 'now', 'localtime'))",
}


def create_table_sql(declaration: str) -> str:
    """The SQLite ``CREATE TABLE IF NOT EXISTS`` for an ``EXEC SQL DECLARE t TABLE (...)``
    text (DCLGEN's): character types → TEXT with the RTRIM collation (DB2's blank-padded
    comparison), DATE/TIME/TIMESTAMP → TEXT, SMALLINT/INTEGER/BIGINT → INTEGER, DECIMAL/
    NUMERIC → NUMERIC, REAL/FLOAT/DOUBLE → REAL, BLOB/BINARY → BLOB; NOT NULL kept; ``WITH
    DEFAULT`` gives DB2's default (blank, zero, the current date); the DB2 type is kept as a
    comment. A DECLARE TABLE has no keys: UNIQUE keys must come from the database itself."""
    tokens = _lex(declaration)
    if not (_is(tokens, 0, "DECLARE") and _is(tokens, 2, frozenset({"TABLE", "VIEW"}))
            and len(tokens) > 4 and _is_op(tokens[3], "(") and _is_op(tokens[-1], ")")):
        raise UnsupportedError(f"not a DECLARE TABLE: {' '.join(declaration.split())[:80]}")
    table = tokens[1].parts()[-1]
    columns = [_column_sql(column) for column in _split(tokens[4:-1])]
    return f"CREATE TABLE IF NOT EXISTS {table} (\n  " + ",\n  ".join(columns) + "\n)"


def _column_sql(tokens: list[_Token]) -> str:
    if not tokens or tokens[0].kind != "name":
        raise UnsupportedError(f"column definition {_join(tokens)!r}")
    i = 1
    while i < len(tokens) and tokens[i].kind == "name" and tokens[i].key in _TYPE_WORDS:
        i += 1
    words = [token.key for token in tokens[1:i]]
    if i < len(tokens) and _is_op(tokens[i], "("):
        close = next((j for j in range(i, len(tokens)) if _is_op(tokens[j], ")")), None)
        if close is None:
            raise UnsupportedError(f"column definition {_join(tokens)!r}")
        db2_type = " ".join(words) + "(" + "".join(t.text for t in tokens[i + 1:close]) + ")"
        i = close + 1
    else:
        db2_type = " ".join(words)
    if not words:
        raise UnsupportedError(f"column {tokens[0].text}: no DB2 data type")
    if words[0] in _CHAR_TYPES:
        affinity, collate = "TEXT", " COLLATE RTRIM"
    else:
        affinity = next((name for name, types in _AFFINITIES.items() if words[0] in types), "")
        collate = ""
    if not affinity:
        raise UnsupportedError(f"column {tokens[0].text}: DB2 type {db2_type}")
    rest = tokens[i:]
    keys = [token.key for token in rest]
    constraints = ""
    for j in range(len(rest) - 1):
        if keys[j] == "NOT" and keys[j + 1] == "NULL":
            constraints += " NOT NULL"
    default = next((j for j, key in enumerate(keys) if key == "DEFAULT"), None)
    if default is not None:
        if _is(rest, default + 1, "NULL"):
            constraints += " DEFAULT NULL"
        elif default + 1 < len(rest) and rest[default + 1].kind in ("string", "number"):
            constraints += f" DEFAULT {rest[default + 1].text}"
        elif default + 2 < len(rest) and _is_op(rest[default + 1], "-") \
                and rest[default + 2].kind == "number":
            constraints += f" DEFAULT -{rest[default + 2].text}"
        else:
            constraints += f" DEFAULT {_DEFAULTS.get(words[0], _DEFAULTS[affinity])}"
    return f"{tokens[0].text} {affinity} /* {db2_type} */{collate}{constraints}"


# --------------------------------------------------------------------------- statements


@dataclass(frozen=True)
class _Statement:
    """A statement ready for SQLite: its text, how many host variables fill it, the extra
    values bound after them."""

    verb: str
    sql: str
    inputs: int
    extras: tuple[str, ...] = ()
    into: int | None = None           # host variables of its INTO clause
    cursor: str | None = None         # WHERE CURRENT OF
    for_update: bool = False
    rowid_sql: str | None = None      # a FOR UPDATE cursor's select with the row id last


@dataclass
class _Cursor:
    name: str
    statement: _Statement
    hold: bool = False
    results: sqlite3.Cursor | None = None
    with_rowid: bool = False
    rowid: int | None = None

    @property
    def is_open(self) -> bool:
        return self.results is not None

    def close(self) -> None:
        if self.results is not None:
            self.results.close()
        self.results, self.rowid = None, None


_ERRORS_BY_NAME = {
    "SQLITE_CONSTRAINT_UNIQUE": (-803, "23505"),
    "SQLITE_CONSTRAINT_PRIMARYKEY": (-803, "23505"),
    "SQLITE_CONSTRAINT_NOTNULL": (-407, "23502"),
    "SQLITE_CONSTRAINT_CHECK": (-545, "23513"),
    "SQLITE_CONSTRAINT_FOREIGNKEY": (-530, "23503"),
    "SQLITE_BUSY": (-911, "40001"),
    "SQLITE_LOCKED": (-911, "40001"),
}
_ERRORS_BY_MESSAGE = (
    ("no such table", -204, "42704"),
    ("unknown database", -204, "42704"),
    ("no such column", -206, "42703"),
    ("ambiguous column name", -203, "42702"),
    ("no such function", -440, "42884"),
    ("wrong number of arguments to function", -440, "42884"),
    ("syntax error", -104, "42601"),
    ("incomplete input", -104, "42601"),
    ("unrecognized token", -104, "42601"),
    ("one statement at a time", -104, "42601"),
    ("values for", -117, "42802"),
    ("values were supplied", -117, "42802"),
    ("integer overflow", -802, "22003"),
    ("unique constraint failed", -803, "23505"),
    ("not null constraint failed", -407, "23502"),
    ("database is locked", -911, "40001"),
)


def _map_error(error: sqlite3.Error, verb: str) -> _SqlError:
    """A SQLite error as DB2's SQLCODE and SQLSTATE (-1 and HY000 when DB2 has no match)."""
    message = str(error)
    if message.startswith(("Incorrect number of bindings", "Error binding parameter")):
        raise SqlUsageError(message) from error
    name = getattr(error, "sqlite_errorname", "") or ""
    code, state = _ERRORS_BY_NAME.get(name, (-1, "HY000"))
    if code == -1:
        lowered = message.lower()
        for text, known_code, known_state in _ERRORS_BY_MESSAGE:
            if text in lowered:
                code, state = known_code, known_state
                break
    if code == -530 and verb == "DELETE":
        code, state = -532, "23504"
    return _SqlError(code, state, message)


_NO_OPS = frozenset({"LOCK", "INCLUDE", "CONNECT"})
_DDL = frozenset({"CREATE", "DROP", "ALTER", "RENAME"})
_SESSIONS: weakref.WeakSet[SqlSession] = weakref.WeakSet()


class SqlSession:
    """A run unit's connection to the database, with the program's SQLCA and cursors.

    ``sqlca`` is the program's 136-byte SQLCA record; ``database`` a SQLite file (default:
    the ``MODERNIZE_SQL_DATABASE`` environment variable, else ``db2.sqlite`` in the working
    directory); ``declarations`` the program's ``EXEC SQL DECLARE t TABLE (...)`` texts,
    whose tables are created when the database lacks them (:func:`create_table_sql`).
    Every public method returns SQLCODE and sets the SQLCA (see the module docstring)."""

    def __init__(self, sqlca: Item, *, database: str | None = None,
                 declarations: Sequence[str] = ()) -> None:
        self.sqlca = _Sqlca(sqlca)
        self.sqlca.reset()
        self.database = database or os.environ.get(DATABASE_ENV) or DEFAULT_DATABASE
        self.connection = sqlite3.connect(self.database, isolation_level=None)
        self.statistics: Counter[tuple[str, int]] = Counter()
        self._cursors: dict[str, _Cursor] = {}
        self._prepared: dict[tuple[str, str], _Statement] = {}
        self._count = 0
        self._closed = False
        try:
            self.connection.execute("PRAGMA foreign_keys = ON")
            self._tables = self._load_tables()
            for declaration in declarations:
                self._create_table(declaration)
        except BaseException:
            self.connection.close()
            raise
        _SESSIONS.add(self)
        log.debug("SQL session on %s", self.database)

    # -- public API -----------------------------------------------------------------------
    def execute(self, sql: str, inputs: Sequence[HostRef] = (),
                outputs: Sequence[HostRef] = ()) -> int:
        """Run one embedded SQL statement (``?`` for each host variable: ``inputs`` in
        order, ``outputs`` for the INTO targets); returns SQLCODE."""
        return self._report(sql, lambda: self._execute(sql, [_host(h) for h in inputs],
                                                       [_host(h) for h in outputs]))

    def declare_cursor(self, name: str, select: str, *, hold: bool = False) -> None:
        """DECLARE name CURSOR [WITH HOLD] FOR select. ``select`` may also be the whole
        DECLARE statement (its WITH HOLD then counts). Nothing runs until OPEN."""
        tokens = _lex(select)
        if _is(tokens, 0, "DECLARE"):
            for_at = next((i for i in range(len(tokens)) if _is(tokens, i, "FOR")), None)
            if for_at is None or not _is(tokens, 2, "CURSOR"):
                raise SqlUsageError(f"not a DECLARE CURSOR: {select[:80]}")
            name = tokens[1].text
            hold = hold or any(_is(tokens, i, "WITH", "HOLD") for i in range(for_at))
            tokens = tokens[for_at + 1:]
        key = name.upper()
        if key in self._cursors:
            self._cursors[key].close()
        self._cursors[key] = _Cursor(key, self._cursor_statement(select, tokens), hold)
        log.debug("SQL cursor %s declared%s", key, " WITH HOLD" if hold else "")

    def open_cursor(self, name: str, inputs: Sequence[HostRef] = ()) -> int:
        """OPEN: runs the cursor's SELECT with the host variables' values now."""
        return self._report(f"OPEN {name}",
                            lambda: self._open(name, [_host(h) for h in inputs]))

    def fetch(self, name: str, outputs: Sequence[HostRef]) -> int:
        """FETCH [NEXT] name INTO outputs: 0 with a row, +100 at the end."""
        return self._report(f"FETCH {name}",
                            lambda: self._fetch(name, [_host(h) for h in outputs]))

    def close_cursor(self, name: str) -> int:
        """CLOSE name."""
        return self._report(f"CLOSE {name}", lambda: self._close_cursor(name))

    def commit(self) -> int:
        """COMMIT (WORK)."""
        return self.execute("COMMIT")

    def rollback(self) -> int:
        """ROLLBACK (WORK)."""
        return self.execute("ROLLBACK")

    def close(self, *, abend: bool = False) -> None:
        """End of the run: commit the pending unit of work (DB2's implicit commit at a batch
        program's normal end), or roll it back when ``abend``; then disconnect."""
        if self._closed:
            return
        self._closed = True
        try:
            if self.connection.in_transaction:
                if abend:
                    self._close_cursors(hold_too=True)
                    self.connection.execute("ROLLBACK")
                else:
                    self.connection.execute("COMMIT")
        except sqlite3.Error as error:
            log.error("SQL %s at the end of the run failed: %s",
                      "ROLLBACK" if abend else "COMMIT", error)
            raise
        finally:
            self._close_cursors(hold_too=True)
            self.connection.close()
            _SESSIONS.discard(self)
            log.debug("SQL session closed (%s): %d statements %s",
                      "rolled back" if abend else "committed", self._count,
                      dict(self.statistics))

    def __enter__(self) -> SqlSession:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        normal = kind is None or issubclass(kind, StopRun | GoBack)
        self.close(abend=not normal)

    # -- reporting ------------------------------------------------------------------------
    def _report(self, sql: str, run: Callable[[], _Outcome]) -> int:
        if self._closed:
            raise SqlUsageError("SQL statement after the session was closed")
        self._count += 1
        verb = sql.split(None, 1)[0].upper() if sql.strip() else "?"
        try:
            outcome = run()
        except _SqlError as error:
            outcome = _Outcome(error.code, error.state, 0, error.message)
        except sqlite3.Error as error:
            mapped = _map_error(error, verb)
            outcome = _Outcome(mapped.code, mapped.state, 0, mapped.message)
        self.sqlca.report(outcome)
        self.statistics[(verb, outcome.code)] += 1
        if log.isEnabledFor(logging.DEBUG):
            log.debug("SQL %d: %s -> SQLCODE %d SQLSTATE %s rows %d%s", self._count,
                      " ".join(sql.split()), outcome.code, outcome.state, outcome.rows,
                      f" ({outcome.message})" if outcome.message else "")
        return outcome.code

    # -- statements -----------------------------------------------------------------------
    def _execute(self, sql: str, inputs: list[HostVar], outputs: list[HostVar]) -> _Outcome:
        tokens = list(_lex_cached(sql))
        if not tokens:
            raise _SqlError(-104, "42601", "empty statement")
        verb = tokens[0].key
        if verb in ("COMMIT", "ROLLBACK") and not _is(tokens, 1, "TO") \
                and not _is(tokens, 2, "TO"):
            return self._end_unit(verb == "COMMIT")
        if verb == "WHENEVER":
            raise SqlUsageError("WHENEVER is a precompiler directive: the translator applies "
                                "it")
        if verb == "DECLARE":
            return self._declare(sql, tokens)
        if verb == "OPEN" and len(tokens) == 2:
            return self._open(tokens[1].text, inputs)
        if verb == "FETCH":
            return self._fetch_statement(tokens, outputs)
        if verb == "CLOSE" and len(tokens) == 2:
            return self._close_cursor(tokens[1].text)
        if self._no_op(tokens):
            return _Outcome()
        statement = self._statement(sql, tokens)
        if statement.into is not None and statement.into != len(outputs):
            raise SqlUsageError(f"{statement.into} INTO host variables in the text, "
                                f"{len(outputs)} outputs given: {sql[:80]}")
        params = self._bind(statement, inputs)
        self._begin()
        if statement.verb == "SELECT":
            return self._select_into(statement, params, outputs)
        results = self.connection.execute(statement.sql, params)
        rows = max(results.rowcount, 0)
        results.close()
        if statement.verb in _DDL:
            self._prepared.clear()
            self._tables = self._load_tables()
        if statement.verb in ("INSERT", "UPDATE", "DELETE") and rows == 0:
            if statement.cursor is not None:
                raise _SqlError(-508, "24504", f"cursor {statement.cursor} is not on a row")
            return _Outcome(100, "02000")
        if statement.cursor is not None and statement.verb == "DELETE":
            self._cursors[statement.cursor].rowid = None
        return _Outcome(rows=rows)

    def _no_op(self, tokens: list[_Token]) -> bool:
        verb = tokens[0].key
        if verb in _NO_OPS or _is(tokens, 0, frozenset({"BEGIN", "END"}), "DECLARE"):
            return True
        if verb == "SET" and _is(tokens, 1, "CURRENT"):
            return True
        return verb == "RELEASE" and not any(token.key == "SAVEPOINT" for token in tokens)

    def _end_unit(self, commit: bool) -> _Outcome:
        if commit:
            if self.connection.in_transaction:
                self.connection.execute("COMMIT")
            self._close_cursors(hold_too=False)
        else:
            self._close_cursors(hold_too=True)
            if self.connection.in_transaction:
                self.connection.execute("ROLLBACK")
        return _Outcome()

    def _declare(self, sql: str, tokens: list[_Token]) -> _Outcome:
        if _is(tokens, 2, "CURSOR"):
            self.declare_cursor(tokens[1].text, sql)
        elif _is(tokens, 2, frozenset({"TABLE", "VIEW"})):
            self._create_table(sql)
        elif not _is(tokens, 2, "STATEMENT"):
            raise _SqlError(-104, "42601", f"DECLARE {' '.join(t.text for t in tokens[2:3])}"
                                           " is not supported")
        return _Outcome()

    def _select_into(self, statement: _Statement, params: list[object],
                     outputs: list[HostVar]) -> _Outcome:
        results = self.connection.execute(statement.sql, params)
        try:
            rows = results.fetchmany(2)
        finally:
            results.close()
        if not rows:
            return _Outcome(100, "02000")
        if len(rows) > 1:
            raise _SqlError(-811, "21000", "more than one row for SELECT INTO")
        return _Outcome(rows=1, warnings=_assign_row(outputs, rows[0]))

    # -- cursors --------------------------------------------------------------------------
    def _cursor(self, name: str) -> _Cursor:
        cursor = self._cursors.get(name.upper())
        if cursor is None:
            raise _SqlError(-504, "34000", f"cursor {name} is not declared")
        return cursor

    def _open(self, name: str, inputs: list[HostVar]) -> _Outcome:
        cursor = self._cursor(name)
        if cursor.is_open:
            raise _SqlError(-502, "24502", f"cursor {cursor.name} is already open")
        statement = cursor.statement
        params = self._bind(statement, inputs)
        self._begin()
        cursor.with_rowid = False
        if statement.rowid_sql is not None:
            try:
                cursor.results = self.connection.execute(statement.rowid_sql, params)
                cursor.with_rowid = True
            except sqlite3.Error as error:
                log.debug("SQL cursor %s without row ids (%s)", cursor.name, error)
        if cursor.results is None:
            cursor.results = self.connection.execute(statement.sql, params)
        cursor.rowid = None
        return _Outcome()

    def _fetch(self, name: str, outputs: list[HostVar]) -> _Outcome:
        cursor = self._cursor(name)
        if cursor.results is None:
            raise _SqlError(-501, "24501", f"cursor {cursor.name} is not open")
        row = cursor.results.fetchone()
        if row is None:
            cursor.rowid = None
            return _Outcome(100, "02000")
        if cursor.with_rowid:
            cursor.rowid, row = row[-1], row[:-1]
        return _Outcome(rows=1, warnings=_assign_row(outputs, row))

    def _fetch_statement(self, tokens: list[_Token], outputs: list[HostVar]) -> _Outcome:
        i = 1
        if _is(tokens, i, "NEXT"):
            i += 1
        if _is(tokens, i, "FROM"):
            i += 1
        if i >= len(tokens) or tokens[i].kind != "name" or not (
                i + 1 == len(tokens) or _is(tokens, i + 1, "INTO")):
            raise UnsupportedError(f"FETCH {_join(tokens[1:])[:60]}: only FETCH [NEXT] "
                                   "[FROM] cursor INTO ... is supported")
        into = [token for token in tokens[i + 2:] if token.kind == "param"]
        if len(into) != len(outputs):
            raise SqlUsageError(f"FETCH with {len(into)} host variables in the text and "
                                f"{len(outputs)} outputs")
        return self._fetch(tokens[i].text, outputs)

    def _close_cursor(self, name: str) -> _Outcome:
        cursor = self._cursor(name)
        if not cursor.is_open:
            raise _SqlError(-501, "24501", f"cursor {cursor.name} is not open")
        cursor.close()
        return _Outcome()

    def _close_cursors(self, hold_too: bool) -> None:
        for cursor in self._cursors.values():
            if cursor.is_open and (hold_too or not cursor.hold):
                cursor.close()

    # -- preparing ------------------------------------------------------------------------
    def _begin(self) -> None:
        if not self.connection.in_transaction:
            self.connection.execute("BEGIN")

    def _load_tables(self) -> frozenset[str]:
        rows = self.connection.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").fetchall()
        return frozenset(str(name).upper() for (name,) in rows)

    def _create_table(self, declaration: str) -> None:
        sql = create_table_sql(declaration)
        log.debug("SQL declared table: %s", " ".join(sql.split()))
        self.connection.execute(sql)
        self._prepared.clear()
        self._tables = self._load_tables()

    def _bind(self, statement: _Statement, inputs: list[HostVar]) -> list[object]:
        if len(inputs) != statement.inputs:
            raise SqlUsageError(f"{statement.inputs} input host variables in the text, "
                                f"{len(inputs)} given: {statement.sql[:80]}")
        params = [_input_value(host) for host in inputs]
        if statement.extras:
            now = current_datetime()
            for kind in statement.extras:
                if kind == "date":
                    params.append(f"{now:%Y-%m-%d}")
                elif kind == "time":
                    params.append(f"{now:%H.%M.%S}")
                elif kind == "timestamp":
                    params.append(f"{now:%Y-%m-%d-%H.%M.%S}.{now.microsecond:06d}")
                else:
                    params.append(self._current_row(statement))
        return params

    def _current_row(self, statement: _Statement) -> int:
        assert statement.cursor is not None
        cursor = self._cursor(statement.cursor)
        if not cursor.is_open:
            raise _SqlError(-507, "24501", f"cursor {cursor.name} is not open")
        if not cursor.with_rowid:
            raise _SqlError(-510, "42828", f"cursor {cursor.name} is not declared FOR UPDATE "
                                           "of a single table")
        if cursor.rowid is None:
            raise _SqlError(-508, "24504", f"cursor {cursor.name} is not on a row")
        return cursor.rowid

    def _statement(self, sql: str, tokens: list[_Token]) -> _Statement:
        key = ("statement", sql)
        statement = self._prepared.get(key)
        if statement is None:
            statement = self._prepared[key] = self._prepare(tokens)
            log.debug("SQL prepared: %s => %s", " ".join(sql.split()), statement.sql)
        return statement

    def _prepare(self, tokens: list[_Token]) -> _Statement:
        verb = tokens[0].key
        into: int | None = None
        if verb in ("SELECT", "WITH"):
            tokens, into = _without_into(tokens)
            verb = "SELECT"
        elif verb == "VALUES":
            tokens, into = _without_into(tokens)
            tokens = [_Token("name", "SELECT"), *tokens[1:]]
            verb = "SELECT"
        elif verb == "SET":
            tokens, into = _set_as_select(tokens)
            verb = "SELECT"
        rewrite = _Rewrite(self._tables)
        tokens = rewrite.number(tokens)
        cursor = None
        if verb in ("UPDATE", "DELETE"):
            for i in range(len(tokens) - 2):
                if _is(tokens, i, "CURRENT", "OF"):
                    cursor = tokens[i + 2].key
                    tokens = [*tokens[:i], _Token("name", "_ROWID_"), _Token("op", "="),
                              rewrite.extra("rowid"), *tokens[i + 3:]]
                    break
        elif verb == "SAVEPOINT":
            tokens = tokens[:2]
        elif verb == "RELEASE":
            tokens = [tokens[0], _Token("name", "SAVEPOINT"), tokens[-1]]
        elif verb == "ROLLBACK":
            if not _is(tokens, len(tokens) - 2, "SAVEPOINT"):
                raise _SqlError(-104, "42601", "ROLLBACK TO SAVEPOINT needs the savepoint's "
                                               "name here")
            tokens = [tokens[0], _Token("name", "TO"), *tokens[-2:]]
        out = rewrite.run(tokens)
        return _Statement(verb, _join(out), rewrite.inputs, tuple(rewrite.extras), into,
                          cursor)

    def _cursor_statement(self, text: str, tokens: list[_Token]) -> _Statement:
        key = ("cursor", text)
        statement = self._prepared.get(key)
        if statement is not None:
            return statement
        if not tokens or tokens[0].key not in ("SELECT", "WITH", "VALUES", "("):
            raise SqlUsageError(f"a cursor for something else than a SELECT: {text[:80]}")
        rewrite = _Rewrite(self._tables)
        try:
            out = rewrite.run(rewrite.number(tokens))
        except _SqlError:  # SQLite reports it at OPEN
            out = tokens
        rowid_sql = None
        if rewrite.for_update:
            at = next((i for i, token in enumerate(out) if _is(out, i, "FROM")), None)
            if at is not None:
                rowid_sql = _join([*out[:at], _Token("op", ","), _Token("name", "_ROWID_"),
                                   *out[at:]])
        statement = _Statement("SELECT", _join(out), rewrite.inputs, tuple(rewrite.extras),
                               for_update=rewrite.for_update, rowid_sql=rowid_sql)
        self._prepared[key] = statement
        log.debug("SQL prepared cursor: %s => %s", " ".join(text.split()), statement.sql)
        return statement


def _without_into(tokens: list[_Token]) -> tuple[list[_Token], int | None]:
    """A SELECT (or VALUES) without its ``INTO ?, ?...`` clause, and how many ``?`` it had
    (None: no INTO)."""
    depth = 0
    for i, token in enumerate(tokens):
        if token.kind == "op" and token.text in "()":
            depth += 1 if token.text == "(" else -1
        elif depth == 0 and _is(tokens, i, "INTO"):
            j = i + 1
            count = 0
            while j < len(tokens) and tokens[j].kind == "param":
                count += 1
                j += 1
                if j < len(tokens) and _is_op(tokens[j], ",") and j + 1 < len(tokens) \
                        and tokens[j + 1].kind == "param":
                    j += 1
                else:
                    break
            if count == 0:
                raise SqlUsageError("INTO without '?' host variables")
            return [*tokens[:i], *tokens[j:]], count
    return tokens, None


def _set_as_select(tokens: list[_Token]) -> tuple[list[_Token], int]:
    """``SET ? = expr`` / ``SET (?, ?) = (expr, expr)`` as ``SELECT expr, ...``."""
    equals = next((i for i, token in enumerate(tokens) if _is_op(token, "=")), None)
    targets = [token for token in tokens[1:equals or 1] if token.kind == "param"]
    if equals is None or not targets:
        raise _SqlError(-104, "42601", "SET without host variables")
    values = tokens[equals + 1:]
    if len(targets) > 1 and values and _is_op(values[0], "(") and _is_op(values[-1], ")"):
        values = values[1:-1]
    return [_Token("name", "SELECT"), *values], len(targets)


def close_all(abend: bool = False) -> None:
    """Close every open session (at STOP RUN: commit; at an abend: roll back)."""
    for session in list(_SESSIONS):
        session.close(abend=abend)
