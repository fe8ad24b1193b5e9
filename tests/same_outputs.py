"""Two ``--out`` folders of the same estate compared file by file, byte for byte (for the
parallel, resumed and Dask runs against a plain one).

What legitimately differs between any two runs, even two plain ones one after the other, is
left out or normalised, and nothing else:

- ``llm.sqlite`` is the audit log of model calls: run ids, timestamps and latencies. Its
  stored answers (the ``blobs`` table) are compared instead;
- ``validation/work/`` is the build cache and scratch space of the validation: cobc puts the
  compile time into every binary;
- in ``validation.json``, the wall times (``seconds`` of a program, ``legacy_s`` and
  ``python_s`` of a scenario) are set to 0.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require_tool

SAMPLES = Path(__file__).resolve().parent.parent / "legacy_samples"
LEDGER = "llm.sqlite"
SKIPPED_FOLDERS = ("validation/work",)
TIMES = frozenset({"seconds", "legacy_s", "python_s"})


def files(out: Path) -> dict[str, Path]:
    """Every file under ``out`` by its relative name, but the left-out folders."""
    found: dict[str, Path] = {}
    for parent, dirs, names in os.walk(out):
        here = Path(parent).relative_to(out)
        dirs[:] = [d for d in dirs if (here / d).as_posix() not in SKIPPED_FOLDERS]
        for name in names:
            found[(Path(parent) / name).relative_to(out).as_posix()] = Path(parent) / name
    return found


def _no_times(value: object) -> object:
    if isinstance(value, dict):
        return {k: 0 if k in TIMES else _no_times(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_times(v) for v in value]
    return value


def _answers(ledger: Path) -> list[tuple[str, str]]:
    database = sqlite3.connect(ledger)
    try:
        return database.execute("SELECT hash, text FROM blobs ORDER BY hash").fetchall()
    finally:
        database.close()


def differences(one: Path, two: Path) -> list[str]:
    """What differs between the two output folders (empty when they are the same)."""
    ours, theirs = files(one), files(two)
    found = [f"only in {one}: {name}" for name in sorted(ours.keys() - theirs.keys())]
    found += [f"only in {two}: {name}" for name in sorted(theirs.keys() - ours.keys())]
    for name in sorted(ours.keys() & theirs.keys()):
        a, b = ours[name], theirs[name]
        if name == LEDGER:
            same = _answers(a) == _answers(b)
        elif name == "validation/validation.json":
            same = _no_times(json.loads(a.read_bytes())) == _no_times(json.loads(b.read_bytes()))
        else:
            same = a.read_bytes() == b.read_bytes()
        if not same:
            found.append(f"differs: {name}")
    return found


def modernize(*args: str | Path, check: bool = True, **kwargs: object
              ) -> subprocess.CompletedProcess[str]:
    """``modernize ARGS`` in a process of its own (as a user runs it)."""
    done = subprocess.run([sys.executable, "-m", "modernize.cli", *map(str, args)],
                          capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    if check and done.returncode != 0:
        raise AssertionError(f"modernize {' '.join(map(str, args))} ended with "
                             f"{done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


def needs_validation() -> pytest.MarkDecorator:
    """Skip a whole-run comparison where the validation cannot run (no cobc or no bwrap;
    on CI a missing tool fails instead)."""
    missing = [tool for tool in ("cobc", "bwrap") if require_tool(tool) is None]
    return pytest.mark.skipif(bool(missing), reason=f"not installed: {', '.join(missing)}")
