"""Read EXEC SQL and EXEC CICS blocks, which the COBOL grammar never sees.

Embedded SQL: the verb, the tables and what the statement does to each (C/R/U/D), cursors, and
host variables read and written. CICS: the command, its options, and its target (the program
of LINK/XCTL/START, the dataset or file of file commands, the map, the transaction of RETURN).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HOST = re.compile(r":([A-Z0-9][A-Z0-9-]*)", re.IGNORECASE)
_TABLE = r"([A-Z][A-Z0-9_$#@]*(?:\.[A-Z][A-Z0-9_$#@]*)?)"
_SQL_KEYWORDS = {"SELECT", "WHERE", "ORDER", "GROUP", "HAVING", "UNION", "FETCH", "FOR", "WITH",
                 "ON", "INNER", "LEFT", "RIGHT", "OUTER", "JOIN", "AS", "SET", "VALUES", "INTO"}


@dataclass(frozen=True)
class SqlFacts:
    verb: str
    tables: tuple[str, ...] = ()
    crud: tuple[str, ...] = ()
    cursor: str | None = None
    host_reads: tuple[str, ...] = ()
    host_writes: tuple[str, ...] = ()
    goto: str | None = None  # WHENEVER ... GO TO label


def _tables_after(keyword: str, text: str) -> list[str]:
    """Table names in FROM/JOIN lists: `FROM A X, B Y JOIN C ON ...`."""
    out: list[str] = []
    for match in re.finditer(rf"\b{keyword}\s+(.*?)(?=\bWHERE\b|\bORDER\b|\bGROUP\b|\bHAVING\b|"
                             rf"\bFOR\b|\bUNION\b|\bFETCH\b|\bWITH\b|\bON\b|\)|$)", text, re.I):
        for part in match.group(1).split(","):
            words = part.split()
            if words and words[0].upper() not in _SQL_KEYWORDS and not words[0].startswith(":"):
                out.append(words[0].upper())
    for match in re.finditer(rf"\bJOIN\s+{_TABLE}", text, re.I):
        out.append(match.group(1).upper())
    return out


def parse_sql(text: str) -> SqlFacts:
    body = " ".join(text.split())
    words = body.split()
    verb = words[0].upper() if words else ""
    hosts = [h.upper() for h in _HOST.findall(body)]
    if verb == "DECLARE" and re.search(r"\bCURSOR\b", body, re.I):
        cursor = words[1].upper() if len(words) > 1 else None
        select = re.split(r"\bFOR\b", body, maxsplit=1, flags=re.I)[-1]
        tables = _tables_after("FROM", select)
        return SqlFacts("DECLARE CURSOR", _unique(tables), ("R",) * len(_unique(tables)), cursor,
                        host_reads=_unique(hosts))
    if verb in ("OPEN", "CLOSE"):
        return SqlFacts(verb, cursor=words[1].upper() if len(words) > 1 else None)
    if verb == "FETCH":
        cursor = next((w.upper() for w in words[1:] if w.upper() not in ("NEXT", "FROM",
                                                                        "PRIOR", "FIRST")), None)
        return SqlFacts(verb, cursor=cursor, host_writes=_unique(hosts))
    if verb == "SELECT":
        parts = re.split(r"\bFROM\b", body, maxsplit=1, flags=re.I)
        into, rest = parts[0], parts[1] if len(parts) > 1 else ""
        tables = _tables_after("FROM", "FROM " + rest)
        writes = [h.upper() for h in _HOST.findall(into)]
        reads = [h.upper() for h in _HOST.findall(rest)]
        return SqlFacts(verb, _unique(tables), ("R",) * len(_unique(tables)),
                        host_reads=_unique(reads), host_writes=_unique(writes))
    if verb == "INSERT":
        match = re.search(rf"\bINTO\s+{_TABLE}", body, re.I)
        tables = [match.group(1).upper()] if match else []
        read_tables = _tables_after("FROM", body)
        return SqlFacts(verb, _unique(tables + read_tables),
                        ("C",) * len(tables) + ("R",) * len(read_tables),
                        host_reads=_unique(hosts))
    if verb == "UPDATE":
        match = re.match(rf"UPDATE\s+{_TABLE}", body, re.I)
        tables = [match.group(1).upper()] if match else []
        cursor = re.search(r"\bCURRENT\s+OF\s+([A-Z0-9-]+)", body, re.I)
        return SqlFacts(verb, _unique(tables), ("U",) * len(tables),
                        cursor.group(1).upper() if cursor else None, host_reads=_unique(hosts))
    if verb == "DELETE":
        match = re.search(rf"\bFROM\s+{_TABLE}", body, re.I)
        tables = [match.group(1).upper()] if match else []
        return SqlFacts(verb, _unique(tables), ("D",) * len(tables), host_reads=_unique(hosts))
    if verb == "WHENEVER":
        label = re.search(r"\bGO\s*TO\s+([A-Z0-9][A-Z0-9-]*)", body, re.IGNORECASE)
        return SqlFacts(verb, goto=label.group(1).upper() if label else None)
    if verb == "INCLUDE":
        return SqlFacts(verb, cursor=None, tables=(), crud=())
    return SqlFacts(verb, host_reads=_unique(hosts))


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


@dataclass(frozen=True)
class CicsFacts:
    command: str
    target: str | None
    options: dict[str, str] = field(default_factory=dict)
    program_literal: str | None = None
    program_item: str | None = None
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()  # HANDLE CONDITION/AID/ABEND: the paragraphs it branches to


_TWO_WORD = {("SEND", "MAP"), ("RECEIVE", "MAP"), ("SEND", "TEXT"), ("SEND", "CONTROL"),
             ("HANDLE", "CONDITION"), ("HANDLE", "AID"), ("HANDLE", "ABEND"),
             ("READ", "NEXT"), ("READ", "PREV"), ("START", "BR"), ("END", "BR"),
             ("WRITE", "JOURNALNAME"), ("WRITEQ", "TS"), ("WRITEQ", "TD"), ("READQ", "TS"),
             ("READQ", "TD"), ("DELETEQ", "TS"), ("DELETEQ", "TD"), ("SYNCPOINT", "ROLLBACK")}
_OPTION = re.compile(r"([A-Z][A-Z0-9-]*)\s*"
                     r"(?:\(\s*((?:'[^']*'|\"[^\"]*\"|[^()]|\([^()]*\))*)\s*\))?",
                     re.IGNORECASE)
_TARGET_OPTION = {"LINK": "PROGRAM", "XCTL": "PROGRAM", "LOAD": "PROGRAM", "START": "TRANSID",
                  "RETURN": "TRANSID", "SEND MAP": "MAP", "RECEIVE MAP": "MAP",
                  "READ": "DATASET", "WRITE": "DATASET", "REWRITE": "DATASET",
                  "DELETE": "DATASET", "STARTBR": "DATASET", "READNEXT": "DATASET",
                  "READPREV": "DATASET", "ENDBR": "DATASET", "UNLOCK": "DATASET",
                  "WRITEQ TS": "QUEUE", "READQ TS": "QUEUE", "WRITEQ TD": "QUEUE",
                  "READQ TD": "QUEUE", "DELETEQ TS": "QUEUE"}


def parse_cics(text: str) -> CicsFacts:
    body = " ".join(text.split())
    words = body.split()
    if not words:
        return CicsFacts("", None)
    head = words[0].upper().split("(")[0]
    command = head
    if len(words) > 1 and (head, words[1].upper().split("(")[0]) in _TWO_WORD:
        command = f"{head} {words[1].upper().split('(')[0]}"
    # options start right after the verb: in SEND MAP('X') the second word is an option too
    rest = body[len(head):]
    options: dict[str, str] = {}
    for match in _OPTION.finditer(rest):
        options[match.group(1).upper()] = (match.group(2) or "").strip()
    target_key = _TARGET_OPTION.get(command)
    if command in ("READ", "WRITE", "REWRITE", "DELETE", "STARTBR", "READNEXT", "READPREV",
                   "ENDBR", "UNLOCK") and "DATASET" not in options and "FILE" in options:
        target_key = "FILE"
    raw_target = options.get(target_key, "") if target_key else ""
    target = _literal_or_name(raw_target)
    program_literal = program_item = None
    if command in ("LINK", "XCTL", "START") and "PROGRAM" in options:
        value = options["PROGRAM"]
        if value[:1] in "'\"":
            program_literal = value.strip("'\"").strip().upper()
        else:
            program_item = value.upper()
    reads = [_literal_or_name(options[k]) for k in ("FROM", "RIDFLD", "COMMAREA", "LENGTH")
             if k in options and options[k][:1] not in "'\"" and not options[k].isdigit()]
    writes = [_literal_or_name(options[k]) for k in ("INTO", "RESP", "RESP2", "SET")
              if k in options and options[k]]
    if command == "RECEIVE MAP" and "INTO" not in options and "MAP" in options:
        writes.append(f"{_literal_or_name(options['MAP'])}I")
    labels: list[str] = []
    if command in ("HANDLE CONDITION", "HANDLE AID"):
        labels = [_literal_or_name(v) for v in options.values() if v]
    elif command == "HANDLE ABEND" and options.get("LABEL"):
        labels = [_literal_or_name(options["LABEL"])]
    return CicsFacts(command, target or None, options, program_literal, program_item,
                     _unique([r for r in reads if r]), _unique([w for w in writes if w]),
                     _unique(labels))


def _literal_or_name(value: str) -> str:
    """A literal's text, or the data name in an argument (`LENGTH OF X` and `X(1)` give X)."""
    value = value.strip()
    if value[:1] in "'\"":
        return value.strip("'\"").strip().upper()
    length_of = re.match(r"LENGTH\s+OF\s+([A-Z0-9-]+)", value, re.IGNORECASE)
    if length_of:
        return length_of.group(1).upper()
    return value.split("(")[0].split()[0].upper() if value.split() else ""
