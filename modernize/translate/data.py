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

import contextlib
import keyword
import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..analysis.cobol.pic import picture_info
from ..core.model import DataItem, Program
from .codecheck import BUILTIN_NAMES, INTERNAL_ATTRIBUTES

FIGURATIVE_CODE = {
    "ZERO": "ZEROS", "ZEROS": "ZEROS", "ZEROES": "ZEROS", "SPACE": "SPACES", "SPACES": "SPACES",
    "HIGH-VALUE": "HIGH_VALUES", "HIGH-VALUES": "HIGH_VALUES", "LOW-VALUE": "LOW_VALUES",
    "LOW-VALUES": "LOW_VALUES", "QUOTE": "QUOTES", "QUOTES": "QUOTES", "NULL": "LOW_VALUES",
    "NULLS": "LOW_VALUES",
}
RUNTIME_NAMES = (
    # what generated modules may import from modernize.runtime.translated
    "ALL", "CachedTable", "CobolFile", "Condition", "CyclePerform", "Decimal", "Delimited",
    "EBCDIC", "EndOf", "ExitPerform", "Field", "Group",
    "HIGH_VALUES", "HostVar", "IndexName", "Item", "LOW_VALUES", "NextSentence", "Program",
    "QUOTES",
    "Record", "Region", "Replace", "SPACES", "SortFile", "SqlSession", "Tally", "UnstringInto",
    "UnsupportedError", "UnsupportedItem",
    "ZEROS", "accept_command_line", "accept_environment", "accept_from", "accept_line", "add",
    "alphabet", "also", "as_item", "by_content", "call_function", "compare", "compute",
    "depending", "display",
    "divide_remainder", "evaluate", "field", "index", "initialize", "inspect_converting",
    "alphanumeric_field", "edited_field", "numeric_field", "held_number",
    "inspect_replacing", "inspect_tallying", "is_alphabetic", "is_alphabetic_lower",
    "is_class", "set_switch", "switch_status",
    "is_alphabetic_upper", "is_negative", "is_numeric", "is_positive", "is_zero", "main",
    "number", "power", "program", "program_not_found", "quotient", "sign",
    "string_into", "subtract", "thru", "unstring", "value_of",
)

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")
_FACTORIES = {"numeric": "numeric_field", "alphanumeric": "alphanumeric_field",
              "alphabetic": "alphanumeric_field", "numeric-edited": "edited_field"}


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
             "set_initial",
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
        rest = stripped[4:].strip()
        if rest.upper() in FIGURATIVE_CODE:  # ALL QUOTES is QUOTES
            return FIGURATIVE_CODE[rest.upper()]
        return f"ALL({literal_code(rest)})"
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
        # SPECIAL-NAMES: SWITCH-n by mnemonic-name, (n, on) by ON/OFF STATUS condition-name,
        # and the characters of each CLASS name
        self.switch_mnemonics, self.switch_conditions = switch_names(program)
        self.class_characters: dict[str, bytes] = {}
        for name, items in program.class_names:
            with contextlib.suppress(ValueError, UnicodeEncodeError):  # else: not translated
                self.class_characters[name] = class_characters(items)
        self.problems: list[tuple[DataItem, str]] = []  # items not supported, and why
        # PROGRAM COLLATING SEQUENCE (None: native; the error when it cannot be translated)
        self.collating: Collating | None = None
        self.collating_error = ""
        try:
            self.collating = collating_code(program)
        except ValueError as error:
            self.collating_error = str(error)
        self.unsupported_items: dict[str, str] = {}  # standalone items among them
        self.variable_groups: list[tuple[DataItem, DataItem]] = []  # (group, its ODO table)
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
                why = unsupported_reason(root, self.program) if root.level != 66 else \
                    "RENAMES"
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
            # the record's own level-88s: conditions over the record itself
            self._conditions_of(root, [f"self.{attribute}", ""], cls)
        by_class = {cls.name: cls for cls in self.classes}
        records = {(root.name, root.fd): (attribute, by_class[name], root)
                   for attribute, name, root in self.records}
        for item in self.program.data_items:
            if item.level == 66:
                self._renames(item, records.get((item.record or "", item.fd)))
        for item in self.program.data_items:
            for index_name in item.indexed_by:
                attribute = self._unique_attribute(index_name, self._attributes)
                self.index_names[index_name] = attribute

    def _renames(self, item: DataItem,
                 record: tuple[str, RecordClass, DataItem] | None) -> None:
        """A level-66 item: renaming one elementary item, it is that item (the same access);
        else an alphanumeric group over the bytes from the first renamed item's start to the
        last one's end (``a THRU b``, or one group), an attribute of the record's class."""
        renamed = [self._renamed(name, record[2]) for name in item.renames] if record else []
        if not renamed or None in renamed or item.offset is None or not item.length or \
                record is None:
            self.problems.append((item, "RENAMES"))
            return
        attribute, cls, root = record
        first = renamed[0]
        if first is not None and first is renamed[-1] and not first.is_group and \
                first.id in self.access:
            self.access[item.id] = self.access[first.id]
            return
        taken = {line.split(" = ")[0].removeprefix("self.") for line in cls.lines}
        own = self._unique_attribute(item.name, taken)
        cls.lines.append(f"self.{own} = self.group({item.offset - (root.offset or 0)}, "
                         f"{item.length})")
        path: list[str | None] = [f"self.{attribute}"]
        self.access[item.id] = Access([*path, f".{own}"], path, 0)

    def _renamed(self, reference: str, root: DataItem) -> DataItem | None:
        """The item of the record ``root`` that ``NAME [OF qualifier]...`` names."""
        name, *qualifiers = reference.split(" OF ")
        found = [item for item in self.by_name.get(name, []) if item.level not in (66, 88)
                 and self._root(item) is root and _in_order(qualifiers, self.ancestors(item))]
        return found[0] if len(found) == 1 else None

    def ancestors(self, item: DataItem) -> list[str]:
        """The names that can qualify ``item``, innermost first: its groups, then its FD (a
        level-66 item is qualified by its record alone)."""
        out, node = [], item
        while node.parent is not None and node.parent in self.items:
            node = self.items[node.parent]
            out.append(node.name)
        if item.level == 66 and item.record:
            out.append(item.record)
        if item.fd:
            out.append(item.fd)
        return out

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
                # a group's VALUE sets its bytes once its items have theirs
                value = f", value={literal_code(child.value)}" if child.value else ""
                if attribute:
                    odo = self._odo(child)
                    cls.lines.append(f"{target}self.group({offset}, {child.length}{odo}"
                                     f"{value})")
                    self.access[child.id] = Access([*path, own], path, _occurs(path))
                    self._conditions_of(child, [*path, own], cls)
                elif value:
                    cls.lines.append(f"self.group({offset}, {child.length}{value})")
                self._members(child, base, cls, path, taken, span)
                continue
            why = unsupported_reason(child, self.program)
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

    def _odo(self, group: DataItem) -> str:
        """``, odo=(fixed, stride, owns)`` for a group that ends with an OCCURS DEPENDING ON
        table (its length varies: see ``VariableGroup``), else ''. The group is listed in
        ``variable_groups``: the program tells it its DEPENDING ON item once all exist."""
        table = self._odo_table(group)
        if table is None or group.level == 1 or self._root(group).storage == "linkage":
            return ""  # (a LINKAGE record is bound by a CALL, after the program starts)
        self.variable_groups.append((group, table))
        counter = self.find(table.depending_on or "")
        start, end = group.offset or 0, (group.offset or 0) + (group.length or 0)
        owns = counter is not None and self._root(counter) is self._root(group) and \
            start <= (counter.offset or 0) < end
        return f", odo=({(table.offset or 0) - start}, {table.length}, {owns})"

    def _odo_table(self, group: DataItem) -> DataItem | None:
        for child in self.children.get(group.id, []):
            if child.level == 88 or child.redefines:
                continue
            if child.depending_on:
                return child
            if child.is_group and not child.occurs_max:
                found = self._odo_table(child)
                if found is not None:
                    return found
        return None

    def _root(self, item: DataItem) -> DataItem:
        while item.parent is not None and item.parent in self.items:
            item = self.items[item.parent]
        return item

    def find(self, name: str) -> DataItem | None:
        """The data item ``NAME [IN|OF qualifier]...`` names, if exactly one."""
        words = [w for w in name.upper().split() if w not in ("IN", "OF")]
        if not words:
            return None
        found = []
        for item in self.by_name.get(words[0], []):
            ancestors = self.ancestors(item)
            if all(q in ancestors for q in words[1:]):
                found.append(item)
        return found[0] if len(found) == 1 else None

    @staticmethod
    def _extra(span: tuple[int, int] | None, filler: bool) -> str:
        out = ""
        if filler:
            out += ", filler=True"
        if span is not None:
            out += f", redefines={span}"
        return out

    def _field_args(self, item: DataItem) -> str:
        if item.usage == "INDEX":  # the runtime's index item (S9(9) COMP-5)
            return "'S9(9)', 'INDEX'"
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
        args += _edited_args(self.program, item)
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
                # each occurrence's condition, over the elementary item or the whole group
                element = f"Group(self.buffer, at, {item.length})" if item.is_group else \
                    f"field(self.buffer, at, {self._field_args(item)})"
                cls.lines.append(f"self.{attribute} = CachedTable({item_ref}.offset, "
                                 f"{item_ref}.count, {item_ref}.stride, lambda at: "
                                 f"Condition({element}, {args}))")
                owner = item_path[:-2]
                self.access[child.id] = Access([*owner, f".{attribute}", None], owner,
                                               1 + _occurs(owner))
            else:
                cls.lines.append(f"self.{attribute} = self.condition({item_ref}, {args})")
                owner = item_path[:-1]
                self.access[child.id] = Access([*owner, f".{attribute}"], owner, _occurs(owner))

    def figurative(self, word: str) -> str:
        """Code for a figurative constant of the procedure division or of a level 88: under a
        custom PROGRAM COLLATING SEQUENCE, LOW-VALUE and HIGH-VALUE are its first and last
        characters (VALUE clauses of data items keep X'00' and X'FF', as with cobc)."""
        word = word.upper()
        if self.collating is not None and self.collating.custom:
            if word in ("LOW-VALUE", "LOW-VALUES"):
                return f"{self.collating.name}.low_values"
            if word in ("HIGH-VALUE", "HIGH-VALUES"):
                return f"{self.collating.name}.high_values"
        return FIGURATIVE_CODE[word]

    def condition_value(self, text: str) -> str:
        """Code for one value of a level-88 VALUE clause."""
        stripped = text.strip().upper()
        if stripped.startswith("ALL "):
            stripped = stripped[4:].strip()
        if stripped in FIGURATIVE_CODE:
            return self.figurative(stripped)
        return literal_code(text)

    def condition_args(self, item: DataItem) -> str:
        values, ranges = [], []
        for cv in item.condition_values:
            if cv.thru:
                ranges.append(f"({self.condition_value(cv.value)}, "
                              f"{self.condition_value(cv.thru)})")
            else:
                values.append(self.condition_value(cv.value))
        text = f"[{', '.join(values)}]" + (f", [{', '.join(ranges)}]" if ranges else "")
        if values and item.condition_values and item.condition_values[0].thru:
            text += ", range_first=True"  # SET TO TRUE moves the first value written
        return text

    def field_args(self, item: DataItem) -> str:
        return self._field_args(item)

    def field_code(self, item: DataItem, buffer: str, offset: str) -> str:
        """Code making an elementary item over ``buffer`` at ``offset``, with the typed
        factory of its category where there is one (so readers and mypy know its type)."""
        category = self.category(item)
        if item.blank_when_zero or category not in _FACTORIES:
            factory = "field"  # BLANK WHEN ZERO may make a numeric picture an edited item
        else:
            factory = _FACTORIES[category]
        return f"{factory}({buffer}, {offset}, {self._field_args(item)})"

    # -- questions the statement translator asks --------------------------------------------
    def category(self, item: DataItem) -> str:
        """numeric, numeric-edited, alphanumeric, group or condition."""
        if item.level == 88:
            return "condition"
        if item.usage == "INDEX" and not item.is_group:
            return "numeric"
        if item.is_group or not item.picture:
            return "group"
        return picture_info(item.picture, item.usage, currency=self.program.currency_sign,
                            decimal_comma=self.program.decimal_point_comma).category

    def file_records(self) -> dict[str, list[DataItem]]:
        out: dict[str, list[DataItem]] = defaultdict(list)
        for _, _, item in self.records:
            if item.fd:
                out[item.fd].append(item)
        for _, item in self.standalone:
            if item.fd:
                out[item.fd].append(item)
        return out


