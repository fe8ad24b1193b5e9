"""Business wording without a model: COBOL names, conditions and statements in words.

``Vocabulary(program)`` turns what the model holds into words a business analyst reads:

- a data name: its parts, record prefixes (``PT-`` of ``PT-TRAN-AMT`` when many items of one
  record share it) and ``WS-``/``LS-`` dropped, shop abbreviations spelled out
  (``PT-TRAN-AMT`` → "transaction amount");
- a paragraph: its name without the numeric prefix (``2000-ASSESS-ACCOUNT`` → "assess
  account");
- a level-88 condition: a sentence about its item (``ACCT-CLOSED`` → "the account is closed"
  when the last word is a state, else the words of the name);
- a condition: its operands in words, relations as "is", "is greater than" …;
- a statement: what it does (``MOVE 'OVER LIMIT' TO WS-POST-REMARK`` → "set post remark to
  'OVER LIMIT'").

The words are a reading aid; every rule keeps the COBOL text and cites its lines, and the
glossary (``Vocabulary.glossary``) maps each phrase back to its data item.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from ..core.model import DataItem, Program

ABBREVIATIONS: dict[str, str] = {
    "ACC": "account", "ACCT": "account", "ACCTS": "accounts", "ADDR": "address",
    "ADJ": "adjustment", "AMT": "amount", "AMTS": "amounts", "APR": "APR", "AVAIL": "available",
    "AVL": "available", "BAL": "balance", "BR": "branch", "BRN": "branch", "CALC": "calculated",
    "CD": "code", "CHG": "change", "CHGS": "changes", "CNT": "count", "CTR": "counter",
    "CR": "credit", "CTL": "control", "CURR": "current", "CUR": "current", "CUST": "customer",
    "CYC": "cycle",
    "DD": "day", "DESC": "description", "DLY": "daily", "DR": "debit", "DT": "date",
    "DTE": "date", "EFF": "effective", "EOF": "end of file", "ERR": "error", "EXP": "expiry",
    "FLG": "flag", "HDR": "header", "HIST": "history", "ID": "ID", "IDX": "index",
    "IND": "indicator", "INT": "interest", "INV": "invoice", "JRNL": "journal", "LMT": "limit",
    "LIM": "limit", "MAST": "master", "MM": "month", "MSG": "message", "MSTR": "master",
    "MTH": "month", "NBR": "number", "NDX": "index", "NM": "name", "NO": "number",
    "NUM": "number", "ORIG": "original", "PCT": "percent", "PMT": "payment", "PYMT": "payment",
    "POS": "position", "PREV": "previous", "PROC": "process", "PROD": "product",
    "QTY": "quantity", "RC": "return code", "REC": "record", "RECS": "records", "REF": "reference",
    "RPT": "report", "RT": "rate", "SEQ": "sequence", "STAT": "status", "STMT": "statement",
    "STS": "status", "SUB": "subscript", "SUSP": "suspense", "SW": "switch", "TOT": "total",
    "TRAN": "transaction", "TRANS": "transaction", "TRN": "transaction", "TXN": "transaction",
    "UPD": "update", "VAL": "value", "WS": "", "YR": "year", "YY": "year", "CCYY": "year",
    "YYYY": "year",
}
"""Shop abbreviations and their words; ``WS`` (working storage) has none."""

STATES = frozenset({
    "ACTIVE", "APPROVED", "BLOCKED", "CLOSED", "COMPLETE", "DELETED", "DONE", "DUE", "EMPTY",
    "ENDED", "EXPIRED", "FOUND", "FROZEN", "FULL", "INACTIVE", "INVALID", "LOCKED", "NEW",
    "OK", "OPEN", "OPENED", "OVERDUE", "PAID", "PENDING", "POSTED", "REJECTED", "SUSPENDED",
    "VALID", "YES", "NO",
})
"""Last words of level-88 names that state something of their subject."""

_SCOPE_PREFIXES = frozenset({"WS", "W", "LS", "LK", "WK", "L"})
_FIGURATIVE = {"SPACE": "blank", "SPACES": "blank", "ZERO": "zero", "ZEROS": "zero",
               "ZEROES": "zero", "HIGH-VALUE": "high values", "HIGH-VALUES": "high values",
               "LOW-VALUE": "low values", "LOW-VALUES": "low values", "QUOTE": "a quote",
               "QUOTES": "a quote"}
_RELATIONS = [(("NOT", "="), "is not"), (("NOT", "EQUAL", "TO"), "is not"),
              (("NOT", "EQUAL"), "is not"), (("NOT", ">"), "is not greater than"),
              (("NOT", "<"), "is not less than"), (("GREATER", "THAN", "OR", "EQUAL", "TO"),
                                                   "is at least"),
              ((">=",), "is at least"), (("<=",), "is at most"),
              (("LESS", "THAN", "OR", "EQUAL", "TO"), "is at most"), (("=",), "is"),
              (("EQUAL", "TO"), "is"), (("EQUAL",), "is"), ((">",), "is greater than"),
              (("GREATER", "THAN"), "is greater than"), (("GREATER",), "is greater than"),
              (("<",), "is less than"), (("LESS", "THAN"), "is less than"),
              (("LESS",), "is less than"), (("<>",), "is not")]
_IO_WORDS = frozenset({"INPUT", "OUTPUT", "I-O", "EXTEND", "NEXT", "RECORD", "INTO", "KEY",
                       "IS", "WITH", "LOCK"})
_NUMERIC_PREFIX = re.compile(r"^[0-9]+[A-Z]?-")


_CICS_FIELDS = {"EIBAID": "the key pressed", "EIBCALEN": "the commarea length",
                "EIBRESP": "the CICS response", "EIBRESP2": "the CICS reason",
                "EIBTRNID": "the transaction ID", "EIBTRMID": "the terminal ID",
                "DFHENTER": "Enter", "DFHCLEAR": "Clear", "DFHNULL": "no key"}


def _cics_words(name: str) -> str | None:
    """The EIB fields and DFHAID keys in words (``DFHPF3`` → "PF3")."""
    if name in _CICS_FIELDS:
        return _CICS_FIELDS[name]
    key = re.fullmatch(r"DFH(PF|PA)(\d+)", name)
    return f"{key[1]}{key[2]}" if key else None


def _is_literal(token: str) -> bool:
    return token[:1] in ("'", '"') or bool(re.fullmatch(r"[+-]?\d+(\.\d+)?", token)) or \
        (len(token) > 2 and token[0] in "XxZzNn" and token[1] in ("'", '"'))


def _expand(parts: Sequence[str]) -> str:
    out = []
    for part in parts:
        word = ABBREVIATIONS.get(part.upper(), part.lower())
        if word:
            out.append(word)
    return " ".join(out)


def paragraph_words(key: str) -> str:
    """``2000-ASSESS-ACCOUNT`` → "assess account" (a section's key keeps its name)."""
    name = key.split(" IN ", 1)[0].removesuffix(" SECTION")
    name = _NUMERIC_PREFIX.sub("", name)
    return _expand([p for p in name.split("-") if p]) or key.lower()


class Vocabulary:
    """The words of one program's names (see the module docstring)."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.items: dict[str, DataItem] = {}
        for item in program.data_items:
            self.items.setdefault(item.name, item)
        self.by_id = {item.id: item for item in program.data_items}
        self.files = {f.name for f in program.files}
        self.paragraphs = {p.key for p in (*program.paragraphs, *program.sections)}
        self.prefixes = self._record_prefixes(program.data_items)
        self.used: dict[str, str] = {}  # words → name, for the glossary

    @staticmethod
    def _record_prefixes(items: Iterable[DataItem]) -> set[tuple[str | None, str]]:
        """(record, prefix) pairs where at least three items of a record share a short first
        part: the shop's record prefix (``PT-`` in ``PT-TRAN-REC``), not a word."""
        counts: Counter[tuple[str | None, str]] = Counter()
        for item in items:
            parts = item.name.split("-")
            if len(parts) > 1 and len(parts[0]) <= 3:
                counts[(item.record, parts[0])] += 1
        return {key for key, count in counts.items() if count >= 3}

    # -- names ---------------------------------------------------------------------------------
    def name(self, name: str) -> str:
        """Words for a data item, file, paragraph or level-88 name (as is when unknown)."""
        upper = name.upper()
        cics = _cics_words(upper)
        if cics is not None:
            return cics
        item = self.items.get(upper)
        if item is not None:
            words = self._data_words(item) if item.level != 88 else self._level_88(item)
        elif upper in self.paragraphs:
            words = paragraph_words(upper)
        elif upper in self.files:
            words = _expand([p for p in upper.split("-") if p])
            words = words if words.endswith("file") else words + " file"
        else:
            return name
        if words and words != name:
            self.used.setdefault(words, upper)
        return words or name

    def _data_words(self, item: DataItem) -> str:
        parts = [p for p in item.name.split("-") if p]
        if len(parts) > 1 and (parts[0] in _SCOPE_PREFIXES
                               or (item.record, parts[0]) in self.prefixes):
            parts = parts[1:]
        return _expand(parts) or item.name.lower()

    def _level_88(self, item: DataItem) -> str:
        parts = [p for p in item.name.split("-") if p]
        parent = self.by_id.get(item.parent or "")
        if parent is not None:  # PT-TRAN-DEBIT-TYPE of PT-TRAN-CODE: "the transaction code
            own = [p for p in parent.name.split("-") if p]  # is debit type"
            common = 0
            while common < min(len(own), len(parts) - 1) and own[common] == parts[common]:
                common += 1
            if common:
                rest = parts[common:]
                negated = rest[0] == "NOT" and len(rest) > 1
                return (f"the {self._data_words(parent)} is {'not ' if negated else ''}"
                        f"{_expand(rest[1:] if negated else rest)}")
        if len(parts) > 1 and (parts[0] in _SCOPE_PREFIXES
                               or (item.record, parts[0]) in self.prefixes):
            parts = parts[1:]
        if len(parts) >= 2 and parts[-1] in STATES:
            negated = len(parts) >= 3 and parts[-2] == "NOT"
            subject = _expand(parts[:-2] if negated else parts[:-1])
            state = parts[-1].lower()
            if subject:
                return f"the {subject} is {'not ' if negated else ''}{state}"
        return _expand(parts) or item.name.lower()

    def glossary(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(self.used.items()))

    # -- conditions ----------------------------------------------------------------------------
    def operand(self, tokens: Sequence[str]) -> str:
        """An operand in words: a name (subscripts as "of"), a literal, a figurative."""
        if not tokens:
            return ""
        head = tokens[0]
        if head.upper() in _FIGURATIVE:
            return _FIGURATIVE[head.upper()]
        if head.upper() == "DFHRESP" and len(tokens) >= 3:  # DFHRESP(NOTFND)
            return f"the {tokens[2].lower()} response"
        if _is_literal(head):
            return " ".join(tokens)
        words = self.name(head)
        if len(tokens) > 1 and tokens[1] == "(":  # a subscript or a reference modification
            inner = [t for t in tokens[2:] if t != ")"]
            words += f" ({' '.join(self.name(t) if not _is_literal(t) else t for t in inner)})"
        return words

    def condition(self, tokens: Sequence[str]) -> str:
        """A condition's tokens in words; a level-88 name is its sentence."""
        out: list[str] = []
        i, n = 0, len(tokens)
        while i < n:
            token = tokens[i]
            upper = token.upper()
            if upper in ("AND", "OR"):
                out.append(upper.lower())
                i += 1
                continue
            if upper == "NOT" and i + 1 < n and self._is_88(tokens[i + 1]):
                out.append(f"not ({self.name(tokens[i + 1])})")
                i += 2
                continue
            if upper in ("(", ")"):
                out.append(token)
                i += 1
                continue
            relation = self._relation(tokens, i)
            if relation is not None:
                words, width = relation
                out.append(words)
                i += width
                continue
            if upper == "IS":
                i += 1
                continue
            j = i + 1
            if j < n and tokens[j] == "(":
                depth = 0
                while j < n:
                    depth += tokens[j] == "("
                    depth -= tokens[j] == ")"
                    j += 1
                    if depth == 0:
                        break
            out.append(self.operand(tokens[i:j]))
            i = j
        text = " ".join(out).replace("( ", "(").replace(" )", ")")
        return re.sub(r"\s+", " ", text).strip()

    def _is_88(self, name: str) -> bool:
        item = self.items.get(name.upper())
        return item is not None and item.level == 88

    @staticmethod
    def _relation(tokens: Sequence[str], i: int) -> tuple[str, int] | None:
        upper = [t.upper() for t in tokens[i:i + 5]]
        for pattern, words in _RELATIONS:
            if tuple(upper[:len(pattern)]) == pattern:
                width = len(pattern)
                if upper[width:width + 1] == ["TO"] and pattern[-1] in ("EQUAL",):
                    width += 1
                return words, width
        return None

    # -- statements ----------------------------------------------------------------------------
    def statement(self, verb: str, operands: Sequence[str]) -> str:
        """What a statement does, in words (the COBOL text when no phrasing fits)."""
        ops = list(operands)
        upper = [o.upper() for o in ops]
        try:
            if verb == "MOVE" and "TO" in upper:
                k = upper.index("TO")
                targets = ", ".join(self.operand(t) for t in _split_names(ops[k + 1:]))
                return f"set {targets} to {self.operand(ops[:k])}"
            if verb in ("ADD", "SUBTRACT") and ("TO" in upper or "FROM" in upper):
                k = upper.index("TO" if verb == "ADD" else "FROM")
                source = " and ".join(self.operand(t) for t in _split_names(ops[:k]))
                target = ", ".join(self.operand(t) for t in _split_names(ops[k + 1:]))
                return f"{verb.lower()} {source} {'to' if verb == 'ADD' else 'from'} {target}"
            if verb == "COMPUTE" and "=" in upper:
                k = upper.index("=")
                targets = [t for t in ops[:k] if t.upper() != "ROUNDED"]
                return f"compute {self.operand(targets)} as {' '.join(ops[k + 1:])}"
            if verb == "SET" and upper[-2:] == ["TO", "TRUE"]:
                return "mark that " + "; ".join(self.name(name) for name in ops[:-2])
            if verb == "IF":
                return f"check whether {self.condition(ops)}"
            if verb == "EVALUATE":
                return f"decide on {self.condition(ops)}"
            if verb == "PERFORM" and ops and not _is_literal(ops[0]):
                return f"{paragraph_words(ops[0])} ({ops[0]})"
            if verb == "GO":
                target = [o for o in ops if o.upper() != "TO"]
                return f"go to {paragraph_words(target[0])}" if target else "go to"
            if verb in ("WRITE", "REWRITE") and ops:
                return f"{verb.lower()} the {self.operand(ops[:1])}"
            if verb in ("READ", "DELETE", "START", "OPEN", "CLOSE") and ops:
                said = [o.lower() if o.upper() in _IO_WORDS else self.operand([o]) for o in ops]
                return f"{verb.lower()} {' '.join(said)}"
            if verb == "DISPLAY":
                return "display " + " ".join(
                    o if _is_literal(o) else self.operand([o]) for o in ops
                    if o.upper() not in ("UPON", "SYSOUT", "CONSOLE"))
            if verb == "CALL" and ops:
                return f"call {ops[0].strip(chr(39) + chr(34))}"
            if verb == "STOP":
                return "stop the run"
            if verb == "GOBACK":
                return "return to the caller"
            if verb in ("CONTINUE", "NEXT"):
                return "continue"
        except (ValueError, IndexError):
            pass
        return f"{verb} {' '.join(ops)}".strip().lower()


def _split_names(tokens: Sequence[str]) -> list[list[str]]:
    """Operands of a MOVE/ADD target list: each name with its subscript."""
    out: list[list[str]] = []
    depth = 0
    for token in tokens:
        if token == "," or (depth == 0 and token.upper() in ("ROUNDED", "GIVING")):
            continue
        if depth == 0 and token != "(" and token != ")":
            out.append([token])
            continue
        depth += token == "("
        depth -= token == ")"
        if out:
            out[-1].append(token)
    return out


def cobol_text(verb: str, operands: Sequence[str]) -> str:
    """A statement as written: its verb and operands, subscripts without inner spaces."""
    text = " ".join([verb, *operands]).strip()
    return text.replace("( ", "(").replace(" )", ")")
