"""Business rules from the statement tree: one rule per branch of a decision.

A decision is a statement with branches: IF (THEN, ELSE), EVALUATE (each WHEN, WHEN OTHER),
SEARCH (AT END, WHEN), READ/RETURN (AT END, NOT AT END), keyed I/O (INVALID KEY, NOT INVALID
KEY), arithmetic (ON SIZE ERROR, NOT ON SIZE ERROR), STRING/UNSTRING/CALL (ON OVERFLOW, ON
EXCEPTION …). Each branch becomes a rule whose condition is stated for that branch (an ELSE is
the IF's condition negated, WHEN OTHER the WHENs' negated) and whose actions are exactly the
statements inside the branch, as written (literals kept) and in words; a PERFORM names its
paragraph and what that paragraph does first, a CALL its program. A decision inside a branch
is a rule of its own whose ``parent`` is the branch's rule: nested decisions stay nested.

Branches that handle a file status, an SQL or CICS response, or that end the run abnormally
(an abend: CEE3ABD, or STOP RUN after a RETURN-CODE of 8 or more, directly or through the
paragraph they PERFORM) go to ``error_handling`` instead: one section, not a rule each.

``branch_ranges`` gives, for every decision of a program, the lines each branch covers: the
citation check uses it to verify that a rule's actions lie inside its own branch.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..core.model import Estate, Program, Statement
from .artifacts import Action, Citation, Rule
from .wording import Vocabulary, cobol_text

_NOT_DECISIONS = frozenset({"BODY"})
_ERROR_NAMES = frozenset({"SQLCODE", "SQLSTATE", "EIBRESP", "EIBRESP2", "DFHRESP"})
_ABEND_CALLS = frozenset({"CEE3ABD", "ILBOABN0", "ABEND"})

Ranges = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class BranchSpan:
    """What a branch of a decision covers: its phrase and the (file, first, last) lines of the
    statements inside it, nested ones included."""

    phrase: str
    ranges: Ranges

    def covers(self, file: str, line: int) -> bool:
        return any(f == file and first <= line <= last for f, first, last in self.ranges)


def _walk(statements: Sequence[Statement]) -> Iterator[Statement]:
    for statement in statements:
        yield statement
        for branch in statement.branches:
            yield from _walk(branch.statements)


def _ranges(statements: Sequence[Statement]) -> Ranges:
    return tuple((s.file, s.line, s.end_line or s.line) for s in _walk(statements))


def branch_ranges(program: Program) -> dict[tuple[str, int, int], BranchSpan]:
    """(file, line of the deciding statement, branch index) → the branch's span."""
    out: dict[tuple[str, int, int], BranchSpan] = {}
    for body in program.bodies:
        for sentence in body.sentences:
            for statement in _walk(sentence.statements):
                for index, branch in enumerate(statement.branches):
                    if branch.phrase not in _NOT_DECISIONS:
                        out[(statement.file, statement.line, index)] = BranchSpan(
                            branch.phrase, _ranges(branch.statements))
    return out


@dataclass
class _Found:
    rule: Rule
    error: bool


