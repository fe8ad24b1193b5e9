"""Static checks on generated Python (and on anything a model writes), with libcst.

This is the only module of the project that imports libcst. ``check_module`` parses a module
and reports, with line numbers, everything a translated COBOL program must not do:

- a syntax error (a problem, never an exception);
- an import outside ``allowed_imports`` (an entry allows itself and its submodules; relative
  imports are refused);
- a reference to a dangerous builtin (``eval``, ``exec``, ``compile``, ``__import__``, ``open``,
  ``globals``, ``locals``, ``vars``, ``breakpoint``, ``input``, ``exit``, ``quit``, ``help``)
  unless the module rebinds that name; ``getattr``/``setattr``/``delattr`` with a name that is
  not a string literal; the names ``__builtins__``, ``__loader__``, ``__spec__``;
- a use of ``os.system``, ``os.exec*``, ``subprocess``, ``socket``, ``ctypes``, ``shutil`` and
  the like (resolved through imports and aliases), and of ``sys`` beyond ``argv``, ``exit`` and
  the standard streams;
- file access outside the runtime's file layer (``modernize.runtime.files``): ``io.open``,
  ``io.open_code``, ``io.FileIO``, the ``_io`` and ``_pyio`` modules, ``os.open``,
  ``os.fdopen``, ``codecs.open``; these names are refused even when their module is an allowed
  import, and so is importing them (or ``*`` from a module that has them);
- a dunder attribute (``x.__globals__``, ``().__class__``) other than a few harmless ones;
- a function without provenance.

Provenance convention: every module-level function and every method of a module-level class
carries, in its docstring, one or more lines ::

    Source: <model id> <source path>:<first line>-<last line>

for example ``Source: cobol:PAYROLL/para:CALC-PAY cobol/PAYROLL.cbl:120-134``. The model id
may contain spaces; the path may not. ``stamp_provenance`` writes that line with libcst (it
replaces any earlier ``Source:`` lines of the function and keeps the rest of the docstring and
the module's formatting), so the translator and the refactoring pass never build it by hand.
Nested functions inherit the provenance of the function they are in.
"""

from __future__ import annotations

import ast
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.helpers import get_full_name_for_node_or_raise
from libcst.metadata import (
    MetadataWrapper,
    PositionProvider,
    QualifiedName,
    QualifiedNameProvider,
    QualifiedNameSource,
)

log = logging.getLogger(__name__)

DEFAULT_ALLOWED: frozenset[str] = frozenset({
    "__future__", "collections.abc", "dataclasses", "datetime", "decimal", "enum", "functools",
    "itertools", "math", "typing", "sys", "modernize.runtime",
})
"""Imports a generated module may use: the COBOL runtime and pure, side-effect-free stdlib."""

FORBIDDEN_BUILTINS: frozenset[str] = frozenset({
    "eval", "exec", "compile", "__import__", "open", "globals", "locals", "vars", "breakpoint",
    "input", "exit", "quit", "help",
})
DYNAMIC_ATTRIBUTE_BUILTINS: frozenset[str] = frozenset({"getattr", "setattr", "delattr"})
FORBIDDEN_GLOBAL_NAMES: frozenset[str] = frozenset({"__builtins__", "__loader__", "__spec__"})
FORBIDDEN_QUALIFIED: tuple[str, ...] = (
    "os.system", "os.popen", "os.exec", "os.spawn", "os.fork", "os.posix_spawn", "os.kill",
    "os.open", "os.remove", "os.unlink", "os.rename", "os.replace", "os.rmdir", "os.mkdir",
    "os.makedirs", "os.chmod", "os.chown", "os.symlink", "os.link", "os.truncate", "os.environ",
    "os.putenv", "os.fdopen", "io.open", "io.open_code", "io.FileIO", "_io", "_pyio",
    "codecs.open", "fileinput", "subprocess", "socket", "ssl", "ctypes", "shutil", "pathlib",
    "importlib", "multiprocessing", "pty", "signal", "builtins", "tempfile", "urllib", "http",
    "asyncio", "threading", "mmap", "pickle", "marshal",
)
"""Qualified names (and their attributes) refused even when an import of them is allowed; the
``os.`` ones also refuse every name they begin (``os.exec`` refuses ``os.execv``). Files are
opened by the runtime's ``CobolFile``, never by the module: hence ``io.FileIO``, ``io.open``,
``io.open_code``, ``os.fdopen`` and the C and pure-Python ``io`` implementations."""

