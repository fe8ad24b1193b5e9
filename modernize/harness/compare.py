"""Compare two runs of one program knowing COBOL output.

Standard output, the return code and every output file must be byte-identical. When a record
file differs, the first differing record is cut out (one per line for LINE SEQUENTIAL, by the
FD's record length for fixed files) and the first differing byte is located in the record's
layout: the FD's 01 record, else the record the program writes FROM or reads INTO. The
difference names that elementary field, with decoded values for numeric fields.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..model import DataItem, FileDef, Program
from .legacy import RunResult

_NUMERIC_PIC = re.compile(r"^S?[9P]*(V[9P]*)?$")
_EDITED_PIC = re.compile(r"^[$]*[-+]?[$]*[Z9*,$]*(\.[Z9*,]*)?(CR|DB|[-+])?$")
_EDITED_TEXT = re.compile(r"^\s*([-+]?)\s*(\d*(?:\.\d*)?)\s*(CR|DB|[-+])?\s*$")
_OVERPUNCH = {
    **{c: (False, i) for i, c in enumerate("0123456789")},
    **{c: (False, i) for i, c in enumerate("{ABCDEFGHI")},
    **{c: (True, i) for i, c in enumerate("}JKLMNOPQR")},
    **{c: (True, i) for i, c in enumerate("pqrstuvwxy")},  # GnuCOBOL ASCII negative digits
}
ABSENT = "<absent>"
NO_RECORD = "<no record>"


@dataclass(frozen=True)
class Difference:
    """One place where the runs differ; ``record`` is 1-based (a line for stdout)."""

    where: str
    record: int | None
    field: str | None
    expected: str
    actual: str
    layout: str | None = None
    offset: int | None = None
    detail: str = ""

    def describe(self) -> str:
        """One line a person reads."""
        text = self.where
        if self.record is not None:
            text += f" line {self.record}" if self.where == "stdout" else f" record {self.record}"
        if self.field:
            text += f" field {self.field}"
            if self.layout:
                text += f" of {self.layout}"
        if self.offset is not None:
            text += f" (byte {self.offset + 1})"
        return f"{text}: expected {self.expected}, got {self.actual}"


@dataclass(frozen=True)
class Verdict:
    """The outcome of one comparison."""

    equivalent: bool
    differences: list[Difference] = field(default_factory=list)
    program: str = ""
    scenario: str = ""

    def report(self) -> str:
        """The verdict as Markdown."""
        title = f"## {self.program or 'program'}"
        if self.scenario:
            title += f" · scenario `{self.scenario}`"
        if self.equivalent:
            return f"{title}\n\n**Equivalent**: stdout, return code and every output file " \
                   "are byte-identical.\n"
        lines = [title, "", f"**Not equivalent**: {len(self.differences)} difference(s).", "",
                 "| where | record | field | expected | actual |",
                 "| --- | --- | --- | --- | --- |"]
        for d in self.differences:
            name = f"`{d.field}`" + (f" of `{d.layout}`" if d.layout else "") if d.field else ""
            record = "" if d.record is None else str(d.record)
            lines.append(f"| {d.where} | {record} | {name} | {_cell(d.expected)} | "
                         f"{_cell(d.actual)} |")
        for d in self.differences:
            if d.detail:
                lines += ["", f"{d.describe()}", "", "```", d.detail, "```"]
        return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return "`" + text.replace("|", "\\|").replace("`", "'") + "`"


def _text(data: bytes) -> str:
    return repr(data.decode("latin-1"))


# --------------------------------------------------------------------------- values


def _is_numeric_display(item: DataItem) -> bool:
    picture = re.sub(r"([9XAPZ])\((\d+)\)", lambda m: m.group(1) * int(m.group(2)),
                     (item.picture or "").upper())
    return item.usage == "DISPLAY" and bool(picture) and bool(_NUMERIC_PIC.match(picture))


def _scaled(value: int, scale: int | None) -> str:
    return str(Decimal(value).scaleb(-(scale or 0)))


def _edited(item: DataItem, text: str) -> str | None:
    """The value shown by a numeric-edited field (``ZZ,ZZ9.99-``, ``$$$9``), if it is one."""
    picture = re.sub(r"([9Z*$,.+-])\((\d+)\)", lambda m: m.group(1) * int(m.group(2)),
                     (item.picture or "").upper())
    if item.usage != "DISPLAY" or not re.search(r"[Z9*]", picture) \
            or not _EDITED_PIC.match(picture) or _NUMERIC_PIC.match(picture):
        return None
    found = _EDITED_TEXT.match(text.replace(",", "").replace("$", "").replace("*", ""))
    if not found or not found.group(2).strip("."):
        return "0" if found and not text.strip(" $*,.") else None
    negative = found.group(1) == "-" or (found.group(3) or "") in ("-", "CR", "DB")
    return ("-" if negative else "") + found.group(2)


def decode(item: DataItem, raw: bytes) -> str | None:
    """The value of a numeric or numeric-edited field as text (``-1234.56``); None when the
    field is not numeric or the bytes are not a valid value."""
    usage = item.usage.upper()
    if usage in ("COMP-3", "PACKED-DECIMAL"):
        nibbles = [n for b in raw for n in (b >> 4, b & 15)]
        if not nibbles or any(n > 9 for n in nibbles[:-1]) or nibbles[-1] < 10:
            return None
        value = int("".join(map(str, nibbles[:-1])) or "0")
        return _scaled(-value if nibbles[-1] in (0xB, 0xD) else value, item.scale)
    if usage in ("COMP", "BINARY", "COMP-4", "COMP-5"):
        order = "little" if usage == "COMP-5" else "big"
        return _scaled(int.from_bytes(raw, order, signed=item.signed), item.scale)
    text = raw.decode("latin-1")
    if not _is_numeric_display(item):
        return _edited(item, text)
    sign = (item.sign or "TRAILING").upper() if item.signed else ""
    negative = False
    if "SEPARATE" in sign:
        mark, text = (text[0], text[1:]) if sign.startswith("LEADING") else (text[-1], text[:-1])
        if mark not in "+-":
            return None
        negative = mark == "-"
    elif sign and text:
        at = 0 if sign.startswith("LEADING") else len(text) - 1
        if text[at] not in _OVERPUNCH:
            return None
        negative, digit = _OVERPUNCH[text[at]]
        text = text[:at] + str(digit) + text[at + 1:]
    if not text.isdigit() or not text.isascii():
        return None
    return _scaled(-int(text) if negative else int(text), item.scale)


# --------------------------------------------------------------------------- layouts


class RecordLayouts:
    """The record layouts of one program's files."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.children: dict[str, list[DataItem]] = {}
        for item in program.data_items:
            if item.parent and item.level not in (66, 88):
                self.children.setdefault(item.parent, []).append(item)

    def file(self, dd: str) -> FileDef | None:
        return next((f for f in self.program.files
                     if dd in (f.dd_name, f.assign, f.name)), None)

    def _root(self, name: str, fd: str | None = None) -> DataItem | None:
        found = [d for d in self.program.data_items
                 if d.name == name and d.level not in (66, 88) and (fd is None or d.fd == fd)]
        return min(found, key=lambda d: d.level, default=None)

    def records(self, fd: FileDef) -> list[DataItem]:
        return [r for name in fd.records if (r := self._root(name, fd.name)) is not None]

    def record_length(self, fd: FileDef) -> int | None:
        return max((r.length or 0 for r in self.records(fd)), default=0) or None

    def candidates(self, fd: FileDef) -> list[DataItem]:
        """FD records with fields first, then records written FROM or read INTO."""
        own = self.records(fd)
        names: list[str] = []
        read_lines = {op.line for op in self.program.file_ops
                      if op.verb == "READ" and op.file_name == fd.name}
        for flow in self.program.data_flow:
            if flow.verb in ("WRITE", "REWRITE") and set(flow.writes) & set(fd.records):
                names += flow.reads
            elif flow.verb == "READ" and flow.line in read_lines:
                names += [w for w in flow.writes if w not in fd.records]
        others = [r for n in dict.fromkeys(names) if (r := self._root(n)) is not None]
        return [r for r in own if r.is_group] + others + [r for r in own if not r.is_group]

    def locate(self, root: DataItem, offset: int) -> tuple[DataItem, str, int] | None:
        """The elementary item holding byte ``offset`` of a record laid out as ``root``:
        (item, name with subscripts, its offset in the record)."""
        base = root.offset or 0
        return self._descend(root, offset + base, 0, ())

    def _descend(self, item: DataItem, at: int, shift: int,
                 subscripts: tuple[int, ...]) -> tuple[DataItem, str, int] | None:
        start = (item.offset or 0) + shift
        size = item.length or 0
        count = item.occurs_max or 1
        if size <= 0 or not start <= at < start + size * count:
            return None
        if item.occurs_max:
            index = (at - start) // size
            shift += index * size
            start += index * size
            subscripts = (*subscripts, index + 1)
        kids = self.children.get(item.id, [])
        for kid in sorted(kids, key=lambda k: k.redefines is not None):
            found = self._descend(kid, at, shift, subscripts)
            if found:
                return found
        name = item.name + (f"({','.join(map(str, subscripts))})" if subscripts else "")
        return item, name, start

    def score(self, root: DataItem, record: bytes) -> int | None:
        """How well ``record`` matches the layout: one point per numeric DISPLAY field holding a
        number and per VALUE SPACES field holding spaces, two per literal VALUE found; None when
        one of these fails (the record is not of this layout)."""
        if not self.children.get(root.id) or (root.length or 0) < len(record.rstrip(b" ")):
            return None
        base = root.offset or 0
        points = 0
        todo = list(self.children.get(root.id, []))
        while todo:
            item = todo.pop()
            if item.redefines or item.occurs_max or item.offset is None or not item.length:
                continue
            if item.is_group:
                todo.extend(self.children.get(item.id, []))
                continue
            start = item.offset - base
            raw = record[start:start + item.length].ljust(item.length)
            value = (item.value or "").strip()
            if value.upper() in ("SPACE", "SPACES"):
                if raw.strip(b" "):
                    return None
                points += 1
            elif value[:1] in ("'", '"') and value[-1:] == value[:1]:
                if raw.decode("latin-1").split() != value[1:-1].split():
                    return None
                points += 2
            elif not value and _is_numeric_display(item):
                if decode(item, raw) is None:
                    return None
                points += 1
        return points

    def layout_for(self, fd: FileDef, record: bytes) -> DataItem | None:
        """The layout ``record`` matches best, else the first candidate."""
        roots = self.candidates(fd)
        if not record.strip(b" ") and self.records(fd):
            return self.records(fd)[0]  # a blank line has no layout to tell
        scored = [(score, -i, r) for i, r in enumerate(roots)
                  if (score := self.score(r, record)) is not None]
        if scored:
            return max(scored, key=lambda t: (t[0], t[1]))[2]
        return roots[0] if roots else None


