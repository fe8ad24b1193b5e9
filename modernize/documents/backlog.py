"""A backlog from the specifications, with no language model: the embedded default.

Epics follow how the estate runs: one per JCL job (the programs its steps run), one for the
online (CICS) programs, one for the rest. A story per program states what it must keep doing;
its acceptance criteria are its business rules in Gherkin, and each criterion gets a test case
with steps, data and expected result. Everything cites the rule or interface it comes from.

Online programs are described by their screens. Each BMS map a program sends or receives
(``SEND MAP`` / ``RECEIVE MAP`` with their ``MAPSET``) becomes a screen criterion and test
case: the map fields the program reads are the screen's inputs, those it fills are its outputs.
The fields come from the symbolic map copybook (``<map>I`` / ``<map>O`` records); when that
copybook is missing they are read off the names the program uses and no source declares, and
the criterion says so (with no such names it says which map and mapset it cannot describe).
CICS-supplied names are not data: attention identifiers (``DFHENTER``, ``DFHPF3`` …) are keys
the user presses, ``DFHRESP(...)`` conditions (``NORMAL``, ``NOTFND``, ``MAPFAIL`` …) are
responses of a CICS command, ``EIB*`` fields come from CICS; none is listed as a data item.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence, Set
from dataclasses import dataclass

from ..core.model import Estate, Program, Statement
from .artifacts import Backlog, Citation, Criterion, Epic, ProgramSpec, Rule, Story, TestCase

_ROLE = {"batch": "an operations analyst running the batch cycle",
         "online": "a customer service representative using the online system",
         "subprogram": "a developer of the programs that call it"}

CICS_RESPONSES: dict[str, str] = {
    "NORMAL": "the command succeeded", "ERROR": "the command failed",
    "NOTFND": "the record was not found", "DUPREC": "the record already exists",
    "DUPKEY": "another record has the same alternate key",
    "ENDFILE": "there are no more records", "MAPFAIL": "the screen came back with no data",
    "LENGERR": "a length did not fit", "NOTOPEN": "the file is not open",
    "DISABLED": "the file is disabled", "INVREQ": "the request was not valid",
    "IOERR": "an input/output error occurred", "NOSPACE": "the file has no space left",
    "NOTAUTH": "the user is not authorised", "FILENOTFOUND": "the file is not defined",
    "PGMIDERR": "the program is not defined", "QIDERR": "the queue does not exist",
    "ITEMERR": "the queue item does not exist", "QZERO": "the queue is empty",
    "SYSIDERR": "the remote system cannot be reached", "ILLOGIC": "a VSAM logic error occurred",
    "LOCKED": "the record is locked", "RECORDBUSY": "the record is in use",
    "TERMIDERR": "the terminal is not defined", "TRANSIDERR": "the transaction is not defined",
    "ENQBUSY": "the resource is in use", "EOF": "the end of the data was reached",
    "EODS": "the end of the data set was reached", "EOC": "the end of the chain was reached",
    "OVERFLOW": "the screen overflowed", "INVMPSZ": "the map does not fit the screen",
    "CHANNELERR": "the channel does not exist", "CONTAINERERR": "the container does not exist",
    "NOSTG": "storage ran out", "EXPIRED": "the time expired", "ROLLEDBACK": "the work was "
    "rolled back", "USERIDERR": "the user ID is not known", "TSIOERR": "a temporary storage "
    "error occurred", "NOTFINISHED": "the task has not finished", "DSIDERR": "the file is not "
    "defined", "PARTNFAIL": "the partition failed", "RDATT": "the read was interrupted",
    "WRBRK": "the write was interrupted", "SIGNAL": "a signal arrived",
}
"""Conditions ``DFHRESP(...)`` names, and what each means for the business."""

_AID_KEYS = {"DFHENTER": "Enter", "DFHCLEAR": "Clear", "DFHCLRP": "Clear Partition",
             "DFHPEN": "a light-pen selection", "DFHOPID": "the operator ID reader",
             "DFHMSRE": "the magnetic stripe reader", "DFHSTRF": "a structured field",
             "DFHTRIG": "a trigger field", "DFHNULL": "no key"}
_PF_PA = re.compile(r"DFH(P[FA])(\d{1,2})")
_MAP_SUFFIXES = ("I", "O", "L", "F", "A")  # symbolic map: input, output, length, flag, attribute
_RESP_CALL = re.compile(r"\b(DFHRESP|DFHVALUE)\s*\(\s*([A-Z0-9-]+)\s*\)", re.IGNORECASE)


# --- names: what is data and what CICS supplies --------------------------------------------


def aid_key(name: str) -> str | None:
    """The key a DFHAID constant stands for (``DFHPF3`` → "PF3"), None for any other name."""
    upper = name.upper()
    if upper in _AID_KEYS:
        return _AID_KEYS[upper]
    match = _PF_PA.fullmatch(upper)
    return f"{match.group(1)}{int(match.group(2))}" if match else None


def cics_supplied(name: str, declared: Set[str] = frozenset()) -> bool:
    """Whether ``name`` is a name CICS supplies rather than a data item of the program: a
    ``DFH`` constant (DFHRESP, DFHENTER, DFHBMPRO …), an ``EIB`` field, or a response
    condition (NORMAL, NOTFND, MAPFAIL …). A name in ``declared`` (upper case: the program's
    data items) is the program's own data."""
    upper = name.upper()
    if upper in declared:
        return False
    return upper.startswith(("DFH", "EIB")) or upper in CICS_RESPONSES