def _edited_args(program: Program, item: DataItem) -> list[str]:
    """``currency=`` (a numeric-edited item) and ``decimal_comma=`` (a numeric or
    numeric-edited item) arguments of an item of a program whose SPECIAL-NAMES change them
    (CURRENCY SIGN, DECIMAL-POINT IS COMMA)."""
    if not item.picture or (program.currency_sign == "$" and not program.decimal_point_comma):
        return []
    category = picture_info(item.picture, item.usage, currency=program.currency_sign,
                            decimal_comma=program.decimal_point_comma).category
    args: list[str] = []
    if category == "numeric-edited" and program.currency_sign != "$":
        args.append(f"currency={program.currency_sign!r}")
    if category in ("numeric", "numeric-edited") and program.decimal_point_comma:
        args.append("decimal_comma=True")
    return args


def unsupported_reason(item: DataItem, program: Program | None = None) -> str | None:
    """Why the runtime cannot hold this elementary item (USAGE POINTER, COMP-1 …), or None."""
    from ..runtime import field
    from ..runtime.errors import CobolRuntimeError

    sign = (item.sign or "").upper()
    currency, comma = (program.currency_sign, program.decimal_point_comma) if program else \
        ("$", False)
    try:
        field(bytearray(max(item.length or 1, 64)), 0, item.picture or "X", item.usage,
              sign="leading" if "LEADING" in sign else "trailing",
              separate="SEPARATE" in sign, currency=currency, decimal_comma=comma)
    except CobolRuntimeError as error:
        return f"USAGE {item.usage}" if item.usage not in ("DISPLAY", "COMP", "COMP-3",
                                                           "COMP-5") else str(error)
    except ValueError as error:
        return str(error)
    return None