# --------------------------------------------------------------------------- compare


def _split(data: bytes, fd: FileDef | None, layouts: RecordLayouts) -> list[bytes] | None:
    if fd is None:
        return None
    organization = fd.organization.upper()
    if "LINE" in organization:
        records = data.split(b"\n")
        if records and records[-1] == b"":
            records.pop()
        return [r[:-1] if r.endswith(b"\r") else r for r in records]
    length = layouts.record_length(fd)
    if organization in ("SEQUENTIAL", "RECORD SEQUENTIAL") and length:
        return [data[i:i + length] for i in range(0, len(data), length)]
    return None


def _first_byte(a: bytes, b: bytes) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                min(len(a), len(b)))


def _record_difference(where: str, number: int, want: bytes, got: bytes, fd: FileDef,
                       layouts: RecordLayouts) -> Difference:
    detail = f"expected: {_text(want)}\nactual:   {_text(got)}"
    width = max(len(want), len(got))
    padded_want, padded_got = want.ljust(width), got.ljust(width)
    if padded_want == padded_got:
        return Difference(where, number, None, f"{len(want)} bytes", f"{len(got)} bytes",
                          detail=detail + "\n(only trailing spaces differ)")
    at = _first_byte(padded_want, padded_got)
    root = layouts.layout_for(fd, want)
    found = layouts.locate(root, at) if root is not None else None
    if found is None:
        return Difference(where, number, None, _text(padded_want[at:at + 20]),
                          _text(padded_got[at:at + 20]), offset=at, detail=detail)
    item, name, start = found
    start -= (root.offset or 0) if root is not None else 0
    size = item.length or 1
    raw_want, raw_got = padded_want[start:start + size], padded_got[start:start + size]
    value_want, value_got = decode(item, raw_want), decode(item, raw_got)
    numeric = value_want is not None or value_got is not None
    expected = value_want if value_want is not None else _text(raw_want)
    actual = value_got if value_got is not None else _text(raw_got)
    detail += (f"\nfield {name} PIC {item.picture or '(group)'} {item.usage} bytes "
               f"{start + 1}-{start + size}: {_text(raw_want)} vs {_text(raw_got)}"
               + (" (decoded)" if numeric else ""))
    return Difference(where, number, name, expected, actual, layout=root.name if root else None,
                      offset=at, detail=detail)