def data_names(names: Iterable[str], program: Program | None) -> tuple[str, ...]:
    """``names`` without CICS-supplied names and without repeats, in order."""
    declared = {d.name.upper() for d in program.data_items} if program else set()
    return tuple(dict.fromkeys(n for n in names if not cics_supplied(n, declared)))


# --- screens --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Screen:
    """A BMS map a program works with, as a user sees it."""

    map: str
    mapset: str
    inputs: tuple[str, ...]  # fields the program reads: what the user enters
    outputs: tuple[str, ...]  # fields the program fills: what the user sees
    unused: tuple[str, ...]  # fields on the map the program neither reads nor fills
    fields_from: str  # "copybook", "names" (inferred) or "" (not known)
    missing_copybooks: tuple[str, ...]
    citations: tuple[Citation, ...]

    @property
    def label(self) -> str:
        return f"screen {self.map} (mapset {self.mapset})"

    def key(self, others: Sequence[Screen]) -> str:
        """The screen's part of the ids written about it: its map, or ``MAPSET.MAP`` when
        another mapset of the program has a map of the same name."""
        twins = sum(1 for s in others if s.map == self.map)
        return self.map if twins < 2 else f"{self.mapset}.{self.map}"


def _unquote(text: str | None) -> str:
    return (text or "").strip().strip("'\"").strip().upper()


def _procedure_citation(program: Program, key: str | None, file: str, line: int) -> Citation:
    for proc in (*program.paragraphs, *program.sections):
        if key and proc.key == key:
            return Citation(id=proc.id, file=file, line=line)
    return Citation(id=program.id, file=file, line=line)


_WORDS = frozenset({
    "TO", "FROM", "OF", "IN", "CORRESPONDING", "CORR", "ALL", "FUNCTION", "NOT", "AND", "OR",
    "IS", "EQUAL", "EQUALS", "GREATER", "LESS", "THAN", "ZERO", "ZEROS", "ZEROES", "SPACE",
    "SPACES", "NULL", "NULLS", "LOW-VALUE", "LOW-VALUES", "HIGH-VALUE", "HIGH-VALUES", "QUOTE",
    "QUOTES", "NUMERIC", "ALPHABETIC", "ALPHABETIC-LOWER", "ALPHABETIC-UPPER", "POSITIVE",
    "NEGATIVE", "TRUE", "FALSE", "ALSO", "OTHER", "ANY", "THRU", "THROUGH", "LENGTH", "ADDRESS",
    "ADD", "SUBTRACT", "MULTIPLY", "DIVIDE", "COMPUTE", "BY", "INTO", "GIVING", "ROUNDED",
    "REMAINDER", "STRING", "UNSTRING", "DELIMITED", "SIZE", "POINTER", "CALL", "USING",
    "REFERENCE", "CONTENT", "VALUE", "AT", "END", "INVALID", "KEY", "ON", "OVERFLOW",
    "EXCEPTION", "SEARCH", "READ", "RETURN", "WRITE", "REWRITE", "DELETE", "START",
})
"""COBOL words a statement's operands hold that are no data names."""
_NAME = re.compile(r"[A-Z0-9][A-Z0-9-]*[A-Z0-9]|[A-Z]")