SYS_ALLOWED: frozenset[str] = frozenset({
    "argv", "exit", "stdin", "stdout", "stderr", "byteorder", "maxsize",
})
DUNDER_ALLOWED: frozenset[str] = frozenset({
    "__name__", "__qualname__", "__doc__", "__init__", "__post_init__", "__enter__", "__exit__",
})

_SOURCE_LINE = re.compile(
    r"^Source:\s+(?P<id>\S.*?)\s+(?P<path>\S+):(?P<first>\d+)-(?P<last>\d+)$")


@dataclass(frozen=True)
class Provenance:
    """Where a function comes from: the analysis model id and the source span it translates."""

    model_id: str
    path: str
    first_line: int
    last_line: int

    def __post_init__(self) -> None:
        if not self.model_id.strip() or "\n" in self.model_id:
            raise ValueError(f"bad model id {self.model_id!r}")
        if not self.path or any(c.isspace() for c in self.path):
            raise ValueError(f"bad source path {self.path!r} (no whitespace allowed)")
        if not 1 <= self.first_line <= self.last_line:
            raise ValueError(f"bad line span {self.first_line}-{self.last_line}")

    def render(self) -> str:
        """The docstring line."""
        return f"Source: {self.model_id.strip()} {self.path}:{self.first_line}-{self.last_line}"

    @classmethod
    def parse(cls, line: str) -> Provenance | None:
        """The provenance a docstring line states, or ``None``."""
        found = _SOURCE_LINE.match(line.strip())
        if not found:
            return None
        try:
            return cls(found["id"], found["path"], int(found["first"]), int(found["last"]))
        except ValueError:
            return None


@dataclass(frozen=True)
class Problem:
    """One finding; ``line`` is 1-based."""

    line: int
    code: str
    message: str

    def describe(self) -> str:
        """One line a person reads."""
        return f"line {self.line}: [{self.code}] {self.message}"


