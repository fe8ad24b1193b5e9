"""Safe names for the files the workbench writes, made from names an estate chose.

A PROGRAM-ID is whatever the estate's author wrote (``"../../ESCAPED"``, ``"</SCRIPT>"``, a name
of 10,000 characters), so no output path is ever built from one directly. A plain COBOL name
(letters, digits, ``-`` and ``_``, at most 60 characters) keeps its spelling; anything else
becomes its letters and digits plus a short hash of the whole name, so two different names
never share a file. Standard library only: the translated programs' runtime uses
``module_name`` to find a CALLed program's module.
"""

from __future__ import annotations

import hashlib
import keyword
import re
import sys
from collections.abc import Callable, Iterable

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,59}")
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_RESERVED_MODULES = frozenset(sys.stdlib_module_names) | {"modernize", "builtins", "test"}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def safe_stem(name: str) -> str:
    """A file name stem (no folder, no dot) that stands for ``name``."""
    if _PLAIN.fullmatch(name):
        return name
    cleaned = _UNSAFE.sub("_", name).strip("_-")[:40]
    return f"{cleaned}_{_digest(name)}" if cleaned else f"x_{_digest(name)}"


def module_name(program_name: str) -> str:
    """The Python module (file ``<name>.py``) a translated program is written to: lower case,
    ``-`` as ``_``, and never a keyword or the name of a standard module (a program called
    TYPES or RANDOM beside the main module would shadow the library's)."""
    stem = safe_stem(program_name).lower().replace("-", "_")
    if stem[0].isdigit() or keyword.iskeyword(stem) or stem in _RESERVED_MODULES:
        stem = f"p_{stem}"
    return stem


def unique_stems(names: Iterable[tuple[str, str]],
                 stem: Callable[[str], str] = safe_stem) -> dict[str, str]:
    """``key → stem`` for ``(key, name)`` pairs, each stem unique (ignoring case, as some file
    systems do): the first key (in sorted order) keeps its stem, later ones get a hash of
    their key added."""
    taken: set[str] = set()
    out: dict[str, str] = {}
    for key, name in sorted(names):
        chosen = stem(name)
        if chosen.lower() in taken:
            chosen = f"{chosen}_{_digest(key)}"
        taken.add(chosen.lower())
        out[key] = chosen
    return out


def spec_stems(programs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``program id → stem`` of its specification files (``specs/<stem>.md``), from
    ``(id, PROGRAM-ID)`` pairs of every program of the estate."""
    return unique_stems(programs)


def module_names(programs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``program id → module name`` of its translation (``code/<module>.py``), from
    ``(id, PROGRAM-ID)`` pairs of every program of the estate."""
    return unique_stems(programs, module_name)
