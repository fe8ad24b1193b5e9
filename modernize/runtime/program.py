"""What a translated COBOL program runs on besides its data: records, procedures, CALL, STOP RUN.

A translated program is a :class:`Program` subclass whose methods are its paragraphs and
sections, in source order in ``PROCEDURES``. A procedure method returns ``None`` when control
falls off its end, the key of a procedure when it ends in a GO TO, and :class:`EndOf` a key
when control is at the end of that procedure (EXIT SECTION). Control follows COBOL:

* falling off a procedure goes to the next one in source order, unless that procedure is the
  end of the innermost active PERFORM, which then returns (GnuCOBOL checks only the innermost
  PERFORM's exit, so does this);
* ``perform(first, last)`` runs first THRU last (a section: its own statements and its
  paragraphs); a GO TO inside jumps within the same run;
* falling off the last procedure ends the program (STOP RUN in a main program, GOBACK in a
  called one); ``StopRun`` and ``GoBack`` unwind to ``main`` or to the CALL.

Records (:class:`Record`) are groups whose fields are made by helper methods that also note what
INITIALIZE and the initial VALUEs need. :func:`main` runs a program as ``python prog.py`` the
way the compiled COBOL runs: the same files, environment, standard input and output, and exit
status (RETURN-CODE).
"""

from __future__ import annotations

import contextlib
import decimal
import importlib.util
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from ..core.names import module_name
from .arithmetic import CONTEXT, compute
from .arithmetic import quotient as truncated_quotient
from .collating import CollatingSequence, collating
from .conditions import Condition
from .errors import CobolRuntimeError, UnsupportedError
from .fields import (
    NUMERIC_TYPES,
    EditedField,
    Field,
    Group,
    HeldNumeric,
    Item,
    NumericField,
    Table,
    VariableGroup,
    field,
)
from .figurative import SPACES, ZEROS, Figurative
from .services import Abend, call_service

_Made = TypeVar("_Made")

log = logging.getLogger(__name__)

UNSUPPORTED_EXIT = 70
"""Exit status of a translated program stopped at a statement the translator did not support."""


class StopRun(Exception):  # noqa: N818 - a control transfer, not an error
    """STOP RUN (or GOBACK in the main program): end the run unit."""


class GoBack(Exception):  # noqa: N818 - a control transfer, not an error
    """GOBACK / EXIT PROGRAM in a called program: return to the caller."""


class NextSentence(Exception):  # noqa: N818 - a control transfer, not an error
    """NEXT SENTENCE: continue after the period of the current sentence."""


class ExitPerform(Exception):  # noqa: N818 - a control transfer, not an error
    """EXIT PERFORM: leave the innermost inline PERFORM (its loop ends)."""


class CyclePerform(Exception):  # noqa: N818 - a control transfer, not an error
    """EXIT PERFORM CYCLE: end this iteration of the innermost inline PERFORM (a VARYING
    loop then steps its variables and tests again)."""


class EndOf(str):
    """A procedure's return value meaning "control is at the end of this procedure" rather
    than "GO TO this procedure": EXIT SECTION returns the end of the section's last paragraph,
    so a PERFORM of the section returns there and otherwise control falls through."""

    __slots__ = ()


class UnsupportedStatementError(CobolRuntimeError):
    """The program reached a statement the translator could not translate."""

    def __init__(self, program: str, line: int, construct: str) -> None:
        self.program, self.line, self.construct = program, line, construct
        super().__init__(f"{program} line {line}: {construct} is not supported by the "
                         "translator; this run cannot go on (see translation.json)")


class ProgramNotFoundError(CobolRuntimeError):
    """A CALL named a program that has no translation next to the caller."""


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class _Entry:
    """An elementary item (or a table of them) as INITIALIZE and VALUE see it."""

    item: Item | Table[Any]
    category: str  # alphanumeric, numeric, numeric-edited, group-table
    value: Any = None
    filler: bool = False
    redefines: tuple[int, int] | None = None  # (offset, length) of the REDEFINES above it


class CachedTable(Table[Any]):
    """An OCCURS table that makes each element once (elements of groups are objects)."""

    def __init__(self, offset: int, count: int, stride: int,
                 make: Callable[[int], Any]) -> None:
        super().__init__(offset, count, stride, make)
        self._made: dict[int, Any] = {}

    def __getitem__(self, index: int) -> Any:
        try:
            return self._made[index]
        except KeyError:
            element = self._made[index] = super().__getitem__(index)
            return element


