"""Typed errors. Each says what went wrong and what to do about it.

Problems inside the analysed code never raise: they become diagnostics. These errors are for
the caller's mistakes (a bad path, a bad option, an unreadable analysis folder).
"""

from __future__ import annotations


class ModernizeError(Exception):
    """Base of every error this package raises on purpose."""


class InputPathError(ModernizeError):
    """The path to analyse does not exist or is not a folder."""


class OutputDirError(ModernizeError):
    """The output folder cannot be created or written."""


class NotAProgramError(ModernizeError):
    """A source file holds no COBOL program (empty, comments only, no PROGRAM-ID)."""


class AnalysisDirError(ModernizeError):
    """An analysis folder is missing, incomplete or written by an incompatible version."""


class GrammarError(ModernizeError):
    """A tree-sitter grammar or query could not be loaded."""