def _names_in(operands: Iterable[str]) -> list[str]:
    return [o.upper() for o in operands if _NAME.fullmatch(o.upper())
            and o.upper() not in _WORDS and not o.isdigit()]


def _tree_uses(statements: Iterable[Statement]) -> Iterator[tuple[str, int, str, bool]]:
    """(file, line, name, written) of the MOVEs and conditions of a statement tree: it holds
    the sentences the parser could only recover, which the data flow lacks."""
    for statement in statements:
        operands = [o.upper() for o in statement.operands]
        if statement.verb == "MOVE" and "TO" in operands:
            cut = operands.index("TO")
            for n, operand in enumerate(operands):
                if operand in _names_in([operand]):
                    yield statement.file, statement.line, operand, n > cut
        elif statement.verb in ("IF", "EVALUATE"):
            yield from ((statement.file, statement.line, name, False)
                        for name in _names_in(operands))
        for branch in statement.branches:
            yield from ((statement.file, statement.line, name, False)
                        for name in _names_in(branch.operands))
            yield from _tree_uses(branch.statements)


def _uses(program: Program) -> tuple[list[str], set[str], set[str]]:
    """Names the program reads or writes, in the order of their first use; the read ones; the
    written ones."""
    events: list[tuple[str, int, str, bool]] = []
    for flow in program.data_flow:
        events += [(flow.file, flow.line, n.upper(), False) for n in flow.reads]
        events += [(flow.file, flow.line, n.upper(), True) for n in flow.writes]
    for condition in program.conditions:
        events += [(condition.file, condition.line, n.upper(), False) for n in condition.reads]
    for body in program.bodies:
        for sentence in body.sentences:
            events += _tree_uses(sentence.statements)
    events.sort(key=lambda e: (e[0] != program.path, e[0], e[1]))
    order = list(dict.fromkeys(e[2] for e in events))
    return order, {e[2] for e in events if not e[3]}, {e[2] for e in events if e[3]}


def screens(program: Program) -> list[Screen]:
    """The BMS maps ``program`` sends or receives, each with its fields as inputs and outputs."""
    maps: dict[tuple[str, str], list[tuple[Citation, str]]] = {}
    for cmd in program.cics:
        if cmd.command not in ("SEND MAP", "RECEIVE MAP") or not cmd.target:
            continue
        name = _unquote(cmd.target)
        mapset = _unquote(cmd.options.get("MAPSET")) or name  # MAPSET defaults to MAP
        record = _unquote(cmd.options.get("INTO" if cmd.command == "RECEIVE MAP" else "FROM"))
        maps.setdefault((name, mapset), []).append(
            (_procedure_citation(program, cmd.paragraph, cmd.file, cmd.line), record))
    if not maps:
        return []
    declared = {d.name.upper() for d in program.data_items}
    order, reads, writes = _uses(program)
    missing = tuple(dict.fromkeys(u.name.upper() for u in program.copybook_uses
                                  if u.path is None and not u.system))
    undeclared = [n for n in order if n not in declared and not cics_supplied(n)]
    records_of = {key: {f"{key[0]}I", f"{key[0]}O", *(r for _, r in uses if r)}
                  for key, uses in maps.items()}
    all_records = set().union(*records_of.values())
    # with the symbolic map copybook missing, the undeclared names go to the one map the
    # program has, or to the one map whose records it names
    named = [key for key, records in records_of.items() if records & set(order)]
    guess = next(iter(maps)) if len(maps) == 1 else named[0] if len(named) == 1 else None
    out = []
    for (name, mapset), uses in maps.items():
        records = records_of[(name, mapset)]
        items = [d for d in program.data_items if d.record in records and d.level not in (1, 88)
                 and not d.is_group and d.name != "FILLER"]
        fields_from = "copybook" if items else ""
        bases = [d.name[:-1] for d in items if d.name.endswith(("I", "O")) and len(d.name) > 1]
        if not items and missing and (name, mapset) == guess:
            # the symbolic map copybook is missing: its fields are the names ending the way
            # symbolic map fields end that the program uses and nothing declares
            bases = [n[:-1] for n in undeclared if n.endswith(_MAP_SUFFIXES) and len(n) > 1
                     and n not in all_records]
            fields_from = "names" if bases else ""
        bases = list(dict.fromkeys(bases))
        # what the user entered is read from the I, L (length) or F (flag) field; the O field
        # overlays the I field, so reading it counts only when the program never fills it
        outputs = tuple(b for b in bases if f"{b}O" in writes or f"{b}I" in writes)
        inputs = tuple(b for b in bases if any(f"{b}{s}" in reads for s in "ILF")
                       or (f"{b}O" in reads and b not in outputs))
        unused = tuple(b for b in bases if b not in inputs and b not in outputs)
        cites = [c for c, _ in uses]
        cites += [Citation(id=d.id, file=d.file, line=d.line) for d in program.data_items
                  if d.level == 1 and d.name in records]
        if fields_from == "names":  # fields read off the whole program's code: cite it
            cites.append(Citation(id=program.id, file=program.path, line=1))
        # the copybook to blame: the one named like the mapset, else every missing one when
        # the fields were guessed from names they may hold, else none (no map record at all)
        blamed = (mapset,) if mapset in missing else \
            missing if (name, mapset) == guess and not items else ()
        out.append(Screen(map=name, mapset=mapset, inputs=inputs, outputs=outputs,
                          unused=unused, fields_from=fields_from, missing_copybooks=blamed,
                          citations=tuple(dict.fromkeys(cites))))
    return out


