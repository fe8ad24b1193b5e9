"""Generated modules in the layout a Python team keeps: ruff's formatter, run as a program.

ruff is the only formatter the project uses (its lint and format checks run on our own code
too), so generated modules and hand-written ones look alike. It runs as a child process with
an environment built from nothing (no key, no proxy settings reach it), reads the module on
standard input and writes it on standard output; it never sees a path of the estate. Where it
cannot run, the module is kept as the translator wrote it (already valid, lines wrapped) and
the reason is logged.
"""

from __future__ import annotations

import logging
import os
import subprocess

log = logging.getLogger(__name__)

LINE_LENGTH = 100
"""The width generated modules keep (ruff format's line length, ruff check's E501)."""


def _ruff() -> str | None:
    try:
        from ruff.__main__ import find_ruff_bin
    except ImportError:
        return None
    try:
        return str(find_ruff_bin())
    except FileNotFoundError:
        return None


def format_module(source: str) -> str:
    """``source`` as ``ruff format`` lays it out (line length :data:`LINE_LENGTH`, the
    formatter's defaults otherwise); ``source`` itself when ruff cannot run."""
    binary = _ruff()
    if binary is None:
        log.warning("ruff is not installed: generated modules keep the translator's layout")
        return source
    try:
        result = subprocess.run(
            [binary, "format", "--isolated", "--line-length", str(LINE_LENGTH),
             "--stdin-filename", "module.py", "-"],
            input=source, capture_output=True, text=True, timeout=120, check=False,
            env={"PATH": os.defpath, "LANG": "C.UTF-8"})
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("ruff format did not run (%s): the module keeps the translator's layout",
                    exc)
        return source
    if result.returncode != 0:
        log.warning("ruff format refused a generated module: %s", result.stderr.strip()[:500])
        return source
    return result.stdout


def long_string(text: str, width: int = 60) -> str:
    """A string literal as Python code: one ``repr`` when short, else pieces of at most
    ``width`` characters joined by implicit concatenation in parentheses (so the formatter
    can lay them one a line within the line length)."""
    if len(text) <= width:
        return repr(text)
    pieces = [text[i:i + width] for i in range(0, len(text), width)]
    return "(" + " ".join(repr(piece) for piece in pieces) + ")"
