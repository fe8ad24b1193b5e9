"""The COBOL front end for one source file: preprocess, parser view, parse, extract."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ...core.errors import NotAProgramError
from ...core.model import Program
from ..parse import parse
from .extract import extract_program
from .preprocess import CopybookResolver, Preprocessor, detect_free_format
from .view import build_view

__all__ = ["CopybookResolver", "Preprocessor", "analyze_program", "analyze_source",
           "build_view", "split_programs"]

_PROGRAM_ID = re.compile(r"\bPROGRAM-ID\b", re.IGNORECASE)
_ID_DIVISION = re.compile(r"^\s*(IDENTIFICATION|ID)\s+DIVISION\s*\.", re.IGNORECASE)
_DIVISION_WORD = re.compile("DIVISION", re.IGNORECASE)


def _program_area(line: str, free: bool) -> str:
    """What of a line can hold an IDENTIFICATION DIVISION header (none on a comment)."""
    if free:
        return line
    return line[7:72] if len(line) > 7 and line[6] in " D" else ""


def split_programs(text: str) -> list[str]:
    """One text per program of a source file (consecutive or nested programs).

    Each text keeps every line of the file in place, with the other programs' lines blanked,
    so that line numbers stay those of the file.
    """
    lines = text.split("\n")
    free = detect_free_format(text)
    # only a line with the word DIVISION can be a header: those are found in one scan
    rows: list[int] = []
    row = at = 0
    for found in _DIVISION_WORD.finditer(text):
        row += text.count("\n", at, found.start())
        at = found.start()
        if not rows or rows[-1] != row:
            rows.append(row)
    starts = [n for n in rows if _ID_DIVISION.match(_program_area(lines[n], free))]
    if len(starts) <= 1:
        return [text]
    bounds = [0, *starts[1:], len(lines)]
    return ["\n".join(line if lo <= n < hi else "" for n, line in enumerate(lines))
            for lo, hi in zip(bounds, bounds[1:], strict=False)]


def analyze_source(preprocessor: Preprocessor, path: Path, text: str,
                   program_id: str | None = None) -> list[Program]:
    """Every program in one source file: the whole COBOL front end, in order, for each."""
    sha = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()
    programs = []
    for unit in split_programs(text):
        pre = preprocessor.run(path, unit)
        if not any(_PROGRAM_ID.search(line.text) for line in pre.lines):
            continue  # comments, a stray END PROGRAM: no program here
        view = build_view(pre)
        tree = parse("cobol", view.text)
        programs.append(extract_program(pre, view, tree, sha256=sha,
                                        total_lines=len(text.splitlines()),
                                        program_id=program_id))
    if not programs:
        raise NotAProgramError(f"{path.name} holds no COBOL program (no PROGRAM-ID): empty, "
                               "comments only, or a copybook with a program's extension")
    return programs


def analyze_program(preprocessor: Preprocessor, path: Path, text: str,
                    program_id: str | None = None) -> Program:
    """The first (usually the only) program of a source file."""
    return analyze_source(preprocessor, path, text, program_id)[0]
