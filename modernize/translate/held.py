"""Numbers no statement sees as bytes: proved on the generated code, then held as Python ints.

A translated program keeps its storage as COBOL does, records of bytes with items as views
over them, because REDEFINES, group MOVEs, I/O and CALL USING see those bytes. Most counters,
totals and work fields are never seen that way, and for them the bytes are pure cost: every
read decodes them, every store encodes them. :func:`hold_private_numbers` finds those items
in a generated module and makes them :class:`~modernize.runtime.fields.HeldNumeric`, which has
the same methods and the same results, with the value kept as an int.

The proof is made on the module's own code (Python's ``ast``), not on the COBOL, so it covers
exactly what the program will do. An item is held only when:

* it is a numeric elementary item of USAGE DISPLAY, COMP-3 or COMP without P positions,
  declared in a record class that is made once, as storage of its own (``Rec()`` in the
  program's ``__init__``: not a LINKAGE record, an OCCURS element, a file record or a record
  laid over another's bytes), or an 01/77 item with storage of its own;
* no REDEFINES, group VALUE or level-88 of a group lies over its bytes, and no group over
  them is used by a statement (a group's bytes would not show the held value);
* no table of its record is used (a subscript past a table reaches any byte of the record,
  as in GnuCOBOL without bounds checks), no level-88 is over the record itself, and no CALL
  is given anything of its record (the callee's LINKAGE may reach past its argument);
* its VALUE, if any, is a number or ZERO (a VALUE of text is stored as bytes);
* every use of it is one the item serves through its methods: ``get()``, ``integer()``,
  ``set(source)``, ``+=``/``-=``, an argument of a function that reads or stores numbers
  (:data:`NUMBER_FUNCTIONS`), the source of another item's ``set``, a level-88 over it,
  INITIALIZE with literal REPLACING values;
* a ``set`` never gives it a group (a byte move) or, when it is an unsigned DISPLAY item, an
  item or table element that may have its exact PICTURE (GnuCOBOL copies those bytes as they
  are, invalid digits included);
* its record is never used as a whole, except ``initialize`` (literal REPLACING values
  only) and ``initial_values``, which set each item through its methods.

Anything else (an unknown function, reference modification, CALL, file I/O, STRING, INSPECT,
a use the rules above do not name) leaves the item as bytes: the rules are a list of what is
allowed, so a new kind of statement is safe until someone allows it here.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..analysis.cobol.pic import USAGE_ALIASES, picture_info
from ..runtime.fields import HELD_USAGES, field_length

FIGURATIVE_NAMES = frozenset({"ZEROS", "SPACES", "HIGH_VALUES", "LOW_VALUES", "QUOTES"})
"""The names a generated ``set`` may be given other than items: the figurative constants."""

_WHOLE = 1 << 62
"""The end of a span that covers a whole record."""

READING_FUNCTIONS = frozenset({
    "display", "index", "number", "compare", "is_numeric", "is_positive", "is_negative",
    "is_zero", "depending"})
"""Runtime functions that only read the items they are given (through their methods)."""

STORING_FUNCTIONS = frozenset({"compute", "add", "subtract", "divide_remainder", "initialize"})
"""Runtime functions that store numbers in the items they are given, through their methods."""

NUMBER_FUNCTIONS = READING_FUNCTIONS | STORING_FUNCTIONS

_ZERO_NAMES = frozenset({"ZERO", "ZEROS", "ZEROES"})
_HELD_OPTIONS = frozenset({"value", "sign", "separate", "decimal_comma"})


@dataclass
class _Number:
    """A numeric elementary item's declaration in the generated code."""

    picture: str
    usage: str
    signed: bool
    digits: int
    scale: int
    holdable: bool  # its declaration allows holding it (USAGE, PICTURE, VALUE, options)
    call: ast.Call  # the ``self.elementary(...)`` / ``numeric_field(...)`` that makes it

    def may_be_copied_into(self, receiver: _Number) -> bool:
        """Whether a MOVE of this item to ``receiver`` copies bytes as they are."""
        return self.usage == receiver.usage == "DISPLAY" and not self.signed and \
            not receiver.signed and self.digits == receiver.digits and \
            self.scale == receiver.scale


