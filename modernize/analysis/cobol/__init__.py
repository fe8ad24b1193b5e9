"""COBOL front end: preprocess → parser view → tree-sitter parse → extract (:mod:`.frontend`).

The package itself imports nothing heavy, so that the translated programs' runtime, which
needs only :mod:`.pic`, starts without tree-sitter and pydantic.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CopybookResolver", "Preprocessor", "analyze_program", "analyze_source",
           "build_view", "split_programs"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import frontend

        return getattr(frontend, name)
    raise AttributeError(name)