def _category(item: Item) -> str:
    if isinstance(item, NumericField):
        return "numeric"
    picture = getattr(item, "picture", "")
    if isinstance(item, EditedField):
        return "numeric-edited"
    if getattr(item, "_symbols", ""):  # X, A or 9 with B, 0 or / inserted
        return "alphanumeric-edited"
    if "A" in picture.upper() and not set(picture.upper()) & set("X9"):
        return "alphabetic"
    return "alphanumeric"


class Record(Group):
    """A group item of a translated program: an 01 record, or one element of an OCCURS group.

    Generated subclasses make their fields in ``__init__`` with :meth:`elementary`,
    :meth:`group`, :meth:`table` and :meth:`condition`, at offsets relative to the record.
    """

    LENGTH: ClassVar[int] = 0

    def __init__(self, buffer: bytearray | None = None, offset: int = 0) -> None:
        if buffer is None:
            buffer = bytearray(b" " * self.LENGTH)
        super().__init__(buffer, offset, self.LENGTH)
        self._entries: list[_Entry] = []
        self._group_values: list[tuple[Group, Any]] = []

    # -- making fields ---------------------------------------------------------------------
    def elementary(self, offset: int, picture: str, usage: str = "DISPLAY", *,
                   value: Any = None, filler: bool = False,
                   redefines: tuple[int, int] | None = None, **options: Any) -> Any:
        """An elementary item at ``offset`` (relative); ``options`` as for ``field``."""
        item = field(self.buffer, self.offset + offset, picture, usage, **options)
        self._entries.append(_Entry(item, _category(item), value, filler,
                                    _absolute(self, redefines)))
        return item

    def held(self, offset: int, picture: str, usage: str = "DISPLAY", *, value: Any = None,
             **options: Any) -> HeldNumeric:
        """A numeric item the translator proved private, holding its value as an int (see
        :class:`~.fields.HeldNumeric`); its bytes in the record are never read."""
        item = HeldNumeric(self.offset + offset, picture, usage, **options)
        self._entries.append(_Entry(item, "numeric", value, False, None))
        return item

    def group(self, offset: int, length: int,
              odo: tuple[int, int, bool] | None = None, *, value: Any = None) -> Group:
        """A group item; ``odo`` = (fixed, stride, owns) makes it a :class:`VariableGroup`
        (it ends with an OCCURS DEPENDING ON table); ``value`` is its VALUE clause, which
        sets the group's bytes over whatever its items start with."""
        if odo is not None:
            group: Group = VariableGroup(self.buffer, self.offset + offset, length, *odo)
        else:
            group = Group(self.buffer, self.offset + offset, length)
        if value is not None:
            self._group_values.append((group, value))
        return group

    def unsupported_item(self, offset: int, length: int, reason: str) -> UnsupportedItem:
        """An item the runtime cannot hold (USAGE POINTER …): its bytes are kept, and any
        statement that reads or sets it stops the run."""
        return UnsupportedItem(self.buffer, self.offset + offset, length, reason)

    def table(self, offset: int, count: int, stride: int, make: Callable[[int], Any], *,
              value: Any = None, filler: bool = False,
              redefines: tuple[int, int] | None = None) -> CachedTable:
        """OCCURS ``count`` elements ``stride`` bytes apart; ``make(absolute offset)``."""
        table = CachedTable(self.offset + offset, count, stride, make)
        probe = table[1]
        category = "group-table" if isinstance(probe, Record | CachedTable) else \
            _category(probe)
        self._entries.append(_Entry(table, category, value, filler, _absolute(self, redefines)))
        return table

    def condition(self, item: Item, values: Sequence[Any] = (),
                  ranges: Sequence[tuple[Any, Any]] = (), *,
                  range_first: bool = False) -> Condition:
        return Condition(item, values, ranges, range_first=range_first)

    # -- VALUE and INITIALIZE --------------------------------------------------------------
    def initial_values(self) -> None:
        """Storage as the program starts: each item's VALUE, else spaces or zero by type
        (GnuCOBOL's default for WORKING-STORAGE); a REDEFINES keeps what it overlays."""
        for entry in self._entries:
            if entry.redefines is not None:
                continue
            for item in _elements(entry.item):
                if isinstance(item, Record):
                    item.initial_values()
                elif entry.value is not None:
                    item.set_initial(entry.value)
                else:
                    item.set(ZEROS if entry.category in ("numeric", "numeric-edited")
                             else SPACES)
        for group, value in self._group_values:
            group.set(value)

    def initialize(self, target: Item | None = None,
                   replacing: Sequence[tuple[str, Any]] = ()) -> None:
        """INITIALIZE ``target`` (a group within this record, default the whole record):
        alphanumeric items to spaces, numeric and numeric-edited to zero; FILLER and items
        under a REDEFINES inside the target are left alone. ``replacing`` holds (category,
        value) pairs: then only items of those categories change, to those values."""
        start = self.offset if target is None else target.offset
        end = start + (self.length if target is None else target.length)
        for entry in self._entries:
            if entry.filler:
                continue
            if entry.redefines is not None and start <= entry.redefines[0] and \
                    entry.redefines[0] + entry.redefines[1] <= end and \
                    entry.redefines != (start, end - start):
                continue
            for item in _elements(entry.item):
                if not start <= item.offset < end:
                    continue
                if isinstance(item, Record):
                    item.initialize(None if item.offset >= start and
                                    item.offset + item.length <= end else target, replacing)
                    continue
                _initialize_item(item, entry.category, replacing)


