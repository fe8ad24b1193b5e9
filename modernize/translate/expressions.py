"""COBOL operands, arithmetic expressions and conditions as Python code over the runtime.

A statement's operands are tokens (see :mod:`modernize.analysis.cobol.statements`); this module
reads them: identifiers with qualification (``A OF B``), subscripts and reference modification,
literals, figurative constants, special registers, intrinsic functions, arithmetic
expressions, and conditions with COBOL's abbreviated combined relations (``A = 1 OR 2``,
``A > B AND NOT < C``), class, sign and condition-name tests.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from ..core.model import DataItem
from .data import FIGURATIVE_CODE, Layout, literal_code

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")
_COMMA_NUMBER = re.compile(r"^[+-]?\d*,\d+$")
_ARITHMETIC_OPERATORS = ("+", "-", "*", "/", "**")
_RELOPS = {"=": "==", ">": ">", "<": "<", ">=": ">=", "<=": "<=", "<>": "!="}
_NEGATED = {"==": "!=", "!=": "==", ">": "<=", "<": ">=", ">=": "<", "<=": ">"}
_MIRRORED = {"==": "==", "!=": "!=", ">": "<", "<": ">", ">=": "<=", "<=": ">="}
_CLASSES = {"NUMERIC": "is_numeric", "ALPHABETIC": "is_alphabetic",
            "ALPHABETIC-LOWER": "is_alphabetic_lower", "ALPHABETIC-UPPER": "is_alphabetic_upper"}
_SIGNS = {"POSITIVE": "is_positive", "NEGATIVE": "is_negative", "ZERO": "is_zero"}
_SPECIAL = {"RETURN-CODE": "self.registers.return_code",
            "SORT-RETURN": "self.registers.sort_return", "TALLY": "self.registers.tally"}


class TranslateError(Exception):
    """An operand or condition the translator cannot read (becomes an unsupported statement)."""


@dataclass(frozen=True)
class Operand:
    """Python code for an operand, and what it is: ``item`` (an Item), ``condition`` (an 88),
    ``number`` (a numeric literal or arithmetic value), ``text`` (an alphanumeric literal),
    ``figurative``."""

    code: str
    kind: str
    item: DataItem | None = None
    literal: str | None = None  # a numeric literal as written
    subscripts: tuple[str, ...] = ()  # an identifier's subscripts, as code
    length: int | None = None  # a reference modification's constant length

    @property
    def text_code(self) -> str:
        """Code for the operand in a nonnumeric comparison: an unsigned integer literal written
        with leading zeros gives its digits as written (``090109`` is six characters)."""
        if self.kind == "number" and self.literal and self.literal.isdigit() and \
                self.literal[0] == "0" and len(self.literal) > 1:
            return repr(self.literal)
        return self.code

    @property
    def numeric(self) -> bool:
        if self.kind == "number":
            return True
        if self.kind == "item" and self.item is not None:
            if self.item.usage == "INDEX" and not self.item.is_group:
                return True
            return self.item.picture is not None and not self.item.is_group and \
                _numeric_picture(self.item)
        return self.kind == "register"

    def value(self) -> str:
        """Code for the operand's numeric value (a Decimal or int)."""
        if self.kind == "number":
            return self.code
        if self.kind == "item" and self.numeric:
            return f"{self.code}.get()"
        if self.kind in ("item", "register"):
            return f"number({self.code})"
        if self.kind == "figurative" and self.code == "ZEROS":
            return "0"
        raise TranslateError(f"{self.code} is not a number")


def _exact_value(operand: Operand) -> str:
    """Code for a compared operand's value: an arithmetic expression is worked out as COMPUTE
    works it out (``value_of``: exact, not in Python's 28-digit default context, which
    rounds the low-order digits of a longer value away)."""
    if operand.kind == "number" and operand.literal is None:
        return f"value_of(lambda: {operand.code})"
    return number_code(operand)  # an int compares with any number exactly


class _NotIntegers(TranslateError):
    """The expression is not one of integers only (see Reader.integer_arithmetic)."""


_INTEGER_LITERAL = re.compile(r"^-?\d+$")


