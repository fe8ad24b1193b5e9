"""Record layouts as Python classes over the runtime, and how to reach each item from code.

Every 01/77 record becomes a :class:`modernize.runtime.program.Record` subclass whose
``__init__`` makes its items at their offsets (REDEFINES are items over the same bytes); an
OCCURS group becomes a class of its own, one object per element, reached through a table
(``self.rate_table.rt_entry[i].rt_apr``). The program holds each record as an attribute; the
records of one FD share one buffer, as their storage does.

:class:`Layout` answers, for each data item, the Python expression that reaches it given its
subscripts, and which record object owns it (for INITIALIZE).
"""

from __future__ import annotations

import keyword
import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..cobol.pic import picture_info
from ..codecheck import BUILTIN_NAMES, INTERNAL_ATTRIBUTES
from ..model import DataItem, Program

FIGURATIVE_CODE = {
    "ZERO": "ZEROS", "ZEROS": "ZEROS", "ZEROES": "ZEROS", "SPACE": "SPACES", "SPACES": "SPACES",
    "HIGH-VALUE": "HIGH_VALUES", "HIGH-VALUES": "HIGH_VALUES", "LOW-VALUE": "LOW_VALUES",
    "LOW-VALUES": "LOW_VALUES", "QUOTE": "QUOTES", "QUOTES": "QUOTES", "NULL": "LOW_VALUES",
    "NULLS": "LOW_VALUES",
}
RUNTIME_NAMES = (
    # what generated modules may import from modernize.runtime.translated
    "ALL", "CachedTable", "CobolFile", "Condition", "CyclePerform", "Decimal", "Delimited",
    "EndOf", "ExitPerform", "Field", "Group",
    "HIGH_VALUES", "HostVar", "Item", "LOW_VALUES", "NextSentence", "Program", "QUOTES",
    "Record", "Region", "Replace", "SPACES", "SortFile", "SqlSession", "Tally", "UnstringInto",
    "UnsupportedError", "UnsupportedItem",
    "ZEROS", "accept_command_line", "accept_environment", "accept_from", "accept_line", "add",
    "as_item", "by_content", "call_function", "compare", "compute", "depending", "display",
    "divide_remainder", "field", "index", "initialize", "inspect_converting",
    "inspect_replacing", "inspect_tallying", "is_alphabetic", "is_alphabetic_lower",
    "is_alphabetic_upper", "is_negative", "is_numeric", "is_positive", "is_zero", "main",
    "number", "power", "program", "program_not_found", "sign",
    "string_into", "subtract", "unstring",
)

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")


def python_name(cobol_name: str) -> str:
    """A COBOL name as a Python identifier: lower case, '-' as '_' (any other character that
    is not a plain letter or digit spelled out by its code, so no name can inject code)."""
    name = _NOT_NAME.sub(lambda m: f"_x{ord(m[0]):x}_", cobol_name.lower().replace("-", "_"))
    if not name or name[0].isdigit():
        name = "n_" + name
    if keyword.iskeyword(name) or name in _RESERVED:
        name += "_"
    return name


_NOT_NAME = re.compile(r"[^a-z0-9_]")
# the runtime's own attributes, and what codecheck refuses as an attribute (CO-CODE would
# otherwise become a code object's co_code)
_RESERVED = {"self", "rt", "decimal", "initialize", "initial_values", "elementary", "group",
             "table", "condition", "buffer", "offset", "length", "raw", "get", "set", "ref",
             "format", "format_map", *INTERNAL_ATTRIBUTES}


def class_name(cobol_name: str) -> str:
    """A COBOL name as a Python class name: ``WS-RATE-TABLE`` → ``WsRateTable``."""
    parts = re.split(r"[^A-Za-z0-9]+", cobol_name)
    name = "".join(p[:1].upper() + p[1:].lower() for p in parts if p)
    name = name if name and not name[0].isdigit() else "R" + name
    return name + "Record" if name in BUILTIN_NAMES else name  # never hide a builtin