class UnsupportedItem(Item):
    """The bytes of an item whose kind the runtime does not implement; using it raises."""

    __slots__ = ("reason",)

    def __init__(self, buffer: bytearray, offset: int, length: int, reason: str) -> None:
        super().__init__(buffer, offset, length)
        self.reason = reason

    def get(self) -> Any:
        raise UnsupportedError(f"{self.reason}: reading this item is not supported")

    def set(self, value: Any) -> None:
        raise UnsupportedError(f"{self.reason}: setting this item is not supported")


def _absolute(record: Record, span: tuple[int, int] | None) -> tuple[int, int] | None:
    return None if span is None else (record.offset + span[0], span[1])


def _elements(item: Item | Table[Any]) -> Iterator[Any]:
    if isinstance(item, Table):
        for element in item:
            yield from _elements(element)
    else:
        yield item


def _initialize_item(item: Item, category: str, replacing: Sequence[tuple[str, Any]]) -> None:
    if replacing:  # each category only its own items (ALPHANUMERIC is not ALPHABETIC)
        for wanted, value in replacing:
            if wanted == category:
                item.set(value)
        return
    item.set(ZEROS if category in ("numeric", "numeric-edited") else SPACES)


def initialize(item: Item, replacing: Sequence[tuple[str, Any]] = ()) -> None:
    """INITIALIZE an elementary item, or a whole record."""
    if isinstance(item, Record):
        item.initialize(None, replacing)
    elif isinstance(item, Field):
        _initialize_item(item, _category(item), replacing)
    else:
        raise UnsupportedError("INITIALIZE of a group that is not a record: initialize it "
                               "through its record (record.initialize(group))")


# --------------------------------------------------------------------------- values


def index(value: Decimal | int | Item) -> int:
    """A subscript or reference-modification position as a Python int."""
    if type(value) in NUMERIC_TYPES and value.scale == 0:  # type: ignore[union-attr]
        return value.integer()  # type: ignore[union-attr]
    if isinstance(value, Item):
        value = value.get()  # type: ignore[assignment]
    return int(value)  # type: ignore[arg-type]


def number(value: Decimal | int | Item) -> Decimal:
    """An arithmetic operand's value."""
    if isinstance(value, NumericField):
        return value.get()
    if isinstance(value, Item):
        if isinstance(value, EditedField):
            return value.value()
        raise UnsupportedError(f"{value!r} used as a number")
    if isinstance(value, Figurative):
        if value.is_zero:
            return Decimal(0)
        raise UnsupportedError(f"{value.name} used as a number")
    return Decimal(value)


def depending(selector: Item, targets: Sequence[str]) -> str | None:
    """GO TO ... DEPENDING ON: the n-th target, or None (next statement) when out of range."""
    n = index(selector)
    return targets[n - 1] if 1 <= n <= len(targets) else None


# --------------------------------------------------------------------------- special registers