def _integer_value(operand: Operand) -> str:
    """Code for an operand's value as a Python int, when it has no decimals."""
    if operand.kind == "number" and operand.literal is not None and \
            _INTEGER_LITERAL.match(operand.code):
        return operand.code
    if _integer_item(operand):
        return number_code(operand)
    raise _NotIntegers


def integer_code(operand: Operand) -> str | None:
    """Code for an operand's value as a Python int (an integer literal, a numeric item
    without decimals), or None when it may have decimals."""
    try:
        return _integer_value(operand)
    except _NotIntegers:
        return None


def number_code(operand: Operand) -> str:
    """Code for an operand's numeric value: an int for an item without decimals (read in
    integers), else the Decimal (or int) :meth:`Operand.value` gives."""
    return f"{operand.code}.integer()" if _integer_item(operand) else operand.value()


def _integer_item(operand: Operand) -> bool:
    """Whether the operand is a numeric item without decimals (or P positions): a register
    (an index name, RETURN-CODE, SORT-RETURN, TALLY: binary integers) is one."""
    item = operand.item
    return operand.kind == "register" or operand.kind == "item" and item is not None and \
        operand.numeric and operand.length is None and \
        (item.usage == "INDEX" or _scale(item) == 0)


def _scale(item: DataItem) -> int | None:
    from ..analysis.cobol.pic import picture_info
    try:
        return picture_info(item.picture, item.usage).scale
    except Exception:  # noqa: BLE001 - an odd picture: not read as an integer
        return None


def _numeric_picture(item: DataItem) -> bool:
    from ..analysis.cobol.pic import picture_info
    try:
        return picture_info(item.picture, item.usage).category == "numeric"
    except Exception:  # noqa: BLE001 - an odd picture is simply not numeric here
        return False


def split_tokens(tokens: tuple[str, ...] | list[str]) -> list[str]:
    """Operand tokens with ``a:b`` (reference modification, one word to the tokenizer) split
    and commas and semicolons dropped outside of literals where they are only separators."""
    out: list[str] = []
    for tok in tokens:
        if tok[:1] in ("'", '"') or tok[:2].upper() in ("X'", 'X"', "Z'", "N'"):
            out.append(tok)
        elif ":" in tok and tok != ":":
            pieces = tok.split(":")
            for i, piece in enumerate(pieces):
                if piece:
                    out.append(piece)
                if i < len(pieces) - 1:
                    out.append(":")
        else:
            out.append(tok)
    return out


def comma_number(tok: str) -> str:
    """Under DECIMAL-POINT IS COMMA a numeric literal's decimal point is ``,`` (``9116,44``;
    the tokens keep a ``,`` with a space after it apart, as a separator): the same number
    written with ``.``, as the rest of the translator reads numbers."""
    return tok.replace(",", ".") if _COMMA_NUMBER.match(tok) else tok


def is_literal(tok: str) -> bool:
    return tok[:1] in ("'", '"') or tok[:2].upper() in ("X'", 'X"')


