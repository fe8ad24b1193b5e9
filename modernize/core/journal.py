"""What an unfinished ``modernize run`` has done, so a run stopped half way (killed, the
machine rebooted) continues where it stopped.

Each stage records each program's result as it comes back, one small JSON file per program
under ``OUT/.resume/<stage>/``, written to a temporary file and renamed into place: a record is
whole or absent, never half written. ``OUT/.resume/journal.json`` says what the records were
made from (the tool's version, the estate's input digest, the options that change results);
a journal made from anything else (an edited estate, other options) is thrown away whole when
the next run opens it. When the run ends, the journal is removed: it is a resume point, not a
cache, so a finished run's next run does all the work again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path
from typing import Any

from .. import __version__
from .errors import OutputDirError
from .outputs import atomic_write

log = logging.getLogger(__name__)

JOURNAL_FOLDER = ".resume"
"""The journal's folder under ``--out``."""
IDENTITY_FILE = "journal.json"


class Journal:
    """The records of one unfinished run in ``folder``, valid for ``identity`` only."""

    def __init__(self, folder: Path, identity: dict[str, Any]) -> None:
        self.folder = Path(folder)
        self.identity = _normal(identity)
        self.reused: dict[str, int] = {}  # stage → records taken from an earlier run
        marker = self.folder / IDENTITY_FILE
        try:
            found = json.loads(marker.read_bytes())
        except (OSError, ValueError):
            found = None
        if found != self.identity:
            if found is not None:
                log.info("the journal in %s was made from another estate or other options: "
                         "starting afresh", self.folder)
            shutil.rmtree(self.folder, ignore_errors=True)
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                atomic_write(marker, json.dumps(self.identity, sort_keys=True).encode())
            except OSError as exc:
                raise OutputDirError(f"cannot write the run's journal in {self.folder}: "
                                     f"{exc.strerror or exc}; check that the --out folder is "
                                     "writable") from exc

    def _file(self, stage: str, key: str) -> Path:
        return self.folder / stage / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"

    def get(self, stage: str, key: str, *, stamp: object = None) -> dict[str, Any] | None:
        """The record of ``key`` (a program id) in ``stage``, if this run's journal has one
        made with the same ``stamp`` (what else the result depends on); an unreadable record
        is a miss."""
        try:
            record = json.loads(self._file(stage, key).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("key") != key or \
                record.get("stamp") != _normal(stamp):
            return None
        value = record.get("value")
        if not isinstance(value, dict):
            return None
        self.reused[stage] = self.reused.get(stage, 0) + 1
        return value

    def put(self, stage: str, key: str, value: dict[str, Any], *, stamp: object = None
            ) -> None:
        """Record ``key``'s result in ``stage`` (made with ``stamp``): whole, or not at all."""
        target = self._file(stage, key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, json.dumps({"key": key, "stamp": stamp,
                                             "value": value}).encode())
        except OSError as exc:
            raise OutputDirError(f"cannot write the run's journal in {self.folder}: "
                                 f"{exc.strerror or exc}; check that the --out folder is "
                                 "writable and has space") from exc

    def finish(self) -> None:
        """The run is complete: remove the journal."""
        shutil.rmtree(self.folder, ignore_errors=True)


def _normal(value: object) -> Any:
    """``value`` as it reads back from JSON (tuples become lists)."""
    return json.loads(json.dumps(value, sort_keys=True))


def run_journal(out_dir: Path, estate_digest: str) -> Journal:
    """The journal of ``modernize run`` into ``out_dir``, for the estate whose input digest
    (every file's sha256, the copybook folders and procedure libraries) is ``estate_digest``;
    the stages add what else their records depend on (the validation: the code and its
    settings)."""
    return Journal(Path(out_dir) / JOURNAL_FOLDER, {"tool": __version__,
                                                    "estate": estate_digest})