@dataclass
class _RecordClass:
    name: str
    numbers: dict[str, _Number] = field(default_factory=dict)
    groups: set[str] = field(default_factory=set)  # group items and tables
    tables: set[str] = field(default_factory=set)
    members: set[str] = field(default_factory=set)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # member -> [start, end)
    # bytes some statement or declaration sees as bytes: each REDEFINES (every item under a
    # REDEFINES is declared with it, and lies over the bytes it redefines), a group with a
    # VALUE, a level-88 of a group or of the record, a group a statement uses
    seen: list[tuple[int, int]] = field(default_factory=list)
    overlays: bool = False  # a group of variable length, or a layout not read here

    def sees(self, name: str) -> bool:
        start, end = self.spans[name]
        return any(start < b and a < end for a, b in self.seen)


@dataclass
class Holding:
    """What :func:`hold_private_numbers` did to a module."""

    code: str
    held: tuple[str, ...] = ()  # "record.item" (or "item" for an 01/77 of its own), sorted


def hold_private_numbers(code: str) -> Holding:
    """``code`` (a generated module) with each item proved private made held; a module that
    does not parse is returned unchanged (the code check reports it)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return Holding(code)
    proof = _Proof(tree)
    proof.run()
    calls = sorted(((number.call, key) for key, number in proof.held().items()),
                   key=lambda pair: (pair[0].lineno, pair[0].col_offset))
    lines = [line.encode("utf-8") for line in code.split("\n")]  # ast counts UTF-8 bytes
    held = []
    for call, key in reversed(calls):  # from the end: earlier positions stay valid
        if _rewrite(lines, call):
            held.append(key)
    if not held:
        return Holding(code)
    return Holding(b"\n".join(lines).decode("utf-8"), tuple(sorted(held)))


def _rewrite(lines: list[bytes], call: ast.Call) -> bool:
    """``self.elementary(offset, ...)`` -> ``self.held(offset, ...)``;
    ``numeric_field(bytearray(n), 0, ...)`` -> ``held_number(...)``. False (nothing
    changed, the item stays bytes) for a declaration not laid out as the translator writes
    it."""
    func = call.func
    row = func.lineno - 1
    line = lines[row]
    if isinstance(func, ast.Attribute):  # self.elementary
        end = func.end_col_offset
        if end is None or line[end - len(func.attr):end] != func.attr.encode():
            return False
        lines[row] = line[:end - len(func.attr)] + b"held" + line[end:]
        return True
    # numeric_field(bytearray(n), 0, picture, ...): drop the storage arguments
    second = call.args[1]
    if second.end_lineno != func.lineno or second.end_col_offset is None or \
            line[func.col_offset:func.end_col_offset] != b"numeric_field":  # type: ignore
        return False
    rest = line[second.end_col_offset:].lstrip()
    rest = rest[1:].lstrip() if rest.startswith(b",") else rest
    lines[row] = line[:func.col_offset] + b"held_number(" + rest
    return True


def _self_attribute(node: ast.AST) -> str | None:
    """``x`` of ``self.x``."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
            node.value.id == "self":
        return node.attr
    return None


def _number(call: ast.Call, picture_at: int) -> _Number | None:
    """The numeric item a declaring call makes (None: not numeric, or not readable)."""
    args = call.args
    if len(args) <= picture_at or not isinstance(args[picture_at], ast.Constant) or \
            not isinstance(args[picture_at].value, str):
        return None
    picture = args[picture_at].value
    usage = "DISPLAY"
    if len(args) > picture_at + 1:
        given = args[picture_at + 1]
        if not isinstance(given, ast.Constant) or not isinstance(given.value, str):
            return None
        usage = given.value
    usage = USAGE_ALIASES.get(usage.upper(), usage.upper())
    keywords = {k.arg: k.value for k in call.keywords}
    try:
        info = picture_info(picture, "DISPLAY")
    except Exception:  # noqa: BLE001 - an odd picture stays as bytes
        return None
    if info.category != "numeric":
        return None
    holdable = usage in HELD_USAGES and info.scale >= 0 and info.digits <= 38 and \
        None not in keywords and set(keywords) <= _HELD_OPTIONS and \
        len(args) <= picture_at + 2 and \
        ("value" not in keywords or _is_number_literal(keywords["value"]))
    return _Number(picture, usage, info.signed, info.digits, info.scale, holdable, call)


def _is_number_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return node.id in _ZERO_NAMES
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    if isinstance(node, ast.Constant):
        return type(node.value) is int
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
        node.func.id == "Decimal" and len(node.args) == 1 and not node.keywords and \
        isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)