class Reader:
    """A cursor over one statement's operand tokens."""

    def __init__(self, tokens: list[str] | tuple[str, ...], layout: Layout) -> None:
        self.tokens = split_tokens(tokens)
        if layout.program.decimal_point_comma:
            self.tokens = [comma_number(tok) for tok in self.tokens]
        self.i = 0
        self.layout = layout
        self.by_name = layout.by_name
        self.integers = False  # reading an expression of integers only (integer_arithmetic)

    # -- cursor ----------------------------------------------------------------------------
    def peek(self, offset: int = 0) -> str:
        j = self.i + offset
        return self.tokens[j].upper() if j < len(self.tokens) and not is_literal(
            self.tokens[j]) else (self.tokens[j] if j < len(self.tokens) else "")

    def next(self) -> str:
        tok = self.peek()
        self.i += 1
        return tok

    def accept(self, *words: str) -> bool:
        if self.peek() in words:
            self.i += 1
            return True
        return False

    def expect(self, word: str) -> None:
        if not self.accept(word):
            raise TranslateError(f"expected {word}, found {self.peek() or 'the end'}")

    def done(self) -> bool:
        while self.peek() in (",", ";"):
            self.i += 1
        return self.i >= len(self.tokens)

    def skip_commas(self) -> None:
        while self.peek() in (",", ";"):
            self.i += 1

    # -- identifiers -----------------------------------------------------------------------
    def resolve(self, name: str, qualifiers: list[str]) -> DataItem:
        candidates = self.by_name.get(name, [])
        if qualifiers:
            candidates = [c for c in candidates if self._qualified_by(c, qualifiers)]
        if not candidates:
            raise TranslateError(f"unknown data item {' OF '.join([name, *qualifiers])}")
        if len(candidates) > 1:
            # COBOL allows it when unambiguous by level; prefer one that is not a FILLER child
            raise TranslateError(f"ambiguous reference to {name}: qualify it")
        return candidates[0]

    def _qualified_by(self, item: DataItem, qualifiers: list[str]) -> bool:
        ancestors = self.layout.ancestors(item)
        position = 0
        for qualifier in qualifiers:
            try:
                position = ancestors.index(qualifier, position) + 1
            except ValueError:
                return False
        return True

    def is_identifier_start(self) -> bool:
        tok = self.peek()
        return bool(tok) and not is_literal(tok) and (tok in self.by_name or tok in _SPECIAL
                                                      or tok in self.layout.index_names)

    def identifier(self) -> Operand:
        """``name [OF q]... [(subscripts)] [(start:length)]``."""
        name = self.next()
        if name in _SPECIAL:
            return Operand(_SPECIAL[name], "register")
        if name in self.layout.index_names:
            return Operand(f"self.{self.layout.index_names[name]}", "register")
        qualifiers: list[str] = []
        while self.peek() in ("OF", "IN") and self.peek(1) not in ("",):
            self.i += 1
            qualifiers.append(self.next())
        item = self.resolve(name, qualifiers)
        access = self.layout.access.get(item.id)
        if access is None:
            raise TranslateError(f"{name} cannot be referenced (no storage of its own)")
        subscripts: list[str] = []
        if access.occurs and self.peek() == "(":
            subscripts = self._subscripts()
        if len(subscripts) != access.occurs:
            raise TranslateError(f"{name} takes {access.occurs} subscript(s), "
                                 f"{len(subscripts)} given")
        code = access.code(subscripts)
        kind = "condition" if item.level == 88 else "item"
        if self.peek() == "(" and kind == "item":
            code, length = self._refmod(code)
            return Operand(code, "item", None, length=length)
        return Operand(code, kind, item, subscripts=tuple(subscripts))

    def _subscripts(self) -> list[str]:
        self.expect("(")
        out = []
        while self.peek() != ")":
            if self.done():
                raise TranslateError("unclosed subscript")
            out.append(f"index({self._subscript()})")
            self.skip_commas()
        self.expect(")")
        return out

    def _subscript(self) -> str:
        """A subscript's code: a numeric item on its own is given as the item (``index``
        reads it in integers, without making a Decimal); else the arithmetic expression."""
        start = self.i
        if self.peek() not in ("(", "+", "-"):
            operand = self.operand()
            if operand.kind in ("item", "register") and operand.numeric and \
                    self.peek() not in _ARITHMETIC_OPERATORS:
                return operand.code
            self.i = start
        return self.arithmetic()

    def _refmod(self, code: str) -> tuple[str, int | None]:
        """``code`` reference-modified, and its length when the source gives it as a
        constant (then start and length are plain numbers in the code)."""
        self.expect("(")
        start = self.arithmetic()
        self.expect(":")
        length = None
        if self.peek() != ")":
            length = self.arithmetic()
        self.expect(")")
        if length is None:
            return f"{code}.ref(index({start}))", None
        if start.isdigit() and length.isdigit():
            return f"{code}.ref({int(start)}, {int(length)})", int(length)
        return f"{code}.ref(index({start}), index({length}))", None

    # -- values ----------------------------------------------------------------------------
    def operand(self) -> Operand:
        """A value: identifier, literal, figurative constant, function, LENGTH OF."""
        tok = self.peek()
        raw = self.tokens[self.i] if self.i < len(self.tokens) else ""
        if not tok:
            raise TranslateError("an operand is missing")
        if is_literal(raw):
            self.i += 1
            return Operand(literal_code(raw), "text")
        if _NUMBER.match(tok):
            self.i += 1
            return Operand(literal_code(tok), "number", literal=tok)
        if tok == "ALL":
            self.i += 1
            literal = self.tokens[self.i]
            self.i += 1
            if literal.upper() in FIGURATIVE_CODE:
                return Operand(self.layout.figurative(literal), "figurative")
            return Operand(f"ALL({literal_code(literal)})", "figurative")
        if tok in FIGURATIVE_CODE:
            self.i += 1
            return Operand(self.layout.figurative(tok), "figurative")
        if tok == "FUNCTION":
            return self._function()
        if tok == "LENGTH" and self.peek(1) == "OF":
            self.i += 2
            target = self.identifier()
            return Operand(f"{target.code}.length", "number")
        if self.is_identifier_start():
            return self.identifier()
        raise TranslateError(f"cannot read {raw!r} as an operand")

    def _function(self) -> Operand:
        self.expect("FUNCTION")
        name = self.next()
        args: list[str] = []
        if self.peek() == "(" and not self._refmod_at(self.i):
            self.i += 1
            while self.peek() != ")":
                if self.done():
                    raise TranslateError(f"unclosed arguments of FUNCTION {name}")
                args.append(self._argument())
                self.skip_commas()
            self.i += 1
        code = f"call_function({name!r}{''.join(', ' + a for a in args)})"
        if self.peek() == "(":
            code, length = self._refmod(f"as_item({code})")
            return Operand(code, "item", length=length)
        return Operand(code, "function")

    def _refmod_at(self, j: int) -> bool:
        """Whether the parenthesis at token ``j`` opens a reference modification
        (``(start:length)``, a colon at its own depth) rather than arguments:
        ``FUNCTION CURRENT-DATE(1:4)``."""
        depth = 0
        for tok in self.tokens[j:]:
            if is_literal(tok):
                continue
            if tok == "(":
                depth += 1
            elif tok == ")":
                depth -= 1
                if depth == 0:
                    return False
            elif tok == ":" and depth == 1:
                return True
        return False

    def _argument(self) -> str:
        """One argument of an intrinsic function: an operand as it is (an item, so that
        alphanumeric and LENGTH arguments see its bytes), or an arithmetic expression (as
        the function takes it, whatever expression the function stands in)."""
        integers, self.integers = self.integers, False
        try:
            return self._argument_code()
        finally:
            self.integers = integers

    def _argument_code(self) -> str:
        if self.peek() in ("LEADING", "TRAILING"):
            return repr(self.next())
        start = self.i
        if self.peek() not in ("(", "+", "-") or _NUMBER.match(self.peek()):
            try:
                operand = self.operand()
                if self.peek() not in ("+", "-", "*", "/", "**"):
                    return operand.code
            except TranslateError:
                pass
            self.i = start
        try:
            return self.arithmetic()
        except TranslateError:
            self.i = start
            return self.operand().code

    # -- arithmetic ------------------------------------------------------------------------
    def arithmetic(self) -> str:
        """An arithmetic expression as Python code giving a Decimal (or int)."""
        left = self._term()
        while self.peek() in ("+", "-"):
            op = self.next()
            left = f"{left} {op} {self._term()}"
        return left

    def integer_arithmetic(self) -> str | None:
        """An arithmetic expression of integers only, as Python int arithmetic: items without
        decimals (read with ``integer()``), integer literals, ``+ - *`` and parentheses;
        exact as the decimal form is, without a decimal context. None (the cursor where it
        was) for any other expression: a division, a power, a function, a decimal."""
        start = self.i
        self.integers = True
        try:
            return self.arithmetic()
        except _NotIntegers:
            self.i = start
            return None
        finally:
            self.integers = False

    def _term(self) -> str:
        left = self._power()
        while self.peek() in ("*", "/"):
            if self.integers and self.peek() == "/":
                raise _NotIntegers
            op = self.next()
            left = f"{dividend_code(left) if op == '/' else left} {op} {self._power()}"
        return left

    def _power(self) -> str:
        base = self._unary()
        if self.peek() == "**":
            if self.integers:
                raise _NotIntegers
            self.i += 1
            return f"power({base}, {self._power()})"
        return base

    def _unary(self) -> str:
        if self.peek() in ("+", "-"):
            op = self.next()
            inner = self._unary()
            return f"-({inner})" if op == "-" else inner
        if self.peek() == "(":
            self.i += 1
            inner = self.arithmetic()
            self.expect(")")
            return f"({inner})"
        operand = self.operand()
        if self.integers:
            return _integer_value(operand)
        if operand.kind == "function":
            return f"number({operand.code})"
        return operand.value()

    def value_or_expression(self) -> Operand:
        """An operand, or an arithmetic expression when operators follow."""
        start = self.i
        if self.peek() in ("(", "+", "-") and not _NUMBER.match(self.peek()):
            return Operand(self.arithmetic(), "number")
        operand = self.operand()
        if self.peek() in ("+", "-", "*", "/", "**"):
            self.i = start
            return Operand(self.arithmetic(), "number")
        return operand

    # -- conditions ------------------------------------------------------------------------
    def condition(self) -> str:
        self._subject: Operand | None = None
        self._relop: str | None = None
        return self._or()

    def _or(self) -> str:
        parts = [self._and()]
        while self.accept("OR"):
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else "(" + " or ".join(parts) + ")"

    def _and(self) -> str:
        parts = [self._not()]
        while self.accept("AND"):
            parts.append(self._not())
        return parts[0] if len(parts) == 1 else "(" + " and ".join(parts) + ")"

    def _not(self) -> str:
        if self.peek() == "NOT" and self._relop_at(self.i + 1) is None:
            self.i += 1
            return f"not {self._not()}"
        return self._primary()

    def _relop_at(self, j: int) -> tuple[str, int] | None:
        """A relational operator at token j: (python operator, number of tokens)."""
        words = [self.tokens[k].upper() if k < len(self.tokens) else "" for k in range(j, j + 6)]
        n = 0
        if words[n] == "IS":
            n += 1
        negate = False
        if words[n] == "NOT":
            negate, n = True, n + 1
        op = None
        if words[n] in _RELOPS:
            op, n = _RELOPS[words[n]], n + 1
        elif words[n] in ("EQUAL", "EQUALS"):
            op, n = "==", n + 1 + (words[n + 1] == "TO")
        elif words[n] in ("GREATER", "LESS"):
            base = ">" if words[n] == "GREATER" else "<"
            n += 1
            if words[n] == "THAN":
                n += 1
            if words[n] == "OR" and words[n + 1] == "EQUAL":
                base += "="
                n += 2 + (words[n + 2] == "TO")
            op = base
        if op is None:
            return None
        return (_NEGATED[op] if negate else op), n

    def _primary(self) -> str:
        found = self._relop_at(self.i)
        if found is not None and self._subject is not None:
            # abbreviated: the subject carries over (`A > 1 AND < 5`)
            self.i += found[1]
            self._relop = found[0]
            return self._relation(self._subject, found[0], self.value_or_expression())
        if self.peek() == "(":
            start = self.i
            try:
                self.i += 1
                saved = (self._subject, self._relop)
                inner = self._or()
                self.expect(")")
                if self._relop_at(self.i) is None and self.peek() not in (
                        "+", "-", "*", "/", "**"):
                    return f"({inner})"
                self._subject, self._relop = saved
            except TranslateError:
                pass
            self.i = start
        switch = self.layout.switch_conditions.get(self.peek())
        if switch is not None and self.peek() not in self.by_name:
            # a SPECIAL-NAMES ON/OFF STATUS condition-name
            self.i += 1
            test = f"switch_status({switch[0]})"
            return test if switch[1] else f"not {test}"
        left = self.value_or_expression()
        found = self._relop_at(self.i)
        if found is not None:
            self.i += found[1]
            self._subject, self._relop = left, found[0]
            return self._relation(left, found[0], self.value_or_expression())
        negate = False
        j = self.i
        if self.peek() == "IS":
            j += 1
        if j < len(self.tokens) and self.tokens[j].upper() == "NOT":
            negate, j = True, j + 1
        word = self.tokens[j].upper() if j < len(self.tokens) else ""
        if word in _CLASSES or (word in _SIGNS and left.kind != "condition"):
            self.i = j + 1
            function = _CLASSES.get(word) or _SIGNS[word]
            argument = left.code if word in _CLASSES or left.kind != "number" else left.code
            test = f"{function}({argument})"
            return f"not {test}" if negate else test
        characters = self.layout.class_characters.get(word)
        if characters is not None and left.kind == "item":  # a SPECIAL-NAMES CLASS
            self.i = j + 1
            test = f"is_class({left.code}, {characters!r})"
            return f"not {test}" if negate else test
        if left.kind == "condition":
            return left.code  # a level-88 is a truth value: ``if record.end_of_file:``
        if self._subject is not None and self._relop is not None:
            # abbreviated: subject and operator carry over (`A = 1 OR 2`)
            return self._relation(self._subject, self._relop, left)
        raise TranslateError(f"cannot read a condition at {left.code}")

    def _relation(self, left: Operand, op: str, right: Operand) -> str:
        if left.kind == "condition" or right.kind == "condition":
            raise TranslateError("a condition name cannot be compared")
        return self.relation(left, op, right)

    def relation(self, left: Operand, op: str, right: Operand) -> str:
        """Code for ``left op right`` (op a Python comparison operator) by COBOL's rules: a
        plain Python comparison wherever it means the same, else the runtime's compare."""
        if (left.numeric or _is_zero(left)) and (right.numeric or _is_zero(right)) and \
                not (_is_zero(left) and _is_zero(right)):
            return f"{_exact_value(left)} {op} {_exact_value(right)}"
        plain = self._plain_text(left, op, right)
        if plain is not None:
            return plain
        return f"compare({left.text_code}, {right.text_code}) {op} 0"

    def _plain_text(self, left: Operand, op: str, right: Operand) -> str | None:
        """A nonnumeric comparison as a comparison of the items' text, where that is what
        COBOL does: no PROGRAM COLLATING SEQUENCE (text then orders as its bytes), an
        alphanumeric item against another (the shorter padded with spaces), a literal no
        longer than it (padded here, as COBOL pads it), or a figurative constant (= and <>
        only: the runtime's constants equal the text they fill)."""
        if self.layout.collating is not None:
            return None
        length = self._text_length(left)
        if length is None:
            length, left, right = self._text_length(right), right, left
            op = _MIRRORED[op]
        if length is None:
            return None
        other = self._text_length(right) if right.kind == "item" else None
        if other is not None:  # the shorter text padded with spaces, as COBOL pads it
            width = max(length, other)
            a = f"{left.code}.get()" + (f".ljust({width})" if length < width else "")
            b = f"{right.code}.get()" + (f".ljust({width})" if other < width else "")
            return f"{a} {op} {b}"
        if right.kind == "text":
            try:
                text = ast.literal_eval(right.code)
            except (ValueError, SyntaxError):
                return None
            if isinstance(text, bytes):
                text = text.decode("latin-1")
            if not isinstance(text, str) or len(text) > length:
                return None
            return f"{left.code}.get() {op} {text.ljust(length)!r}"
        if right.kind == "figurative" and op in ("==", "!="):
            return f"{left.code}.get() {op} {right.code}"
        return None

    def _varies(self, group: DataItem) -> bool:
        """Whether an OCCURS DEPENDING ON table lies anywhere inside ``group``."""
        return any(child.depending_on or (child.is_group and self._varies(child))
                   for child in self.layout.children.get(group.id, []))

    def _text_length(self, operand: Operand) -> int | None:
        """The length of an elementary alphanumeric item (not edited, not reference-modified)
        whose text a plain comparison may use; None for anything else."""
        item = operand.item
        if operand.kind == "item" and item is None:
            return operand.length  # reference-modified: alphanumeric, known length or None
        if operand.kind != "item" or item is None or not item.length:
            return None
        if item.is_group:  # its bytes as text, unless its length varies (DEPENDING ON)
            return None if self._varies(item) else item.length
        if self.layout.category(item) not in ("alphanumeric", "alphabetic"):
            return None
        from ..analysis.cobol.pic import expand_picture
        if set(expand_picture(item.picture or "")) & set("B0/"):
            return None  # alphanumeric-edited
        return item.length


_INTEGER_CODE = re.compile(r"^[\d\s()+*-]+$")


def dividend_code(code: str) -> str:
    """A dividend's code, as a Decimal when it is made of integer literals only (a COBOL
    quotient is decimal: ``100 / 7`` must not be a Python float)."""
    return f"Decimal({code})" if _INTEGER_CODE.match(code) else code


def _is_zero(operand: Operand) -> bool:
    return operand.kind == "figurative" and operand.code == "ZEROS"