def literal_code(text: str) -> str:
    """Python code for a COBOL literal or figurative constant as written in a VALUE clause or a
    statement: ``'ABC'`` → ``'ABC'``, ``-1.50`` → ``Decimal('-1.50')``, ``SPACES`` →
    ``SPACES``, ``ALL '*'`` → ``ALL('*')``, ``X'00'`` → ``b'\\x00'``."""
    stripped = text.strip()
    upper = stripped.upper()
    if upper.startswith("ALL "):
        return f"ALL({literal_code(stripped[4:])})"
    if upper in FIGURATIVE_CODE:
        return FIGURATIVE_CODE[upper]
    if upper[:2] in ("X'", 'X"'):
        return repr(bytes.fromhex(stripped[2:-1]))
    if stripped[:1] in ("'", '"'):
        quote = stripped[0]
        return repr(stripped[1:-1].replace(quote * 2, quote))
    if _NUMBER.match(stripped):
        if "." in stripped:
            return f"Decimal({stripped!r})"
        return str(int(stripped))
    raise ValueError(f"not a literal: {text!r}")


@dataclass
class Access:
    """How code reaches an item: ``parts`` joined, each ``None`` standing for one subscript."""

    parts: list[str | None]
    owner: list[str | None]  # the record object the item belongs to
    occurs: int  # how many subscripts it takes

    def code(self, subscripts: list[str]) -> str:
        out = []
        it = iter(subscripts)
        for part in self.parts:
            out.append(f"[{next(it)}]" if part is None else part)
        return "".join(out)

    def owner_code(self, subscripts: list[str]) -> str:
        out = []
        it = iter(subscripts)
        for part in self.owner:
            out.append(f"[{next(it)}]" if part is None else part)
        return "".join(out)


@dataclass
class RecordClass:
    name: str
    item: DataItem
    length: int
    lines: list[str] = field(default_factory=list)
    first_line: int = 0
    last_line: int = 0