class _Proof:
    """Collects declarations and uses, and strikes every item a use does not allow."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.parents: dict[ast.AST, ast.AST] = {}
        self.records: dict[str, _RecordClass] = {}
        self.owned: dict[str, _RecordClass] = {}  # program attribute -> its record class
        self.scalars: dict[str, _Number] = {}  # program attribute -> an 01/77 of its own
        # program attribute -> an elementary 01/77 (its own bytes or over another record's):
        # its declaration when numeric, else None (alphanumeric or edited)
        self.elementaries: dict[str, _Number | None] = {}
        self.struck: set[str] = set()  # record classes (by name) or scalars ("self.x")
        self.struck_items: set[tuple[str, str]] = set()  # (record class, item)

    def held(self) -> dict[str, _Number]:
        out: dict[str, _Number] = {}
        for attribute, record in self.owned.items():
            if record.name in self.struck or record.overlays:
                continue
            for name, number in record.numbers.items():
                if number.holdable and (record.name, name) not in self.struck_items and \
                        not record.sees(name):
                    out[f"{attribute}.{name}"] = number
        for attribute, number in self.scalars.items():
            if number.holdable and f"self.{attribute}" not in self.struck:
                out[attribute] = number
        return out

    # -- declarations ----------------------------------------------------------------------
    def run(self) -> None:
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
        for node in self.tree.body:
            if isinstance(node, ast.ClassDef) and _base_names(node) & {"Record"}:
                self.records[node.name] = self._record_class(node)
        made: dict[str, int] = {}  # every mention of a record class, a call or not
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Name) and node.id in self.records:
                made[node.id] = made.get(node.id, 0) + 1
        programs = [node for node in self.tree.body
                    if isinstance(node, ast.ClassDef) and _base_names(node) & {"Program"}]
        if len(programs) != 1:  # nested programs share storage: not proved here
            return
        self._program_storage(programs[0], made)
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Attribute):
                self._use(node)
            elif isinstance(node, ast.Call) and _self_attribute(node.func) == "call":
                self._call_arguments(node)

    def _call_arguments(self, call: ast.Call) -> None:
        """CALL ... USING lays the callee's LINKAGE over the caller's record from the
        argument's offset on, as far as the callee's record reaches (as GnuCOBOL does): a
        record any argument comes from is bytes, whole."""
        for argument in [*call.args, *(k.value for k in call.keywords)]:
            for node in ast.walk(argument):
                name = _self_attribute(node)
                if name in self.owned:
                    self.struck.add(self.owned[name].name)  # type: ignore[index]
                elif name in self.scalars:
                    self.struck.add(f"self.{name}")

    def _record_class(self, node: ast.ClassDef) -> _RecordClass:
        record = _RecordClass(node.name)
        spans: dict[ast.Call, tuple[int, int]] = {}
        for call in ast.walk(node):
            maker = _self_attribute(call.func) if isinstance(call, ast.Call) else None
            if maker not in ("elementary", "group", "table"):
                continue
            keywords = {k.arg: k.value for k in call.keywords}  # type: ignore[union-attr]
            span = _span(call, maker)  # type: ignore[arg-type]
            if span is None or maker == "group" and (len(call.args) > 2 or  # type: ignore
                                                     "odo" in keywords):
                record.overlays = True
                continue
            spans[call] = span  # type: ignore[index]
            if "value" in keywords and maker != "elementary":
                record.seen.append(span)
            if "redefines" in keywords:  # a REDEFINES: the bytes it lays over are its own
                record.seen.append(span)
        for statement in ast.walk(node):
            if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
                continue
            name = _self_attribute(statement.targets[0])
            value = statement.value
            if name is None or not isinstance(value, ast.Call):
                continue
            record.members.add(name)
            if value in spans:
                record.spans[name] = spans[value]
            maker = _self_attribute(value.func)
            if maker == "elementary":
                number = _number(value, 1)
                if number is not None:
                    record.numbers[name] = number
            elif maker in ("group", "table"):
                record.groups.add(name)
                if maker == "table":
                    record.tables.add(name)
        for call in ast.walk(node):  # level-88s over a group, or over the record itself
            if isinstance(call, ast.Call) and _self_attribute(call.func) == "condition" and \
                    call.args:
                over = call.args[0]
                if isinstance(over, ast.Name) and over.id == "self":
                    record.seen.append((0, _WHOLE))
                elif _self_attribute(over) in record.groups:
                    name = _self_attribute(over)
                    record.seen.append(record.spans.get(name, (0, _WHOLE)))  # type: ignore
        return record

    def _program_storage(self, node: ast.ClassDef, made: dict[str, int]) -> None:
        for statement in ast.walk(node):
            if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
                continue
            name = _self_attribute(statement.targets[0])
            value = statement.value
            if name is None or not isinstance(value, ast.Call) or \
                    not isinstance(value.func, ast.Name):
                continue
            maker = value.func.id
            if maker in self.records and not value.args and not value.keywords and \
                    made.get(maker) == 1 and name not in self.owned:
                self.owned[name] = self.records[maker]
            elif maker in _ELEMENTARY_MAKERS and name not in self.elementaries:
                number = _number(value, 2)
                self.elementaries[name] = number
                if number is not None and maker == "numeric_field" and _own_storage(value):
                    self.scalars[name] = number

    # -- uses ------------------------------------------------------------------------------
    def _use(self, node: ast.Attribute) -> None:
        """Strike what this attribute access does not allow."""
        base = _self_attribute(node)
        if base is not None:  # self.x: a record, a scalar, or something else
            if base in self.owned:
                self._record_use(node, self.owned[base])
            elif base in self.scalars:
                self._scalar_use(node, base)
            return
        holder = node.value
        owner = _self_attribute(holder)
        if owner is not None and owner in self.owned:
            record = self.owned[owner]
            if node.attr in record.groups:
                if self._initialized(node, owner):
                    return  # INITIALIZE group: each item set through its methods
                if node.attr in record.spans and node.attr not in record.tables:
                    record.seen.append(record.spans[node.attr])
                else:  # a subscript out of range reaches any byte of the record
                    self.struck.add(record.name)
            elif node.attr in record.numbers and not self._allowed(node, record.numbers[
                    node.attr]):
                self.struck_items.add((record.name, node.attr))
            return
        # any other x.attr naming a candidate (another object's attribute of the same name):
        # strike every candidate of that name. (``self.x`` inside a record class, its
        # declaration or a level-88 over it, returned above: a condition reads and sets the
        # item through its methods.)
        for record in self.records.values():
            if node.attr in record.numbers:
                self.struck_items.add((record.name, node.attr))

    def _record_use(self, node: ast.Attribute, record: _RecordClass) -> None:
        parent = self.parents.get(node)
        if isinstance(parent, ast.Attribute) and parent.value is node:
            if parent.attr in record.members:
                return  # self.rec.item: judged as the item's use
            call = self.parents.get(parent)
            if parent.attr == "initial_values" and isinstance(call, ast.Call):
                return
            if parent.attr == "initialize" and isinstance(call, ast.Call) and \
                    _replacing_numbers(call.args[1:], call.keywords):
                return
        if isinstance(parent, ast.Assign) and node in parent.targets:
            return  # self.rec = Rec()
        self.struck.add(record.name)

    def _initialized(self, node: ast.Attribute, owner: str) -> bool:
        """``self.rec.initialize(self.rec.group)``: the group is a target INITIALIZE sets item
        by item (with numbers only, if REPLACING)."""
        call = self.parents.get(node)
        return isinstance(call, ast.Call) and call.args[:1] == [node] and \
            isinstance(call.func, ast.Attribute) and call.func.attr == "initialize" and \
            _self_attribute(call.func.value) == owner and \
            _replacing_numbers(call.args[1:], call.keywords)

    def _scalar_use(self, node: ast.Attribute, name: str) -> None:
        parent = self.parents.get(node)
        if isinstance(parent, ast.Assign) and node in parent.targets:
            return  # self.x = numeric_field(...)
        if isinstance(parent, ast.Attribute) and parent.attr == "set_initial":
            call = self.parents.get(parent)
            if isinstance(call, ast.Call) and len(call.args) == 1 and \
                    _is_number_literal(call.args[0]):
                return
            self.struck.add(f"self.{name}")
            return
        if not self._allowed(node, self.scalars[name]):
            self.struck.add(f"self.{name}")

    def _allowed(self, node: ast.Attribute, number: _Number) -> bool:
        """Whether this use of a numeric item is one a held item serves."""
        parent = self.parents.get(node)
        if isinstance(parent, ast.Attribute) and parent.value is node:
            call = self.parents.get(parent)
            if not isinstance(call, ast.Call) or call.func is not parent:
                return False
            if parent.attr in ("get", "integer"):
                return not call.args and not call.keywords
            if parent.attr == "set":
                return len(call.args) == 1 and not call.keywords and \
                    self._source_allowed(call.args[0], number)
            return False
        if isinstance(parent, ast.AugAssign):  # item += x, or x += item (read)
            return isinstance(parent.op, ast.Add | ast.Sub)
        if isinstance(parent, ast.Lambda):  # divide_remainder(q, lambda: r, ...)
            parent = self.parents.get(parent)
            return isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and \
                parent.func.id == "divide_remainder"
        if isinstance(parent, ast.Call) and node in parent.args:
            func = parent.func
            if isinstance(func, ast.Name):
                if func.id == "initialize":  # INITIALIZE item [REPLACING ... BY value]
                    return parent.args[:1] == [node] and \
                        _replacing_numbers(parent.args[1:], parent.keywords)
                return func.id in NUMBER_FUNCTIONS
            # the source of another item's set (read through its methods)
            return isinstance(func, ast.Attribute) and func.attr == "set" and \
                len(parent.args) == 1
        return False

    def _source_allowed(self, source: ast.AST, receiver: _Number) -> bool:
        """Whether ``receiver.set(source)`` stores a number (never bytes as they are)."""
        if isinstance(source, ast.Name):
            return source.id in FIGURATIVE_NAMES
        if isinstance(source, ast.Constant | ast.UnaryOp | ast.BinOp) or (
                isinstance(source, ast.Call) and isinstance(source.func, ast.Name) and
                source.func.id != "as_item"):
            return True
        if isinstance(source, ast.Attribute):
            name = _self_attribute(source)
            if name is not None:  # self.x: an elementary 01/77, or a whole record
                if name not in self.elementaries:
                    return False
                sender = self.elementaries[name]
                return sender is None or not sender.may_be_copied_into(receiver)
            # self.rec.x or table[i].x, of any record class declaring an x (LINKAGE, file
            # and OCCURS element records too)
            declaring = [r for r in self.records.values() if source.attr in r.members]
            return bool(declaring) and all(
                source.attr not in r.groups and not (
                    source.attr in r.numbers and
                    r.numbers[source.attr].may_be_copied_into(receiver))
                for r in declaring)
        return False  # a table element, a reference modification, anything else


_ELEMENTARY_MAKERS = frozenset({"numeric_field", "alphanumeric_field", "edited_field"})
"""How the generated code makes an elementary 01/77 item (``field`` makes one whose category
the translator left to the runtime: not known here)."""


def _span(call: ast.Call, maker: str) -> tuple[int, int] | None:
    """[start, end) of the bytes a record member's declaration makes, relative to its
    record; None when its arguments are not the constants the translator writes."""
    args = call.args
    if not args or not all(isinstance(a, ast.Constant) for a in args[:3 if maker == "table"
                                                                      else 2]):
        return None
    start = args[0].value  # type: ignore[attr-defined]
    if maker == "group":
        length = args[1].value  # type: ignore[attr-defined]
    elif maker == "table":
        length = args[1].value * args[2].value  # type: ignore[attr-defined]
    else:
        options = {k.arg: k.value.value for k in call.keywords
                   if k.arg in ("sign", "separate") and isinstance(k.value, ast.Constant)}
        try:
            length = field_length(str(args[1].value),  # type: ignore[attr-defined]
                                  str(args[2].value) if len(args) > 2 and  # type: ignore
                                  isinstance(args[2], ast.Constant) else "DISPLAY", **options)
        except Exception:  # noqa: BLE001 - a picture the runtime refuses: not read here
            return None
    if not isinstance(start, int) or not isinstance(length, int):
        return None
    return start, start + length


def _replacing_numbers(args: list[ast.expr], keywords: list[ast.keyword]) -> bool:
    """Whether INITIALIZE's REPLACING values (the pairs after its target) are literals or
    figurative constants: an item as the value may be one a same-picture MOVE copies."""
    if keywords or len(args) > 1:
        return False
    if not args:
        return True
    pairs = args[0]
    if not isinstance(pairs, ast.List | ast.Tuple):
        return False
    for pair in pairs.elts:
        if not isinstance(pair, ast.Tuple) or len(pair.elts) != 2:
            return False
        value = pair.elts[1]
        if not (_is_number_literal(value) or isinstance(value, ast.Constant) or
                isinstance(value, ast.Name) and value.id in FIGURATIVE_NAMES):
            return False
    return True


def _own_storage(call: ast.Call) -> bool:
    """``numeric_field(bytearray(n), 0, ...)``: an item with bytes of its own."""
    if len(call.args) < 3:
        return False
    storage, offset = call.args[0], call.args[1]
    return isinstance(storage, ast.Call) and isinstance(storage.func, ast.Name) and \
        storage.func.id == "bytearray" and isinstance(offset, ast.Constant) and \
        offset.value == 0


def _base_names(node: ast.ClassDef) -> set[str]:
    return {base.id for base in node.bases if isinstance(base, ast.Name)}
