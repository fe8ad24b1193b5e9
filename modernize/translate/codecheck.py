"""Static checks on generated Python (and on anything a model writes), with libcst.

This is the only module of the project that imports libcst. ``check_module`` parses a module
and reports, with line numbers, everything outside what a translated COBOL program may do.

**This is hygiene, not the security boundary.** It keeps the translator and the refactoring
model honest and refuses the known ways out of a Python module early, with a reason the model
can act on. Python cannot be confined by reading its source: the boundary is the OS sandbox
(bubblewrap) the harness runs the module in. Everything below is an allow-list, so what is not
named is refused. Identifiers are read as Python reads them (NFKC, so ``ｅｖａｌ`` is ``eval``).

- **Imports** (``forbidden-import``): only ``import M`` / ``from M import n`` for a module
  ``M`` of the import table (``DEFAULT_ALLOWED``, module → names) and names ``n`` it lists.
  The table holds the runtime's public API (``ALLOWED_RUNTIME``: ``modernize.runtime.translated``
  with its ``__all__``, what the translator imports; the ``modernize.runtime`` package's
  ``__all__``; ``modernize.runtime.files.CobolFile``), ``from __future__ import annotations``
  and a few pure standard-library names (``ALLOWED_STDLIB``, ``sys`` only for ``argv``,
  ``exit`` and the standard streams). No relative or ``*`` imports, and imports only at module
  level (an import in a class body would make the module an attribute). Some names are refused
  even when a caller widens the table (``ALWAYS_REFUSED``: ``os.system``, ``subprocess``,
  ``sys.modules``, ``importlib``, ``typing.get_type_hints`` …, and every ``_private`` name).
- **Modules** (``forbidden-name``, ``module-reference``): a name bound to a module (by
  ``import M``, or ``from P import M`` for a module ``P.M`` of the table) is reserved for it
  throughout the module and may only appear as ``M.n`` with ``n`` in the table for ``M``;
  ``dataclasses.sys``, ``files.os``, ``m = sys``, ``f(math)`` are refused. No table entry is
  a module, so no attribute chain leads into another module.
- **Builtins** (``forbidden-builtin``, ``builtin-rebinding``): only ``ALLOWED_BUILTINS`` (no
  ``getattr``, ``setattr``, ``delattr``, ``hasattr``, ``vars``, ``dir``, ``globals``,
  ``locals``, ``eval``, ``exec``, ``compile``, ``open``, ``type``, ``memoryview``,
  ``breakpoint``, ``input``, ``help``, ``exit``, ``quit`` …). No builtin name may be bound or
  deleted anywhere: assignment, ``del``, ``def``, ``class``, import aliases, parameters, loop,
  ``with``, ``except``, walrus and ``match`` targets, ``global``/``nonlocal``. So a builtin
  name always means the builtin, and a refused one cannot come back under a rebinding.
- **Names** (``forbidden-name``, ``dunder-name``): ``__builtins__``, ``__loader__``,
  ``__spec__`` and ``__import__`` are refused anywhere; other dunder names only as
  ``DUNDER_NAMES_READ`` (``__name__``, ``__file__``), ``DUNDER_NAMES_BOUND`` (``__all__``,
  ``__slots__``) and as the names of methods defined in a class body.
- **Attributes** (``dunder-attribute``, ``private-attribute``, ``internal-attribute``): every
  dunder attribute but ``DUNDER_ATTRIBUTES`` (``__init__``, for ``super().__init__``), every
  ``_private`` attribute, and the attributes of frames, code objects, generators, coroutines,
  async generators, tracebacks and cells (``INTERNAL_ATTRIBUTES``: ``gi_frame``,
  ``f_globals``, ``tb_frame``, ``co_consts`` …). The same rules hold for the keys of ``match``
  class patterns (``case C(__globals__=g)`` reads an attribute).
- **Format strings** (``format-string``): ``.format_map`` always, and ``.format`` unless it is
  called on a string literal whose fields read no attribute or item (``"{0.__globals__}"``).
- **Provenance** (``missing-provenance``): every function carries its source span, see below.
- a syntax error (``syntax-error``: a problem, never an exception).

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
import builtins
import logging
import re
import string
import types
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

import libcst as cst
from libcst.helpers import get_full_name_for_node_or_raise
from libcst.metadata import (
    CodeRange,
    ExpressionContext,
    ExpressionContextProvider,
    MetadataWrapper,
    PositionProvider,
)

from ..runtime import __all__ as _RUNTIME_PACKAGE_API
from ..runtime.translated import __all__ as _TRANSLATED_API

log = logging.getLogger(__name__)


class ImportTable(Mapping[str, frozenset[str]]):
    """What a generated module may import: module → the names it may take from it.

    ``import M`` needs ``M`` in the table and allows ``M.n`` for the names ``n`` listed for
    it; ``from M import n`` needs ``n`` listed. ``table | other`` widens a table: ``other`` is
    a mapping (its names are added to the module's) or module names alone (the import is then
    allowed, but no name of the module until a mapping lists it). Names in ``ALWAYS_REFUSED``
    stay refused whatever a table says.
    """

    def __init__(self, table: Mapping[str, Iterable[str]] | Iterable[str] = ()) -> None:
        if isinstance(table, Mapping):
            self._table = {module: frozenset(names) for module, names in table.items()}
        else:
            self._table = {module: frozenset() for module in table}
        for names in self._table.values():
            if any(not isinstance(name, str) or not name.isidentifier() for name in names):
                raise ValueError(f"an import table lists identifiers, not {sorted(names)}")

    def __getitem__(self, module: str) -> frozenset[str]:
        return self._table[module]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def __or__(self, other: Mapping[str, Iterable[str]] | Iterable[str]) -> ImportTable:
        merged = dict(self._table)
        for module, names in ImportTable(other).items():
            merged[module] = merged.get(module, frozenset()) | names
        return ImportTable(merged)

    def __repr__(self) -> str:
        return f"ImportTable({ {m: sorted(n) for m, n in sorted(self._table.items())} })"


ALLOWED_STDLIB: Mapping[str, frozenset[str]] = {
    "__future__": frozenset({"annotations"}),
    "collections.abc": frozenset({
        "Callable", "Collection", "Container", "Generator", "Hashable", "Iterable", "Iterator",
        "Mapping", "MutableMapping", "MutableSequence", "MutableSet", "Reversible", "Sequence",
        "Set", "Sized"}),
    "dataclasses": frozenset({
        "dataclass", "field", "fields", "replace", "asdict", "astuple", "InitVar", "KW_ONLY"}),
    "datetime": frozenset({"date", "datetime", "time", "timedelta", "timezone"}),
    "decimal": frozenset({
        "Decimal", "localcontext", "InvalidOperation", "DivisionByZero", "ROUND_05UP",
        "ROUND_CEILING", "ROUND_DOWN", "ROUND_FLOOR", "ROUND_HALF_DOWN", "ROUND_HALF_EVEN",
        "ROUND_HALF_UP", "ROUND_UP"}),
    "enum": frozenset({"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "auto", "unique"}),
    "functools": frozenset({
        "partial", "reduce", "cache", "lru_cache", "cached_property", "total_ordering"}),
    "itertools": frozenset({
        "accumulate", "chain", "combinations", "combinations_with_replacement",
        "compress", "count", "cycle", "dropwhile", "filterfalse", "groupby", "islice",
        "pairwise", "permutations", "product", "repeat", "starmap", "takewhile", "tee",
        "zip_longest"}),
    "math": frozenset({
        "ceil", "comb", "copysign", "e", "exp", "fabs", "factorial", "floor", "fmod", "fsum",
        "gcd", "hypot", "inf", "isclose", "isfinite", "isinf", "isnan", "isqrt", "lcm", "log",
        "log10", "log2", "modf", "nan", "perm", "pi", "pow", "prod", "remainder", "sqrt", "tau",
        "trunc"}),
    "sys": frozenset({"argv", "exit", "stdin", "stdout", "stderr"}),
    "typing": frozenset({
        "TYPE_CHECKING", "Any", "Callable", "ClassVar", "Final", "Generic", "Iterable",
        "Iterator", "Literal", "Mapping", "NamedTuple", "NoReturn", "Optional", "Protocol",
        "Self", "Sequence", "TypeVar", "TypedDict", "Union", "cast", "final", "overload"}),
}
"""The standard library a generated module may use: pure names, no I/O, nothing that reaches
a module, a frame or ``eval`` (so no ``typing.get_type_hints``, which evaluates strings, and
no ``functools.singledispatch``, which calls it)."""

ALLOWED_RUNTIME: Mapping[str, frozenset[str]] = {
    "modernize.runtime.translated": frozenset(_TRANSLATED_API),
    "modernize.runtime": frozenset(_RUNTIME_PACKAGE_API),
    "modernize.runtime.files": frozenset({"CobolFile"}),
}
"""The runtime's public API: what the translator imports (``translated.__all__``), the
package's ``__all__`` and the file layer's ``CobolFile`` (the same class ``translated``
exports). None of these is a module, and none has a public attribute that is one."""

DEFAULT_ALLOWED = ImportTable({**ALLOWED_STDLIB, **ALLOWED_RUNTIME})
"""The import table ``check_module`` uses unless told otherwise."""

ALWAYS_REFUSED: tuple[str, ...] = (
    "os.system", "os.popen", "os.exec", "os.spawn", "os.fork", "os.posix_spawn", "os.kill",
    "os.open", "os.remove", "os.unlink", "os.rename", "os.replace", "os.rmdir", "os.mkdir",
    "os.makedirs", "os.chmod", "os.chown", "os.symlink", "os.link", "os.truncate", "os.environ",
    "os.putenv", "os.fdopen", "io.open", "io.open_code", "io.FileIO", "_io", "_pyio",
    "codecs.open", "fileinput", "subprocess", "socket", "ssl", "ctypes", "shutil", "pathlib",
    "importlib", "multiprocessing", "pty", "signal", "builtins", "tempfile", "urllib", "http",
    "asyncio", "threading", "mmap", "pickle", "marshal", "inspect", "gc", "types", "runpy",
    "code", "codeop", "operator.attrgetter", "operator.methodcaller", "typing.get_type_hints",
    "functools.singledispatch", "sys.modules", "sys.settrace", "sys.setprofile",
    "sys.exc_info", "sys.exception", "sys.last_traceback", "sys.meta_path", "sys.path_hooks",
    "sys.addaudithook", "sys.breakpointhook", "sys.excepthook",
)
"""Qualified names (and their attributes) refused even when a widened table allows them; the
``os.`` ones also refuse every name they begin (``os.exec`` refuses ``os.execv``), and any
``_private`` part refuses a name. Files are opened by the runtime's ``CobolFile``, never by the
module: hence ``io.FileIO``, ``io.open``, ``io.open_code``, ``os.fdopen`` and the C and
pure-Python ``io`` implementations."""

ALLOWED_BUILTINS: frozenset[str] = frozenset({
    # constants
    "None", "True", "False", "NotImplemented", "Ellipsis",
    # types and constructors
    "bool", "int", "float", "str", "bytes", "bytearray", "list", "dict", "tuple", "set",
    "frozenset", "range", "slice", "object", "property", "staticmethod", "classmethod",
    "super",
    # functions
    "abs", "all", "any", "bin", "callable", "chr", "divmod", "enumerate", "filter", "format",
    "hash", "hex", "isinstance", "issubclass", "iter", "len", "map", "max", "min", "next",
    "oct", "ord", "pow", "print", "repr", "reversed", "round", "sorted", "sum", "zip",
}) | frozenset(name for name, value in vars(builtins).items()
                if isinstance(value, type) and issubclass(value, BaseException))
"""The builtins a generated module may use: the ones above and every exception class. Refused,
among others: ``getattr``, ``setattr``, ``delattr``, ``hasattr`` (attribute access by a
computed name), ``vars``, ``dir``, ``globals``, ``locals`` (namespaces), ``eval``, ``exec``,
``compile``, ``__import__``, ``__build_class__``, ``open``, ``input``, ``breakpoint``,
``help``, ``exit``, ``quit``, ``type`` (a class from any object, or a new class),
``memoryview``, ``id``, ``ascii``, ``complex``, ``aiter``, ``anext``."""

BUILTIN_NAMES: frozenset[str] = frozenset(
    name for name, value in vars(builtins).items()
    if isinstance(value, (type, types.BuiltinFunctionType))) | {
    "None", "True", "False", "Ellipsis", "NotImplemented", "__debug__", "__name__", "__doc__",
    "__package__", "__loader__", "__spec__", "copyright", "credits", "exit", "help", "license",
    "quit"}
"""Every builtin name of a plain interpreter (``site`` adds the last ones); none may be bound
or deleted. Read off the types and functions of ``builtins`` rather than all its names, so the
check says the same in a notebook, where IPython adds ``display`` and ``get_ipython``."""

FORBIDDEN_NAMES: frozenset[str] = frozenset({
    "__builtins__", "__loader__", "__spec__", "__import__"})
"""Names refused wherever they appear (read, bound, keyword)."""
DUNDER_NAMES_READ: frozenset[str] = frozenset({"__name__", "__file__"})
"""Dunder names a module may read (``if __name__ == "__main__": main(Cls, __file__)``)."""
DUNDER_NAMES_BOUND: frozenset[str] = frozenset({"__all__", "__slots__"})
"""Dunder names a module or class may bind (besides the dunder methods a class defines)."""
DUNDER_ATTRIBUTES: frozenset[str] = frozenset({"__init__"})
"""The only dunder attribute: ``super().__init__(...)``."""

INTERNAL_ATTRIBUTES: frozenset[str] = frozenset({
    # generators, coroutines, async generators
    "gi_code", "gi_frame", "gi_running", "gi_suspended", "gi_yieldfrom",
    "cr_await", "cr_code", "cr_frame", "cr_origin", "cr_running", "cr_suspended",
    "ag_await", "ag_code", "ag_frame", "ag_running", "ag_suspended",
    # frames and tracebacks
    "f_back", "f_builtins", "f_code", "f_generator", "f_globals", "f_lasti", "f_lineno",
    "f_locals", "f_trace", "f_trace_lines", "f_trace_opcodes",
    "tb_frame", "tb_lasti", "tb_lineno", "tb_next",
    # code objects
    "co_argcount", "co_cellvars", "co_code", "co_consts", "co_exceptiontable", "co_filename",
    "co_firstlineno", "co_flags", "co_freevars", "co_kwonlyargcount", "co_lines",
    "co_linetable", "co_lnotab", "co_name", "co_names", "co_nlocals", "co_positions",
    "co_posonlyargcount", "co_qualname", "co_stacksize", "co_varnames",
    # functions, methods and cells (the Python 2 spellings too)
    "func_closure", "func_code", "func_defaults", "func_dict", "func_globals", "func_name",
    "im_class", "im_func", "im_self", "cell_contents",
})
"""Attributes of interpreter internals: a frame reaches every global and builtin."""

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
        if not self.model_id.strip():
            raise ValueError(f"bad model id {self.model_id!r}")
        if not self.path:
            raise ValueError("a provenance needs a source path")
        if not 1 <= self.first_line <= self.last_line:
            raise ValueError(f"bad line span {self.first_line}-{self.last_line}")

    def render(self) -> str:
        """The docstring line. File and id are the estate's own text: ``%``, whitespace in the
        path and anything unprintable are written as ``%XX`` (UTF-8), so the line stays one line
        and parses back to the same values."""
        model_id = _encode(self.model_id.strip(), spaces=False)
        return (f"Source: {model_id} {_encode(self.path, spaces=True)}:"
                f"{self.first_line}-{self.last_line}")

    @classmethod
    def parse(cls, line: str) -> Provenance | None:
        """The provenance a docstring line states, or ``None``."""
        found = _SOURCE_LINE.match(line.strip())
        if not found:
            return None
        try:
            return cls(unquote(found["id"]), unquote(found["path"]), int(found["first"]),
                       int(found["last"]))
        except ValueError:
            return None


def _encode(text: str, *, spaces: bool) -> str:
    return "".join(quote(c, safe="") if c == "%" or not c.isprintable() or (
        spaces and c.isspace()) else c for c in text)


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



def _refused(name: str) -> bool:
    """Whether ``name`` (dotted) is refused whatever the import table says."""
    if any(part.startswith("_") and not (part.startswith("__") and part.endswith("__"))
           for part in name.split(".")):
        return True
    return any(name == f or name.startswith(f + ".") or (f.startswith("os.") and
               name.startswith(f)) for f in ALWAYS_REFUSED)


def _is_dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def _format_fields_safe(template: str, depth: int = 0) -> bool:
    """Whether a ``str.format`` template only names arguments (no ``.attr``, no ``[item]``)."""
    if depth > 2:
        return False
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return False
    for _, name, spec, _ in parsed:
        if name is not None and ("." in name or "[" in name):
            return False
        if spec and not _format_fields_safe(spec, depth + 1):
            return False
    return True


def _string_value(node: cst.BaseExpression) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _module_bindings(module: cst.Module, table: ImportTable) -> tuple[dict[str, str], set[str]]:
    """Names bound to modules and every module path imported, allowed or not: ``import a.b``
    binds ``a`` to ``a``, ``import a.b as c`` binds ``c`` to ``a.b``, and ``from a import b``
    binds ``b`` to ``a.b`` when ``a.b`` is a module of the table."""
    bindings: dict[str, str] = {}
    imported: set[str] = set()

    class Collector(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            # an import is a statement, and no statement stands inside an expression (a
            # lambda's body included): expressions need no visit
            return not isinstance(node, cst.BaseExpression) and super().on_visit(node)

        def visit_Import(self, node: cst.Import) -> None:
            for alias in node.names:
                name = get_full_name_for_node_or_raise(alias.name)
                imported.add(name)
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    bindings[alias.asname.name.value] = name
                else:
                    bindings[name.split(".")[0]] = name.split(".")[0]

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
                return
            module = get_full_name_for_node_or_raise(node.module)
            for alias in node.names:
                qualified = f"{module}.{get_full_name_for_node_or_raise(alias.name)}"
                bound = alias.asname.name if alias.asname is not None else alias.name
                if qualified in table and isinstance(bound, cst.Name):
                    bindings[bound.value] = qualified
                    imported.add(qualified)

    module.visit(Collector())
    return bindings, imported


class _Normalise(cst.CSTTransformer):
    """Identifiers as Python reads them: NFKC (PEP 3131), so ``ｅｖａｌ`` is ``eval``."""

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return updated_node.with_changes(value=unicodedata.normalize("NFKC", updated_node.value))


class _Checker(cst.CSTVisitor):
    # Positions are worked out only when there is a problem to place, and each node's parent
    # is the one below it on the visit's own stack: a clean module (the usual case) costs
    # one metadata pass instead of three (a 6,000-line module: 2 s instead of 5 s).
    METADATA_DEPENDENCIES = (ExpressionContextProvider,)

    def __init__(self, table: ImportTable, modules: dict[str, str], imported: set[str]) -> None:
        super().__init__()
        self.table = table
        self.modules = modules  # names bound to modules -> the module path bound
        self.imported = imported
        self.found: list[tuple[cst.CSTNode, str, str]] = []  # (node, code, message)
        self.scopes: list[str] = []  # "class" / "function", innermost last
        self.done: set[cst.CSTNode] = set()  # names judged already (bindings, module roots)
        self.path: list[cst.CSTNode] = []  # the nodes from the module down to this one

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.path.append(node)
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        super().on_leave(original_node)
        self.path.pop()

    def _add(self, node: cst.CSTNode, code: str, message: str) -> None:
        self.found.append((node, code, message))

    def problems(self, positions: Mapping[cst.CSTNode, CodeRange]) -> list[Problem]:
        return [Problem(positions[node].start.line, code, message)
                for node, code, message in self.found]

    # -- imports ---------------------------------------------------------------------------
    def _placement(self, node: cst.Import | cst.ImportFrom) -> bool:
        if self.scopes:
            self._add(node, "forbidden-import",
                      f"imports belong at module level, not in a {self.scopes[-1]}")
            return False
        return True

    def _bind_alias(self, alias: cst.ImportAlias) -> None:
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            self._binding(alias.asname.name, "import alias")
        elif isinstance(alias.name, cst.Name):
            self._binding(alias.name, "import")

    def visit_Import(self, node: cst.Import) -> bool:
        self._placement(node)
        for alias in node.names:
            name = get_full_name_for_node_or_raise(alias.name)
            if name not in self.table or _refused(name):
                self._add(node, "forbidden-import", f"import of {name} is not allowed")
            self._bind_alias(alias)
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        self._placement(node)
        if node.relative:
            self._add(node, "forbidden-import", "relative imports are not allowed")
            return False
        assert node.module is not None  # an absolute import names its module
        module = get_full_name_for_node_or_raise(node.module)
        if isinstance(node.names, cst.ImportStar):
            self._add(node, "forbidden-import",
                      f"import * from {module} is not allowed: import the names you use")
            return False
        for alias in node.names:
            name = get_full_name_for_node_or_raise(alias.name)
            qualified = f"{module}.{name}"
            if _refused(qualified) or not (name in self.table.get(module, ())
                                           or qualified in self.table):
                self._add(node, "forbidden-import", f"import of {qualified} is not allowed")
            self._bind_alias(alias)
        return False

    # -- scopes and bindings ---------------------------------------------------------------
    def _binding(self, node: cst.Name, what: str) -> None:
        """``node`` is bound (or deleted) here."""
        self.done.add(node)
        name = node.value
        if name in FORBIDDEN_NAMES:
            self._add(node, "forbidden-name", f"{name} is not allowed")
        elif _is_dunder(name):
            method = what == "def" and self.scopes[-1:] == ["class"]
            if not method and name not in DUNDER_NAMES_BOUND:
                self._add(node, "dunder-name", f"binding {name} ({what}) is not allowed")
        elif name in BUILTIN_NAMES:
            self._add(node, "builtin-rebinding",
                      f"{what} rebinds or deletes the builtin {name}; use another name")

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._binding(node.name, "def")
        self.scopes.append("function")

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.scopes.append("function")

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.scopes.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._binding(node.name, "class")
        self.scopes.append("class")

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scopes.pop()

    def visit_Param(self, node: cst.Param) -> None:
        self._binding(node.name, "parameter")

    def visit_NameItem(self, node: cst.NameItem) -> None:
        self._binding(node.name, "global/nonlocal")

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        if node.name is not None:
            self._binding(node.name, "match capture")

    def visit_MatchStar(self, node: cst.MatchStar) -> None:
        if node.name is not None:
            self._binding(node.name, "match capture")

    def visit_MatchMapping(self, node: cst.MatchMapping) -> None:
        if node.rest is not None:
            self._binding(node.rest, "match capture")

    def visit_MatchKeywordElement(self, node: cst.MatchKeywordElement) -> None:
        self.done.add(node.key)
        self._attribute_name(node.key, "match class pattern key")

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.done.add(node.keyword)
            if node.keyword.value in FORBIDDEN_NAMES:
                self._add(node.keyword, "forbidden-name", f"{node.keyword.value} is not allowed")

    # -- names -----------------------------------------------------------------------------
    def visit_Name(self, node: cst.Name) -> None:
        if node in self.done:
            return
        parent = self.path[-2] if len(self.path) > 1 else None
        if isinstance(parent, cst.Attribute) and parent.attr is node:
            return  # judged by visit_Attribute
        context = self.get_metadata(ExpressionContextProvider, node, None)
        if context in (ExpressionContext.STORE, ExpressionContext.DEL):
            what = "del" if context is ExpressionContext.DEL else "assignment"
            self._binding(node, what)
            return
        if context is None:  # a name in a position this checker does not know: a binding?
            self._binding(node, "binding")
            if node.value in FORBIDDEN_NAMES:
                return
        self._reference(node)

    def _reference(self, node: cst.Name) -> None:
        name = node.value
        if name in FORBIDDEN_NAMES:
            self._add(node, "forbidden-name", f"{name} is not allowed")
        elif name in self.modules:
            self._add(node, "module-reference",
                      f"the module {self.modules[name]} may only be used as "
                      f"{name}.<name> with a name the import table lists for it")
        elif _is_dunder(name):
            if name not in DUNDER_NAMES_READ:
                self._add(node, "dunder-name", f"{name} is not allowed")
        elif name in BUILTIN_NAMES and name not in ALLOWED_BUILTINS:
            self._add(node, "forbidden-builtin", f"{name} is not allowed")

    # -- attributes ------------------------------------------------------------------------
    def _attribute_name(self, node: cst.Name, what: str) -> bool:
        """Report a refused attribute name; True when reported."""
        attr = node.value
        if _is_dunder(attr):
            if attr in DUNDER_ATTRIBUTES:
                return False
            self._add(node, "dunder-attribute", f"{what} {attr} is not allowed")
        elif attr.startswith("_"):
            self._add(node, "private-attribute", f"{what} {attr} is private")
        elif attr in INTERNAL_ATTRIBUTES:
            self._add(node, "internal-attribute",
                      f"{what} {attr} reaches interpreter internals (frames, code, globals)")
        else:
            return False
        return True

    def _module_chain(self, node: cst.Attribute) -> None:
        """``node`` is the outermost attribute of a chain whose root names a module: the
        chain must name ``module.name`` with ``name`` in the table for ``module``."""
        attrs: list[str] = []
        current: cst.BaseExpression = node
        while isinstance(current, cst.Attribute):
            attrs.append(current.attr.value)
            current = current.value
        assert isinstance(current, cst.Name)
        self.done.add(current)
        path = self.modules[current.value]
        for attr in reversed(attrs):
            candidate = f"{path}.{attr}"
            if any(m == candidate or m.startswith(candidate + ".") for m in self.imported):
                path = candidate  # a submodule that was imported: a.b of ``import a.b.c``
                continue
            if attr not in self.table.get(path, ()) or _refused(candidate):
                self._add(node, "forbidden-name", f"use of {candidate} is not allowed: the "
                          f"import table does not list {attr} for {path}")
            return
        self._add(node, "module-reference",
                  f"the module {path} may only be used as <module>.<name> with a name the "
                  "import table lists for it")

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._attribute_name(node.attr, "attribute")
        root: cst.BaseExpression = node.value
        while isinstance(root, cst.Attribute):
            root = root.value
        if (isinstance(root, cst.Name) and root.value in self.modules
                and root not in self.done):
            self._module_chain(node)
        if node.attr.value == "format_map":
            self._add(node, "format-string", "str.format_map is not allowed: use an f-string")
        elif node.attr.value == "format":
            template = _string_value(node.value)
            if template is None:
                self._add(node, "format-string", ".format is only allowed on a string literal "
                          "(its fields must be visible): use an f-string")
            elif not _format_fields_safe(template):
                self._add(node, "format-string", f"format fields of {template!r} read "
                          "attributes or items: use an f-string")


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
                 allowed_imports: Mapping[str, Iterable[str]] | Iterable[str] = DEFAULT_ALLOWED,
                 require_provenance: bool = True) -> CheckReport:
    """Check one module's source; never raises on bad input.

    ``allowed_imports`` is the import table (``DEFAULT_ALLOWED``, or that widened with ``|``);
    a mapping or module names are made an ``ImportTable``.
    """
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
    table = (allowed_imports if isinstance(allowed_imports, ImportTable)
             else ImportTable(allowed_imports))
    # no copy of the tree: it comes from the parser (no node stands in two places) and
    # nothing here changes it
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    checked = wrapper if source.isascii() else MetadataWrapper(module.visit(_Normalise()),
                                                                unsafe_skip_copy=True)
    modules, imported = _module_bindings(checked.module, table)
    checker = _Checker(table, modules, imported)
    checked.visit(checker)  # names change length, never line, when normalised
    if checker.found:
        report.problems.extend(checker.problems(checked.resolve(PositionProvider)))
    for name, function in _functions(wrapper.module):
        stated = _stated(function)
        report.provenance[name] = stated
        if require_provenance and not stated:
            report.problems.append(Problem(
                wrapper.resolve(PositionProvider)[function.name].start.line,
                "missing-provenance",
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


def _in_docstring(line: str, *, raw: bool) -> str:
    """A ``Source:`` line as docstring source text: a model id holds estate names, which may
    hold quotes and backslashes that would end the string (a raw docstring cannot escape
    them, so there they become ``?``)."""
    if raw:
        return line.replace('"', "?").replace("'", "?").replace("\\", "?")
    return line.replace("\\", "\\\\").replace('"', '\\"').replace("'", "\\'")


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

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.depth += 1
        return False  # nothing inside a function is stamped: its body is left unvisited

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
            lines = [_in_docstring(line, raw="r" in prefix.lower()) for line in lines]
            text = _restamp(string.value[len(opening.group(0)):-len(quote)], lines, indent)
            triple = quote if len(quote) == 3 else quote * 3
            docstring = first.with_changes(body=[expr.with_changes(
                value=string.with_changes(value=f"{prefix}{triple}{text}{triple}"))])
            statements[0] = docstring
        else:
            text = _restamp("", [_in_docstring(line, raw=False) for line in lines], indent)
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