class _RuleMaker:
    def __init__(self, program: Program, estate: Estate | None) -> None:
        self.program = program
        self.estate = estate
        self.words = Vocabulary(program)
        self.key = program.id.split(":", 1)[1]
        self.procs = {p.key: p for p in (*program.paragraphs, *program.sections)}
        self.bodies = {b.procedure: b for b in program.bodies}
        self.conditions = {(c.file, c.line, c.kind): c for c in program.conditions}
        self.status_items = self._status_items()
        self.counters: dict[str, int] = {}
        self.found: list[_Found] = []
        self.touched = self._touched()
        self._abends: dict[str, bool] = {}

    def _status_items(self) -> set[str]:
        names = {f.file_status for f in self.program.files if f.file_status}
        names |= {n.split(".")[-1] for n in names}
        by_id = {item.id: item for item in self.program.data_items}
        for item in self.program.data_items:  # level-88s of a status item test it too
            parent = by_id.get(item.parent or "")
            if item.level == 88 and parent is not None and parent.name in names:
                names.add(item.name)
        return names | _ERROR_NAMES

    def _touched(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for flow in self.program.data_flow:
            out.setdefault(flow.paragraph or "", set()).update(flow.reads, flow.writes)
        for condition in self.program.conditions:
            out.setdefault(condition.paragraph or "", set()).update(condition.reads)
        return out

    # -- the walk ------------------------------------------------------------------------------
    def run(self) -> list[_Found]:
        for body in self.program.bodies:
            for sentence in body.sentences:
                self._statements(sentence.statements, body.procedure, None, False)
        return self.found

    def _statements(self, statements: Sequence[Statement], paragraph: str,
                    parent: str | None, in_error: bool) -> None:
        for statement in statements:
            decisions = [b for b in statement.branches if b.phrase not in _NOT_DECISIONS]
            if not decisions:
                for branch in statement.branches:  # an inline PERFORM's body
                    self._statements(branch.statements, paragraph, parent, in_error)
                continue
            pending: list[Sequence[str]] = []  # stacked WHENs share the statements below
            negated: list[str] = []
            for index, branch in enumerate(statement.branches):
                if branch.phrase in _NOT_DECISIONS:
                    self._statements(branch.statements, paragraph, parent, in_error)
                    continue
                following = statement.branches[index + 1] if index + 1 < len(
                    statement.branches) else None
                if (branch.phrase == "WHEN" and not branch.statements and following is not None
                        and following.phrase == "WHEN"):
                    pending.append(branch.operands)
                    continue
                operands = [*pending, branch.operands]
                pending = []
                found = self._rule(statement, index, branch.phrase, operands, negated,
                                   branch.statements, paragraph, parent, in_error)
                self.found.append(found)
                self._statements(branch.statements, paragraph, found.rule.id, found.error)

    # -- one rule ------------------------------------------------------------------------------
    def _rule(self, statement: Statement, index: int, phrase: str,
              operands: list[Sequence[str]], negated: list[str], body: Sequence[Statement],
              paragraph: str, parent: str | None, in_error: bool) -> _Found:
        condition, title, tokens = self._condition(statement, phrase, operands, negated)
        actions = tuple(self._action(s) for s in body)
        error = in_error or self._is_error(tokens, body)
        key = paragraph or "ENTRY"
        self.counters[key] = self.counters.get(key, 0) + 1
        proc = self.procs.get(paragraph)
        cited = proc.id if proc is not None else self.program.id
        last = max([statement.line, *(e for f, _, e in _ranges(body) if f == statement.file)])
        names = {t.upper() for t in tokens} | {w for s in _walk(body) for w in self._writes(s)}
        items = tuple(sorted(n for n in names if n in self.words.items
                             and n in self.touched.get(paragraph, set())))
        rule = Rule(
            id=f"rule:{self.key}/{key}/{self.counters[key]}", title=title, paragraph=key,
            condition=condition,
            action="; ".join(a.text for a in actions) or "CONTINUE (no statement)",
            data_items=items, decision=self._decision(statement), branch=phrase,
            decision_line=statement.line, branch_index=index, actions=actions, parent=parent,
            citations=(Citation(id=cited, file=statement.file, line=statement.line,
                                end_line=last),))
        return _Found(rule, error)

    def _writes(self, statement: Statement) -> set[str]:
        return {w for f in self.program.data_flow if f.file == statement.file
                and f.line == statement.line for w in f.writes}

    def _decision(self, statement: Statement) -> str:
        head = list(statement.operands[:12])
        more = " …" if len(statement.operands) > 12 else ""
        return cobol_text(statement.verb, head) + more

    def _condition(self, statement: Statement, phrase: str, operands: list[Sequence[str]],
                   negated: list[str]) -> tuple[str, str, list[str]]:
        """(COBOL condition of the branch, the same in words, the names it tests)."""
        verb, ops = statement.verb, list(statement.operands)
        target = " ".join(ops[:1])
        if verb == "IF":
            cobol = self._expanded(statement, "IF", " ".join(ops))
            words = self.words.condition(ops)
            if phrase == "ELSE":
                return f"NOT ({cobol})", f"Otherwise (when not: {words})", ops
            return cobol, f"When {words}", ops
        if verb in ("EVALUATE", "SEARCH") and phrase in ("WHEN", "WHEN OTHER"):
            subjects = _split_also(ops) if verb == "EVALUATE" else [["TRUE"]]
            if phrase == "WHEN OTHER":
                cobol = " AND ".join(f"NOT ({c})" for c in negated) or "OTHER"
                return cobol, "In any other case", [t for s in subjects for t in s]
            parts_cobol, parts_words, tested = [], [], []
            for objects in operands:
                c, w, t = self._when(subjects, list(objects))
                parts_cobol.append(c)
                parts_words.append(w)
                tested += t
            cobol = " OR ".join(parts_cobol)
            negated.append(cobol)
            return cobol, "When " + " or ".join(parts_words), tested
        file_words = self.words.name(target) if target else "the file"
        phrases = {
            "AT END": (f"AT END of {target}", f"At the end of {file_words}"),
            "NOT AT END": (f"NOT AT END of {target}", f"When a record of {file_words} is read"),
            "INVALID KEY": (f"INVALID KEY on {verb} {target}",
                            f"When the key is {'already there' if verb == 'WRITE' else 'not found'}"
                            f" ({verb.lower()} {file_words})"),
            "NOT INVALID KEY": (f"NOT INVALID KEY on {verb} {target}",
                                f"When the key is {'new' if verb == 'WRITE' else 'found'} "
                                f"({verb.lower()} {file_words})"),
            "ON SIZE ERROR": (f"ON SIZE ERROR of {cobol_text(verb, ops)}",
                              f"When the result of the {verb.lower()} does not fit"),
            "NOT ON SIZE ERROR": (f"NOT ON SIZE ERROR of {cobol_text(verb, ops)}",
                                  f"When the result of the {verb.lower()} fits"),
            "ON OVERFLOW": (f"ON OVERFLOW of {verb}", f"When the {verb.lower()} overflows"),
            "NOT ON OVERFLOW": (f"NOT ON OVERFLOW of {verb}",
                                f"When the {verb.lower()} does not overflow"),
            "ON EXCEPTION": (f"ON EXCEPTION of {cobol_text(verb, ops[:1])}",
                             f"When the {verb.lower()} fails"),
            "NOT ON EXCEPTION": (f"NOT ON EXCEPTION of {cobol_text(verb, ops[:1])}",
                                 f"When the {verb.lower()} succeeds"),
        }
        if verb == "SEARCH" and phrase == "AT END":
            return (f"AT END of SEARCH {target}", f"When no entry of {file_words} matches",
                    ops[:1])
        cobol, words = phrases.get(phrase, (f"{phrase} of {verb} {target}",
                                            f"{phrase.capitalize()} ({verb.lower()})"))
        return cobol, words, ops[:1]

    def _expand_88(self, tokens: Sequence[str]) -> str:
        """A condition's tokens as text, each level-88 name replaced by its test (as the model's
        conditions have them)."""
        out = []
        for token in tokens:
            item = self.words.items.get(token.upper())
            parent = self.words.by_id.get(item.parent or "") if item is not None else None
            if item is None or item.level != 88 or parent is None or not item.condition_values:
                out.append(token)
                continue
            tests = [f"{parent.name} = {v.value}" if v.thru is None else
                     f"{parent.name} >= {v.value} AND {parent.name} <= {v.thru}"
                     for v in item.condition_values]
            if len(tests) == 1 and item.condition_values[0].thru is None:
                out.append(tests[0])
            else:
                out.append("(" + " OR ".join(f"({t})" if " AND " in t and len(tests) > 1
                                             else t for t in tests) + ")")
        return " ".join(out)

    def _expanded(self, statement: Statement, kind: str, fallback: str) -> str:
        found = self.conditions.get((statement.file, statement.line, kind))
        return found.expanded if found is not None else fallback

    def _when(self, subjects: list[list[str]], objects: list[str]
              ) -> tuple[str, str, list[str]]:
        groups = _split_also(objects)
        cobol, words, tested = [], [], []
        for subject, group in zip(subjects, groups, strict=False):
            if [t.upper() for t in group] == ["ANY"]:
                continue
            tested += group + subject
            if [t.upper() for t in subject] in (["TRUE"], ["FALSE"]):
                text = self._expand_88(group)
                sentence = self.words.condition(group)
                if subject[0].upper() == "FALSE":
                    cobol.append(f"NOT ({text})")
                    words.append(f"not ({sentence})")
                else:
                    cobol.append(text)
                    words.append(sentence)
                continue
            upper = [t.upper() for t in group]
            name = " ".join(subject)
            if "THRU" in upper or "THROUGH" in upper:
                k = upper.index("THRU") if "THRU" in upper else upper.index("THROUGH")
                low, high = " ".join(group[:k]), " ".join(group[k + 1:])
                cobol.append(f"{name} >= {low} AND {name} <= {high}")
                words.append(f"{self.words.operand(subject)} is {low} to {high}")
            else:
                negate = upper[:1] == ["NOT"]
                value = group[1:] if negate else group
                cobol.append(f"{name} {'NOT ' if negate else ''}= {' '.join(value)}")
                words.append(f"{self.words.operand(subject)} is {'not ' if negate else ''}"
                             f"{self.words.operand(value)}")
        return " AND ".join(cobol) or "ANY", " and ".join(words) or "any value", tested

    # -- actions -------------------------------------------------------------------------------
    def _action(self, statement: Statement) -> Action:
        verb, ops = statement.verb, list(statement.operands)
        if any(b.phrase not in _NOT_DECISIONS for b in statement.branches):
            text = self._decision(statement) + " … (see the rules nested below)"
            words = f"decide: {self.words.condition(ops) if verb == 'IF' else verb.lower()}"
            return Action(text=text, words=words, file=statement.file, line=statement.line)
        text = cobol_text(verb, ops)
        words = self.words.statement(verb, ops)
        if verb == "PERFORM" and ops and ops[0] in self.bodies:
            summary = self._summary(ops[0])
            if summary:
                words += f": {summary}"
        elif verb == "CALL" and ops and self.estate is not None:
            target = self.estate.program(ops[0].strip("'\""))
            if target is not None:
                words += f" (the {target.kind} program {target.name})"
        if any(b.phrase == "BODY" for b in statement.branches):
            inner = [s for b in statement.branches for s in b.statements]
            text += f" … ({len(inner)} statements inside)"
        return Action(text=text, words=words, file=statement.file, line=statement.line)

    def _summary(self, paragraph: str, limit: int = 3) -> str:
        body = self.bodies.get(paragraph)
        if body is None:
            return ""
        statements = [s for sentence in body.sentences for s in sentence.statements]
        said = [self.words.statement(s.verb, list(s.operands)) for s in statements[:limit]]
        more = ", …" if len(statements) > limit else ""
        return ", ".join(said) + more

    # -- error handling ------------------------------------------------------------------------
    def _is_error(self, tokens: Sequence[str], body: Sequence[Statement]) -> bool:
        if any(t.upper() in self.status_items or t.upper().startswith("DFHRESP")
               for t in tokens):
            return True
        return _ends_abnormally(body) or any(self._abend(s) for s in body)

    def _abend(self, statement: Statement) -> bool:
        verb, ops = statement.verb, [o.upper() for o in statement.operands]
        if verb == "CALL" and ops and ops[0].strip("'\"") in _ABEND_CALLS:
            return True
        if verb == "PERFORM" and ops and ops[0] in self.bodies and not statement.branches:
            return self._abends_paragraph(ops[0])
        return False

    def _abends_paragraph(self, paragraph: str) -> bool:
        if paragraph not in self._abends:
            self._abends[paragraph] = False  # a cycle is no abend
            body = [s for sentence in self.bodies[paragraph].sentences for s in sentence.statements]
            stops = any(s.verb in ("STOP", "GOBACK") for s in _walk(body))
            self._abends[paragraph] = _ends_abnormally(body) or bool(
                re.search(r"ABEND|ABORT|FATAL", paragraph) and stops)
        return self._abends[paragraph]


def _ends_abnormally(statements: Sequence[Statement]) -> bool:
    """Whether the statements end the run as an abend: CALL CEE3ABD (or the like), or STOP
    RUN/GOBACK after setting RETURN-CODE to 8 or more."""
    walked = list(_walk(statements))
    code = max((int(s.operands[0]) for s in walked if s.verb == "MOVE"
                and len(s.operands) >= 3 and s.operands[0].isdigit()
                and [o.upper() for o in s.operands[1:3]] == ["TO", "RETURN-CODE"]), default=0)
    stops = any(s.verb in ("STOP", "GOBACK") for s in walked)
    return (code >= 8 and stops) or any(
        s.verb == "CALL" and s.operands and s.operands[0].strip("'\"").upper() in _ABEND_CALLS
        for s in walked)


def _split_also(tokens: Sequence[str]) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    for token in tokens:
        if token.upper() == "ALSO":
            groups.append([])
        else:
            groups[-1].append(token)
    return groups


def branch_rules(program: Program, estate: Estate | None = None
                 ) -> tuple[list[Rule], list[Rule], tuple[tuple[str, str], ...]]:
    """(business rules, error handling, glossary) of ``program``, one rule per branch."""
    maker = _RuleMaker(program, estate)
    found = maker.run()
    rules = [f.rule for f in found if not f.error]
    errors = [f.rule for f in found if f.error]
    return rules, errors, maker.words.glossary()
