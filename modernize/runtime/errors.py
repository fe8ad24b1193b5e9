"""Errors of the COBOL runtime: what it refuses to do, and references outside their storage."""

from __future__ import annotations

from modernize.core.errors import ModernizeError


class CobolRuntimeError(ModernizeError):
    """Base of the errors the COBOL data runtime raises."""


class UnsupportedError(CobolRuntimeError):
    """A COBOL construct or MOVE combination this runtime does not implement (the message says
    which); raised instead of guessing, so a translation fails loudly where it is not exact."""


class BoundsError(CobolRuntimeError):
    """A subscript, reference modification or field lies outside its storage."""
