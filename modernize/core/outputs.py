"""Writing outputs safely: only inside ``--out``, atomically, one run per folder at a time.

Every file the workbench writes goes through ``write_inside`` (or ``inside`` for a folder
another library fills): the path must resolve inside the output folder, and the bytes land
in a temporary file of a unique name beside the target, renamed into place, so a reader never
sees half a file and two writers never share a temporary name. ``OutputLock`` makes a run the
only writer of its ``--out``: a second run waits for it, then refuses with a clear message.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import ModernizeError, OutputDirError

log = logging.getLogger(__name__)

LOCK_FILE = ".modernize.lock"


class OutsideOutputError(OutputDirError):
    """An output path would land outside the output folder."""


def inside(folder: Path, relative: str | Path) -> Path:
    """``folder / relative``, refused unless it stays inside ``folder`` (symlinks followed)."""
    base = Path(folder).resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base) or target == base:
        raise OutsideOutputError(f"refusing to write {relative!s}: it is not inside {folder}")
    return target


def write_inside(folder: Path, relative: str | Path, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8) to ``folder / relative`` atomically; returns the path."""
    target = inside(folder, relative)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, payload)
    except OSError as exc:
        raise OutputDirError(f"cannot write {target}: {exc.strerror or exc}; check that "
                             f"{folder} is writable and has space") from exc
    return target


def atomic_write(target: Path, payload: bytes | Iterable[bytes]) -> None:
    """``payload`` into ``target`` through a uniquely named temporary file and a rename;
    given as pieces, it is written piece by piece (a large file need not be held whole)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".tmp",
                                         dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            for piece in [payload] if isinstance(payload, bytes) else payload:
                stream.write(piece)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def refuse_undecodable(path: Path, what: str, error: type[ModernizeError]) -> None:
    """Raise ``error`` when ``path`` is not valid UTF-8 (a byte the file system's encoding
    could not decode): the model records paths as UTF-8 text, and SQLite opens files by UTF-8
    paths, so such a folder is refused before any work rather than failing midway."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(path).decode("utf-8", "backslashreplace")
        raise error(f"the path of {what} is not valid UTF-8 ({shown}): the model records "
                    "paths as UTF-8 text; rename the folder") from None


def ensure_writable(folder: Path) -> Path:
    """Create ``folder`` if needed and prove it is writable; a clear error when it is not."""
    folder = Path(folder)
    refuse_undecodable(folder.absolute(), "--out", OutputDirError)
    if folder.exists() and not folder.is_dir():
        raise OutputDirError(f"--out {folder} is a file: give a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise OutputDirError(f"cannot write to --out {folder}: {exc.strerror or exc}; give a "
                             "folder you can write to") from exc
    return folder


class OutputLock:
    """An exclusive lock on an output folder for the length of a run (``with OutputLock(out)``).

    The lock is ``fcntl.flock`` on ``LOCK_FILE`` in the folder: the kernel drops it when the
    process ends, however it ends, so a killed run never leaves a stale lock. Re-entrant within
    a process (``run`` holds it while calling the stages, which take it too).
    """

    _held: dict[Path, int] = {}

    def __init__(self, folder: Path, *, wait_s: float = 30.0) -> None:
        self.folder = Path(folder)
        self.wait_s = wait_s
        self._owner = False

    def __enter__(self) -> OutputLock:
        ensure_writable(self.folder)
        key = self.folder.resolve()
        if key in OutputLock._held:
            return self
        try:
            descriptor = os.open(key / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise OutputDirError(f"cannot lock --out {self.folder}: {exc.strerror or exc}") \
                from exc
        deadline = time.monotonic() + self.wait_s
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    os.close(descriptor)
                    raise OutputDirError(f"cannot lock --out {self.folder}: {exc}") from exc
                if time.monotonic() >= deadline:
                    os.close(descriptor)
                    raise OutputDirError(
                        f"another modernize run is writing to {self.folder} (waited "
                        f"{self.wait_s:g} s): wait for it to finish, or give another --out"
                    ) from None
                time.sleep(0.2)
        OutputLock._held[key] = descriptor
        self._owner = True
        return self

    def __exit__(self, *exc_info: object) -> None:
        if not self._owner:
            return
        descriptor = OutputLock._held.pop(self.folder.resolve())
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)


@contextlib.contextmanager
def locked(folder: Path, *, wait_s: float = 30.0) -> Iterator[Path]:
    """``with locked(out) as out:`` – the folder, writable and locked for this run."""
    with OutputLock(folder, wait_s=wait_s):
        yield Path(folder)