def _file_difference(dd: str, want: bytes | None, got: bytes | None,
                     layouts: RecordLayouts) -> Difference:
    where = f"file:{dd}"
    if want is None or got is None:
        return Difference(where, None, None,
                          ABSENT if want is None else f"{len(want)} bytes",
                          ABSENT if got is None else f"{len(got)} bytes")
    fd = layouts.file(dd)
    want_records, got_records = _split(want, fd, layouts), _split(got, fd, layouts)
    if fd is None or want_records is None or got_records is None:
        at = _first_byte(want, got)
        return Difference(where, None, None, _text(want[at:at + 20]), _text(got[at:at + 20]),
                          offset=at, detail=f"first difference at byte {at + 1} of the file")
    for number, (a, b) in enumerate(zip(want_records, got_records, strict=False), start=1):
        if a != b:
            return _record_difference(where, number, a, b, fd, layouts)
    number = min(len(want_records), len(got_records)) + 1
    expected = _text(want_records[number - 1]) if number <= len(want_records) else NO_RECORD
    actual = _text(got_records[number - 1]) if number <= len(got_records) else NO_RECORD
    return Difference(where, number, None, expected, actual,
                      detail=f"{len(want_records)} records expected, {len(got_records)} found")


def _stdout_difference(want: bytes, got: bytes) -> Difference:
    a, b = want.split(b"\n"), got.split(b"\n")
    number = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                  min(len(a), len(b)))
    line_a = _text(a[number]) if number < len(a) else NO_RECORD
    line_b = _text(b[number]) if number < len(b) else NO_RECORD
    return Difference("stdout", number + 1, None, line_a, line_b)


def compare(expected: RunResult, actual: RunResult, program: Program,
            files: Sequence[str] | None = None) -> Verdict:
    """Compare ``actual`` to ``expected``; ``files`` defaults to either run's outputs."""
    differences: list[Difference] = []
    if expected.returncode != actual.returncode:
        differences.append(Difference("return-code", None, None, str(expected.returncode),
                                      str(actual.returncode)))
    if expected.stdout != actual.stdout:
        differences.append(_stdout_difference(expected.stdout, actual.stdout))
    layouts = RecordLayouts(program)
    names = files if files is not None else list(dict.fromkeys(
        [*expected.outputs, *actual.outputs]))
    for dd in names:
        want, got = expected.files.get(dd), actual.files.get(dd)
        if want != got:
            differences.append(_file_difference(dd, want, got, layouts))
    return Verdict(not differences, differences, program=program.name,
                   scenario=expected.scenario)
