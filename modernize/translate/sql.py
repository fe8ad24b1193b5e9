"""EXEC SQL blocks as calls on the embedded SQL runtime (:mod:`modernize.runtime.sql`).

The precompiler's part is done here: host variables (``:NAME``, with an indicator as
``:NAME:IND``, ``:NAME :IND`` or ``:NAME INDICATOR :IND``) become ``?`` in the statement text and
runtime items in its argument lists (the INTO targets of SELECT, VALUES and FETCH as outputs,
the others as inputs), an ``INCLUDE SQLCA`` becomes the SQLCA record, cursors are declared once
when the program starts (DB2 binds a cursor's host variables at OPEN), and ``WHENEVER`` adds its
test after each following statement, in source order as the precompiler does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..analysis.cobol.pic import picture_info
from ..core.model import DataItem, Program
from ..runtime.sql import SQLCA_LAYOUT, SQLCA_LENGTH

_HOST = re.compile(r":\s*([A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9][A-Za-z0-9-]*)?)")
_INDICATOR = re.compile(r"\s*(?:INDICATOR\s*)?:\s*([A-Za-z0-9][A-Za-z0-9-]*)", re.IGNORECASE)
_STRING = re.compile(r"'(?:[^']|'')*'")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INTO_ENDS = {"FROM", "WHERE", "GROUP", "HAVING", "ORDER", "FETCH", "WITH", "UNION", "FOR"}


@dataclass(frozen=True)
class HostReference:
    """A host variable of a statement: its data name, its indicator's, and its direction."""

    name: str
    indicator: str | None
    output: bool


@dataclass(frozen=True)
class EmbeddedStatement:
    """One EXEC SQL statement with its host variables replaced by ``?``."""

    text: str
    verb: str
    hosts: tuple[HostReference, ...]

    @property
    def inputs(self) -> list[HostReference]:
        return [h for h in self.hosts if not h.output]

    @property
    def outputs(self) -> list[HostReference]:
        return [h for h in self.hosts if h.output]


def embedded_statement(text: str) -> EmbeddedStatement:
    """Host variables out of ``text`` (outside string literals), in order."""
    words = text.split()
    verb = words[0].upper() if words else ""
    into_clause = verb in ("SELECT", "VALUES", "FETCH")
    out: list[str] = []
    hosts: list[HostReference] = []
    in_into = False
    i = 0
    while i < len(text):
        literal = _STRING.match(text, i)
        if literal:
            out.append(literal.group())
            i = literal.end()
            continue
        word = _WORD.match(text, i)
        if word and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "-_")):
            upper = word.group().upper()
            if into_clause and upper == "INTO":
                in_into = True
            elif upper in _INTO_ENDS:
                in_into = False
            out.append(word.group())
            i = word.end()
            continue
        host = _HOST.match(text, i) if text[i] == ":" else None
        if host:
            end = host.end()
            indicator = None
            follow = _INDICATOR.match(text, end)
            if follow:  # `:A :B` with no comma between: B is A's indicator
                indicator = follow.group(1).upper()
                end = follow.end()
            hosts.append(HostReference(host.group(1).upper(), indicator, in_into))
            out.append("?")
            i = end
            continue
        out.append(text[i])
        i += 1
    return EmbeddedStatement("".join(out), verb, tuple(hosts))


def uses_sql(program: Program) -> bool:
    return bool(program.sql)


def with_sqlca(program: Program) -> Program:
    """The program with the SQLCA's data items, when it includes the SQLCA (or uses SQL) and
    does not declare SQLCODE itself: what ``EXEC SQL INCLUDE SQLCA`` brings in."""
    if not uses_sql(program) or any(d.name == "SQLCODE" for d in program.data_items):
        return program
    include = next((u for u in program.copybook_uses if u.name == "SQLCA"), None)
    file = include.file if include else program.path
    line = include.line if include else 1
    base = f"{program.id}/data:SQLCA"
    items = [DataItem(id=base, name="SQLCA", level=1, storage="working-storage",
                      record="SQLCA", file=file, line=line, offset=0, length=SQLCA_LENGTH,
                      is_group=True)]
    for name, offset, picture, usage, occurs in SQLCA_LAYOUT:
        info = picture_info(picture, usage)
        items.append(DataItem(
            id=f"{base}.{name}", name=name, level=5, parent=base, storage="working-storage",
            record="SQLCA", file=file, line=line, picture=picture, usage=usage,
            offset=offset, length=info.length, digits=info.digits, scale=info.scale,
            signed=info.signed, occurs_max=occurs if occurs > 1 else None,
            value="'SQLCA'" if name == "SQLCAID" else "136" if name == "SQLCABC" else None))
    return program.model_copy(update={"data_items": (*program.data_items, *items)})
