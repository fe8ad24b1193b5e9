"""COBOL front end: preprocess → parser view → tree-sitter parse → extract."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..model import Program
from ..parse import parse
from .extract import extract_program
from .preprocess import CopybookResolver, Preprocessed, Preprocessor
from .view import ParserView, build_view

__all__ = ["CopybookResolver", "Preprocessor", "analyze_program", "build_view"]


def analyze_program(preprocessor: Preprocessor, path: Path, text: str,
                    program_id: str | None = None) -> Program:
    """One program from its decoded text: the whole COBOL front end in order."""
    pre: Preprocessed = preprocessor.run(path, text)
    view: ParserView = build_view(pre)
    tree = parse("cobol", view.text)
    sha = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()
    return extract_program(pre, view, tree, sha256=sha, total_lines=len(text.splitlines()),
                           program_id=program_id)