class _Registers:
    """Special registers shared by the run unit (GnuCOBOL keeps one RETURN-CODE). Their
    pictures are GnuCOBOL's, which DISPLAY shows: RETURN-CODE and SORT-RETURN ``S9(9)
    BINARY`` (``+000000004``), TALLY ``9(5) BINARY`` (``00002``)."""

    def __init__(self) -> None:
        self.return_code = NumericField(bytearray(4), 0, "S9(9)", "COMP")
        self.sort_return = NumericField(bytearray(4), 0, "S9(9)", "COMP")
        self.tally = NumericField(bytearray(4), 0, "9(5)", "COMP")


REGISTERS = _Registers()


# --------------------------------------------------------------------------- programs


Procedure = Callable[[Any], "str | None"]


class Program:
    """Base of a translated program: the procedure table, PERFORM, CALL and the run."""

    NAME: ClassVar[str] = ""
    SOURCE: ClassVar[str] = ""
    PROCEDURES: ClassVar[tuple[tuple[str, Procedure], ...]] = ()
    RANGES: ClassVar[dict[str, str]] = {}
    """For each section key, the key of its last procedure (PERFORM section runs to there)."""
    START: ClassVar[str | None] = None
    """The first procedure after DECLARATIVES, where the run starts (None: the first one)."""
    DECLARATIVES: ClassVar[dict[str, str]] = {}
    """USE AFTER ERROR sections: ``FILE:<select name>`` or ``MODE:<open mode>`` → key."""
    COLLATING: ClassVar[CollatingSequence | None] = None
    """The PROGRAM COLLATING SEQUENCE (None: native): nonnumeric comparisons use it while the
    program runs."""

    def __init__(self) -> None:
        self.registers = REGISTERS
        self.called = False
        self._index = {key: i for i, (key, _) in enumerate(self.PROCEDURES)}
        self.altered: dict[str, str] = {}
        self._linkage: dict[str, tuple[bytearray, int, Any]] = {}

    def linkage(self, name: str, argument: Item, make: Callable[[bytearray, int], _Made]
                ) -> _Made:
        """The LINKAGE item ``name`` over the bytes a CALL passes in ``argument``: made at the
        first CALL, and again only when a CALL passes other bytes. (A record is an object per
        item: making it anew at every CALL was most of a small subprogram's time. It holds no
        state of its own beyond the bytes, so the one made before serves as well.)"""
        known = self._linkage.get(name)
        if known is not None and known[0] is argument.buffer and known[1] == argument.offset:
            return known[2]  # type: ignore[no-any-return]
        made = make(argument.buffer, argument.offset)
        self._linkage[name] = (argument.buffer, argument.offset, made)
        return made

    # -- control flow ----------------------------------------------------------------------
    def perform(self, first: str, last: str | None = None) -> None:
        """PERFORM first [THRU last]; a section as ``last`` ends the range at the end of its
        last paragraph."""
        self._run(first, self.RANGES.get(last or first, last or first))

    def run_from_start(self) -> None:
        """Run the PROCEDURE DIVISION from its first statement (after DECLARATIVES), under
        the program's collating sequence (a caller's comes back when it returns)."""
        if self.PROCEDURES:
            with collating(self.COLLATING):
                self._run(self.START or self.PROCEDURES[0][0], None)

    def bind_declaratives(self) -> None:
        """Give every file of the program its USE AFTER ERROR procedure, if there is one."""
        if not self.DECLARATIVES:
            return
        from .files import CobolFile
        for value in vars(self).values():
            if isinstance(value, CobolFile):
                value.use_procedure = self._use_procedure

    def _use_procedure(self, file: Any) -> bool:
        """PERFORM the declarative for ``file`` (by name, else by its open mode); False when
        none applies."""
        key = self.DECLARATIVES.get(f"FILE:{file.name}") or self.DECLARATIVES.get(
            f"MODE:{file.mode or file.attempted_mode}")
        if key is None:
            return False
        self.perform(key)
        return True

    def _run(self, first: str, last: str | None) -> None:
        i = self._index[first]
        while True:
            key, procedure = self.PROCEDURES[i]
            target = procedure(self)
            if target is not None:
                i = self._index[target]
                if not isinstance(target, EndOf):
                    continue
                key = target
            if key == last:
                return
            i += 1
            if i == len(self.PROCEDURES):
                # past the last statement: an implicit STOP RUN / GOBACK
                raise GoBack() if self.called else StopRun()

    def unsupported(self, line: int, construct: str) -> None:
        raise UnsupportedStatementError(self.NAME, line, construct)

    def stop_run(self) -> None:
        raise StopRun()

    def stop_literal(self, message: str | bytes | int | Decimal) -> None:
        """STOP literal: the message goes to the console, then the operator's reply (a line
        of standard input) is read and dropped, and the run goes on (GnuCOBOL 3.1.2)."""
        from .display import display
        display(message)
        sys.stdin.buffer.readline()

    def goback(self) -> None:
        raise GoBack() if self.called else StopRun()

    def exit_program(self) -> None:
        """EXIT PROGRAM: return to the caller; in a program that was not called, nothing."""
        if self.called:
            raise GoBack()

    # -- CALL --------------------------------------------------------------------------------
    def call(self, name: str | Item, arguments: Sequence[Item] = ()) -> bool:
        """CALL name USING arguments: False when the program cannot be found (ON EXCEPTION).
        A name no translated program has may be a Language Environment service
        (:mod:`.services`, as the twin links its stubs); after one, RETURN-CODE is 0, the
        stub's, as GnuCOBOL gives the caller the called program's RETURN-CODE."""
        if isinstance(name, Item):
            name = name.get().strip()  # type: ignore[union-attr]
        callee = RUN_UNIT.load(str(name).strip().upper())
        if callee is None:  # libcob finds a stub by its exact (upper-case) name
            if not call_service(str(name).strip(), arguments):
                return False
            self.registers.return_code.set(0)
            return True
        callee.called = True
        with contextlib.suppress(GoBack):
            callee.enter(list(arguments))
        return True

    def enter(self, arguments: list[Item]) -> None:
        """Bind the LINKAGE records to the caller's arguments and run (generated)."""
        self.run_from_start()

    def cancel(self, name: str | Item) -> None:
        if isinstance(name, Item):
            name = name.get().strip()  # type: ignore[union-attr]
        RUN_UNIT.programs.pop(str(name).strip().upper(), None)


