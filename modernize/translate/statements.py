"""COBOL statements as Python statements over the runtime, one procedure method at a time.

Each verb's operands are read with :class:`~.expressions.Reader`; a statement the translator
cannot translate becomes a call that stops the run at that point (``self.unsupported(line,
construct)``) and an entry in the report, never a silent omission.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..core.escape import py_comment
from ..core.model import Branch, DataItem, FileDef, Program, Statement
from .data import Layout, python_name
from .expressions import (
    Operand,
    Reader,
    TranslateError,
    dividend_code,
    integer_code,
    number_code,
)
from .formatting import long_string
from .sql import EmbeddedStatement, HostReference, embedded_statement

# ACCEPT ... FROM these devices is GnuCOBOL's plain ACCEPT from standard input (cob_accept)
_STANDARD_INPUT_DEVICES = frozenset({"SYSIN", "SYSIPT", "STDIN", "CONSOLE"})
# DISPLAY ... UPON these devices writes standard output, UPON these standard error (cobc -x)
_STANDARD_OUTPUT_DEVICES = frozenset({"SYSOUT", "CONSOLE", "SYSLIST", "STDOUT", "PRINTER"})
_STANDARD_ERROR_DEVICES = frozenset({"SYSERR", "STDERR"})

@dataclass(frozen=True)
class Unsupported:
    """A statement the translator did not translate: where, and what."""

    program: str
    file: str
    line: int
    construct: str
    reason: str


@dataclass
class Counts:
    statements: int = 0
    translated: int = 0


@dataclass
class Context:
    """What statement translation needs to know about the program."""

    program: Program
    layout: Layout
    procedure_keys: dict[str, str]  # name as referenced (NAME, NAME IN SECTION) -> key
    section_of: dict[str, str | None]  # key -> its section name
    files: dict[str, FileDef]  # SELECT name -> file
    record_file: dict[str, str]  # record name -> SELECT name (FD or SD)
    sort_files: set[str]  # SD names
    altered: set[str] = field(default_factory=set)  # paragraphs whose GO TO an ALTER changes
    cursors: dict[str, EmbeddedStatement] = field(default_factory=dict)  # DECLARE CURSOR
    whenever: dict[str, str] = field(default_factory=dict)  # SQLERROR ... -> procedure key
    unsupported: list[Unsupported] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)


class Emitter:
    """Python lines for the statements of one procedure."""

    def __init__(self, ctx: Context, procedure_key: str) -> None:
        self.ctx = ctx
        self.key = procedure_key
        self.section = ctx.section_of.get(procedure_key)
        self.lines: list[str] = []
        self.depth = 2
        self.inline_depth = 0  # inline PERFORMs around the statement (EXIT PERFORM)
        self._temp = 0

    # -- output ----------------------------------------------------------------------------
    def emit(self, line: str) -> None:
        # estate words reach comments; none may break the line (string literals are repr()s,
        # which never hold a raw line break)
        self.lines.append("    " * self.depth + py_comment(line))

    def block(self, statements: Sequence[Statement]) -> None:
        self.depth += 1
        start = len(self.lines)
        for statement in statements:
            self.statement(statement)
        if len(self.lines) == start:
            self.emit("pass")
        self.depth -= 1

    def temp(self, stem: str) -> str:
        self._temp += 1
        return f"{stem}_{self._temp}"

    def reader(self, tokens: Sequence[str]) -> Reader:
        return Reader(list(tokens), self.ctx.layout)

    # -- dispatch --------------------------------------------------------------------------
    def sentence(self, statements: Sequence[Statement]) -> None:
        uses_next = any(_contains(s, "NEXT SENTENCE") for s in statements)
        if uses_next:
            self.emit("try:")
            self.depth += 1
        for statement in statements:
            self.statement(statement)
        if uses_next:
            self.depth -= 1
            self.emit("except NextSentence:")
            self.emit("    pass")

    def statement(self, statement: Statement) -> None:
        self.ctx.counts.statements += 1
        handler: Callable[[Statement], None] | None = getattr(
            self, "v_" + statement.verb.lower().replace(" ", "_").replace("-", "_"), None)
        mark = len(self.lines)
        try:
            if handler is None:
                raise TranslateError(f"{statement.verb} is not supported")
            handler(statement)
            self.ctx.counts.translated += 1
        except TranslateError as error:
            del self.lines[mark:]
            self.unsupported(statement, str(error))

    def unsupported(self, statement: Statement, reason: str) -> None:
        construct = statement.verb if statement.verb != "EXEC" else \
            f"EXEC {statement.operands[0] if statement.operands else ''}".strip()
        self.ctx.unsupported.append(Unsupported(self.ctx.program.name, statement.file,
                                                statement.line, construct, reason))
        self.emit(f"self.unsupported({statement.line}, {construct!r})  # {reason[:60]}")

    def branch(self, statement: Statement, phrase: str) -> Sequence[Statement] | None:
        for b in statement.branches:
            if b.phrase == phrase:
                return b.statements
        return None

    # -- procedure names -------------------------------------------------------------------
    def procedure(self, tokens: list[str], i: int) -> tuple[str, int]:
        """The key of the procedure named at tokens[i] (``NAME [IN|OF SECTION]``)."""
        name = tokens[i]
        if i + 2 < len(tokens) + 1 and i + 1 < len(tokens) and tokens[i + 1] in ("IN", "OF"):
            qualified = f"{name} IN {tokens[i + 2]}"
            if qualified in self.ctx.procedure_keys:
                return self.ctx.procedure_keys[qualified], i + 3
        if self.section and f"{name} IN {self.section}" in self.ctx.procedure_keys:
            return self.ctx.procedure_keys[f"{name} IN {self.section}"], i + 1
        if name in self.ctx.procedure_keys:
            return self.ctx.procedure_keys[name], i + 1
        raise TranslateError(f"unknown procedure {name}")

    # -- simple verbs ----------------------------------------------------------------------
    def v_continue(self, s: Statement) -> None:
        self.emit("pass")

    def v_exit(self, s: Statement) -> None:
        words = list(s.operands)
        if not words:
            self.emit("pass  # EXIT")
        elif words == ["PROGRAM"]:
            self.emit("self.exit_program()")
        elif words == ["PARAGRAPH"]:
            self.emit("return None")
        elif words == ["SECTION"] and self.section:
            self.emit(f"return EndOf({self._section_end()!r})")
        elif words == ["PERFORM"] and self.inline_depth:
            self.emit("raise ExitPerform()")
        elif words == ["PERFORM", "CYCLE"] and self.inline_depth:
            self.emit("raise CyclePerform()")
        else:
            raise TranslateError(f"EXIT {' '.join(words)} is not supported")

    def _section_end(self) -> str:
        """The key of the last procedure of the current section (EXIT SECTION goes to its
        end)."""
        members = [p.key for p in self.ctx.program.paragraphs if p.section == self.section]
        if members:
            return members[-1]
        return next(p.key for p in self.ctx.program.sections if p.name == self.section)

    def v_stop(self, s: Statement) -> None:
        if list(s.operands) == ["RUN"]:
            self.emit("self.stop_run()")
            return
        r = self.reader(s.operands)
        literal = r.operand()
        if literal.kind not in ("text", "number") or not r.done():
            raise TranslateError(f"STOP {' '.join(s.operands)} is not supported")
        self.emit(f"self.stop_literal({literal.code})")

    def v_goback(self, s: Statement) -> None:
        self.emit("self.goback()")

    def v_next_sentence(self, s: Statement) -> None:
        self.emit("raise NextSentence()")

    def v_use(self, s: Statement) -> None:
        words = list(s.operands)
        if "ON" not in words or not {"ERROR", "EXCEPTION"} & set(words):
            raise TranslateError(f"USE {' '.join(words)} is not supported")
        self.emit(f"pass  # USE {' '.join(words)}: bound to the files when the program starts")

    def v_unparsed(self, s: Statement) -> None:
        raise TranslateError(f"words the parser could not read as a statement: "
                             f"{' '.join(s.operands)[:60]!r}")

    def v_exec(self, s: Statement) -> None:
        kind = s.operands[0] if s.operands else ""
        if kind != "SQL" or len(s.operands) < 2:
            raise TranslateError(f"EXEC {kind} blocks need their precompiler's runtime")
        text = s.operands[1]
        statement = embedded_statement(text)
        verb = statement.verb
        words = text.upper().split()
        if verb in ("INCLUDE", "BEGIN", "END") or (verb == "DECLARE" and "TABLE" in words[:4]):
            self.emit(f"pass  # EXEC SQL {' '.join(words[:3])} (precompiler)")
            return
        if verb == "DECLARE":
            self.emit(f"pass  # EXEC SQL DECLARE {words[1] if len(words) > 1 else ''} CURSOR: "
                      "declared when the program starts")
            return
        if verb == "WHENEVER":
            self._whenever(words)
            return
        if verb == "OPEN" and len(words) > 1 and words[1] in self.ctx.cursors:
            cursor = self.ctx.cursors[words[1]]
            self.emit(f"self.sql.open_cursor({words[1]!r}, [{self._hosts(cursor.inputs)}])")
        elif verb == "FETCH":
            name = next((w for w in words[1:] if w not in ("NEXT", "FROM")), "")
            self.emit(f"self.sql.fetch({name!r}, [{self._hosts(statement.outputs)}])")
        elif verb == "CLOSE" and len(words) > 1:
            self.emit(f"self.sql.close_cursor({words[1]!r})")
        else:
            inputs, outputs = self._hosts(statement.inputs), self._hosts(statement.outputs)
            args = f", [{inputs}]" if inputs or outputs else ""
            args += f", [{outputs}]" if outputs else ""
            self.emit(f"self.sql.execute({long_string(statement.text)}{args})")
        self._after_sql()

    def _hosts(self, hosts: Sequence[HostReference]) -> str:
        out = []
        for host in hosts:
            item = self._host_item(host.name)
            if host.indicator:
                out.append(f"HostVar({item}, {self._host_item(host.indicator)})")
            else:
                out.append(item)
        return ", ".join(out)

    def _host_item(self, name: str) -> str:
        parts = name.split(".")
        tokens = [parts[-1]] + [w for q in reversed(parts[:-1]) for w in ("OF", q)]
        return self.reader(tokens).identifier().code

    def _whenever(self, words: list[str]) -> None:
        """WHENEVER SQLERROR | SQLWARNING | NOT FOUND  CONTINUE | GO TO x: from here on in
        the source, each SQL statement is followed by the test."""
        condition = "NOT FOUND" if words[1:3] == ["NOT", "FOUND"] else words[1]
        action = words[3:] if condition == "NOT FOUND" else words[2:]
        if action[:1] == ["CONTINUE"]:
            self.ctx.whenever.pop(condition, None)
            return
        target = action[-1] if action[:1] in (["GO"], ["GOTO"]) else None
        if target is None:
            raise TranslateError(f"WHENEVER ... {' '.join(action)} is not supported")
        self.ctx.whenever[condition], _ = self.procedure([target], 0)
        self.emit(f"pass  # EXEC SQL WHENEVER {condition} GO TO {target}")

    def _after_sql(self) -> None:
        sqlcode = self.reader(["SQLCODE"]).identifier().code
        tests = {"SQLERROR": f"{sqlcode}.get() < 0", "NOT FOUND": f"{sqlcode}.get() == 100",
                 "SQLWARNING": f"{self.reader(['SQLWARN0']).identifier().code}.get() == 'W'"}
        for condition, target in self.ctx.whenever.items():
            self.emit(f"if {tests[condition]}:  # WHENEVER {condition}")
            self.emit(f"    return {target!r}")

    # -- data movement ---------------------------------------------------------------------
    def v_move(self, s: Statement) -> None:
        r = self.reader(s.operands)
        corresponding = r.accept("CORRESPONDING", "CORR")
        source = r.operand()
        r.expect("TO")
        targets = []
        while not r.done():
            targets.append(r.identifier())
            r.skip_commas()
        if not targets:
            raise TranslateError("MOVE without a receiver")
        if corresponding:
            for target in targets:
                self._corresponding(source, target, lambda a, b: f"{b}.set({a})")
            return
        for target in targets:
            self._check_receiver(target)
            value = source.code
            if source.kind == "number" and source.literal and \
                    source.literal.lstrip("+-").isdigit() and _alphanumeric(target):
                # an integer literal into an alphanumeric item or a group: its digits as
                # written, leading zeros and all, without the sign (``MOVE 0012 TO X``)
                value = repr(source.literal.lstrip("+-"))
            self.emit(f"{target.code}.set({value})")

    def _check_receiver(self, target: Operand) -> None:
        if target.kind == "condition":
            raise TranslateError("a condition name cannot receive a MOVE")

    def _corresponding(self, source: Operand, target: Operand,
                       make: Callable[[str, str], str]) -> None:
        for a, b in self._corresponding_codes(source, target):
            self.emit(make(a, b))

    def _corresponding_codes(self, source: Operand, target: Operand, *,
                             numeric: bool = False) -> list[tuple[str, str]]:
        """The code of each pair of corresponding items (``numeric``: ADD and SUBTRACT
        CORRESPONDING, which pair elementary numeric items only); the identifiers'
        subscripts carry over to the items under them."""
        if source.item is None or target.item is None:
            raise TranslateError("CORRESPONDING needs two group items")
        # no pair at all is no move (GnuCOBOL only warns: "no CORRESPONDING items found")
        pairs = _corresponding_pairs(self.ctx.layout, source.item, target.item,
                                     numeric=numeric)
        return [(self._item_code(a, source.subscripts), self._item_code(b, target.subscripts))
                for a, b in pairs]

    def _item_code(self, item: DataItem, subscripts: Sequence[str] = ()) -> str:
        access = self.ctx.layout.access.get(item.id)
        if access is None or access.occurs != len(subscripts):
            raise TranslateError(f"CORRESPONDING through {item.name} (OCCURS) is not supported")
        return access.code(list(subscripts))

    def v_initialize(self, s: Statement) -> None:
        r = self.reader(s.operands)
        targets = []
        while not r.done() and r.peek() not in ("REPLACING", "WITH", "ALL", "TO", "THEN"):
            targets.append(r.identifier())
            r.skip_commas()
        replacing: list[str] = []
        if r.accept("REPLACING"):
            while not r.done():
                category = r.next()
                if category == "NUMERIC" and r.peek() == "EDITED":
                    r.i += 1
                    category = "numeric-edited"
                elif category == "ALPHANUMERIC" and r.peek() == "EDITED":
                    r.i += 1
                    category = "alphanumeric-edited"
                r.accept("DATA")
                r.expect("BY")
                value = r.operand()
                replacing.append(f"({category.lower()!r}, {value.code})")
        if not r.done():
            raise TranslateError(f"INITIALIZE ... {r.peek()} is not supported")
        extra = f", [{', '.join(replacing)}]" if replacing else ""
        for target in targets:
            item = target.item
            if item is None:
                raise TranslateError("INITIALIZE of a reference modification")
            access = self.ctx.layout.access[item.id]
            if item.occurs_max and not target.code.endswith("]"):
                raise TranslateError("INITIALIZE of a table without a subscript")
            if item.is_group and (access.parts == access.owner or item.occurs_max):
                self.emit(f"{target.code}.initialize(None{extra})")
            elif item.is_group:
                owner = target.code[:len(target.code) - len(access.parts[-1] or "")]
                self.emit(f"{owner}.initialize({target.code}{extra})")
            else:
                self.emit(f"initialize({target.code}{extra})")

    def v_set(self, s: Statement) -> None:
        r = self.reader(s.operands)
        while not r.done():  # one or more clauses: SET SW-1 TO ON SW-2 TO OFF
            self._set_clause(r)

    def _set_clause(self, r: Reader) -> None:
        switches = self.ctx.layout.switch_mnemonics
        if r.peek() in switches:  # SET switch-mnemonic ... TO ON|OFF
            numbers = []
            while r.peek() in switches:
                numbers.append(switches[r.next()])
                r.skip_commas()
            r.expect("TO")
            if r.peek() not in ("ON", "OFF"):
                raise TranslateError(f"SET switch TO {r.peek() or 'nothing'}")
            on = r.next() == "ON"
            for number in numbers:
                self.emit(f"set_switch({number}, {on})")
            return
        targets = []
        while not r.done() and r.peek() not in ("TO", "UP", "DOWN"):
            targets.append(r.identifier())
            r.skip_commas()
        if r.accept("TO"):
            if r.accept("TRUE"):
                for target in targets:
                    if target.kind != "condition":
                        raise TranslateError("SET ... TO TRUE needs a condition name")
                    self.emit(f"{target.code}.set_true()")
                return
            if r.peek() in ("FALSE", "ON", "OFF", "ADDRESS", "NULL", "NULLS"):
                raise TranslateError(f"SET ... TO {r.peek()} is not supported")
            value = r.value_or_expression()
            for target in targets:
                self.emit(f"{target.code}.set({value.code})")
            return
        direction = r.next()
        r.expect("BY")
        amount = r.value_or_expression()
        for target in targets:
            self.emit(self._step(target, amount.value(), "+=" if direction == "UP" else "-="))

    def _step(self, target: Operand, amount: str, operator: str) -> str:
        """``target += amount`` (or ``-=``): an ADD (SUBTRACT) without ROUNDED or SIZE ERROR
        phrase, which the runtime's numeric items do; the add()/subtract() call for any other
        kind of item."""
        numeric = target.kind == "register" or (
            target.kind == "item" and target.item is not None and
            self.ctx.layout.category(target.item) == "numeric")
        if numeric:
            return f"{target.code} {operator} {amount}"
        function = "add" if operator == "+=" else "subtract"
        return f"{function}({target.code}, {amount}, on_size_error=False)"

    # -- arithmetic ------------------------------------------------------------------------
    def _receivers(self, r: Reader) -> list[tuple[Operand, bool]]:
        out = []
        while not r.done() and r.peek() not in ("GIVING", "REMAINDER"):
            target = r.identifier()
            rounded = r.accept("ROUNDED")
            out.append((target, rounded))
            r.skip_commas()
        return out

    def _values(self, r: Reader, *stops: str) -> list[Operand]:
        out = []
        while not r.done() and r.peek() not in stops:
            out.append(r.value_or_expression())
            r.skip_commas()
        return out

    def _store(self, s: Statement, calls: list[str]) -> None:
        """Emit the arithmetic calls, with the SIZE ERROR phrases when the statement has
        them (every receiver is stored, then the phrase runs if any had a size error)."""
        on_error = self.branch(s, "ON SIZE ERROR")
        not_error = self.branch(s, "NOT ON SIZE ERROR")
        if on_error is None and not_error is None:
            for call in calls:
                self.emit(call.replace("{size}", "False"))
            return
        flag = self.temp("size_error")
        if len(calls) == 1:
            self.emit(f"{flag} = {calls[0].replace('{size}', 'True')}")
        else:
            self.emit(f"{flag} = any([{', '.join(c.replace('{size}', 'True') for c in calls)}])")
        if on_error is not None:
            self.emit(f"if {flag}:")
            self.block(on_error)
            if not_error is not None:
                self.emit("else:")
                self.block(not_error)
        else:
            self.emit(f"if not {flag}:")
            self.block(not_error or ())

    def v_add(self, s: Statement) -> None:
        r = self.reader(s.operands)
        if r.accept("CORRESPONDING", "CORR"):
            self._arithmetic_corresponding(s, r, "TO", "add")
            return
        values = self._values(r, "TO", "GIVING")
        if r.accept("TO"):
            if _has(r, "GIVING"):
                values += self._values(r, "GIVING")
                r.expect("GIVING")
                receivers = self._receivers(r)
                if not self._integer_result(s, receivers, values, " + ".join):
                    self._store_result(s, receivers, " + ".join(v.value() for v in values))
                return
            receivers = self._receivers(r)
            if self._plain_arithmetic(s, receivers, values, "+="):
                return
            args = ", ".join(v.value() for v in values)
            self._store(s, [f"add({t.code}, {args}, rounded={rounded}, on_size_error={{size}})"
                            for t, rounded in receivers])
            return
        r.expect("GIVING")
        receivers = self._receivers(r)
        if not self._integer_result(s, receivers, values, " + ".join):
            self._store_result(s, receivers, " + ".join(v.value() for v in values))

    def v_subtract(self, s: Statement) -> None:
        r = self.reader(s.operands)
        if r.accept("CORRESPONDING", "CORR"):
            self._arithmetic_corresponding(s, r, "FROM", "subtract")
            return
        values = self._values(r, "FROM")
        r.expect("FROM")
        if _has(r, "GIVING"):
            minuend = r.value_or_expression()
            r.expect("GIVING")
            receivers = self._receivers(r)
            if not self._integer_result(s, receivers, [minuend, *values],
                                        lambda c: f"{c[0]} - ({' + '.join(c[1:])})"):
                expression = f"{minuend.value()} - ({' + '.join(v.value() for v in values)})"
                self._store_result(s, receivers, expression)
            return
        receivers = self._receivers(r)
        if self._plain_arithmetic(s, receivers, values, "-="):
            return
        args = ", ".join(v.value() for v in values)
        self._store(s, [f"subtract({t.code}, {args}, rounded={rounded}, on_size_error={{size}})"
                        for t, rounded in receivers])

    def _integer_result(self, s: Statement, receivers: list[tuple[Operand, bool]],
                        operands: list[Operand], combine: Callable[[list[str]], str]) -> bool:
        """ADD, SUBTRACT or MULTIPLY ... GIVING one receiver, every operand an integer
        literal or an item without decimals: worked out in Python ints (``combine`` writes
        the expression of the operands' codes), as a COMPUTE of integers is; the same
        result, without a lambda or a decimal context. False (nothing emitted) otherwise."""
        codes = [code for operand in operands if (code := integer_code(operand)) is not None]
        if len(receivers) != 1 or not codes or len(codes) != len(operands):
            return False
        target, rounded = receivers[0]
        self._store(s, [self._compute_integers(target, combine(codes), rounded)])
        return True

    def _plain_arithmetic(self, s: Statement, receivers: list[tuple[Operand, bool]],
                          values: list[Operand], operator: str) -> bool:
        """``ADD a TO x`` / ``SUBTRACT a FROM x`` as ``x += a`` / ``x -= a`` (the runtime's
        numeric item does the ADD there, truncating as COBOL does), when nothing else is
        asked: one receiver, numeric, not ROUNDED, no SIZE ERROR phrase, and an amount that
        is one operand or a sum Python works out exactly (at most nine operands of at most
        18 digits, where Decimal keeps 28)."""
        if not receivers or any(rounded for _, rounded in receivers) or not values:
            return False
        if self.branch(s, "ON SIZE ERROR") is not None or \
                self.branch(s, "NOT ON SIZE ERROR") is not None:
            return False
        if any(target.kind != "item" or target.item is None or
               self.ctx.layout.category(target.item) != "numeric" for target, _ in receivers):
            return False
        if len(values) > 1 and (len(values) > 9 or any(_digits(v) > 18 for v in values)):
            return False
        single = values[0]
        if len(values) == 1 and single.kind == "item" and single.item is not None and \
                self.ctx.layout.category(single.item) == "numeric":
            amount = single.code  # the item itself: the runtime adds its digits in integers
        else:
            amount = " + ".join(v.value() for v in values)
        for target, _ in receivers:  # each receiver in turn, as the add() calls did
            self.emit(f"{target.code} {operator} {amount}")
        return True

    def _arithmetic_corresponding(self, s: Statement, r: Reader, word: str,
                                  function: str) -> None:
        """ADD CORRESPONDING a TO b / SUBTRACT CORRESPONDING a FROM b [ROUNDED]: each pair
        of elementary numeric items of the same name (and qualifiers) under a and b, as one
        ADD or SUBTRACT each; with SIZE ERROR, a pair in error keeps its receiver and the
        phrase runs once, after all pairs."""
        source = r.identifier()
        r.expect(word)
        target = r.identifier()
        rounded = r.accept("ROUNDED")
        if not r.done():
            raise TranslateError(f"{s.verb} CORRESPONDING: unexpected {r.peek()}")
        self._store(s, [f"{function}({b}, {a}, rounded={rounded}, on_size_error={{size}})"
                        for a, b in self._corresponding_codes(source, target, numeric=True)])

    def v_multiply(self, s: Statement) -> None:
        r = self.reader(s.operands)
        first = r.value_or_expression()
        r.expect("BY")
        if _has(r, "GIVING"):
            second = r.value_or_expression()
            r.expect("GIVING")
            receivers = self._receivers(r)
            if not self._integer_result(s, receivers, [first, second], " * ".join):
                self._store_result(s, receivers, f"{first.value()} * {second.value()}")
            return
        self._store(s, [self._compute(t, f"{first.value()} * {t.value()}", rounded)
                        for t, rounded in self._receivers(r)])

    def v_divide(self, s: Statement) -> None:
        r = self.reader(s.operands)
        first = r.value_or_expression()
        into = r.accept("INTO")
        if not into:
            r.expect("BY")
        if not _has(r, "GIVING"):
            if not into:
                raise TranslateError("DIVIDE ... BY needs GIVING")
            self._store(s, [self._compute(t, f"{t.value()} / {first.value()}", rounded)
                            for t, rounded in self._receivers(r)])
            return
        second = r.value_or_expression()
        r.expect("GIVING")
        dividend, divisor = (second, first) if into else (first, second)
        receivers = self._receivers(r)
        if r.accept("REMAINDER"):
            remainder = r.identifier()
            if len(receivers) != 1:
                raise TranslateError("DIVIDE ... REMAINDER with several quotients")
            quotient, rounded = receivers[0]
            # a subscripted remainder is resolved after the quotient is stored (GnuCOBOL)
            rest = f"lambda: {remainder.code}" if "[" in remainder.code else remainder.code
            self._store(s, [f"divide_remainder({quotient.code}, {rest}, "
                            f"{number_code(dividend)}, {number_code(divisor)}, "
                            f"rounded={rounded}, on_size_error={{size}})"])
            return
        if not self._integer_quotient(s, receivers, dividend, divisor):
            expression = f"{dividend_code(dividend.value())} / {divisor.value()}"
            self._store_result(s, receivers, expression)

    def _integer_quotient(self, s: Statement, receivers: list[tuple[Operand, bool]],
                          dividend: Operand, divisor: Operand) -> bool:
        """DIVIDE ... GIVING one item without decimals, not ROUNDED, an integer dividend and
        a divisor that is an integer literal other than zero: the quotient truncated toward
        zero, worked out in ints (``quotient``), which is what storing the exact quotient in
        an item without decimals keeps. False (nothing emitted) otherwise."""
        if len(receivers) != 1 or receivers[0][1]:
            return False
        target = receivers[0][0]
        whole, by = integer_code(dividend), integer_code(divisor)
        if whole is None or by is None or divisor.kind != "number" or int(by) == 0 or \
                integer_code(target) is None or target.kind != "item":
            return False
        self._store(s, [self._compute_integers(target, f"quotient({whole}, {by})", False)])
        return True

    def v_compute(self, s: Statement) -> None:
        r = self.reader(s.operands)
        receivers = []
        while r.peek() not in ("=", "EQUAL"):
            if r.done():
                raise TranslateError("COMPUTE without =")
            target = r.identifier()
            receivers.append((target, r.accept("ROUNDED")))
            r.skip_commas()
        r.next()
        integers = r.integer_arithmetic() if len(receivers) == 1 else None
        if integers is not None and r.done():  # in ints: no lambda, no decimal context
            target, rounded = receivers[0]
            self._store(s, [self._compute_integers(target, integers, rounded)])
            return
        expression = r.arithmetic()
        if not r.done():
            raise TranslateError(f"COMPUTE: unexpected {r.peek()}")
        self._store_result(s, receivers, expression)

    def _store_result(self, s: Statement, receivers: list[tuple[Operand, bool]],
                      expression: str) -> None:
        """GIVING and COMPUTE: the result is worked out once, then stored in each receiver
        in turn (a receiver that is also an operand does not change what the next ones get)."""
        if len(receivers) > 1:
            value = self.temp("result")
            self.emit(f"{value} = evaluate(lambda: {expression})")
            expression = value
        self._store(s, [self._compute(t, expression, rounded) for t, rounded in receivers])

    def _compute(self, target: Operand, expression: str, rounded: bool) -> str:
        return (f"compute({target.code}, lambda: {expression}, rounded={rounded}, "
                "on_size_error={size})")

    @staticmethod
    def _compute_integers(target: Operand, integers: str, rounded: bool) -> str:
        """COMPUTE of an expression of Python ints: given as it is (no lambda, no decimal
        context)."""
        return (f"compute({target.code}, {integers}, rounded={rounded}, "
                "on_size_error={size})")

    # -- conditions and control ------------------------------------------------------------
    def v_if(self, s: Statement) -> None:
        r = self.reader(s.operands)
        condition = r.condition()
        if not r.done():
            raise TranslateError(f"IF: cannot read the condition past {r.peek()}")
        self.emit(f"if {condition}:")
        self.block(self.branch(s, "THEN") or ())
        otherwise = self.branch(s, "ELSE")
        if otherwise:
            self.emit("else:")
            self.block(otherwise)

    def v_evaluate(self, s: Statement) -> None:
        r = self.reader(s.operands)
        subjects: list[tuple[str, Operand | None]] = []  # ("bool", None) or ("value", op)
        while True:
            if r.accept("TRUE"):
                subjects.append(("true", None))
            elif r.accept("FALSE"):
                subjects.append(("false", None))
            else:
                start = r.i
                try:
                    operand = r.value_or_expression()
                    if not r.done() and r.peek() != "ALSO":
                        raise TranslateError("a condition")
                    if operand.kind == "condition":  # a level-88 name: a truth value
                        subjects.append(("cond", _CodeOperand(operand.code)))
                    else:
                        subjects.append(("value", operand))
                except TranslateError:
                    r.i = start
                    subjects.append(("cond", _CodeOperand(r.condition())))
            if not r.accept("ALSO"):
                break
        if not r.done():
            raise TranslateError(f"EVALUATE: cannot read the subject past {r.peek()}")
        keyword = "if"
        pending: list[str] = []
        for b in s.branches:
            if b.phrase == "WHEN OTHER":
                if pending:
                    raise TranslateError("WHEN without statements before WHEN OTHER")
                self.emit("else:" if keyword == "elif" else "if True:")
                self.block(b.statements)
                keyword = "done"
                break
            pending.append(self._when(subjects, list(b.operands)))
            if not b.statements:
                continue  # stacked WHENs share the statements after the last one
            test = pending[0] if len(pending) == 1 else " or ".join(f"({p})" for p in pending)
            self.emit(f"{keyword} {test}:")
            self.block(b.statements)
            pending = []
            keyword = "elif"
        if pending:
            raise TranslateError("a WHEN without statements ends the EVALUATE")

    def _when(self, subjects: list[tuple[str, Operand | None]], tokens: list[str]) -> str:
        groups: list[list[str]] = [[]]
        depth = 0
        for tok in tokens:
            depth += tok == "("
            depth -= tok == ")"
            if tok == "ALSO" and depth == 0:
                groups.append([])
            else:
                groups[-1].append(tok)
        if len(groups) != len(subjects):
            raise TranslateError("WHEN with a different number of objects than subjects")
        tests = []
        for (kind, subject), objects in zip(subjects, groups, strict=True):
            r = self.reader(objects)
            if r.accept("ANY"):
                continue
            if kind in ("true", "false", "cond"):
                if r.accept("TRUE"):
                    value = "True"
                elif r.accept("FALSE"):
                    value = "False"
                else:
                    value = r.condition()
                if kind == "cond":  # a level-88 is an object until bool() asks it
                    tests.append(f"bool({subject.code}) == bool({value})"  # type: ignore
                                 if value not in ("True", "False") else
                                 (subject.code if value == "True"  # type: ignore[union-attr]
                                  else f"not ({subject.code})"))  # type: ignore[union-attr]
                else:
                    tests.append(value if kind == "true" else f"not ({value})")
                continue
            assert subject is not None
            negate = r.accept("NOT")
            low = r.value_or_expression()
            if r.accept("THRU", "THROUGH"):
                high = r.value_or_expression()
                test = (f"({self._relation(subject, '>=', low)} and "
                        f"{self._relation(subject, '<=', high)})")
            else:
                test = self._relation(subject, "==", low)
            if not r.done():
                raise TranslateError(f"WHEN: cannot read past {r.peek()}")
            tests.append(f"not {test}" if negate else test)
        return " and ".join(tests) or "True"

    def _relation(self, left: Operand, op: str, right: Operand) -> str:
        return self.reader([]).relation(left, op, right)

    def v_go(self, s: Statement) -> None:
        tokens = [t for t in s.operands if t not in (",", ";")]
        if tokens and tokens[0] == "TO":
            tokens = tokens[1:]
        if not tokens:
            if self.key in self.ctx.altered:
                self.emit(f"return self.altered[{self.key!r}]")
                return
            raise TranslateError("GO TO without a target (never ALTERed)")
        if "DEPENDING" in tokens:
            at = tokens.index("DEPENDING")
            names = tokens[:at]
            keys = []
            i = 0
            while i < len(names):
                key, i = self.procedure(names, i)
                keys.append(key)
            rest = tokens[at + 1:]
            if rest and rest[0] == "ON":
                rest = rest[1:]
            selector = self.reader(rest).identifier()
            target = self.temp("target")
            self.emit(f"{target} = depending({selector.code}, {tuple(keys)!r})")
            self.emit(f"if {target} is not None:")
            self.emit(f"    return {target}")
            return
        key, end = self.procedure(tokens, 0)
        if end != len(tokens):
            raise TranslateError("GO TO with several targets needs DEPENDING ON")
        if self.key in self.ctx.altered:
            self.emit(f"return self.altered.get({self.key!r}, {key!r})")
        else:
            self.emit(f"return {key!r}")

    def v_alter(self, s: Statement) -> None:
        tokens = [t for t in s.operands if t not in (",", ";")]
        i = 0
        while i < len(tokens):
            source, i = self.procedure(tokens, i)
            if tokens[i:i + 1] != ["TO"]:
                raise TranslateError("ALTER a TO b")
            i += 1
            if tokens[i:i + 2] == ["PROCEED", "TO"]:
                i += 2
            target, i = self.procedure(tokens, i)
            self.emit(f"self.altered[{source!r}] = {target!r}")

    def v_perform(self, s: Statement) -> None:
        body = self.branch(s, "BODY")
        r = self.reader(s.operands)
        if body is None:
            first, i = self.procedure(list(r.tokens), 0)
            last = None
            if i < len(r.tokens) and r.tokens[i].upper() in ("THRU", "THROUGH"):
                last, i = self.procedure(list(r.tokens), i + 1)
            r.i = i
            call = f"self.perform({first!r}" + (f", {last!r})" if last else ")")
            if r.done():
                self.emit(call)
                return

            def emit_body() -> None:
                self.emit(f"    {call}")
        else:
            exits = _exit_performs(body)
            if r.done():  # PERFORM ... END-PERFORM without a loop: the statements, once
                self.inline_depth += 1
                if exits:
                    self.emit("try:")
                    self.block(body)
                    self.emit("except (ExitPerform, CyclePerform):")
                    self.emit("    pass")
                else:
                    for inner in body:
                        self.statement(inner)
                self.inline_depth -= 1
                return

            def emit_body() -> None:
                self._inline_body(body, exits)
            self._leaving(exits, lambda: self._loop(r, emit_body))
            return
        self._loop(r, emit_body)

    def _leaving(self, exits: set[str], emit: Callable[[], None]) -> None:
        """An inline PERFORM whose body has EXIT PERFORM: the loop inside ``try``, so the
        EXIT leaves it (and only it: an inner inline PERFORM has its own)."""
        if "PERFORM" not in exits:
            emit()
            return
        self.emit("try:")
        self.depth += 1
        emit()
        self.depth -= 1
        self.emit("except ExitPerform:")
        self.emit("    pass")

    def _inline_body(self, body: Sequence[Statement], exits: set[str]) -> None:
        """The statements of an inline PERFORM, one level in; with EXIT PERFORM CYCLE inside
        ``try``, so the CYCLE ends the iteration and the loop steps and tests as usual."""
        self.inline_depth += 1
        if "CYCLE" in exits:
            self.depth += 1
            self.emit("try:")
            self.block(body)
            self.emit("except CyclePerform:")
            self.emit("    pass")
            self.depth -= 1
        else:
            self.block(body)
        self.inline_depth -= 1

    def _loop(self, r: Reader, emit_body: Callable[[], None]) -> None:
        """The loop forms of PERFORM; ``emit_body`` writes the body one level in."""
        test_after = False
        if r.accept("WITH") or r.peek() == "TEST":
            r.expect("TEST")
            test_after = r.next() == "AFTER"
        if r.peek() == "VARYING":
            self._varying(r, emit_body, test_after)
            return
        if r.accept("UNTIL"):
            condition = r.condition()
            if not r.done():
                raise TranslateError(f"PERFORM UNTIL: cannot read past {r.peek()}")
            if test_after:
                self.emit("while True:")
                emit_body()
                self.emit(f"    if {condition}:")
                self.emit("        break")
            else:
                self.emit(f"while not {condition}:")
                emit_body()
            return
        count = r.value_or_expression()
        r.expect("TIMES")
        if not r.done():
            raise TranslateError(f"PERFORM TIMES: cannot read past {r.peek()}")
        self.emit(f"for _ in range(index({count.value()})):")
        emit_body()

    def _varying(self, r: Reader, emit_body: Callable[[], None], test_after: bool) -> None:
        """VARYING ... AFTER ..., as GnuCOBOL runs it: the first variable is set to its FROM
        value; each pass of a level first sets the next level's variable to its FROM value
        (so ``AFTER J FROM I`` sees the current I), then tests the level's condition (with
        TEST AFTER: runs the inner levels first), runs the inner levels, and steps the level's
        variable. So when an inner loop ends the outer variable is stepped, the inner one set
        again, then the outer test runs; deeper variables are set only when their loop is
        entered again."""
        levels = []
        r.expect("VARYING")
        while True:
            variable = r.identifier()
            r.expect("FROM")
            start = r.value_or_expression()
            r.expect("BY")
            step = r.value_or_expression()
            r.expect("UNTIL")
            condition = r.condition()
            levels.append((variable, start, step, condition))
            if not r.accept("AFTER"):
                break
        if not r.done():
            raise TranslateError(f"PERFORM VARYING: cannot read past {r.peek()}")
        base = self.depth
        variable, start, _, _ = levels[0]
        self.emit(f"{variable.code}.set({start.code})")
        self._varying_level(levels, 0, test_after, emit_body)
        self.depth = base

    def _varying_level(self, levels: list[tuple[Operand, Operand, Operand, str]], n: int,
                       test_after: bool, emit_body: Callable[[], None]) -> None:
        variable, _, step, condition = levels[n]
        advance = self._step(variable, step.value(), "+=")
        inner = levels[n + 1] if n + 1 < len(levels) else None
        if inner is None and not test_after:
            self.emit(f"while not {condition}:")
            emit_body()
            self.emit(f"    {advance}")
            return
        self.emit("while True:")
        self.depth += 1
        if inner is not None:
            self.emit(f"{inner[0].code}.set({inner[1].code})")

        def run_inner() -> None:
            if inner is not None:
                self._varying_level(levels, n + 1, test_after, emit_body)
            else:
                self.depth -= 1
                emit_body()
                self.depth += 1

        if test_after:
            run_inner()
        self.emit(f"if {condition}:")
        self.emit("    break")
        if not test_after:
            run_inner()
        self.emit(advance)
        self.depth -= 1

    # -- input and output ------------------------------------------------------------------
    def v_display(self, s: Statement) -> None:
        r = self.reader(s.operands)
        values = []
        upon = None
        advancing = True
        while not r.done():
            if r.accept("UPON"):
                upon = r.next()
                continue
            if r.peek() in ("WITH", "NO"):
                r.accept("WITH")
                r.expect("NO")
                r.expect("ADVANCING")
                advancing = False
                continue
            values.append(r.operand().code)
            r.skip_commas()
        options = ""
        upon = self._device(upon)
        if upon and upon not in _STANDARD_OUTPUT_DEVICES:
            if upon not in _STANDARD_ERROR_DEVICES:
                raise TranslateError(f"DISPLAY UPON {upon} is not supported")
            options += ", upon='SYSERR'"
        if not advancing:
            options += ", advancing=False"
        if self.ctx.program.decimal_point_comma:
            options += ", decimal_comma=True"
        self._exception(s, f"display({', '.join(values)}{options})", can_fail=False)

    def _device(self, name: str | None) -> str | None:
        """The implementor-name (SYSOUT, SYSIN …) a SPECIAL-NAMES mnemonic-name stands for;
        any other name as it is."""
        return dict(self.ctx.program.mnemonic_names).get(name, name) if name else name

    def _exception(self, s: Statement, call: str, *, can_fail: bool = True) -> None:
        """A DISPLAY or ACCEPT with its ON EXCEPTION / NOT ON EXCEPTION phrases: ``call``
        returns False on the exception (ACCEPT at the end of input, an unset environment
        variable). After a call that cannot fail (DISPLAY, ACCEPT FROM DATE) the NOT ON
        EXCEPTION statements always run. GnuCOBOL's DISPLAY has these phrases, so in
        ``CALL ... ON EXCEPTION DISPLAY x NOT ON EXCEPTION ...`` without END-DISPLAY the
        NOT ON EXCEPTION belongs to the DISPLAY (the statement tree reads it so too)."""
        on_error = self.branch(s, "ON EXCEPTION")
        not_error = self.branch(s, "NOT ON EXCEPTION")
        if on_error is None and not_error is None:
            self.emit(call)
            return
        if not can_fail:
            self.emit(call)
            for inner in not_error or ():
                self.statement(inner)
            return
        ok = self.temp("ok")
        self.emit(f"{ok} = {call}")
        if on_error is not None:
            self.emit(f"if not {ok}:")
            self.block(on_error)
            if not_error is not None:
                self.emit("else:")
                self.block(not_error)
        else:
            self.emit(f"if {ok}:")
            self.block(not_error or ())

    def v_accept(self, s: Statement) -> None:
        r = self.reader(s.operands)
        target = r.identifier()
        if r.done():
            self._exception(s, f"accept_line({target.code})")
            return
        r.expect("FROM")
        source = self._device(r.next())
        if source in ("DATE", "DAY", "TIME", "DAY-OF-WEEK"):
            if r.peek() in ("YYYYMMDD", "YYYYDDD"):
                source += " " + r.next()
            self._exception(s, f"accept_from({target.code}, {source!r})", can_fail=False)
        elif source == "COMMAND-LINE":
            self._exception(s, f"accept_command_line({target.code})", can_fail=False)
        elif source in _STANDARD_INPUT_DEVICES:
            # GnuCOBOL reads these devices as standard input: a plain ACCEPT (cob_accept)
            self._exception(s, f"accept_line({target.code})")
        elif source in ("ENVIRONMENT", "ENVIRONMENT-VALUE"):
            name = r.operand()
            self._exception(s, f"accept_environment({target.code}, {name.code})")
        else:
            raise TranslateError(f"ACCEPT FROM {source} is not supported")

    def _file(self, name: str) -> str:
        if name not in self.ctx.files:
            raise TranslateError(f"unknown file {name}")
        return f"self.{_file_attribute(name)}"

    def v_open(self, s: Statement) -> None:
        mode = None
        opens: list[tuple[str, str]] = []
        for tok in s.operands:
            if tok in ("INPUT", "OUTPUT", "I-O", "EXTEND"):
                mode = tok
            elif tok in (",", ";", "WITH", "NO", "REWIND", "LOCK"):
                continue
            elif mode is None:
                raise TranslateError(f"OPEN: no mode before {tok}")
            else:
                opens.append((tok, mode))
        for n, (name, mode) in enumerate(opens):
            # GnuCOBOL 3.1.2 checks the status of the last file of the list only
            handled = ", handled=True" if n < len(opens) - 1 else ""
            self.emit(f"{self._file(name)}.open({mode!r}{handled})")

    def v_close(self, s: Statement) -> None:
        closes: list[tuple[str, list[str]]] = []  # (file, its REEL / UNIT / LOCK ... words)
        for tok in s.operands:
            if tok in (",", ";"):
                continue
            if tok in ("WITH", "LOCK", "NO", "REWIND", "REEL", "UNIT", "FOR", "REMOVAL"):
                if not closes:
                    raise TranslateError(f"CLOSE {tok}: no file before it")
                closes[-1][1].append(tok)
                continue
            closes.append((tok, []))
        for n, (name, words) in enumerate(closes):
            how = " ".join(w for w in words if w not in ("WITH", "FOR", "REMOVAL"))
            if how not in ("", "LOCK", "NO REWIND", "REEL", "UNIT"):
                raise TranslateError(f"CLOSE {name} {' '.join(words)} is not COBOL")
            args = [repr(how)] if how else []
            if n < len(closes) - 1:
                args.append("handled=True")  # as OPEN: the last only
            self.emit(f"{self._file(name)}.close({', '.join(args)})")

    def _outcome(self, s: Statement, call: str, good: str, bad: str, phrase: str) -> None:
        on_bad = self.branch(s, phrase)
        on_good = self.branch(s, "NOT " + phrase)
        if on_bad is None and on_good is None:
            self.emit(call)
            return
        result = self.temp("outcome")
        handled = call[:-1] + (", " if not call.endswith("()") else "") + "handled=True)"
        start = len(self.lines)
        self.emit(f"{result} = {handled}")
        if on_bad is not None:
            self.emit(f"if {result} == {bad!r}:")
            self.block(on_bad)
            if on_good is not None:
                self.emit(f"elif {result} == {good!r}:")
                self.block(on_good)
        else:
            self.emit(f"if {result} == {good!r}:")
            self.block(on_good or ())
        if len(self.lines) == start + 3 and self.lines[-1].strip() == "pass":
            # AT END CONTINUE: the phrase handles the condition and does nothing
            self.lines[start:] = [self.lines[start].replace(f"{result} = ", "", 1)]

    def v_read(self, s: Statement) -> None:
        r = self.reader(s.operands)
        name = r.next()
        args = []
        keyed = False
        sequential = False
        while not r.done():
            if r.accept("NEXT"):
                sequential = True
                continue
            if r.accept("RECORD"):
                continue
            if r.accept("INTO"):
                args.append(f"into={r.identifier().code}")
            elif r.accept("KEY"):
                r.accept("IS")
                args.append(f"key={r.identifier().code}")
                keyed = True
            elif r.peek() in ("WITH", "NO", "LOCK"):
                r.i += 1
            else:
                raise TranslateError(f"READ ... {r.peek()} is not supported")
        file = self.ctx.files.get(name)
        access = file.access.upper() if file is not None else "SEQUENTIAL"
        # RANDOM reads by key; DYNAMIC reads by key unless READ NEXT
        by_key = keyed or access == "RANDOM" or (access == "DYNAMIC" and not sequential)
        if by_key and file is not None and file.organization.upper() == "INDEXED":
            args.append("next_=False")
        call = f"{self._file(name)}.read({', '.join(args)})"
        if self.branch(s, "INVALID KEY") is not None or \
                self.branch(s, "NOT INVALID KEY") is not None:
            self._outcome(s, call, "ok", "invalid_key", "INVALID KEY")
        else:
            self._outcome(s, call, "ok", "at_end", "AT END")

    def _record_file(self, record: str) -> str:
        name = self.ctx.record_file.get(record)
        if name is None:
            raise TranslateError(f"{record} is not a record of any file")
        return name

    def _record_arg(self, name: str, record: str) -> list[str]:
        """``record=`` for a WRITE or REWRITE of a record whose size is not that of the file's
        record area as the program makes it (its first record): the record's own bytes are
        written (records of different sizes under one FD)."""
        records = [d for r in self.ctx.files[name].records
                   for d in [self.ctx.program.data_item(r)] if d is not None and
                   d.level in (1, 77) and d.id in self.ctx.layout.access]
        named = next((d for d in records if d.name == record), None)
        if named is None or not records or named.length == records[0].length:
            return []
        return [f"record={self.ctx.layout.access[named.id].code([])}"]

    def v_write(self, s: Statement) -> None:
        r = self.reader(s.operands)
        record = r.next()
        name = self._record_file(record)
        args = self._record_arg(name, record)
        while not r.done():
            if r.accept("FROM"):
                args.append(f"from_={r.operand().code}")
            elif r.peek() in ("BEFORE", "AFTER"):
                when = r.next()
                r.accept("ADVANCING")
                if r.accept("PAGE"):
                    args.append(f"advancing=({when!r}, 'PAGE')")
                else:
                    lines = r.value_or_expression()
                    r.accept("LINES", "LINE")
                    args.append(f"advancing=({when!r}, index({lines.value()}))")
            else:
                raise TranslateError(f"WRITE ... {r.peek()} is not supported")
        call = f"{self._file(name)}.write({', '.join(args)})"
        self._outcome(s, call, "ok", "invalid_key", "INVALID KEY")

    def v_rewrite(self, s: Statement) -> None:
        r = self.reader(s.operands)
        record = r.next()
        name = self._record_file(record)
        args = self._record_arg(name, record)
        if r.accept("FROM"):
            args.append(f"from_={r.operand().code}")
        if not r.done():
            raise TranslateError(f"REWRITE ... {r.peek()} is not supported")
        self._outcome(s, f"{self._file(name)}.rewrite({', '.join(args)})", "ok",
                      "invalid_key", "INVALID KEY")

    def v_delete(self, s: Statement) -> None:
        tokens = [t for t in s.operands if t != "RECORD"]
        if len(tokens) != 1:
            raise TranslateError("DELETE file [RECORD]")
        self._outcome(s, f"{self._file(tokens[0])}.delete()", "ok", "invalid_key",
                      "INVALID KEY")

    def v_start(self, s: Statement) -> None:
        r = self.reader(s.operands)
        name = r.next()
        args = []
        if r.accept("KEY"):
            found = r._relop_at(r.i)
            if found is None:
                raise TranslateError("START KEY needs a relation")
            r.i += found[1]
            args.append(f"{found[0].replace('==', '=')!r}")
            args.append(f"key={r.identifier().code}")
        if not r.done():
            raise TranslateError(f"START ... {r.peek()} is not supported")
        self._outcome(s, f"{self._file(name)}.start({', '.join(args)})", "ok", "invalid_key",
                      "INVALID KEY")

    # -- SORT ------------------------------------------------------------------------------
    def v_sort(self, s: Statement) -> None:
        r = self.reader(s.operands)
        name = r.next()
        if name not in self.ctx.sort_files:
            raise TranslateError(f"{name} is not a sort file (SD)")
        keys = []
        while r.accept("ON") or r.peek() in ("ASCENDING", "DESCENDING"):
            ascending = r.next() == "ASCENDING"
            r.accept("KEY")
            r.accept("IS")
            while r.is_identifier_start():
                keys.append(f"({ascending}, {r.identifier().code})")
                r.skip_commas()
        if r.accept("WITH"):
            r.expect("DUPLICATES")
            r.accept("IN")
            r.accept("ORDER")
        if r.peek() == "COLLATING":
            raise TranslateError("SORT ... COLLATING SEQUENCE is not supported")
        attribute = f"self.{_file_attribute(name)}"
        record = self._sort_record(name)
        self.emit(f"{attribute} = SortFile({record}, [{', '.join(keys)}])")
        using: list[str] = []
        giving: list[str] = []
        if r.accept("USING"):
            while not r.done() and r.peek() not in ("GIVING", "OUTPUT"):
                using.append(self._file(r.next()))
                r.skip_commas()
        elif r.accept("INPUT"):
            r.expect("PROCEDURE")
            r.accept("IS")
            self.emit(self._procedure_call(r))
        else:
            raise TranslateError("SORT needs USING or INPUT PROCEDURE")
        if using:
            self.emit(f"{attribute}.using([{', '.join(using)}])")
        self.emit(f"{attribute}.sort()")
        if r.accept("GIVING"):
            while not r.done():
                giving.append(self._file(r.next()))
                r.skip_commas()
            self.emit(f"{attribute}.giving([{', '.join(giving)}])")
        elif r.accept("OUTPUT"):
            r.expect("PROCEDURE")
            r.accept("IS")
            self.emit(self._procedure_call(r))
        else:
            raise TranslateError("SORT needs GIVING or OUTPUT PROCEDURE")
        self.emit("self.registers.sort_return.set(0)")

    def _procedure_call(self, r: Reader) -> str:
        tokens = list(r.tokens)
        first, i = self.procedure(tokens, r.i)
        last = None
        if i < len(tokens) and tokens[i].upper() in ("THRU", "THROUGH"):
            last, i = self.procedure(tokens, i + 1)
        r.i = i
        return f"self.perform({first!r}" + (f", {last!r})" if last else ")")

    def _sort_record(self, name: str) -> str:
        for record, file in self.ctx.record_file.items():
            if file == name:
                item = self.ctx.program.data_item(record)
                if item is not None:
                    return self.ctx.layout.access[item.id].code([])
        raise TranslateError(f"sort file {name} has no record")

    def v_merge(self, s: Statement) -> None:
        """MERGE of files already in key order: a stable sort of their records one file
        after the other gives the merge, ties in the order the files are named."""
        if "INPUT" in s.operands:
            raise TranslateError("MERGE has no INPUT PROCEDURE")
        self.v_sort(s)

    def v_release(self, s: Statement) -> None:
        r = self.reader(s.operands)
        name = self._record_file(r.next())
        args = ""
        if r.accept("FROM"):
            args = f"from_={r.operand().code}"
        self.emit(f"self.{_file_attribute(name)}.release({args})")

    def v_return(self, s: Statement) -> None:
        r = self.reader(s.operands)
        name = r.next()
        if name not in self.ctx.sort_files:
            raise TranslateError(f"RETURN {name}: not a sort file")
        r.accept("RECORD")
        args = ""
        if r.accept("INTO"):
            args = f"into={r.identifier().code}"
        if not r.done():
            raise TranslateError(f"RETURN ... {r.peek()} is not supported")
        call = f"self.{_file_attribute(name)}.return_({args})"
        on_end = self.branch(s, "AT END")
        not_end = self.branch(s, "NOT AT END")
        if on_end is None and not_end is None:
            self.emit(call)
            return
        result = self.temp("outcome")
        self.emit(f"{result} = {call}")
        self.emit(f"if {result} == 'at_end':")
        self.block(on_end or ())
        if not_end is not None:
            self.emit("else:")
            self.block(not_end)

    # -- CALL ------------------------------------------------------------------------------
    def v_call(self, s: Statement) -> None:
        r = self.reader(s.operands)
        target = r.operand()
        if target.kind not in ("text", "item"):
            raise TranslateError("CALL needs a literal or a data item")
        arguments = []
        mode = "REFERENCE"
        if r.accept("USING"):
            while not r.done() and r.peek() not in ("RETURNING", "GIVING"):
                if r.accept("BY"):
                    mode = r.next()
                    continue
                if r.peek() in ("REFERENCE", "CONTENT", "VALUE"):
                    mode = r.next()
                    continue
                operand = r.operand()
                if mode == "REFERENCE":
                    if operand.kind != "item":
                        raise TranslateError("CALL BY REFERENCE of a literal")
                    arguments.append(operand.code)
                elif mode == "CONTENT":
                    arguments.append(f"by_content({operand.code})")
                elif operand.kind == "item" and operand.item is not None and \
                        operand.item.usage in ("COMP-5", "COMP", "BINARY"):
                    # BY VALUE between COBOL programs of binary items: the callee gets the
                    # value in an item of the same size, as a copy (GnuCOBOL 3.1.2)
                    arguments.append(f"by_content({operand.code})")
                else:
                    raise TranslateError("CALL ... BY VALUE of a non-binary item or a literal "
                                         "is not supported")
                r.skip_commas()
        if not r.done():
            raise TranslateError(f"CALL ... {r.peek()} is not supported")
        call = f"self.call({target.code}, [{', '.join(arguments)}])"
        on_error = self.branch(s, "ON EXCEPTION") or self.branch(s, "ON OVERFLOW")
        not_error = self.branch(s, "NOT ON EXCEPTION")
        if on_error is None and not_error is None:
            self.emit(f"if not {call}:")
            self.emit(f"    program_not_found({target.code})")
            return
        found = self.temp("found")
        self.emit(f"{found} = {call}")
        if on_error is not None:
            self.emit(f"if not {found}:")
            self.block(on_error)
            if not_error is not None:
                self.emit("else:")
                self.block(not_error)
        else:  # NOT ON EXCEPTION alone: a missing program still stops the run
            self.emit(f"if not {found}:")
            self.emit(f"    program_not_found({target.code})")
            for inner in not_error or ():
                self.statement(inner)

    def v_cancel(self, s: Statement) -> None:
        r = self.reader(s.operands)
        while not r.done():
            self.emit(f"self.cancel({r.operand().code})")
            r.skip_commas()

    # -- STRING, UNSTRING, INSPECT ---------------------------------------------------------
    def v_string(self, s: Statement) -> None:
        r = self.reader(s.operands)
        sources: list[str] = []
        pending: list[str] = []
        while not r.done() and r.peek() != "INTO":
            if r.accept("DELIMITED"):
                r.accept("BY")
                delimiter = "None" if r.accept("SIZE") else r.operand().code
                sources += [f"Delimited({p}{'' if delimiter == 'None' else ', ' + delimiter})"
                            for p in pending]
                pending = []
                continue
            pending.append(r.operand().code)
            r.skip_commas()
        sources += [f"Delimited({p})" for p in pending]
        r.expect("INTO")
        target = r.identifier()
        pointer = ""
        if r.accept("WITH") or r.peek() == "POINTER":
            r.expect("POINTER")
            pointer = f", pointer={r.identifier().code}"
        if not r.done():
            raise TranslateError(f"STRING ... {r.peek()} is not supported")
        call = f"string_into({target.code}, [{', '.join(sources)}]{pointer})"
        self._overflow(s, call)

    def _overflow(self, s: Statement, call: str) -> None:
        on_overflow = self.branch(s, "ON OVERFLOW")
        not_overflow = self.branch(s, "NOT ON OVERFLOW")
        if on_overflow is None and not_overflow is None:
            self.emit(call)
            return
        flag = self.temp("overflow")
        self.emit(f"{flag} = {call}")
        if on_overflow is not None:
            self.emit(f"if {flag}:")
            self.block(on_overflow)
            if not_overflow is not None:
                self.emit("else:")
                self.block(not_overflow)
        else:
            self.emit(f"if not {flag}:")
            self.block(not_overflow or ())

    def v_unstring(self, s: Statement) -> None:
        r = self.reader(s.operands)
        source = r.operand()
        if source.kind == "text":  # a literal source (GnuCOBOL allows it)
            source = Operand(f"as_item({source.code})", "item")
        elif source.kind != "item":
            raise TranslateError("UNSTRING needs a data item to split")
        delimiters = []
        if r.accept("DELIMITED"):
            r.accept("BY")
            while True:
                every = r.accept("ALL")
                delimiters.append(f"({r.operand().code}, {every})")
                if not r.accept("OR"):
                    break
        r.expect("INTO")
        targets = []
        while not r.done() and r.peek() not in ("WITH", "POINTER", "TALLYING"):
            target = r.identifier()
            extra = ""
            if r.accept("DELIMITER"):
                r.accept("IN")
                extra += f", delimiter_in={r.identifier().code}"
            if r.accept("COUNT"):
                r.accept("IN")
                extra += f", count_in={r.identifier().code}"
            targets.append(f"UnstringInto({target.code}{extra})")
            r.skip_commas()
        options = ""
        if r.accept("WITH") or r.peek() == "POINTER":
            r.expect("POINTER")
            options += f", pointer={r.identifier().code}"
        if r.accept("TALLYING"):
            r.accept("IN")
            options += f", tallying={r.identifier().code}"
        if not r.done():
            raise TranslateError(f"UNSTRING ... {r.peek()} is not supported")
        call = (f"unstring({source.code}, [{', '.join(delimiters)}], "
                f"[{', '.join(targets)}]{options})")
        self._overflow(s, call)

    def _region(self, r: Reader) -> str:
        parts = []
        while r.peek() in ("BEFORE", "AFTER"):
            which = r.next().lower()
            r.accept("INITIAL")
            parts.append(f"{which}={r.operand().code}")
        if len(parts) == 2 and parts[0].startswith("before"):
            parts.append("before_first=True")  # applied in the order written
        return f", Region({', '.join(parts)})" if parts else ""

    def v_inspect(self, s: Statement) -> None:
        r = self.reader(s.operands)
        source = r.identifier()
        if r.accept("TALLYING"):
            tallies = []
            while not r.done() and r.peek() != "REPLACING":
                counter = r.identifier()
                r.expect("FOR")
                while not r.done() and r.peek() != "REPLACING" and not (
                        r.is_identifier_start() and r.peek(1) == "FOR"):
                    if r.accept("CHARACTERS"):
                        tallies.append(f"Tally({counter.code}, 'CHARACTERS', None"
                                       f"{self._region(r)})")
                        continue
                    mode = r.next()
                    if mode not in ("ALL", "LEADING"):
                        raise TranslateError(f"INSPECT TALLYING ... {mode}")
                    while True:
                        pattern = r.operand()
                        tallies.append(f"Tally({counter.code}, {mode!r}, {pattern.code}"
                                       f"{self._region(r)})")
                        if r.done() or r.peek() in ("ALL", "LEADING", "CHARACTERS",
                                                    "REPLACING") or (
                                r.is_identifier_start() and r.peek(1) == "FOR"):
                            break
                r.skip_commas()
            self.emit(f"inspect_tallying({source.code}, [{', '.join(tallies)}])")
        if r.accept("REPLACING"):
            replaces = []
            while not r.done():
                if r.accept("CHARACTERS"):
                    r.expect("BY")
                    by = r.operand()
                    replaces.append(f"Replace('CHARACTERS', None, {by.code}{self._region(r)})")
                    continue
                mode = r.next()
                if mode not in ("ALL", "LEADING", "FIRST"):
                    raise TranslateError(f"INSPECT REPLACING ... {mode}")
                while True:
                    pattern = r.operand()
                    r.expect("BY")
                    by = r.operand()
                    replaces.append(f"Replace({mode!r}, {pattern.code}, {by.code}"
                                    f"{self._region(r)})")
                    if r.done() or r.peek() in ("ALL", "LEADING", "FIRST", "CHARACTERS"):
                        break
            self.emit(f"inspect_replacing({source.code}, [{', '.join(replaces)}])")
            return
        if r.accept("CONVERTING"):
            from_ = r.operand()
            r.expect("TO")
            to = r.operand()
            self.emit(f"inspect_converting({source.code}, {from_.code}, {to.code}"
                      f"{self._region(r)})")
        if not r.done():
            raise TranslateError(f"INSPECT ... {r.peek()} is not supported")

    # -- SEARCH ----------------------------------------------------------------------------
    def v_search(self, s: Statement) -> None:
        r = self.reader(s.operands)
        every = r.accept("ALL")
        table_name = r.next()
        item = self.ctx.program.data_item(table_name)
        if item is None or not item.occurs_max:
            raise TranslateError(f"SEARCH {table_name}: not a table")
        if not item.indexed_by:
            raise TranslateError(f"SEARCH {table_name}: the table has no INDEXED BY")
        index_code = f"self.{self.ctx.layout.index_names[item.indexed_by[0]]}"
        varying = None
        if r.accept("VARYING"):
            if r.peek() in item.indexed_by:  # one of the table's own indexes: the one used
                index_code = f"self.{self.ctx.layout.index_names[r.next()]}"
            else:
                varying = r.identifier()
        if not r.done():
            raise TranslateError(f"SEARCH ... {r.peek()} is not supported")
        count = str(item.occurs_max)
        if item.depending_on:
            count = f"index({self.reader([item.depending_on]).identifier().code})"
        whens = [b for b in s.branches if b.phrase == "WHEN"]
        at_end = self.branch(s, "AT END")
        if every:
            self._search_all(item, index_code, count, whens, at_end)
            return
        self.emit("while True:")
        self.depth += 1
        # GnuCOBOL ends the search only past the last occurrence; below the first one it
        # steps on (its WHENs would read storage outside the table: they are not tested)
        self.emit(f"if index({index_code}) > {count}:")
        self.block(at_end or ())
        self.emit("    break")
        if whens:
            self.emit(f"if index({index_code}) >= 1:")
        self.depth += 1
        keyword = "if"
        for b in whens:
            condition = self.reader(b.operands).condition()
            self.emit(f"{keyword} {condition}:")
            self.block(b.statements)
            self.emit("    break")
            keyword = "elif"
        self.depth -= 1
        self.emit(f"{index_code} += 1")
        if varying is not None:  # GnuCOBOL sets it to the new occurrence number
            self.emit(f"{varying.code}.set({index_code})")
        self.depth -= 1

    def _search_all(self, item: DataItem, index_code: str, count: str,
                    whens: Sequence[Branch], at_end: Sequence[Statement] | None) -> None:
        """SEARCH ALL as GnuCOBOL runs it: a binary search between head 0 and tail (the
        occurrences + 1), probing (head + tail) // 2; the WHEN's ``key = value`` tests are
        made in the order of the table's KEY clauses, and the first that is not equal
        (compared value to key for a DESCENDING key) sends the search up or down. Not found,
        the index keeps the last occurrence probed."""
        if len(whens) != 1:
            raise TranslateError("SEARCH ALL takes one WHEN")
        keys = dict(item.occurs_keys)
        if not keys:
            raise TranslateError(f"SEARCH ALL {item.name}: the table has no KEY")
        r = self.reader(whens[0].operands)
        tests: dict[str, str] = {}
        while True:
            key = r.identifier()
            if key.kind == "condition":  # a condition-name of a KEY: KEY = its one value
                key, value = self._search_all_condition(key, keys, item)
            else:
                if key.kind != "item" or key.item is None or key.item.name not in keys:
                    raise TranslateError(f"SEARCH ALL: WHEN {key.code} is not a KEY = value "
                                         f"of {item.name}")
                r.accept("IS")
                if not r.accept("="):
                    r.expect("EQUAL")
                    r.accept("TO")
                value = r.value_or_expression()
            assert key.item is not None
            ascending = keys[key.item.name]
            tests[key.item.name] = f"compare({key.text_code}, {value.text_code})" if ascending \
                else f"compare({value.text_code}, {key.text_code})"
            if not r.accept("AND"):
                break
        if not r.done():
            raise TranslateError(f"SEARCH ALL: WHEN ... {r.peek()} is not supported")
        ordered = [tests[name] for name in keys if name in tests]
        head, tail, found = self.temp("head"), self.temp("tail"), self.temp("found")
        self.emit(f"{head}, {tail} = 0, {count} + 1")
        self.emit("while True:")
        self.depth += 1
        self.emit(f"if {head} >= {tail} - 1:")
        self.block(at_end or ())
        self.emit("    break")
        self.emit(f"{index_code}.set(({head} + {tail}) // 2)")
        self.emit(f"{found} = {' or '.join(ordered)}")
        self.emit(f"if {found} == 0:")
        self.block(whens[0].statements)
        self.emit("    break")
        self.emit(f"if {found} < 0:")
        self.emit(f"    {head} = index({index_code})")
        self.emit("else:")
        self.emit(f"    {tail} = index({index_code})")
        self.depth -= 1


    def _search_all_condition(self, condition: Operand, keys: dict[str, bool],
                              table: DataItem) -> tuple[Operand, Operand]:
        """``WHEN condition-name`` of SEARCH ALL: the KEY it belongs to (same subscripts) and
        its value; cobc takes only a condition-name of one value, as ``KEY = value``."""
        layout = self.ctx.layout
        item = condition.item
        parent = layout.items.get(item.parent or "") if item is not None else None
        if item is None or parent is None or parent.name not in keys:
            raise TranslateError(f"SEARCH ALL: WHEN {condition.code} is not a condition-name "
                                 f"of a KEY of {table.name}")
        values = item.condition_values
        if len(values) != 1 or values[0].thru:
            raise TranslateError(f"SEARCH ALL: WHEN {item.name} has more than one value")
        key = Operand(layout.access[parent.id].code(list(condition.subscripts)), "item",
                      parent, subscripts=condition.subscripts)
        text = values[0].value.strip()
        if _NUMERIC_LITERAL.match(text):
            return key, Operand(layout.condition_value(text), "number", literal=text)
        return key, Operand(layout.condition_value(text), "text")


_NUMERIC_LITERAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")


class _CodeOperand(Operand):
    def __init__(self, code: str) -> None:
        super().__init__(code, "cond")


def _alphanumeric(target: Operand) -> bool:
    """Whether a receiver is a group, a reference modification or an alphanumeric or
    alphabetic elementary item."""
    from ..analysis.cobol.pic import picture_info
    item = target.item
    if target.kind != "item":
        return False
    if item is None or item.is_group:
        return True
    if not item.picture or item.usage not in ("DISPLAY", None):
        return False
    try:
        return picture_info(item.picture, item.usage).category in ("alphanumeric", "alphabetic")
    except Exception:  # noqa: BLE001 - an odd picture: leave the MOVE as it is
        return False


def _has(r: Reader, word: str) -> bool:
    return any(t.upper() == word for t in r.tokens[r.i:])


def _contains(statement: Statement, verb: str) -> bool:
    if statement.verb == verb:
        return True
    return any(_contains(inner, verb) for b in statement.branches for inner in b.statements)


def _exit_performs(statements: Sequence[Statement]) -> set[str]:
    """Which EXIT PERFORM forms (``PERFORM``, ``CYCLE``) the statements use for the inline
    PERFORM around them (those inside a nested inline PERFORM belong to that one)."""
    found: set[str] = set()
    for statement in statements:
        if statement.verb == "EXIT" and list(statement.operands)[:1] == ["PERFORM"]:
            found.add("CYCLE" if list(statement.operands)[1:] == ["CYCLE"] else "PERFORM")
        if statement.verb == "PERFORM" and any(b.phrase == "BODY" for b in statement.branches):
            continue
        for b in statement.branches:
            found |= _exit_performs(b.statements)
    return found


def _file_attribute(name: str) -> str:
    return "file_" + python_name(name)


_SUPPRESS_CHARACTERS = {
    "SPACE": b" ", "SPACES": b" ", "ZERO": b"0", "ZEROS": b"0", "ZEROES": b"0",
    "LOW-VALUE": b"\x00", "LOW-VALUES": b"\x00", "HIGH-VALUE": b"\xff",
    "HIGH-VALUES": b"\xff", "QUOTE": b'"', "QUOTES": b'"',
}


def alternate_keys_code(file: FileDef, layout: Layout) -> str:
    """The ``alternate_keys=`` argument of the file's ``CobolFile`` (``''`` when it has
    none): each ALTERNATE RECORD KEY as ``(field, duplicates[, suppress character])``.
    Raises TranslateError for a key that is not a field the program can reach, or a SUPPRESS
    WHEN value that is not one character (a figurative constant, ``[ALL] 'c'``)."""
    keys = []
    for alternate in file.alternate_keys:
        field_code = Reader([alternate.name], layout).identifier().code
        suppress = ""
        if alternate.suppress:
            value = alternate.suppress.removeprefix("ALL ").strip()
            character = _SUPPRESS_CHARACTERS.get(value.upper())
            if character is None and value[:1] in ("'", '"') and value[-1:] == value[:1]:
                text = value[1:-1].replace(value[0] * 2, value[0])
                if len(text) == 1 and ord(text) < 256:
                    character = text.encode("latin-1")
            if character is None:
                raise TranslateError(f"SUPPRESS WHEN {alternate.suppress} (one character, "
                                     "repeated, is supported)")
            suppress = f", {character!r}"
        keys.append(f"({field_code}, {alternate.duplicates!r}{suppress})")
    return f"alternate_keys=({', '.join(keys)},)" if keys else ""


def file_attribute(name: str) -> str:
    return _file_attribute(name)


def _corresponding_pairs(layout: Layout, source: DataItem, target: DataItem, *,
                         numeric: bool = False) -> list[tuple[DataItem, DataItem]]:
    def names(group: DataItem) -> dict[str, DataItem]:
        out = {}
        for child in layout.children.get(group.id, []):
            if child.level in (66, 88) or child.name == "FILLER" or child.redefines or \
                    child.occurs_max:
                continue
            out[child.name] = child
        return out

    pairs = []
    source_children, target_children = names(source), names(target)
    for name, a in source_children.items():
        b = target_children.get(name)
        if b is None:
            continue
        if a.is_group and b.is_group:
            pairs += _corresponding_pairs(layout, a, b, numeric=numeric)
        elif not numeric or (Operand("", "item", a).numeric and Operand("", "item", b).numeric):
            pairs.append((a, b))
    return pairs


def _digits(operand: Operand) -> int:
    """The digits an arithmetic operand may hold (99 when the translator cannot tell)."""
    if operand.kind == "number" and operand.literal:
        return sum(c.isdigit() for c in operand.literal)
    if operand.kind == "item" and operand.item is not None and operand.item.digits is not None:
        return operand.item.digits  # the model's, from the picture and usage
    return 99