class Layout:
    """The record classes of a program and the access path of each of its items."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.items = {d.id: d for d in program.data_items}
        self.children: dict[str | None, list[DataItem]] = defaultdict(list)
        self.by_name: dict[str, list[DataItem]] = defaultdict(list)  # for name resolution
        for d in program.data_items:
            self.children[d.parent].append(d)
            self.by_name[d.name].append(d)
        self.access: dict[str, Access] = {}
        self.classes: list[RecordClass] = []
        self.records: list[tuple[str, str, DataItem]] = []  # (attribute, class, 01 item)
        self.standalone: list[tuple[str, DataItem]] = []
        self.index_names: dict[str, str] = {}  # index name -> attribute
        self.problems: list[tuple[DataItem, str]] = []  # items not supported, and why
        self.unsupported_items: dict[str, str] = {}  # standalone items among them
        self._class_names: set[str] = set(RUNTIME_NAMES)  # a record class must not hide one
        self._attributes: set[str] = set()
        self._build()

    # -- naming ----------------------------------------------------------------------------
    def _unique_class(self, cobol_name: str) -> str:
        base = class_name(cobol_name)
        name, n = base, 2
        while name in self._class_names:
            name, n = f"{base}{n}", n + 1
        self._class_names.add(name)
        return name

    def _unique_attribute(self, cobol_name: str, taken: set[str]) -> str:
        base = python_name(cobol_name)
        name, n = base, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        taken.add(name)
        return name

    # -- building --------------------------------------------------------------------------
    def _build(self) -> None:
        roots = [d for d in self.program.data_items if d.parent is None and d.level in (1, 77)]
        for root in roots:
            attribute = self._unique_attribute(root.name, self._attributes)
            if root.level == 77 or (not root.is_group and not root.occurs_max):
                why = unsupported_reason(root) if root.level != 66 else "RENAMES"
                if why is not None:
                    self.problems.append((root, why))
                    self.unsupported_items[root.id] = why
                self.standalone.append((attribute, root))
                self.access[root.id] = Access([f"self.{attribute}"], [f"self.{attribute}"], 0)
                self._conditions_of(root, [f"self.{attribute}"], None)
                continue
            cls = self._record_class(root, root, [f"self.{attribute}"])
            self.records.append((attribute, cls.name, root))
            self.access[root.id] = Access([f"self.{attribute}"], [f"self.{attribute}"], 0)
        for item in self.program.data_items:
            for index_name in item.indexed_by:
                attribute = self._unique_attribute(index_name, self._attributes)
                self.index_names[index_name] = attribute

    def _record_class(self, root: DataItem, top: DataItem, path: list[str | None]
                      ) -> RecordClass:
        """The class of ``root`` (an 01 record, or an OCCURS group's element)."""
        cls = RecordClass(self._unique_class(root.name if root is top else
                                             f"{top.name}-{root.name}"), root, root.length or 0)
        self.classes.append(cls)
        cls.first_line = cls.last_line = root.line
        taken: set[str] = set()
        base = root.offset or 0
        self._members(root, base, cls, path, taken, redefines=None)
        return cls

    def _members(self, parent: DataItem, base: int, cls: RecordClass, path: list[str | None],
                 taken: set[str], redefines: tuple[int, int] | None) -> None:
        for child in self.children.get(parent.id, []):
            if child.file == cls.item.file:
                cls.last_line = max(cls.last_line, child.line)
            if child.level == 88:
                continue  # made after its item, below
            if child.level == 66:
                self.problems.append((child, "RENAMES"))
                continue
            offset = (child.offset or 0) - base
            span = redefines
            if child.redefines:
                span = (offset, (child.length or 0) * (child.occurs_max or 1))
            filler = child.name == "FILLER"
            attribute = None if filler else self._unique_attribute(child.name, taken)
            target = f"self.{attribute} = " if attribute else ""
            own = f".{attribute}" if attribute else None
            extra = self._extra(span, filler)
            if child.occurs_max:
                element_path: list[str | None] = [*path, own or ".filler", None]
                if child.is_group:
                    element = self._record_class(child, cls.item if cls.item.level == 1 else
                                                 cls.item, element_path)
                    make = f"lambda at: {element.name}(self.buffer, at)"
                else:
                    make = f"lambda at: field(self.buffer, at, {self._field_args(child)})"
                value = f", value={literal_code(child.value)}" if child.value else ""
                cls.lines.append(f"{target}self.table({offset}, {child.occurs_max}, "
                                 f"{child.length}, {make}{value}{extra})")
                if attribute:
                    self.access[child.id] = Access([*path, own, None], path, 1 + _occurs(path))
                    self._conditions_of(child, [*path, own, None], cls, table=True)
                continue
            if child.is_group:
                if attribute:
                    cls.lines.append(f"{target}self.group({offset}, {child.length})")
                    self.access[child.id] = Access([*path, own], path, _occurs(path))
                    self._conditions_of(child, [*path, own], cls)
                self._members(child, base, cls, path, taken, span)
                continue
            why = unsupported_reason(child)
            if why is not None:
                # kept as its bytes; any statement that reads or sets it stops the run
                self.problems.append((child, why))
                cls.lines.append(f"{target}self.unsupported_item({offset}, {child.length or 1}, "
                                 f"{why!r})")
                if attribute:
                    self.access[child.id] = Access([*path, own], path, _occurs(path))
                continue
            value = f", value={literal_code(child.value)}" if child.value else ""
            cls.lines.append(f"{target}self.elementary({offset}, {self._field_args(child)}"
                             f"{value}{extra})")
            if attribute:
                self.access[child.id] = Access([*path, own], path, _occurs(path))
                self._conditions_of(child, [*path, own], cls)

    @staticmethod
    def _extra(span: tuple[int, int] | None, filler: bool) -> str:
        out = ""
        if filler:
            out += ", filler=True"
        if span is not None:
            out += f", redefines={span}"
        return out

    def _field_args(self, item: DataItem) -> str:
        args = [repr(item.picture or "X")]
        if item.usage != "DISPLAY":
            args.append(repr(item.usage))
        sign = (item.sign or "").upper()
        if "LEADING" in sign:
            args.append("sign='leading'")
        if "SEPARATE" in sign:
            args.append("separate=True")
        if item.justified:
            args.append("justified=True")
        if item.blank_when_zero:
            args.append("blank_when_zero=True")
        return ", ".join(args)

    def _conditions_of(self, item: DataItem, item_path: list[str | None],
                       cls: RecordClass | None, table: bool = False) -> None:
        """Level-88 names under ``item``: attributes of the same class (a table of them when
        the item is an OCCURS elementary item)."""
        for child in self.children.get(item.id, []):
            if child.level != 88:
                continue
            args = self.condition_args(child)
            if cls is None:  # a standalone item: the condition is an attribute of the program
                attribute = self._unique_attribute(child.name, self._attributes)
                self.standalone.append((attribute, child))
                self.access[child.id] = Access([f"self.{attribute}"], [], 0)
                continue
            taken = {line.split(" = ")[0].removeprefix("self.") for line in cls.lines}
            attribute = self._unique_attribute(child.name, taken)
            own = item_path[-2] if table else item_path[-1]
            item_ref = f"self{own}"
            if table:
                cls.lines.append(f"self.{attribute} = CachedTable({item_ref}.offset, "
                                 f"{item_ref}.count, {item_ref}.stride, lambda at: "
                                 f"Condition(field(self.buffer, at, {self._field_args(item)}), "
                                 f"{args}))")
                owner = item_path[:-2]
                self.access[child.id] = Access([*owner, f".{attribute}", None], owner,
                                               1 + _occurs(owner))
            else:
                cls.lines.append(f"self.{attribute} = self.condition({item_ref}, {args})")
                owner = item_path[:-1]
                self.access[child.id] = Access([*owner, f".{attribute}"], owner, _occurs(owner))

    def condition_args(self, item: DataItem) -> str:
        values, ranges = [], []
        for cv in item.condition_values:
            if cv.thru:
                ranges.append(f"({literal_code(cv.value)}, {literal_code(cv.thru)})")
            else:
                values.append(literal_code(cv.value))
        text = f"[{', '.join(values)}]" + (f", [{', '.join(ranges)}]" if ranges else "")
        if values and item.condition_values and item.condition_values[0].thru:
            text += ", range_first=True"  # SET TO TRUE moves the first value written
        return text

    def field_args(self, item: DataItem) -> str:
        return self._field_args(item)

    # -- questions the statement translator asks --------------------------------------------
    def category(self, item: DataItem) -> str:
        """numeric, numeric-edited, alphanumeric, group or condition."""
        if item.level == 88:
            return "condition"
        if item.is_group or not item.picture:
            return "group"
        return picture_info(item.picture, item.usage).category

    def file_records(self) -> dict[str, list[DataItem]]:
        out: dict[str, list[DataItem]] = defaultdict(list)
        for _, _, item in self.records:
            if item.fd:
                out[item.fd].append(item)
        for _, item in self.standalone:
            if item.fd:
                out[item.fd].append(item)
        return out


def unsupported_reason(item: DataItem) -> str | None:
    """Why the runtime cannot hold this elementary item (USAGE POINTER, COMP-1 …), or None."""
    from ..runtime import field
    from ..runtime.errors import CobolRuntimeError

    sign = (item.sign or "").upper()
    try:
        field(bytearray(max(item.length or 1, 64)), 0, item.picture or "X", item.usage,
              sign="leading" if "LEADING" in sign else "trailing",
              separate="SEPARATE" in sign)
    except CobolRuntimeError as error:
        return f"USAGE {item.usage}" if item.usage not in ("DISPLAY", "COMP", "COMP-3",
                                                           "COMP-5") else str(error)
    except ValueError as error:
        return str(error)
    return None


def _occurs(path: list[str | None]) -> int:
    return sum(1 for part in path if part is None)
