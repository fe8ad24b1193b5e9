"""Structured control flow: which PERFORMs can be plain method calls.

The runtime's ``self.perform(first, last)`` runs procedures from the table until ``last`` ends,
following any GO TO a procedure returns. A procedure that never transfers control (no GO TO,
no ALTERed GO TO, no EXIT SECTION: its method only ever returns None) does exactly what a
plain call of its method does, so ``PERFORM name`` becomes ``self.p_name()``, and a THRU range
or a section whose procedures all are so becomes their calls in order. Everything else keeps
the general mechanism, and the method says why in its docstring.

Works on the emitted lines of each procedure, after statement translation and before the
methods are written, so the statement emitter needs to know nothing about it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_KEY = r"""(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_PERFORM = re.compile(rf"self\.perform\(({_KEY})(?:, ({_KEY}))?\)")
_TRANSFER = re.compile(r"^\s*return (?!None$)(.*)$")
HELPERS = frozenset({"compare", "add", "subtract", "sign"})
"""The runtime's comparison and arithmetic helpers: the translator writes them only where a
plain Python comparison or ``+=`` would not mean the same (translation.json counts them)."""


@dataclass(frozen=True)
class ModuleShape:
    """What translation.json and translation.md report of a module's shape."""

    direct_calls: int  # PERFORMs written as method calls
    dispatched_performs: int  # PERFORMs left to the procedure table (self.perform)
    go_tos: int  # GO TOs kept: returns of a procedure key from a method
    lines: int  # lines of the module
    longest_method: str
    longest_method_lines: int
    helper_calls: int  # compare()/add()/subtract()/sign() calls left (plain Python elsewhere)

    @property
    def direct_share(self) -> float:
        """Direct calls among all PERFORMs (1.0 when there are none)."""
        total = self.direct_calls + self.dispatched_performs
        return self.direct_calls / total if total else 1.0


def module_shape(source: str, class_name: str, flow: ControlFlow | None) -> ModuleShape:
    """The shape of a generated module: ``flow``'s counts, its lines and its longest method
    of the program class (measured on the final text)."""
    longest, longest_lines = "", 0
    tree = ast.parse(source)
    helpers = sum(isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and
                  node.func.id in HELPERS for node in ast.walk(tree))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.end_lineno is not None:
                    length = item.end_lineno - item.lineno + 1
                    if length > longest_lines:
                        longest, longest_lines = f"{class_name}.{item.name}", length
    return ModuleShape(flow.direct if flow else 0, flow.dispatched if flow else 0,
                       flow.go_tos if flow else 0, source.count("\n") + 1, longest,
                       longest_lines, helpers)


class ControlFlow:
    """The procedures of one program in table order, ``order`` = (key, method name), with
    their emitted ``bodies`` and the section ``ranges`` (section key → its last procedure)."""

    def __init__(self, order: Sequence[tuple[str, str]], bodies: Mapping[str, list[str]],
                 ranges: Mapping[str, str]) -> None:
        self.order = list(order)
        self.method = dict(order)
        self.position = {key: i for i, (key, _) in enumerate(order)}
        self.ranges = ranges
        self.bodies = bodies
        self.transfers = {key: [m.group(1) for line in lines
                                if (m := _TRANSFER.match(line))]
                          for key, lines in bodies.items()}
        self.direct = 0
        self.dispatched = 0
        self._method_lines: dict[str, int] = {}

    # -- deciding ----------------------------------------------------------------------------
    def _span(self, first: str, last: str | None) -> list[str] | None:
        """The keys ``perform(first, last)`` runs, in order, when none of them transfers
        control; None when the general mechanism is needed."""
        end = self.ranges.get(last or first, last or first)
        if first not in self.position or end not in self.position:
            return None
        start, stop = self.position[first], self.position[end]
        if stop < start:
            return None
        keys = [key for key, _ in self.order[start:stop + 1]]
        if self.transfers.get(keys[-1]):
            return None  # the range's last procedure would leave it
        # a GO TO to the very next procedure of the range skips nothing: the calls in order
        # do the same (the classic GO TO nnnn-EXIT of a PERFORM ... THRU nnnn-EXIT)
        if any(not self._goes_only_to(key, after)
               for key, after in zip(keys, keys[1:], strict=False)):
            return None
        return keys

    def _empty(self, key: str) -> bool:
        """Whether the procedure's method does nothing (an EXIT paragraph)."""
        return all(line.strip() in ("pass", "pass  # EXIT") for line in self.bodies.get(key, ()))

    def _goes_only_to(self, key: str, successor: str) -> bool:
        """Whether every transfer of ``key`` is a GO TO ``successor``."""
        for returned in self.transfers.get(key, ()):
            try:
                target = ast.literal_eval(returned)
            except (ValueError, SyntaxError):
                return False
            if target != successor:
                return False
        return True

    def why_dispatched(self, key: str) -> str:
        """Why PERFORMs of this procedure go through the procedure table ('' when they need
        not)."""
        transfers = self.transfers.get(key)
        if not transfers:
            return ""
        targets = sorted({_describe(t) for t in transfers})
        position = self.position.get(key, -1)
        successor = self.order[position + 1][0] if 0 <= position < len(self.order) - 1 else None
        if successor is not None and self._goes_only_to(key, successor):
            return (f"{targets[0]}, the next paragraph, only ends it early: a PERFORM ... THRU "
                    f"{successor} calls it directly; any other PERFORM of it runs through the "
                    "procedure table (self.perform), which follows the GO TO.")
        return ("Transfers control (" + ", ".join(targets) + "), so a PERFORM of it runs "
                "through the procedure table (self.perform), which follows the transfer, "
                "rather than as a direct call.")

    # -- rewriting ---------------------------------------------------------------------------
    def direct_lines(self, lines: Sequence[str]) -> list[str]:
        """``lines`` with each PERFORM that can be a call written as one; counts both kinds."""
        out: list[str] = []
        for line in lines:
            stripped = line.strip()
            whole = _PERFORM.fullmatch(stripped)
            if whole:
                keys = self._span(*_keys(whole))
                if keys is not None and len(keys) > 1:
                    indent = line[:len(line) - len(line.lstrip())]
                    # an EXIT paragraph does nothing: no call for it (one call stays, so a
                    # block is never left empty)
                    keys = [key for key in keys if not self._empty(key)] or keys[:1]
                    out.extend(f"{indent}self.{self.method[key]}()" for key in keys)
                    self.direct += 1
                    continue
            out.append(_PERFORM.sub(self._call, line))
        return _without_idle_pass(out)

    def _call(self, match: re.Match[str]) -> str:
        keys = self._span(*_keys(match))
        if keys is None or len(keys) != 1:
            self.dispatched += 1
            return match.group(0)
        self.direct += 1
        return f"self.{self.method[keys[0]]}()"

    @property
    def go_tos(self) -> int:
        return sum(len(t) for t in self.transfers.values())


def _without_idle_pass(lines: list[str]) -> list[str]:
    """The lines without a ``pass`` that another statement of its block follows (a CONTINUE
    before a ``break``, say): the block is not empty without it; without an ``else:``
    whose whole block is ``pass`` (ELSE CONTINUE, WHEN OTHER CONTINUE), which does nothing;
    and ``if c: pass`` then ``else: ...`` (IF c CONTINUE ELSE ...) as ``if not (c): ...``."""
    out: list[str] = []
    skip = 0
    for i, line in enumerate(lines):
        if skip:
            skip -= 1
            continue
        stripped = line.strip()
        if stripped.startswith("if ") and stripped.endswith(":") and \
                _lone_pass_block(lines, i, followed=True) and \
                lines[i + 2] == line[:len(line) - len(line.lstrip())] + "else:":
            out.append(f"{line[:len(line) - len(stripped)]}if not ({stripped[3:-1]}):")
            skip = 2
            continue
        if stripped == "else:" and _lone_pass_block(lines, i):
            skip = 1
            continue
        if line.strip() == "pass" and i + 1 < len(lines):
            following = lines[i + 1]
            indent = len(line) - len(line.lstrip())
            if len(following) - len(following.lstrip()) == indent and not \
                    following.lstrip().startswith(("elif ", "else:", "except", "finally:")):
                continue
        out.append(line)
    return out


def _lone_pass_block(lines: list[str], at: int, followed: bool = False) -> bool:
    """Whether the block opened on line ``at`` is one bare ``pass`` (``followed``: and a
    line comes after it)."""
    def indent(text: str) -> int:
        return len(text) - len(text.lstrip())

    return at + 1 < len(lines) and lines[at + 1].strip() == "pass" and \
        indent(lines[at + 1]) > indent(lines[at]) and \
        (at + 2 == len(lines) and not followed or
         at + 2 < len(lines) and indent(lines[at + 2]) <= indent(lines[at]))


def _keys(match: re.Match[str]) -> tuple[str, str | None]:
    first = ast.literal_eval(match.group(1))
    last = ast.literal_eval(match.group(2)) if match.group(2) else None
    return first, last


def _describe(returned: str) -> str:
    """A returned expression as the reader should see it: ``GO TO X`` for a key."""
    if returned.startswith("EndOf("):
        return "EXIT SECTION"
    try:
        value = ast.literal_eval(returned)
    except (ValueError, SyntaxError):
        return "GO TO chosen at run time" if "altered" not in returned else \
            "GO TO that an ALTER changes"
    return f"GO TO {value}" if isinstance(value, str) else returned
