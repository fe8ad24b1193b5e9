"""Shared test settings."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

# the commands the tests run work in this process unless a test asks for workers (--jobs 2):
# a pool per command would only add start-up time; tests/test_jobs.py covers the workers
os.environ.setdefault("MODERNIZE_JOBS", "1")


def require_tool(name: str, *alternatives: str) -> str | None:
    """The path of a tool the tests need. Off CI a missing tool skips those tests; on CI
    (where scripts/setup installs it) it is an error, so a green CI cannot hide it."""
    for candidate in (name, *alternatives):
        found = shutil.which(candidate)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail(f"{name} is not installed, but CI must run these tests: scripts/setup "
                    "installs it", pytrace=False)
    return None


# --------------------------------------------------------------------------- whole runs


@pytest.fixture(scope="session")
def samples_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of legacy_samples every whole-run test of the session analyses (model.json
    holds the estate's folder, so runs to compare must read the same one)."""
    from same_outputs import SAMPLES

    target = tmp_path_factory.mktemp("samples-copy") / "legacy_samples"
    shutil.copytree(SAMPLES, target)
    return target


@pytest.fixture(scope="session")
def plain_run(samples_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The --out of a plain ``modernize run --jobs 1`` of ``samples_copy`` (validation
    included when cobc and bubblewrap are here): what parallel, resumed and Dask runs must
    equal, and the run whose reports the whole-thread tests read (one validated run of the
    samples for the session, not one per test). Its ``returncode``, ``stdout`` and ``stderr``
    are in ``run.json`` beside the folder (not in it: the folder is compared file by file
    with other runs)."""
    from same_outputs import modernize

    out = tmp_path_factory.mktemp("plain") / "out"
    done = modernize("run", samples_copy, "--out", out, "--jobs", "1", check=False)
    assert done.returncode in (0, 1), done.stderr
    (out.parent / "run.json").write_text(json.dumps(
        {"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}),
        encoding="utf-8")
    return out