def _names(names: Sequence[str], limit: int = 0) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    shown = list(names)
    if limit and len(shown) > limit:
        shown = [*shown[:limit], f"{len(names) - limit} more"]
    if len(shown) < 2:
        return "".join(shown)
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


def _or(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _fields_note(screen: Screen) -> str:
    missing = (f"copybook {_or(screen.missing_copybooks)}, the symbolic map, is missing"
               if screen.missing_copybooks else "no symbolic map record of it is declared")
    if screen.fields_from == "names":
        return f"fields read off the names the program uses, as {missing}"
    if not screen.fields_from:
        return f"its fields are not known: {missing}"
    return ""


def screen_criterion(program_key: str, screen: Screen, key: str) -> Criterion:
    given = f"the user is on {screen.label}"
    when = (f"the user fills in {_names(screen.inputs)} and sends the screen"
            if screen.inputs else "the program sends the screen")
    if screen.outputs:
        then = f"the screen shows {_names(screen.outputs)}"
    elif screen.fields_from:
        then = "the screen shows the same fields as today"
    else:
        then = f"the screen looks and works as today ({_fields_note(screen)})"
    if screen.unused:
        then += f"; also on the map: {_names(screen.unused)}"
    if screen.fields_from == "names":
        then += f" ({_fields_note(screen)})"
    return Criterion(id=f"criterion:{program_key}/screen:{key}", given=given, when=when,
                     then=then, citations=screen.citations)


def screen_test(program_key: str, screen: Screen, key: str, criterion: Criterion) -> TestCase:
    fill = (f"Fill in {_names(screen.inputs)} and send the screen (Enter)" if screen.inputs
            else f"Use {screen.label} the way users do")
    check = (f"Check that the screen shows {_names(screen.outputs)} with the values the legacy "
             "program shows" if screen.outputs else
             "Check that the screen shows what the legacy program shows")
    data = "The data the screen shows (the records the program reads)"
    if screen.inputs:
        each = "each of " if len(screen.inputs) > 1 else ""
        data = f"For {each}{_names(screen.inputs)}: a valid value, an invalid one and none"
    note = _fields_note(screen)
    return TestCase(
        id=f"test:{program_key}/screen:{key}", criterion=criterion.id,
        title=f"{program_key}: {screen.label}",
        steps=(f"Start {program_key} so that it shows {screen.label}", fill, check),
        data=data + (f". Note: {note}" if note else ""),
        expected="The same screen, fields and messages as the legacy program",
        citations=screen.citations)


# --- conditions in words ---------------------------------------------------------------------


def _split_and(text: str) -> list[str]:
    """``text`` split at the ANDs outside parentheses."""
    parts, depth, start = [], 0, 0
    for match in re.finditer(r"\(|\)|\bAND\b", text, re.IGNORECASE):
        token = match.group(0).upper()
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif depth == 0:
            parts.append(text[start:match.start()])
            start = match.end()
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _unwrap_not(term: str) -> tuple[bool, str]:
    match = re.fullmatch(r"NOT\s*\((.*)\)", term, re.IGNORECASE | re.DOTALL)
    if match and match.group(1).count("(") == match.group(1).count(")"):
        return True, match.group(1).strip()
    return False, term


_EQ = r"(?:(NOT)\s*)?(?:=|IS\s*=|EQUAL(?:\s+TO)?|IS\s+EQUAL(?:\s+TO)?)"


def _cics_term(term: str) -> tuple[str, str, bool, tuple[str, ...]] | None:
    """(kind, subject, negated, values) of a CICS test: ``EIBAID = DFHPF3 OR DFHPF4``
    → ("aid", "EIBAID", False, ("PF3", "PF4")); None when the term is not one."""
    negated, inner = _unwrap_not(term)
    inner = _RESP_CALL.sub(lambda m: f"{m.group(1).upper()}({m.group(2).upper()})", inner)
    aid = re.fullmatch(rf"EIBAID\s*{_EQ}\s*(DFH\w+(?:\s+OR\s+(?:EIBAID\s*=\s*)?DFH\w+)*)",
                       inner, re.IGNORECASE)
    if aid:
        keys = tuple(aid_key(k) for k in re.findall(r"DFH\w+", aid.group(2).upper()))
        if all(keys):
            return "aid", "EIBAID", negated != bool(aid.group(1)), tuple(k for k in keys if k)
    calen = re.fullmatch(rf"EIBCALEN\s*(?:{_EQ}|(>))\s*(ZERO|ZEROS|ZEROES|0)", inner,
                         re.IGNORECASE)
    if calen:
        empty = not calen.group(1) and not calen.group(2)
        return "calen", "EIBCALEN", negated == empty, ()
    resp = re.fullmatch(rf"([A-Z0-9-]+)\s*{_EQ}\s*(DFHRESP\([A-Z0-9-]+\)"
                        r"(?:\s+OR\s+DFHRESP\([A-Z0-9-]+\))*)", inner, re.IGNORECASE)
    if resp:
        names = tuple(re.findall(r"DFHRESP\(([A-Z0-9-]+)\)", resp.group(3).upper()))
        return "resp", resp.group(1).upper(), negated != bool(resp.group(2)), names
    return None


def _response(name: str) -> str:
    meaning = CICS_RESPONSES.get(name)
    return f"{name} ({meaning})" if meaning else name


def condition_words(condition: str) -> str | None:
    """A CICS condition in words (the key pressed, the first entry, the response of a
    command), None when ``condition`` is not made only of such tests."""
    terms = [_cics_term(t) for t in _split_and(condition)]
    if not terms or any(t is None for t in terms):
        return None
    said: list[str] = []
    negated_keys = [k for t in terms if t and t[0] == "aid" and t[2] for k in t[3]]
    if negated_keys:
        said.append(f"the user presses a key other than {_or(negated_keys)}")
    for kind, subject, negated, values in (t for t in terms if t):
        if kind == "aid" and not negated:
            said.append(f"the user presses {_or(values)}")
        elif kind == "calen":
            said.append("the program is entered again, with its COMMAREA" if negated else
                        "the program starts for the first time (no COMMAREA)")
        elif kind == "resp" and not negated:
            said.append(f"the CICS response in {subject} is "
                        f"{_or([_response(v) for v in values])}")
    refused: dict[str, list[str]] = {}
    for kind, subject, negated, values in (t for t in terms if t):
        if kind == "resp" and negated:
            refused.setdefault(subject, []).extend(values)
    for subject, values in refused.items():
        said.append(f"the CICS response in {subject} is not {_or([_response(v) for v in values])}")
    return " and ".join(said)


def given_of(rule: Rule) -> str:
    return condition_words(rule.condition) or f"the condition {rule.condition} holds"


@dataclass(frozen=True)
class _CicsTests:
    """What the CICS tests of a condition ask of a test run (negated tests as "other")."""

    keys: tuple[str, ...] = ()
    other_keys: tuple[str, ...] = ()
    responses: tuple[str, ...] = ()
    other_responses: tuple[str, ...] = ()
    first_time: bool | None = None


def _cics_tests(condition: str) -> _CicsTests:
    """The keys, responses and first entry the ANDed CICS tests of ``condition`` name; other
    tests are left out (their names are data)."""
    found: dict[str, list[str]] = {"keys": [], "other_keys": [], "responses": [],
                                   "other_responses": []}
    first_time = None
    for term in _split_and(condition):
        test = _cics_term(term)
        if test is None:
            continue
        kind, _, negated, values = test
        if kind == "calen":
            first_time = not negated
            continue
        name = ("other_" if negated else "") + ("keys" if kind == "aid" else "responses")
        found[name] += values
    return _CicsTests(**{k: tuple(dict.fromkeys(v)) for k, v in found.items()},
                      first_time=first_time)


_TOKEN = re.compile(r"(?:[XZNGB]X?)?(?:'[^']*'?|\"[^\"]*\"?)|[A-Z0-9][A-Z0-9-]*")


_PHRASE = re.compile(r"(NOT\s+)?(AT END|INVALID KEY|ON SIZE ERROR|ON OVERFLOW|ON EXCEPTION)"
                     r"\s+(?:of|on)\s+(?:(SEARCH|READ|RETURN|WRITE|REWRITE|DELETE|START)\s+)?(.*)",
                     re.IGNORECASE | re.DOTALL)


def _phrase_data(condition: str, context: _Context) -> tuple[str, str] | None:
    """For the branch of an exception phrase (``AT END of TRAN-FILE``, ``INVALID KEY on READ
    ACCT-FILE``, ``ON SIZE ERROR of ADD …``): the data of its test, and the rest of the text,
    whose names are data too. None for any other condition."""
    match = _PHRASE.fullmatch(condition.strip())
    if match is None:
        return None
    negated, phrase, verb, rest = match.groups()
    phrase, rest = phrase.upper(), rest.strip()
    files = {f.name.upper(): f.dd_name or f.name for f in context.program.files} \
        if context.program else {}
    target = rest.split()[0].upper() if rest.split() else ""
    thing = f"file {target}" + (f" ({files[target]})" if files.get(target, target) != target
                                else "") if target in files else target or "the file"
    if phrase == "AT END" and (verb or "").upper() == "SEARCH":
        holds, fails = f"no entry of {thing} matches", "an entry matches"
    elif phrase == "AT END":
        holds, fails = f"no record left to read in {thing}", "a record left to read"
    elif phrase == "INVALID KEY":
        holds, fails = (f"a key the {(verb or 'I/O').upper()} on {thing} refuses",
                        "a key it takes")
    elif phrase == "ON SIZE ERROR":
        holds, fails = "values whose result does not fit the receiving field", "values that fit"
    else:
        holds, fails = "input that makes the statement fail", "input that lets it succeed"
    if negated:
        holds, fails = fails, holds
    text = f"{holds[:1].upper()}{holds[1:]} for the first run, and {fails} for the second"
    return text, "" if target in files else rest


def _condition_names(condition: str, context: _Context) -> list[str]:
    """The data a condition tests, named as a tester finds it: a screen field as the field of
    its screen; without CICS names, literals, figuratives and COBOL words."""
    declared = {d.name.upper() for d in context.program.data_items} if context.program else set()
    fields = {f: screen for screen in context.screens
              for f in (*screen.inputs, *screen.outputs, *screen.unused)}
    out: list[str] = []
    previous = ""
    for token in _TOKEN.findall(_RESP_CALL.sub(" ", condition.upper())):
        after, previous = previous, token
        if "'" in token or '"' in token or not re.search(r"[A-Z]", token) or token in _WORDS \
                or after == "FUNCTION" or cics_supplied(token, declared):
            continue
        screen = fields.get(token[:-1]) if token.endswith(_MAP_SUFFIXES) else None
        out.append(f"field {token[:-1]} of screen {screen.map}" if screen and token
                   not in declared else token)
    return list(dict.fromkeys(out))


# --- criteria and test cases -------------------------------------------------------------------


def criterion_of(rule: Rule) -> Criterion:
    return Criterion(
        id=f"criterion:{rule.id.removeprefix('rule:')}",
        given=given_of(rule),
        when=f"paragraph {rule.paragraph} runs", then=f"the program does: {rule.action}",
        citations=rule.citations, generated_by=rule.generated_by, verified=rule.verified,
        unverified_reason=rule.unverified_reason)


@dataclass(frozen=True)
class _Context:
    """What the test cases of one program say about how it runs and what it reads and writes."""

    name: str
    kind: str
    program: Program | None
    screens: tuple[Screen, ...]
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    runs: str  # how it is run, as a step


def _context(spec: ProgramSpec, estate: Estate) -> _Context:
    name = spec.program.split(":", 1)[1]
    program = estate.program_by_id(spec.program)
    kinds = ("file", "table", "cics-file")
    inputs = tuple(dict.fromkeys(i.name for i in spec.interfaces
                                 if i.kind in kinds and "in" in i.direction))
    outputs = tuple(dict.fromkeys(i.name for i in spec.interfaces
                                  if i.kind in kinds and "out" in i.direction))
    shown = tuple(screens(program)) if program else ()
    label = program.name if program else name
    steps = [(job.name, step.name) for job in estate.jobs for step in job.steps
             if step.program == label]
    callers = list(dict.fromkeys(i.name for i in spec.interfaces if i.kind == "caller"))
    if steps:
        runs = f"Run {name} the way step {steps[0][1]} of job {steps[0][0]} runs it"
    elif spec.kind == "online" or shown:
        runs = f"Run {name} from {_names([s.label for s in shown])}" if shown else \
            f"Run {name} as its CICS transaction"
    elif callers:
        runs = f"Call {name} the way {_names(callers, 3)} call{'s' if len(callers) == 1 else ''}"\
               " it"
    else:
        runs = f"Run {name} the way it is run in production (no job in the repo runs it)"
    return _Context(name=name, kind=spec.kind, program=program, screens=shown, inputs=inputs,
                    outputs=outputs, runs=runs)


def rule_test(context: _Context, rule: Rule, criterion: Criterion) -> TestCase:
    given = criterion.given
    cics = _cics_tests(rule.condition)
    phrase = _phrase_data(rule.condition, context)
    keys = (f"a key other than {_or(cics.other_keys)}" if cics.other_keys and not cics.keys
            else _or(cics.keys) if cics.keys else "")
    if context.screens:
        labels = [s.label for s in context.screens]
        if keys and given.startswith("the user presses "):
            prepare, run = f"Show {_or(labels)}", f"Press {keys}"
        else:
            prepare = f"Prepare {_names([*labels, *context.inputs])} so that {given}"
            run = context.runs + (f", pressing {keys}" if keys else "")
        check = f"Check what {_names(labels)} shows" + (
            f" and what is written to {_names(context.outputs)}" if context.outputs else "") + \
            " against the expected result"
    else:
        source = (f"the input ({_names(context.inputs)})" if context.inputs else
                  "the parameters" if context.kind == "subprogram" else "the program's input")
        prepare = f"Prepare {source} so that {given}"
        run = context.runs
        check = (f"Compare the output ({_names(context.outputs)}) with the expected result"
                 if context.outputs else
                 "Compare the results (return code, messages, parameters) with the expected "
                 "result")
    return TestCase(
        id=f"test:{rule.id.removeprefix('rule:')}", criterion=criterion.id,
        title=f"{context.name}: {rule.title}", steps=(prepare, run, check),
        data=". ".join(_test_data(cics, _condition_names(phrase[1] if phrase else rule.condition,
                                                         context), phrase)),
        expected=f"When true: {rule.action}. When false: that does not happen.",
        citations=rule.citations, generated_by=rule.generated_by, verified=rule.verified,
        unverified_reason=rule.unverified_reason)


def _test_data(cics: _CicsTests, names: Sequence[str],
               phrase: tuple[str, str] | None = None) -> list[str]:
    """The data of a rule's test: the keys, responses and entry its CICS tests name, and the
    values of the data it tests; always a run where the condition holds and one where not."""
    data = [phrase[0]] if phrase else []
    if cics.keys:
        data.append(f"The key {_or(cics.keys)} for the first run and another key for the second")
    elif cics.other_keys:
        data.append(f"A key other than {_or(cics.other_keys)} for the first run and "
                    f"{'that key' if len(cics.other_keys) == 1 else 'one of them'} for the second")
    if cics.responses:
        data.append(f"A CICS response of {_or([_response(r) for r in cics.responses])} for the "
                    "first run and another response for the second")
    elif cics.other_responses:
        data.append(f"A CICS response other than {_or(cics.other_responses)} for the first run "
                    f"and {'that one' if len(cics.other_responses) == 1 else 'one of them'} for "
                    "the second")
    if cics.first_time is not None:
        data.append("A first entry (no COMMAREA) for one run and a return to the transaction "
                    "(with its COMMAREA) for the other")
    if names:
        data.append(f"Values of {_names(names)} that make the condition true, and a second set "
                    "that makes it false")
    if not data:
        data.append("Input that makes the condition true, and a second set that makes it false")
    return data


# --- stories and epics -----------------------------------------------------------------------


def clause(text: str) -> str:
    """Sentences as one clause that follows a colon: sentences joined by semicolons, the first
    word of each lower-cased only when it is an ordinary capitalised word ("Batch program" →
    "batch program", "CICS online program" and "DB2 table" kept)."""
    sentences = [s.strip().rstrip(".") for s in re.split(r"(?<=[.!?])\s+", text.strip())]
    return "; ".join(_lower_first(s) for s in sentences if s)


def _lower_first(text: str) -> str:
    first, _, rest = text.partition(" ")
    if first == "A" or (len(first) > 1 and first[0].isupper() and first[1:].islower()
                        and first.isalpha()):
        return first[0].lower() + first[1:] + (" " + rest if rest else "")
    return text


def epic_of(estate: Estate) -> dict[str, tuple[str, str, str]]:
    """program id → (epic id, title, description)."""
    out: dict[str, tuple[str, str, str]] = {}
    for job in estate.jobs:
        runs = [s.program for s in job.steps if s.program and estate.program(s.program)]
        for name in runs:
            program = estate.program(name)
            assert program is not None  # kept above
            out.setdefault(program.id, (f"epic:job:{job.name}", f"Job {job.name}",
                                        f"The programs job {job.name} ({job.path}) runs, step "
                                        f"by step: {', '.join(runs)}."))
    for program in estate.programs:
        if program.id in out:
            continue
        if program.kind == "online":
            out[program.id] = ("epic:online", "Online transactions",
                               "CICS programs users work with on screens.")
        else:
            out[program.id] = ("epic:shared", "Shared and unscheduled programs",
                               "Programs no JCL job in the repo runs: subprograms others "
                               "call, and programs scheduled elsewhere.")
    return out


def _i_want(context: _Context, purpose: str) -> str:
    text = f"{context.name} to keep doing what it does today"
    said = clause(purpose)
    if said:
        text += f": {said}"
    if context.screens:
        shown = [f"{s.map} (mapset {s.mapset})" for s in context.screens]
        text += f"; its screen{'s' if len(shown) > 1 else ''}: {_names(shown)}"
    return text


def backlog(estate: Estate, specs: list[ProgramSpec]) -> Backlog:
    epics_by_program = epic_of(estate)
    epics: dict[str, Epic] = {}
    stories: list[Story] = []
    for spec in specs:
        context = _context(spec, estate)
        key = context.name  # unique: NAME, or NAME@path for a duplicate PROGRAM-ID
        epic_id, title, description = epics_by_program[spec.program]
        if epic_id not in epics:
            epics[epic_id] = Epic(id=epic_id, title=title, description=description,
                                  citations=())
        epics[epic_id] = epics[epic_id].model_copy(update={
            "citations": epics[epic_id].citations + spec.citations})
        criteria: list[Criterion] = []
        tests: list[TestCase] = []
        for screen in context.screens:
            part = screen.key(context.screens)
            criterion = screen_criterion(key, screen, part)
            criteria.append(criterion)
            tests.append(screen_test(key, screen, part, criterion))
        for rule in spec.rules:
            criterion = criterion_of(rule)
            criteria.append(criterion)
            tests.append(rule_test(context, rule, criterion))
        verified = all(r.verified for r in spec.rules)
        stories.append(Story(
            id=f"story:{key}", epic=epic_id, title=f"Keep {key}'s behaviour",
            as_a=_ROLE.get(spec.kind, "a user of the system"),
            i_want=_i_want(context, spec.purpose),
            so_that="the modernized system gives the same results as the legacy one",
            criteria=tuple(criteria), tests=tuple(tests), citations=spec.citations,
            generated_by=spec.generated_by, verified=verified,
            unverified_reason=None if verified else "some of its rules failed the citation "
                                                     "check"))
    return Backlog(epics=tuple(epics.values()), stories=tuple(stories))