@dataclass
class CheckReport:
    """What ``check_module`` found; ``provenance`` maps function names (``Class.method`` for
    methods) to the provenance their docstrings state."""

    problems: list[Problem] = field(default_factory=list)
    provenance: dict[str, list[Provenance]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when there is nothing to complain about."""
        return not self.problems

    def describe(self) -> str:
        """All problems, one per line."""
        return "\n".join(p.describe() for p in self.problems) or "ok"


def _allowed(module: str, allowed: frozenset[str]) -> bool:
    return any(module == a or module.startswith(a + ".") for a in allowed)


def _forbidden_qualified(name: str) -> bool:
    if name.startswith("sys."):
        return name.split(".")[1] not in SYS_ALLOWED
    return any(name == f or name.startswith(f + ".") or (f.startswith("os.") and
               name.startswith(f)) for f in FORBIDDEN_QUALIFIED)


def _holds_forbidden(module: str) -> bool:
    """Whether some forbidden name lives in ``module`` (a ``*`` import would hide it)."""
    return module == "sys" or any(f.startswith(module + ".") for f in FORBIDDEN_QUALIFIED)


class _Checker(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider, QualifiedNameProvider)

    def __init__(self, allowed: frozenset[str]) -> None:
        super().__init__()
        self.allowed = allowed
        self.problems: list[Problem] = []

    def _add(self, node: cst.CSTNode, code: str, message: str) -> None:
        line = self.get_metadata(PositionProvider, node).start.line
        self.problems.append(Problem(line, code, message))

    def _names(self, node: cst.CSTNode) -> set[QualifiedName]:
        return set(self.get_metadata(QualifiedNameProvider, node, set()))

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = get_full_name_for_node_or_raise(alias.name)
            if not _allowed(name, self.allowed) or _forbidden_qualified(name):
                self._add(node, "forbidden-import", f"import of {name} is not allowed")

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative:
            self._add(node, "forbidden-import", "relative imports are not allowed")
            return
        assert node.module is not None  # an absolute import names its module
        module = get_full_name_for_node_or_raise(node.module)
        allowed = _allowed(module, self.allowed) and not _forbidden_qualified(module)
        if isinstance(node.names, cst.ImportStar):
            if not allowed or _holds_forbidden(module):
                self._add(node, "forbidden-import", f"import * from {module} is not allowed")
            return
        for alias in node.names:
            name = f"{module}.{get_full_name_for_node_or_raise(alias.name)}"
            if not (allowed or _allowed(name, self.allowed)) or _forbidden_qualified(name):
                self._add(node, "forbidden-import", f"import of {name} is not allowed")

    def _check_reference(self, node: cst.Name | cst.Attribute) -> bool:
        """Report a forbidden qualified name; True when reported."""
        for qualified in self._names(node):
            if qualified.source is QualifiedNameSource.BUILTIN:
                if qualified.name.removeprefix("builtins.") in FORBIDDEN_BUILTINS:
                    self._add(node, "forbidden-builtin",
                              f"{qualified.name.removeprefix('builtins.')}() is not allowed")
                    return True
            elif (qualified.source is QualifiedNameSource.IMPORT
                  and _forbidden_qualified(qualified.name)):
                self._add(node, "forbidden-name", f"use of {qualified.name} is not allowed")
                return True
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in FORBIDDEN_GLOBAL_NAMES:
            self._add(node, "forbidden-name", f"{node.value} is not allowed")
            return
        self._check_reference(node)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        attr = node.attr.value
        if attr.startswith("__") and attr.endswith("__") and attr not in DUNDER_ALLOWED:
            self._add(node, "dunder-attribute", f"attribute {attr} is not allowed")
        return not self._check_reference(node)

    def visit_Call(self, node: cst.Call) -> None:
        names = {q.name for q in self._names(node.func)
                 if q.source is QualifiedNameSource.BUILTIN}
        called = {n.removeprefix("builtins.") for n in names} & DYNAMIC_ATTRIBUTE_BUILTINS
        if not called:
            return
        attr = node.args[1].value if len(node.args) > 1 else None
        literal = attr.evaluated_value if isinstance(attr, cst.SimpleString) else None
        if not isinstance(literal, str):
            self._add(node, "dynamic-attribute",
                      f"{min(called)}() needs a string literal attribute name")
        elif literal.startswith("__") and literal.endswith("__") and literal not in DUNDER_ALLOWED:
            self._add(node, "dunder-attribute", f"attribute {literal} is not allowed")


def _functions(module: cst.Module) -> list[tuple[str, cst.FunctionDef]]:
    """Module-level functions and methods of module-level classes, with their names."""
    found: list[tuple[str, cst.FunctionDef]] = []
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            found.append((statement.name.value, statement))
        elif isinstance(statement, cst.ClassDef) and isinstance(statement.body,
                                                                 cst.IndentedBlock):
            found.extend((f"{statement.name.value}.{s.name.value}", s)
                         for s in statement.body.body if isinstance(s, cst.FunctionDef))
    return found


def _stated(function: cst.FunctionDef) -> list[Provenance]:
    docstring = function.get_docstring(clean=True) or ""
    return [p for p in map(Provenance.parse, docstring.splitlines()) if p is not None]


def check_module(source: str, *,
                 allowed_imports: frozenset[str] = DEFAULT_ALLOWED,
                 require_provenance: bool = True) -> CheckReport:
    """Check one module's source; never raises on bad input."""
    report = CheckReport()
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        line, message = error.raw_line, error.message
        try:  # CPython's parser names the line where the error starts; libcst's the token after
            ast.parse(source)
        except SyntaxError as python_error:
            line, message = python_error.lineno or line, python_error.msg
        report.problems.append(Problem(line, "syntax-error", f"does not parse: {message}"))
        return report
    wrapper = MetadataWrapper(module)
    checker = _Checker(allowed_imports)
    wrapper.visit(checker)
    report.problems.extend(checker.problems)
    positions = wrapper.resolve(PositionProvider)
    for name, function in _functions(wrapper.module):
        stated = _stated(function)
        report.provenance[name] = stated
        if require_provenance and not stated:
            report.problems.append(Problem(
                positions[function.name].start.line, "missing-provenance",
                f"function {name} has no 'Source: <model id> <path>:<first>-<last>' line "
                "in its docstring"))
    report.problems.sort(key=lambda p: (p.line, p.code, p.message))
    if report.problems:
        log.debug("codecheck found %d problem(s)", len(report.problems))
    return report


# --------------------------------------------------------------------------- stamping


_STRING_PREFIX = re.compile(r"^(?P<prefix>[rRuU]*)(?P<quote>'''|\"\"\"|'|\")")


def _restamp(body: str, lines: Sequence[str], indent: str) -> str:
    """A docstring body with its ``Source:`` lines replaced by ``lines`` at the end."""
    kept = [line for line in body.split("\n") if Provenance.parse(line) is None]
    closing = kept.pop() if len(kept) > 1 and not kept[-1].strip() else None
    while kept and not kept[-1].strip():
        kept.pop()
    stamp = f"\n{indent}".join(lines)
    if not kept:
        return stamp if closing is None else f"{stamp}\n{closing}"
    return "\n".join(kept) + f"\n\n{indent}{stamp}\n" + (indent if closing is None else closing)


class _Stamper(cst.CSTTransformer):
    def __init__(self, stamps: Mapping[str, Sequence[Provenance]], default_indent: str) -> None:
        super().__init__()
        self.stamps = stamps
        self.default_indent = default_indent
        self.indents: list[str] = []
        self.classes: list[str] = []
        self.depth = 0
        self.done: set[str] = set()

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.indents.append(self.default_indent if node.indent is None else node.indent)

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock,
                            updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        self.indents.pop()
        return updated_node

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.classes.append(node.name.value)
        self.depth += 1

    def leave_ClassDef(self, original_node: cst.ClassDef,
                       updated_node: cst.ClassDef) -> cst.ClassDef:
        self.classes.pop()
        self.depth -= 1
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef,
                          updated_node: cst.FunctionDef) -> cst.FunctionDef:
        self.depth -= 1
        name = ".".join([*self.classes, updated_node.name.value])
        if name not in self.stamps or self.depth > len(self.classes) or len(self.classes) > 1:
            return updated_node
        self.done.add(name)
        body = updated_node.body
        own = (body.indent if isinstance(body, cst.IndentedBlock) and body.indent is not None
               else self.default_indent)
        indent = "".join(self.indents) + own
        lines = [p.render() for p in self.stamps[name]]
        statements: list[cst.BaseStatement]
        if isinstance(body, cst.SimpleStatementSuite):
            statements = [cst.SimpleStatementLine(body=list(body.body))]
        else:
            statements = list(body.body)
        first = statements[0] if statements else None
        if (isinstance(first, cst.SimpleStatementLine) and len(first.body) == 1
                and isinstance(first.body[0], cst.Expr)
                and isinstance(first.body[0].value, cst.SimpleString)
                and updated_node.get_docstring(clean=False) is not None):
            expr = first.body[0]
            string = first.body[0].value
            assert isinstance(string, cst.SimpleString)
            opening = _STRING_PREFIX.match(string.value)
            assert opening is not None  # a docstring is a plain or raw string
            prefix, quote = opening["prefix"], opening["quote"]
            text = _restamp(string.value[len(opening.group(0)):-len(quote)], lines, indent)
            triple = quote if len(quote) == 3 else quote * 3
            docstring = first.with_changes(body=[expr.with_changes(
                value=string.with_changes(value=f"{prefix}{triple}{text}{triple}"))])
            statements[0] = docstring
        else:
            text = _restamp("", lines, indent)
            statements.insert(0, cst.SimpleStatementLine(
                body=[cst.Expr(cst.SimpleString(f'"""{text}"""'))]))
        if isinstance(body, cst.IndentedBlock):
            return updated_node.with_changes(body=body.with_changes(body=statements))
        return updated_node.with_changes(body=cst.IndentedBlock(body=statements))


def stamp_provenance(source: str,
                     stamps: Mapping[str, Provenance | Sequence[Provenance]]) -> str:
    """Set the provenance of the named functions (``Class.method`` for methods) in ``source``.

    Earlier ``Source:`` lines of those functions are replaced; everything else is kept as
    written. Raises ``KeyError`` naming functions that are not in the module and
    ``libcst.ParserSyntaxError`` when ``source`` does not parse.
    """
    wanted = {name: [value] if isinstance(value, Provenance) else list(value)
              for name, value in stamps.items()}
    if any(not values for values in wanted.values()):
        raise ValueError("every stamp needs at least one provenance")
    module = cst.parse_module(source)
    stamper = _Stamper(wanted, module.default_indent)
    stamped = module.visit(stamper)
    missing = sorted(set(wanted) - stamper.done)
    if missing:
        raise KeyError(f"no module-level function or method named {', '.join(missing)}")
    return stamped.code
