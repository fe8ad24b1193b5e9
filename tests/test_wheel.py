"""A complete wheel: built from the checkout, installed into a fresh venv (not editable), it
runs the whole thread on the samples end to end.

The fresh venv gets the wheel alone (``pip install --no-deps``); the pinned dependencies come
from this project's environment through a ``.pth`` line, so the test needs no network and
still proves the wheel itself holds every module and data file the run needs.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import require_tool

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work),
                    str(ROOT)], check=True, timeout=300)
    wheel = next(work.glob("modernize-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / "modernize").rglob("*.py")}
    assert shipped <= names, sorted(shipped - names)
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    str(wheel)], check=True, timeout=300)
    packages = subprocess.run([str(python), "-c", "import site; print(site.getsitepackages()[0])"],
                              check=True, capture_output=True, text=True).stdout.strip()
    # the dependencies, from this environment: a plain path line (its own .pth files, such as
    # an editable install of this project, are not processed from there)
    (Path(packages) / "dependencies.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    return venv


def test_the_installed_wheel_runs_the_samples_end_to_end(fresh_venv: Path,
                                                         tmp_path: Path) -> None:
    if require_tool("cobc") is None:
        pytest.skip("cobc (GnuCOBOL) is not installed")
    where = subprocess.run([str(fresh_venv / "bin/python"), "-c",
                            "import modernize; print(modernize.__file__)"], check=True,
                           capture_output=True, text=True, cwd=tmp_path).stdout
    assert where.startswith(str(fresh_venv)), where  # the wheel's copy, not the checkout
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "PYTHON"))}
    done = subprocess.run([str(fresh_venv / "bin/modernize"), "run", str(ROOT / "legacy_samples"),
                           "--out", str(out)], capture_output=True, text=True, cwd=tmp_path,
                          env=env, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    for produced in ("model.json", "specs/TRANVAL.md", "backlog/backlog.json",
                     "code/tranval.py", "code/translation.json",
                     "validation/validation.json"):
        assert (out / produced).is_file(), produced
    validation = json.loads((out / "validation/validation.json").read_text())
    programs = validation["programs"]
    assert len(programs) >= 7
    for name in ("TRANVAL", "TRANSORT", "POSTTRAN", "INTCALC", "STMTRPT", "ACCTUPDT",
                 "CARDXTR"):
        assert programs[name]["equivalent"] == programs[name]["scenarios"] >= 20, name