_SWITCH = re.compile(r"^SWITCH-(\d+)$")


def switch_names(program: Program) -> tuple[dict[str, int], dict[str, tuple[int, bool]]]:
    """The SPECIAL-NAMES switches GnuCOBOL knows (``SWITCH-0`` to ``SWITCH-36``): each
    mnemonic-name's switch number, and each ON/OFF STATUS condition-name's (number, on)."""
    def number(implementor: str) -> int | None:
        m = _SWITCH.match(implementor)
        return int(m[1]) if m and int(m[1]) <= 36 else None
    mnemonics = {mnemonic: n for mnemonic, implementor in program.mnemonic_names
                 if (n := number(implementor)) is not None}
    conditions = {name: (n, on) for name, implementor, on in program.switch_conditions
                  if (n := number(implementor)) is not None}
    return mnemonics, conditions


_NATIVE_ALPHABETS = ("NATIVE", "STANDARD-1", "STANDARD-2", "ASCII")


@dataclass(frozen=True)
class Collating:
    """The PROGRAM COLLATING SEQUENCE as code: ``name`` is what the program class's
    ``COLLATING`` is set to, ``definition`` the module-level line that makes a custom
    alphabet (empty for a standard one)."""

    name: str
    definition: str = ""

    @property
    def custom(self) -> bool:
        return bool(self.definition)


