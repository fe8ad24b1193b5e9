"""A ``modernize run`` killed half way (kill -9 of the run and its workers) continues where it
stopped when run again with the same --out: what each program's translation and validation
gave is recorded as it finishes (core/journal.py), and the final outputs equal those of a run
that was never stopped."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

from same_outputs import SAMPLES, differences, modernize, needs_validation

from modernize.analysis.store import load_estate
from modernize.core.journal import JOURNAL_FOLDER, Journal, run_journal
from modernize.translate import JOURNAL_STAGE, Translation

VALIDATED = 7
"""The sample programs validated on their own (the batch ones GnuCOBOL can build)."""


@needs_validation()
def test_a_killed_run_continues_where_it_stopped(plain_run: Path, samples_copy: Path,
                                                 tmp_path: Path) -> None:
    out = tmp_path / "out"
    records = out / JOURNAL_FOLDER / "validation"
    process = subprocess.Popen(
        [sys.executable, "-m", "modernize.cli", "run", str(samples_copy), "--out", str(out),
         "--jobs", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)  # its own process group: the run and every worker
    deadline = time.monotonic() + 600
    try:
        while not (records.is_dir() and any(records.glob("*.json"))):
            assert process.poll() is None, "the run ended before it could be stopped"
            assert time.monotonic() < deadline, "no program's validation was recorded"
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    recorded = len(list(records.glob("*.json")))
    assert 1 <= recorded < VALIDATED
    assert not (out / "validation" / "validation.json").exists()  # it was stopped half way

    done = modernize("run", samples_copy, "--out", out, "--jobs", "2", check=False)
    assert done.returncode == 0, done.stderr
    # what was recorded was not done again
    assert "resumed: 9 program(s) translated by the interrupted run" in done.stderr
    assert f"resumed: {recorded} program(s) validated by the interrupted run" in done.stderr
    assert differences(plain_run, out) == []
    assert not (out / JOURNAL_FOLDER).exists()  # finished: the next run starts afresh


def _plant(out: Path, source: str) -> None:
    """A translation of TRANSORT in the journal of a run into ``out`` of the estate analysed
    there, as an interrupted run would have left it."""
    planted = Translation(program="TRANSORT", module_name="transort", source=source,
                          statements=1, translated=1)
    journal = run_journal(out, load_estate(out).input_digest)
    journal.put(JOURNAL_STAGE, "cobol:TRANSORT", {"translation": asdict(planted)})


def test_a_changed_estate_throws_the_recorded_work_away(tmp_path: Path) -> None:
    estate, out = tmp_path / "estate", tmp_path / "out"
    shutil.copytree(SAMPLES, estate)
    modernize("analyze", estate, "--out", out, "--jobs", "1")

    _plant(out, "# recorded by an interrupted run\n")
    done = modernize("run", estate, "--out", out, "--no-validate", "--jobs", "1")
    assert "resumed: 1 program(s) translated" in done.stderr
    assert (out / "code" / "transort.py").read_text() == "# recorded by an interrupted run\n"

    _plant(out, "# recorded by an interrupted run\n")
    copybook = next(estate.rglob("*.cpy"))
    copybook.write_text(copybook.read_text() + "      * edited since\n")
    done = modernize("run", estate, "--out", out, "--no-validate", "--jobs", "1")
    assert "resumed" not in done.stderr
    assert (out / "code" / "transort.py").read_text().startswith('"""TRANSORT: a Python')


def test_a_record_is_kept_only_for_the_same_estate_and_options(tmp_path: Path) -> None:
    first = Journal(tmp_path / "j", {"estate": "a"})
    first.put("translation", "cobol:X", {"failed": "why"})
    assert Journal(tmp_path / "j", {"estate": "a"}).get("translation", "cobol:X") == \
        {"failed": "why"}
    assert Journal(tmp_path / "j", {"estate": "b"}).get("translation", "cobol:X") is None
    assert Journal(tmp_path / "j", {"estate": "a"}).get("translation", "cobol:X") is None
    # a record cut short is a miss, never an error
    again = Journal(tmp_path / "j", {"estate": "a"})
    again.put("translation", "cobol:Y", {"failed": "why"})
    record = next((tmp_path / "j" / "translation").glob("*.json"))
    record.write_bytes(record.read_bytes()[:10])
    assert again.get("translation", "cobol:Y") is None
    # a record made from other code or settings (the stamp) is a miss too
    again.put("validation", "cobol:Z", {"failed": "why"}, stamp=["code 1", 20])
    assert again.get("validation", "cobol:Z", stamp=["code 2", 20]) is None
    assert again.get("validation", "cobol:Z", stamp=("code 1", 20)) == {"failed": "why"}
    assert again.reused == {"validation": 1}
    again.finish()
    assert not (tmp_path / "j").exists()