def by_content(item: Item | str | bytes) -> Item:
    """CALL ... BY CONTENT: the callee gets a copy of the bytes (of an alphanumeric literal:
    its characters)."""
    if isinstance(item, str | bytes):
        data = item.encode("latin-1") if isinstance(item, str) else item
        return Group(bytearray(data), 0, len(data))
    return Group(bytearray(item.raw), 0, item.length)


class _RunUnit:
    """The programs of one run: translated modules found next to the main one, loaded once
    (a called program keeps its WORKING-STORAGE between calls, until CANCEL)."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.programs: dict[str, Program] = {}
        self.classes: dict[str, type[Program]] = {}

    def register(self, cls: type[Program]) -> None:
        self.classes[cls.NAME] = cls

    def load(self, name: str) -> Program | None:
        if name in self.programs:
            return self.programs[name]
        cls = self.classes.get(name) or self._import(name)
        if cls is None:
            return None
        program = self.programs[name] = cls()
        return program

    def _import(self, name: str) -> type[Program] | None:
        if self.folder is None:
            return None
        path = self.folder / (module_name(name) + ".py")
        if not path.is_file():
            return None
        spec = importlib.util.spec_from_file_location(f"modernize_translated_{path.stem}", path)
        if spec is None or spec.loader is None:
            return None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        cls = self.classes.get(name)
        if cls is None:
            raise ProgramNotFoundError(f"{path} defines no program {name}")
        return cls


RUN_UNIT = _RunUnit()


def program(cls: type[Program]) -> type[Program]:
    """Class decorator of a translated program: registers it with the run unit."""
    RUN_UNIT.register(cls)
    return cls


def main(cls: type[Program], module_file: str) -> None:
    """Run ``cls`` as the main program of a run unit, as ``python module.py`` does, and exit
    with RETURN-CODE (as the COBOL executable does)."""
    from .files import FileStatusError, close_all
    RUN_UNIT.folder = Path(module_file).resolve().parent
    instance = RUN_UNIT.load(cls.NAME) or cls()
    status = 0
    abend = True
    try:
        with contextlib.suppress(StopRun, GoBack):
            instance.run_from_start()
        status = int(REGISTERS.return_code.get())
        abend = False
    except FileStatusError as error:
        sys.stdout.flush()
        sys.stderr.write(f"{error.message}\n")
        status = error.exit_code
    except UnsupportedStatementError as error:
        sys.stdout.flush()
        sys.stderr.write(f"modernize: {error}\n")
        status = UNSUPPORTED_EXIT
    except ProgramNotFoundError as error:  # libcob: "module 'X' not found", exit status 1
        sys.stdout.flush()
        sys.stderr.write(f"modernize: error: {error}\n")
        status = 1
    except Abend as error:  # CEE3ABD and the like: as the twin's stub, then as STOP RUN
        sys.stdout.flush()
        sys.stderr.write(f"{error.message}\n")
        status = error.status
    finally:
        sys.stdout.flush()
        for warning in close_all():  # libcob warns of the files STOP RUN closes
            sys.stderr.write(f"{warning}\n")
        sql = sys.modules.get("modernize.runtime.sql")
        if sql is not None:  # DB2 commits at a normal end and rolls back after an abend
            sql.close_all(abend=abend)
    sys.exit(status & 0xFF)


# --------------------------------------------------------------------------- arithmetic helpers


def power(base: Decimal | int, exponent: Decimal | int) -> Decimal:
    """``base ** exponent`` of a COBOL expression (an integer exponent is exact)."""
    base, exponent = Decimal(base), Decimal(exponent)
    if exponent == exponent.to_integral_value():
        return base ** int(exponent)
    return base ** exponent


def sign(value: Decimal | int) -> int:
    """-1, 0 or 1: the sign of a difference (EVALUATE ... THRU on numbers)."""
    return (value > 0) - (value < 0)


def divide_remainder(quotient: NumericField,
                     remainder: NumericField | Callable[[], NumericField],
                     dividend: Decimal | int, divisor: Decimal | int, *, rounded: bool = False,
                     on_size_error: bool = False) -> bool:
    """DIVIDE ... GIVING quotient REMAINDER remainder: the remainder is the dividend less the
    divisor times the quotient truncated to the quotient's decimals (COBOL 85). As GnuCOBOL
    3.1.2 does: the quotient is stored first, then the remainder's reference is resolved (a
    callable: ``REMAINDER R (Q)`` subscripts by the new quotient) and the remainder stored,
    even when the quotient had a size error (ON SIZE ERROR then keeps only the quotient); a
    division by zero stores neither."""
    whole, by = _integer(dividend), _integer(divisor)
    if whole is not None and by and quotient.scale == 0 and not rounded and \
            isinstance(quotient, NumericField):
        # integers into an integer quotient: the same digits, without a decimal context
        units = truncated_quotient(whole, by)
        error = quotient.store_exact(units, 0, False, on_size_error)
        target = remainder() if callable(remainder) else remainder
        return compute(target, whole - units * by, on_size_error=on_size_error) or error
    dividend, divisor = Decimal(dividend), Decimal(divisor)
    if divisor == 0:
        return True
    with decimal.localcontext(CONTEXT):
        exact = dividend / divisor
        truncated = exact.scaleb(quotient.scale).to_integral_value(
            rounding=decimal.ROUND_DOWN).scaleb(-quotient.scale)
        rest = dividend - truncated * divisor
    error = compute(quotient, exact, rounded=rounded, on_size_error=on_size_error)
    target = remainder() if callable(remainder) else remainder
    return compute(target, rest, on_size_error=on_size_error) or error


def _integer(value: Decimal | int) -> int | None:
    """An int, or a Decimal with no decimals (as a scale-0 item reads), as an int; else
    None."""
    if type(value) is int:
        return value
    if type(value) is Decimal and value.as_tuple().exponent == 0:
        return int(value)
    return None


def program_not_found(name: str | Item) -> None:
    """A CALL without ON EXCEPTION to a program that is not there: the run stops."""
    if isinstance(name, Item):
        name = name.get().strip()  # type: ignore[union-attr]
    raise ProgramNotFoundError(f"module '{name}' not found: CALL without ON EXCEPTION "
                               "(translate the called program too, next to the caller)")


def as_item(value: bytes | str | Decimal) -> Item:
    """An alphanumeric function result as an item (for reference modification)."""
    if isinstance(value, Decimal):
        raise UnsupportedError("reference modification of a numeric function")
    data = value.encode("latin-1") if isinstance(value, str) else bytes(value)
    return field(bytearray(data), 0, f"X({max(len(data), 1)})")