def collating_code(program: Program) -> Collating | None:
    """The program's collating sequence, None when it is the native order (no PROGRAM
    COLLATING SEQUENCE, or NATIVE, STANDARD-1, STANDARD-2, ASCII). ValueError when the
    alphabet is not declared or one of its literals cannot be read."""
    if not program.collating_sequence:
        return None
    alphabet = next((a for a in program.alphabets if a.name == program.collating_sequence),
                    None)
    if alphabet is None:
        raise ValueError(f"no ALPHABET {program.collating_sequence}")
    if alphabet.standard in _NATIVE_ALPHABETS:
        return None
    if alphabet.standard == "EBCDIC":
        return Collating("EBCDIC")
    if alphabet.standard or not alphabet.items:
        raise ValueError(f"ALPHABET {alphabet.name} IS {alphabet.standard}")
    args = [repr(alphabet.name)]
    for item in alphabet.items:
        if item.thru:
            args.append(f"thru({literal_code(item.literal)}, {literal_code(item.thru)})")
        elif item.also:
            codes = [literal_code(text) for text in (item.literal, *item.also)]
            args.append(f"also({', '.join(codes)})")
        else:
            args.append(literal_code(item.literal))
    name = python_name(alphabet.name).upper()
    if name in RUNTIME_NAMES:
        name += "_ALPHABET"
    return Collating(name, f"{name} = alphabet({', '.join(args)})")


def class_characters(items: tuple[tuple[str, str], ...]) -> bytes:
    """The characters of a SPECIAL-NAMES ``CLASS``: each character of a literal, every one
    from a literal's to the THRU literal's (either way round); a numeric literal is an ordinal
    position in the native (ASCII) character set, 1 for X'00'."""
    def code(literal: str) -> bytes:
        text = literal.strip()
        if text.isdigit() and 1 <= int(text) <= 256:
            return bytes([int(text) - 1])
        if text[:2].upper() in ("X'", 'X"') and len(text) > 3:
            return bytes.fromhex(text[2:-1])
        if text[:1] in ("'", '"') and len(text) > 2:
            return text[1:-1].replace(text[0] * 2, text[0]).encode("latin-1")
        raise ValueError(f"CLASS literal {literal!r}")
    out: set[int] = set()
    for first, thru in items:
        low = code(first)
        if not thru:
            out.update(low)
            continue
        high = code(thru)
        a, b = sorted((low[0], high[0]))
        out.update(range(a, b + 1))
    return bytes(sorted(out))


def _in_order(qualifiers: list[str], ancestors: list[str]) -> bool:
    """Whether each qualifier names an ancestor, each further out than the one before."""
    position = 0
    for qualifier in qualifiers:
        if qualifier not in ancestors[position:]:
            return False
        position = ancestors.index(qualifier, position) + 1
    return True


def _occurs(path: list[str | None]) -> int:
    return sum(1 for part in path if part is None)
