"""COBOL files: OPEN, READ, WRITE, REWRITE, DELETE, START and CLOSE with FILE STATUS, as
GnuCOBOL 3.1.2 (``cobc -x -fassign-clause=ibm``, default runtime configuration) does them.

Every statement sets the file's two-character status (``CobolFile.status``, also MOVEd to the
FILE STATUS item) and returns its outcome: ``"ok"`` (status 0x), ``"at_end"`` (1x),
``"invalid_key"`` (2x) or ``"error"`` (3x, 4x, 9x). GnuCOBOL ends the run unit when a
statement fails and nothing handles the failure: no FILE STATUS item is declared for the
file, and the statement has no AT END (for 1x) or INVALID KEY (for 2x) phrase. It then writes
``libcob: error: <text> (status = NN) for file F ('<source>' => <path>)`` to stderr, an
``implicit CLOSE`` warning per open file, and exits with code 1: here the statement raises
:class:`FileStatusError` (``message``, ``exit_code``) and :func:`close_all` gives the warnings.
With a FILE STATUS item nothing ever aborts, even a 46 or a 47 under AT END (the phrase then
runs neither branch). Callers pass ``handled=True`` when the statement has the AT END /
INVALID KEY phrase (for OPEN and CLOSE, which have none: when the failure must not abort, as
for every file but the last one of a multi-file ``OPEN``/``CLOSE``, which GnuCOBOL 3.1.2 never
checks).

Organizations, as observed on GnuCOBOL 3.1.2:

* LINE SEQUENTIAL: a WRITE writes the record without its trailing spaces (only spaces: NULs
  and tabs stay), then ``\\n``. ``AFTER ADVANCING n`` writes n ``\\n`` (0: one ``\\r``, PAGE:
  ``\\f``) before the record and no newline after it, but remembers that one is owed: the
  next CLOSE writes it unless a later WRITE without AFTER came first. ``BEFORE ADVANCING n``
  writes the record, then the n ``\\n`` (0: ``\\r``, PAGE: ``\\f``). A READ takes the bytes
  up to the next ``\\n`` (or the end of the file), drops every ``\\r``, keeps tabs, form feeds
  and NULs as data, truncates a longer line (the rest of it is skipped, status 00) and pads a
  shorter one with spaces to the record area's length. OPEN I-O, REWRITE, DELETE and START
  are refused by cobc.
* SEQUENTIAL (record sequential): records are the written record's bytes, back to back,
  without separators; a short last record reads with status 04 into the start of the area
  (the rest of the area keeps its bytes). When the FD's records differ in length
  (``variable=True``), each record is preceded by a 4-byte header: its length in 2 big-endian
  bytes, then 2 zero bytes; a READ then replaces only that many bytes of the area, and a
  REWRITE of another length is status 44. WRITE ADVANCING writes the same control bytes as
  for LINE SEQUENTIAL around the unchanged record; a WRITE without it writes no newline.
  REWRITE replaces the record last read (OPEN I-O; 43 unless the previous statement on the
  file was a successful READ).
* INDEXED: an embedded sqlite3 database at the resolved path (GnuCOBOL uses Berkeley DB: the
  files differ, the behaviour is the same), records ordered by their primary key's bytes.
  Keyed READ (23 when absent, the position for READ NEXT unchanged), READ NEXT from the last
  record read or from a START's record (10 at the end, then 46), START ``=``, ``>``, ``>=``,
  ``<``, ``<=`` (also FIRST and LAST) on the key or a leading part of it (23 when none, then
  READ NEXT is 46), WRITE (22 duplicate; with ACCESS SEQUENTIAL in OUTPUT or EXTEND, 21 unless
  the key is above the one last written by this OPEN), REWRITE and DELETE by the key in the
  record area (23 when absent), or with ACCESS SEQUENTIAL of the record last read (43
  otherwise). GnuCOBOL 3.1.2 quirk kept: a sequential-access REWRITE that changes the key
  deletes the record read and writes the new one (22, the old one gone, if the new key
  exists). WRITE needs OUTPUT, I-O (not with ACCESS SEQUENTIAL) or EXTEND (only with ACCESS
  SEQUENTIAL), else 48. START FIRST/LAST are GnuCOBOL's extensions.
* INDEXED with ALTERNATE RECORD KEYs (``alternate_keys``): READ KEY IS, START KEY on an
  alternate key (or a leading part of it) make it the key of reference, and READ NEXT then
  follows its order; a random READ without KEY, or a START on the record key, makes the
  record key the key of reference again. Duplicates of a WITH DUPLICATES key come in the order
  their values were written (a REWRITE that leaves the value alone keeps the record's place; a
  changed value goes last). A WRITE or REWRITE that would duplicate a key without DUPLICATES
  is 22 (21 for a WRITE with ACCESS SEQUENTIAL in OUTPUT) and changes nothing; one that
  gives a WITH DUPLICATES key a value other records
  already have is 02 (a successful status; READ never returns 02). SUPPRESS WHEN: a record
  whose key is made of that character only is left out of that key (no 22, no 02, not read
  by it). The keys are kept in the file beside the records; a file written by a program that
  declares no alternate keys has them rebuilt, in record key order, at the next OPEN by one
  that does.

Statuses common to all: OPEN 00; 05 for an absent OPTIONAL file (INPUT then reads at end at
once and creates nothing; OUTPUT, I-O and EXTEND create it); 35 absent and not OPTIONAL for
INPUT, I-O, EXTEND (also when its folder is missing); 30 OUTPUT into a missing folder, an
indexed file that is not one; 37 a folder for OUTPUT, EXTEND, I-O (a folder opened INPUT is
00, then reads at end as LINE SEQUENTIAL, 30 as SEQUENTIAL); 41 already open; 38 after a
CLOSE WITH LOCK. CLOSE 42 (not open); its other forms: see :meth:`CobolFile.close`.
READ/START 47 (not open for INPUT or I-O), 46 (after at end or a failed START). WRITE 48
(not open for OUTPUT/EXTEND). REWRITE/DELETE 49 (not open I-O). DELETE on a SEQUENTIAL
file: 43, else 91.

File names follow :func:`resolve` (``DD_name``, ``dd_name``, ``name`` environment variables,
``COB_FILE_PATH``); :func:`close_all` performs the implicit CLOSE at STOP RUN or abort, in
GnuCOBOL's order.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from .errors import CobolRuntimeError, UnsupportedError
from .fields import Item, Value

log = logging.getLogger(__name__)

ORGANIZATIONS = ("LINE SEQUENTIAL", "SEQUENTIAL", "INDEXED")
ACCESS_MODES = ("SEQUENTIAL", "RANDOM", "DYNAMIC")
OPEN_MODES = ("INPUT", "OUTPUT", "I-O", "EXTEND")

#: libcob's text for each status it aborts on (GnuCOBOL 3.1.2 runtime messages).
STATUS_MESSAGES: dict[str, str] = {
    "10": "end of file",
    "14": "key out of range",
    "21": "key order not ascending",
    "22": "record key already exists",
    "23": "record key does not exist",
    "30": "permanent file error",
    "31": "inconsistent file name",
    "35": "file does not exist",
    "37": "permission denied",
    "41": "file already open",
    "42": "file not open",
    "43": "READ must be executed first",
    "44": "record overflow",
    "46": "READ after unsuccessful READ/START",
    "47": "READ/START not allowed, file not open for input",
    "48": "WRITE not allowed, file not open for output",
    "49": "DELETE/REWRITE not allowed, file not open for I-O",
    "57": "LINAGE values invalid",
    "61": "file sharing conflict",
    "91": "runtime library is not configured for this operation",
}

ABORT_EXIT_CODE = 1
_OUTCOMES = {"0": "ok", "1": "at_end", "2": "invalid_key"}
_INDEX_FORMAT = "modernize-indexed-1"


class FileStatusError(CobolRuntimeError):
    """A failed I/O statement nothing handles: GnuCOBOL writes ``message`` to stderr (then
    the implicit CLOSE warnings, see :func:`close_all`) and ends with ``exit_code``."""

    def __init__(self, file: str, status: str, message: str,
                 exit_code: int = ABORT_EXIT_CODE) -> None:
        super().__init__(message)
        self.file = file
        self.status = status
        self.message = message
        self.exit_code = exit_code


# --------------------------------------------------------------------------- file names


@dataclass(frozen=True)
class Resolution:
    """Where an assignment name leads: ``path``; ``source`` is what libcob names in its
    messages (the environment variable used, else the name's mapping key)."""

    name: str
    path: str
    source: str

    def describe(self) -> str:
        """libcob's ``'source' => path`` (just ``'source'`` when both are the same)."""
        if self.source == self.path:
            return f"'{self.source}'"
        return f"'{self.source}' => {self.path}"


def assignment_name(assign: str | Item) -> str:
    """The external name of ``ASSIGN TO`` under ``-fassign-clause=ibm``.

    A quoted literal (``"data/in.txt"``) is taken as written; an unquoted assignment-name
    keeps the part after its last hyphen (``UT-S-TRANSIN`` and ``S-TRANSIN`` give TRANSIN,
    ``ABC-DEF`` gives DEF; case is kept); an item (``ASSIGN USING data-name``) gives its value
    without trailing spaces, at the time of the OPEN."""
    if isinstance(assign, Item):
        return assign.raw.decode("latin-1").rstrip(" ")
    text = assign.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text.rsplit("-", 1)[-1]


def _lookup(key: str, env: Mapping[str, str]) -> tuple[str, str] | None:
    for variable in (f"DD_{key}", f"dd_{key}", key):
        value = env.get(variable)
        if value:
            return variable, value
    return None


def resolve_assign(assign: str | Item, env: Mapping[str, str] | None = None) -> Resolution:
    """The file an assignment names, as GnuCOBOL 3.1.2 maps it (checked with cobc):

    * an absolute name is used as is;
    * a simple name (no ``/``) is looked up, with each ``.`` made ``_``, as the environment
      variables ``DD_name``, ``dd_name`` then ``name``: the first one set and not empty gives
      the file name; otherwise the name itself;
    * a name with ``/``: its first component is looked up the same way and replaced;
    * a relative result is then prefixed with ``$COB_FILE_PATH/`` when that is set, so it is
      relative to the working directory otherwise."""
    env = os.environ if env is None else env
    name = assignment_name(assign)
    if name.startswith("/"):
        return Resolution(name, name, name)
    head, slash, rest = name.partition("/")
    key = head.replace(".", "_")
    found = _lookup(key, env)
    if found:
        source, path = found[0], found[1] + slash + rest
    else:
        source, path = key, name
    prefix = env.get("COB_FILE_PATH")
    if prefix and not path.startswith("/"):
        path = f"{prefix}/{path}"
    return Resolution(name, path, source)


def resolve(assign: str | Item, env: Mapping[str, str] | None = None) -> str:
    """The path GnuCOBOL opens for ``ASSIGN TO assign`` (see :func:`resolve_assign`)."""
    return resolve_assign(assign, env).path


# --------------------------------------------------------------------------- run unit

_registered: list[weakref.ref[CobolFile]] = []


def _register(file: CobolFile) -> None:
    if not any(ref() is file for ref in _registered):
        _registered.append(weakref.ref(file))


def close_all() -> list[str]:
    """The implicit CLOSE at the end of the run unit (STOP RUN, or after a
    :class:`FileStatusError`): closes every file still open, as CLOSE does, and returns
    libcob's warning line for each (``libcob: warning: implicit CLOSE of F ('name')``), most
    recently registered file first (a file is registered at its first successful OPEN).
    The caller writes them to stderr. Forgets every registered file."""
    warnings: list[str] = []
    for ref in reversed(_registered):
        file = ref()
        if file is not None and file.is_open:
            warnings.append(f"libcob: warning: implicit CLOSE of {file.name} "
                            f"('{file.assignment}')")
            log.info("implicit CLOSE of %s", file.name)
            file._shutdown()
    _registered.clear()
    return warnings


# --------------------------------------------------------------------------- files


def _normalize(text: str) -> str:
    return " ".join(text.upper().replace("_", "-").split())


_START_OPS = {
    "=": "=", "EQUAL": "=", "EQUALS": "=", ">": ">", "GREATER": ">", ">=": ">=",
    "NOT <": ">=", "NOT LESS": ">=", "GREATER OR EQUAL": ">=", "<": "<", "LESS": "<",
    "<=": "<=", "NOT >": "<=", "NOT GREATER": "<=", "LESS OR EQUAL": "<=", "FIRST": "FIRST",
    "LAST": "LAST",
}


@dataclass(frozen=True)
class AlternateKey:
    """An ALTERNATE RECORD KEY: the field in the record area, WITH DUPLICATES, and the
    SUPPRESS WHEN character (a record whose key is that byte throughout is not indexed)."""

    item: Item
    duplicates: bool = False
    suppress: bytes | None = None

    def suppressed(self, value: bytes) -> bool:
        return self.suppress is not None and value == self.suppress * len(value)


def _alternate(spec: AlternateKey | tuple) -> AlternateKey:  # type: ignore[type-arg]
    if isinstance(spec, AlternateKey):
        return spec
    item, duplicates, *rest = spec
    suppress = rest[0] if rest else None
    if isinstance(suppress, str):
        suppress = suppress.encode("latin-1")
    if suppress is not None and len(suppress) != 1:
        raise UnsupportedError(f"SUPPRESS WHEN {suppress!r}: one character, repeated")
    return AlternateKey(item, bool(duplicates), suppress)


def _start_op(op: str) -> str:
    words = [w for w in _normalize(op).split() if w not in ("IS", "THAN", "TO", "KEY")]
    text = " ".join(words).replace("NOT<", "NOT <").replace("NOT>", "NOT >")
    if text not in _START_OPS:
        raise UnsupportedError(f"START condition {op!r}")
    return _START_OPS[text]


class CobolFile:
    """A file of the FILE-CONTROL paragraph (see the module docstring for the rules).

    ``record`` is the FD record area (as long as the longest 01 record); ``status`` the FILE
    STATUS item; ``record_key`` the RECORD KEY field inside the record area (INDEXED);
    ``alternate_keys`` its ALTERNATE RECORD KEYs, each an :class:`AlternateKey` or a tuple
    ``(field, duplicates[, suppress character])``;
    ``optional`` is SELECT OPTIONAL; ``variable`` says the FD's records differ in length
    (several 01 records of different sizes, or RECORD VARYING), which makes a SEQUENTIAL file
    carry a length header per record. ``assign`` is the ASSIGN text: a quoted literal, an
    IBM assignment-name (``UT-S-TRANSIN``) or an item (ASSIGN USING)."""

    def __init__(self, name: str, assign: str | Item, *, organization: str = "SEQUENTIAL",
                 access: str = "SEQUENTIAL", record: Item, status: Item | None = None,
                 record_key: Item | None = None,
                 alternate_keys: Sequence[AlternateKey | tuple] = (),  # type: ignore[type-arg]
                 optional: bool = False, variable: bool = False) -> None:
        org = _normalize(organization).replace("RECORD SEQUENTIAL", "SEQUENTIAL")
        if org not in ORGANIZATIONS:
            raise UnsupportedError(f"ORGANIZATION {organization} (supported: "
                                   f"{', '.join(ORGANIZATIONS)})")
        mode = _normalize(access)
        if mode not in ACCESS_MODES:
            raise UnsupportedError(f"ACCESS MODE {access}")
        if org != "INDEXED" and mode != "SEQUENTIAL":
            raise UnsupportedError(f"ACCESS {mode} on an {org} file (cobc refuses it)")
        if org == "INDEXED":
            if record_key is None:
                raise UnsupportedError(f"INDEXED file {name} without a RECORD KEY")
            if (record_key.buffer is not record.buffer or record_key.offset < record.offset
                    or record_key.offset + record_key.length > record.offset + record.length):
                raise UnsupportedError(f"the RECORD KEY of {name} is not inside its record")
        alternates = tuple(_alternate(spec) for spec in alternate_keys)
        if alternates and org != "INDEXED":
            raise UnsupportedError(f"ALTERNATE RECORD KEY on the {org} file {name}")
        for alternate in alternates:
            key = alternate.item
            if (key.buffer is not record.buffer or key.offset < record.offset
                    or key.offset + key.length > record.offset + record.length):
                raise UnsupportedError(f"an ALTERNATE RECORD KEY of {name} is not inside its "
                                       "record")
        self.name = name
        self.assign = assign
        self.organization = org
        self.access = mode
        self.record = record
        self.status_item = status
        self.record_key = record_key
        self.alternate_keys = alternates
        self.optional = optional
        self.variable = variable
        self.status = "00"
        self.mode: str | None = None
        self._resolution: Resolution | None = None
        self._quiet = False
        self.use_procedure: Callable[[CobolFile], bool] | None = None
        """USE AFTER ERROR: runs instead of an abort when a failure is not handled (it
        returns False when no declarative applies to the file in its mode)."""
        self.attempted_mode: str | None = None  # the mode of the last OPEN, even a failed one
        self._locked = False  # CLOSE WITH LOCK: OPEN is 38 from then on
        # sequential files
        self._fh: BinaryIO | None = None
        self._absent = False        # OPTIONAL file absent, opened INPUT
        self._folder = False        # a folder opened INPUT
        self._needs_nl = False      # AFTER ADVANCING owes a newline
        self._failed = False        # last READ failed: the next one is 46
        self._last_read: tuple[int, int] | bytes | None = None
        # indexed files
        self._db: sqlite3.Connection | None = None
        # where READ NEXT goes on: (key number, key value, duplicate number, inclusive); key
        # number 0 is the RECORD KEY (duplicate number 0), n the n-th alternate key
        self._position: tuple[int, bytes, int, bool] | None = None
        self._last_written: bytes | None = None

    # -- properties ------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self.mode is not None

    @property
    def assignment(self) -> str:
        """The external name (see :func:`assignment_name`)."""
        return assignment_name(self.assign)

    def __repr__(self) -> str:
        return f"CobolFile({self.name!r}, {self.organization}, status={self.status})"

    # -- status handling -------------------------------------------------------------------
    @contextlib.contextmanager
    def quiet(self) -> Iterator[None]:
        """Within this block no failure aborts and the FILE STATUS item is left alone (how
        SORT ... USING/GIVING uses a file: GnuCOBOL neither updates the item nor stops)."""
        saved = self._quiet
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = saved

    def _done(self, status: str, covers: bool) -> str:
        """Record ``status``; abort as GnuCOBOL does unless something handles it."""
        self.status = status
        if self.status_item is not None and not self._quiet:
            self.status_item.set(status)
        outcome = _OUTCOMES.get(status[0], "error")
        if outcome == "ok":
            return outcome
        log.debug("%s: status %s", self.name, status)
        if self.use_procedure is not None and not self._quiet and not covers and \
                self.use_procedure(self):
            # a declarative handled it (FILE STATUS or not): the program goes on after the
            # statement
            return outcome
        if self.status_item is None and not self._quiet and not covers:
            resolution = self._resolution or resolve_assign(self.assign)
            text = STATUS_MESSAGES.get(status, "unknown file error")
            message = (f"libcob: error: {text} (status = {status}) for file {self.name} "
                       f"({resolution.describe()})")
            log.info("%s", message)
            raise FileStatusError(self.name, status, message)
        return outcome

    def _phrase(self, status: str, handled: bool) -> str:
        """Finish a statement whose AT END / INVALID KEY phrase handles 1x and 2x only."""
        return self._done(status, handled and status[0] in "12")

    def _fill(self, data: bytes) -> None:
        """Put ``data`` at the start of the record area (the rest keeps its bytes)."""
        data = data[:self.record.length]
        start = self.record.offset
        self.record.buffer[start:start + len(data)] = data

    # -- OPEN / CLOSE ----------------------------------------------------------------------
    def open(self, mode: str, *, handled: bool = False) -> str:
        """OPEN INPUT, OUTPUT, I-O or EXTEND (statuses in the module docstring)."""
        mode = _normalize(mode).replace("IO", "I-O")
        if mode not in OPEN_MODES:
            raise ValueError(f"OPEN mode {mode!r}: one of {', '.join(OPEN_MODES)}")
        if self.organization == "LINE SEQUENTIAL" and mode == "I-O":
            raise UnsupportedError("OPEN I-O of a LINE SEQUENTIAL file (cobc refuses it)")
        self.attempted_mode = mode
        if self.mode is not None:
            return self._done("41", handled)
        self._resolution = resolve_assign(self.assign)
        if self._locked:
            return self._done("38", handled)
        path = self._resolution.path
        self._absent = self._folder = self._needs_nl = self._failed = False
        self._last_read = None
        self._position = (0, b"", 0, True)
        self._last_written = None
        if self.organization == "INDEXED":
            status = self._open_indexed(path, mode)
        else:
            status = self._open_sequential(path, mode)
        if status[0] == "0":
            self.mode = mode
            _register(self)
            log.debug("OPEN %s %s (%s): %s", mode, self.name, path, status)
        return self._done(status, handled)

    def _open_sequential(self, path: str, mode: str) -> str:
        status = "00"
        try:
            if mode == "INPUT":
                if os.path.isdir(path):
                    self._folder = True
                    return status
                try:
                    self._fh = open(path, "rb")  # noqa: SIM115 - closed by CLOSE
                except FileNotFoundError:
                    if not self.optional:
                        return "35"
                    self._absent = True
                    return "05"
                return status
            if os.path.isdir(path):
                return "37"
            if mode == "OUTPUT":
                if self.optional and not os.path.exists(path):
                    status = "05"
                try:
                    self._fh = open(path, "wb")  # noqa: SIM115
                except FileNotFoundError:
                    return "30"
                return status
            if not os.path.exists(path):
                if not self.optional:
                    return "35"
                status = "05"
            self._fh = open(path, "ab" if mode == "EXTEND" else "r+b" if status == "00"  # noqa: SIM115
                            else "w+b")
            return status
        except PermissionError:
            return "37"
        except OSError as exc:
            log.debug("OPEN %s %s: %s", mode, path, exc)
            return "30"

    def _open_indexed(self, path: str, mode: str) -> str:
        if os.path.isdir(path):
            return "30"
        exists = os.path.exists(path)
        status = "05" if self.optional and not exists else "00"
        if not exists and mode != "OUTPUT":
            if not self.optional:
                return "35"
            if mode == "INPUT":
                self._absent = True
                return status
        try:
            fresh = not exists or (mode == "OUTPUT" and os.path.getsize(path) == 0)
            db = sqlite3.connect(path, isolation_level=None)
        except (sqlite3.Error, OSError) as exc:
            log.debug("OPEN %s %s: %s", mode, path, exc)
            return "30"
        try:
            db.execute("PRAGMA synchronous=OFF")
            if fresh:
                db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
                db.execute("CREATE TABLE IF NOT EXISTS records "
                           "(key BLOB PRIMARY KEY, record BLOB NOT NULL) WITHOUT ROWID")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (_INDEX_FORMAT,))
            found = db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
            if not found or found[0] != _INDEX_FORMAT:
                raise sqlite3.DatabaseError(f"{path} is not an indexed file of this runtime")
            if mode == "OUTPUT":
                db.execute("DELETE FROM records")
            self._index_alternates(db, mode)
        except sqlite3.Error as exc:
            log.debug("OPEN %s %s: %s", mode, path, exc)
            db.close()
            return "30"
        self._db = db
        return status

    def _layout(self) -> str:
        """The alternate keys' places in the record, as kept in the file beside them."""
        return ";".join(f"{k.item.offset - self.record.offset}:{k.item.length}:"
                        f"{int(k.duplicates)}:{(k.suppress or b'').hex()}"
                        for k in self.alternate_keys)

    def _index_alternates(self, db: sqlite3.Connection, mode: str) -> None:
        """Make the ``alternates`` table (key number, value, duplicate number, record key)
        match the records and this program's alternate keys: kept when the file says it was
        made for the same keys, else built again in record key order (for INPUT in a
        temporary table: the file is not changed). A program without alternate keys that
        may change the records drops the table, so that no stale index is left."""
        exists = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                            "AND name = 'alternates'").fetchone() is not None
        if not self.alternate_keys:
            if exists and mode != "INPUT":
                db.execute("DROP TABLE alternates")
                db.execute("DELETE FROM meta WHERE name = 'alternates'")
            return
        layout = self._layout()
        found = db.execute("SELECT value FROM meta WHERE name = 'alternates'").fetchone()
        if exists and found is not None and found[0] == layout:
            if mode == "OUTPUT":
                db.execute("DELETE FROM alternates")
            return
        schema = ("(keyno INTEGER, value BLOB, seq INTEGER, key BLOB, "
                  "PRIMARY KEY (keyno, value, seq)) WITHOUT ROWID")
        if mode == "INPUT":
            db.execute(f"CREATE TEMP TABLE alternates {schema}")
        else:
            if exists:
                db.execute("DROP TABLE alternates")
            db.execute(f"CREATE TABLE alternates {schema}")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('alternates', ?)", (layout,))
        db.execute("CREATE INDEX IF NOT EXISTS alternates_by_key ON alternates (key)")
        for key, record in db.execute("SELECT key, record FROM records ORDER BY key"
                                      ).fetchall():
            self._add_alternates(db, bytes(key), bytes(record))

    def _values(self, data: bytes) -> list[bytes]:
        """The alternate keys' values in record bytes ``data``."""
        out = []
        for alternate in self.alternate_keys:
            start = alternate.item.offset - self.record.offset
            out.append(bytes(data[start:start + alternate.item.length]))
        return out

    def _add_alternates(self, db: sqlite3.Connection, key: bytes, data: bytes,
                        only: Sequence[int] | None = None) -> bool:
        """Index the record ``key`` under its alternate keys (``only`` those numbers, 1-based),
        each at the end of its duplicates; True when a WITH DUPLICATES key got a value other
        records have (status 02)."""
        duplicate = False
        for number, (alternate, value) in enumerate(
                zip(self.alternate_keys, self._values(data), strict=True), start=1):
            if (only is not None and number not in only) or alternate.suppressed(value):
                continue
            last = db.execute("SELECT MAX(seq) FROM alternates WHERE keyno = ? AND value = ?",
                              (number, value)).fetchone()[0]
            duplicate = duplicate or last is not None
            db.execute("INSERT INTO alternates VALUES (?, ?, ?, ?)",
                       (number, value, (last or 0) + 1, key))
        return duplicate

    def _alternate_conflict(self, data: bytes, key: bytes) -> bool:
        """Whether record bytes ``data`` (record key ``key``) would give a key without
        DUPLICATES a value another record has."""
        assert self._db is not None
        for number, (alternate, value) in enumerate(
                zip(self.alternate_keys, self._values(data), strict=True), start=1):
            if alternate.duplicates or alternate.suppressed(value):
                continue
            if self._db.execute("SELECT 1 FROM alternates WHERE keyno = ? AND value = ? "
                                "AND key <> ?", (number, value, key)).fetchone():
                return True
        return False

    def _replace_alternates(self, key: bytes, old: bytes | None, data: bytes) -> bool:
        """After the record ``key`` changed from ``old`` to ``data``: a key whose value
        changed goes to the end of its new duplicates, the others keep their place. True
        when a WITH DUPLICATES key got a value other records have (status 02)."""
        assert self._db is not None
        if not self.alternate_keys:
            return False
        before = self._values(old) if old is not None else [None] * len(self.alternate_keys)
        changed = [number for number, (was, now) in
                   enumerate(zip(before, self._values(data), strict=True), start=1)
                   if was != now]
        for number in changed:
            self._db.execute("DELETE FROM alternates WHERE keyno = ? AND key = ?",
                             (number, key))
        return self._add_alternates(self._db, key, data, only=changed)

    def close(self, how: str = "", *, handled: bool = False) -> str:
        """CLOSE [``how``: LOCK, NO REWIND, REEL, UNIT]: 42 when not open; a LINE SEQUENTIAL
        or SEQUENTIAL file written last with AFTER ADVANCING gets its owed newline. As
        GnuCOBOL 3.1.2 does them: WITH LOCK closes (00) and makes every later OPEN 38; for a
        (LINE) SEQUENTIAL file, WITH NO REWIND closes with 07, REEL and UNIT [FOR REMOVAL]
        leave the file open with 07 (no reel here); an INDEXED file just closes (00). A file
        closed WITH LOCK is not "not open" to GnuCOBOL: CLOSE again is done as above, and
        unlocks it unless it is WITH LOCK, REEL or UNIT."""
        if self.mode is None and not self._locked:
            return self._done("42", handled)
        how = _normalize(how).removeprefix("WITH ").removesuffix(" FOR REMOVAL")
        sequential = self.organization != "INDEXED"
        if how in ("REEL", "UNIT") and sequential:
            return self._done("07", handled)
        if how not in ("", "LOCK", "NO REWIND", "REEL", "UNIT"):
            raise ValueError(f"CLOSE ... {how!r}: LOCK, NO REWIND, REEL or UNIT")
        self._shutdown()
        self._locked = how == "LOCK"
        return self._done("07" if how == "NO REWIND" and sequential else "00", handled)

    def _shutdown(self) -> None:
        if self._fh is not None:
            if self._needs_nl:
                self._fh.write(b"\n")
            self._fh.close()
        if self._db is not None:
            self._db.close()
        self._fh = None
        self._db = None
        self._needs_nl = False
        self._last_read = None
        self.mode = None

    # -- READ ------------------------------------------------------------------------------
    def read(self, *, into: Item | None = None, next_: bool = True, key: Item | None = None,
             handled: bool = False) -> str:
        """READ [NEXT] [INTO into] [KEY IS key] into the record area.

        Sequential files and ACCESS SEQUENTIAL indexed files read the next record. An
        INDEXED file reads by the key in the record area with ACCESS RANDOM, and with ACCESS
        DYNAMIC when ``next_`` is False or ``key`` is given (READ without NEXT is a keyed
        read there). ``handled``: the statement has AT END or INVALID KEY. INTO MOVEs the
        whole record area to ``into`` after a successful READ."""
        self._last_read = None
        if self.mode not in ("INPUT", "I-O"):
            return self._phrase("47", handled)
        if self.organization == "INDEXED":
            keyed = self.access == "RANDOM" or (self.access == "DYNAMIC"
                                                and (not next_ or key is not None))
            number = self._key_part(key, whole=True)[0] if key is not None else 0
            status = self._read_keyed(number) if keyed else self._read_next_indexed()
        elif self._failed:
            status = "46"
        else:
            status = self._read_line() if self.organization == "LINE SEQUENTIAL" \
                else self._read_record()
            self._failed = status[0] == "1"
        if status[0] == "0" and into is not None:
            into.set(self.record)
        return self._phrase(status, handled)

    def _read_line(self) -> str:
        if self._absent or self._folder or self._fh is None:
            return "10"
        line = self._fh.readline()
        if not line:
            return "10"
        data = line.rstrip(b"\n").replace(b"\r", b"")[:self.record.length]
        self._fill(data.ljust(self.record.length, b" "))
        return "00"

    def _read_record(self) -> str:
        if self._absent or self._fh is None:
            return "30" if self._folder else "10"
        start = self._fh.tell()
        if self.variable:
            header = self._fh.read(4)
            if not header:
                return "10"
            size = int.from_bytes(header[:2], "big")
            data = self._fh.read(size)
            status = "00" if len(header) == 4 and len(data) == size else "04"
        else:
            size = self.record.length
            data = self._fh.read(size)
            if not data:
                return "10"
            status = "00" if len(data) == size else "04"
        self._fill(data)
        self._last_read = (start, len(data))
        return status

    def _key_bytes(self, data: bytes | None = None) -> bytes:
        assert self.record_key is not None
        if data is None:
            return self.record_key.raw
        start = self.record_key.offset - self.record.offset
        return data[start:start + self.record_key.length]

    def _key_part(self, key: Item, whole: bool = False) -> tuple[int, int]:
        """(key number, length) of the key ``key`` is, or of the key it is a leading part of
        (START KEY and READ KEY must name the record key or an alternate key or, for START, a
        field at the start of one): number 0 is the record key, n the n-th alternate key."""
        assert self.record_key is not None
        keys = [self.record_key, *(k.item for k in self.alternate_keys)]
        for exact in (True, False):
            for number, field_ in enumerate(keys):
                if key.buffer is field_.buffer and key.offset == field_.offset and (
                        key.length == field_.length if exact
                        else not whole and key.length < field_.length):
                    return number, key.length
        raise UnsupportedError(f"KEY {key!r} of {self.name} is neither its RECORD KEY nor one "
                               "of its ALTERNATE RECORD KEYs")

    def _read_keyed(self, number: int = 0) -> str:
        """READ by the value in the record area of key ``number`` (the first of its
        duplicates); that key becomes the key of reference."""
        if self._absent or self._db is None:
            return "23"
        if number == 0:
            key = self._key_bytes()
            row = self._db.execute("SELECT record FROM records WHERE key = ?",
                                   (key,)).fetchone()
            if row is None:
                return "23"
            self._fill(row[0])
            self._position = (0, key, 0, False)
            self._last_read = key
            return "00"
        alternate = self.alternate_keys[number - 1]
        value = alternate.item.raw
        found = self._db.execute(
            "SELECT a.seq, r.key, r.record FROM alternates a JOIN records r ON r.key = a.key "
            "WHERE a.keyno = ? AND a.value = ? ORDER BY a.seq LIMIT 1",
            (number, value)).fetchone()
        if found is None:
            return "23"
        self._fill(found[2])
        self._position = (number, value, found[0], False)
        self._last_read = bytes(found[1])
        return "00"

    def _read_next_indexed(self) -> str:
        if self._position is None:
            return "46"
        if self._absent or self._db is None:
            self._position = None
            return "10"
        number, after, seq, inclusive = self._position
        if number == 0:
            row = self._db.execute(
                f"SELECT key, record FROM records WHERE key {'>=' if inclusive else '>'} ? "
                "ORDER BY key LIMIT 1", (after,)).fetchone()
            if row is None:
                self._position = None
                return "10"
            self._fill(row[1])
            self._position = (0, bytes(row[0]), 0, False)
            self._last_read = bytes(row[0])
            return "00"
        found = self._db.execute(
            "SELECT a.value, a.seq, r.key, r.record FROM alternates a "
            "JOIN records r ON r.key = a.key WHERE a.keyno = ? AND (a.value > ? OR "
            f"(a.value = ? AND a.seq {'>=' if inclusive else '>'} ?)) "
            "ORDER BY a.value, a.seq LIMIT 1", (number, after, after, seq)).fetchone()
        if found is None:
            self._position = None
            return "10"
        self._fill(found[3])
        self._position = (number, bytes(found[0]), found[1], False)
        self._last_read = bytes(found[2])
        return "00"

    # -- WRITE -----------------------------------------------------------------------------
    def write(self, *, from_: Value | None = None, record: Item | None = None,
              advancing: tuple[str, int | str] | None = None, handled: bool = False) -> str:
        """WRITE ``record`` (the 01 record named, default the record area) [FROM from_]
        [AFTER|BEFORE ADVANCING n LINES|PAGE]: ``advancing`` is ``("AFTER"|"BEFORE", n)`` or
        ``(..., "PAGE")``. ``handled``: the statement has INVALID KEY."""
        rec = record if record is not None else self.record
        if from_ is not None:
            rec.set(from_)
        self._last_read = None
        if self.organization == "INDEXED":
            if advancing is not None:
                raise UnsupportedError("WRITE ADVANCING on an INDEXED file")
            return self._phrase(self._write_indexed(rec.raw), handled)
        if self.mode not in ("OUTPUT", "EXTEND") or self._fh is None:
            return self._phrase("48", handled)
        data = rec.raw
        if self.organization == "LINE SEQUENTIAL":
            data = data.rstrip(b" ")
        elif self.variable:
            data = len(data).to_bytes(2, "big") + b"\0\0" + data
        if advancing is None:
            out = data + b"\n" if self.organization == "LINE SEQUENTIAL" else data
            self._needs_nl = False
        else:
            when, amount = advancing
            when = _normalize(when)
            control = _advance(amount)
            if when == "AFTER":
                out = control + data
                self._needs_nl = True
            elif when == "BEFORE":
                out = data + control
                self._needs_nl = False
            else:
                raise ValueError(f"ADVANCING {when!r}: AFTER or BEFORE")
        self._fh.write(out)
        return self._phrase("00", handled)

    def _write_indexed(self, data: bytes) -> str:
        if self.mode not in ("OUTPUT", "EXTEND", "I-O") or self._db is None:
            return "48"
        if (self.mode == "I-O" and self.access == "SEQUENTIAL") or (
                self.mode == "EXTEND" and self.access != "SEQUENTIAL"):
            return "48"
        key = self._key_bytes(data)
        if (self.access == "SEQUENTIAL" and self._last_written is not None
                and key <= self._last_written):
            return "21"
        if self.alternate_keys and self._alternate_conflict(data, key):
            # GnuCOBOL 3.1.2 says 21 for it while loading a file (ACCESS SEQUENTIAL, OUTPUT)
            return "21" if self.access == "SEQUENTIAL" and self.mode == "OUTPUT" else "22"
        try:
            self._db.execute("INSERT INTO records VALUES (?, ?)", (key, data))
        except sqlite3.IntegrityError:
            return "22"
        self._last_written = key
        if self.alternate_keys and self._add_alternates(self._db, key, data):
            return "02"
        return "00"

    # -- REWRITE / DELETE ------------------------------------------------------------------
    def rewrite(self, *, from_: Value | None = None, record: Item | None = None,
                handled: bool = False) -> str:
        """REWRITE ``record`` [FROM from_]: replaces the record last read (sequential files,
        ACCESS SEQUENTIAL indexed files) or the record with the record area's key (ACCESS
        RANDOM/DYNAMIC). ``handled``: the statement has INVALID KEY."""
        if self.organization == "LINE SEQUENTIAL":
            raise UnsupportedError("REWRITE of a LINE SEQUENTIAL file (cobc refuses it)")
        rec = record if record is not None else self.record
        if from_ is not None:
            rec.set(from_)
        last, self._last_read = self._last_read, None
        if self.mode != "I-O":
            return self._phrase("49", handled)
        data = rec.raw
        if self.organization == "SEQUENTIAL":
            if not isinstance(last, tuple) or self._fh is None:
                return self._phrase("43", handled)
            start, size = last
            if len(data) != size:
                return self._phrase("44", handled)
            here = self._fh.tell()
            self._fh.seek(start + (4 if self.variable else 0))
            self._fh.write(data)
            self._fh.seek(here)
            return self._phrase("00", handled)
        assert self._db is not None
        key = self._key_bytes(data)
        if self.access == "SEQUENTIAL":
            if not isinstance(last, bytes):
                return self._phrase("43", handled)
            if key != last:  # GnuCOBOL 3.1.2: delete the record read, write the new one
                if self.alternate_keys and self._alternate_conflict(data, last):
                    return self._phrase("22", handled)
                self._db.execute("DELETE FROM records WHERE key = ?", (last,))
                if self.alternate_keys:
                    self._db.execute("DELETE FROM alternates WHERE key = ?", (last,))
                try:
                    self._db.execute("INSERT INTO records VALUES (?, ?)", (key, data))
                except sqlite3.IntegrityError:
                    return self._phrase("22", handled)
                duplicate = self._replace_alternates(key, None, data)
                return self._phrase("02" if duplicate else "00", handled)
        old = self._db.execute("SELECT record FROM records WHERE key = ?", (key,)).fetchone()
        if old is None:
            return self._phrase("23", handled)
        if self.alternate_keys and self._alternate_conflict(data, key):
            return self._phrase("22", handled)
        self._db.execute("UPDATE records SET record = ? WHERE key = ?", (data, key))
        duplicate = self._replace_alternates(key, bytes(old[0]), data)
        return self._phrase("02" if duplicate else "00", handled)

    def delete(self, *, handled: bool = False) -> str:
        """DELETE: the record last read (ACCESS SEQUENTIAL) or the record with the record
        area's key (INDEXED). ``handled``: the statement has INVALID KEY. cobc refuses it on
        a LINE SEQUENTIAL file; on a SEQUENTIAL one GnuCOBOL 3.1.2 gives 49 (not I-O), 43
        (no READ before) or 91 (runtime library is not configured for this operation)."""
        if self.organization == "LINE SEQUENTIAL":
            raise UnsupportedError("DELETE on a LINE SEQUENTIAL file (cobc refuses it)")
        last, self._last_read = self._last_read, None
        if self.mode != "I-O":
            return self._phrase("49", handled)
        if self.organization == "SEQUENTIAL":
            return self._phrase("91" if last is not None else "43", handled)
        assert self._db is not None
        if self.access == "SEQUENTIAL":
            if not isinstance(last, bytes):
                return self._phrase("43", handled)
            key = last
        else:
            key = self._key_bytes()
        done = self._db.execute("DELETE FROM records WHERE key = ?", (key,))
        if done.rowcount and self.alternate_keys:
            self._db.execute("DELETE FROM alternates WHERE key = ?", (key,))
        return self._phrase("00" if done.rowcount else "23", handled)

    # -- START -----------------------------------------------------------------------------
    def start(self, op: str = "=", key: Item | None = None, *, handled: bool = False) -> str:
        """START KEY op key (INDEXED, ACCESS SEQUENTIAL or DYNAMIC): positions READ NEXT at
        the first record whose key (or its leading ``key.length`` bytes, when ``key`` is a
        field at the start of the key) is ``=``, ``>`` or ``>=`` the value in ``key``, or at
        the last one ``<`` or ``<=`` it, then reading forward; FIRST and LAST take the first
        or last record. The key is the record key or an alternate key, which becomes the key
        of reference (duplicates in the order they were written). 23 when there is none (READ
        NEXT is then 46)."""
        if self.organization != "INDEXED":
            raise UnsupportedError(f"START on a {self.organization} file (cobc refuses it)")
        if self.access == "RANDOM":
            raise UnsupportedError("START on an ACCESS RANDOM file (cobc refuses it)")
        condition = _start_op(op)
        assert self.record_key is not None
        key = key if key is not None else self.record_key
        number, length = self._key_part(key)
        self._last_read = None
        if self.mode not in ("INPUT", "I-O"):
            return self._phrase("47", handled)
        value = key.raw
        row = None
        if not self._absent and self._db is not None:
            where, order = {"=": ("= ?", "ASC"), ">": ("> ?", "ASC"), ">=": (">= ?", "ASC"),
                            "<": ("< ?", "DESC"), "<=": ("<= ?", "DESC"),
                            "FIRST": (">= ?", "ASC"), "LAST": (">= ?", "DESC")}[condition]
            if condition in ("FIRST", "LAST"):
                value = b""
            if number == 0:
                found = self._db.execute(
                    f"SELECT key FROM records WHERE substr(key, 1, {length}) {where} "
                    f"ORDER BY key {order} LIMIT 1", (value,)).fetchone()
                row = (bytes(found[0]), 0) if found else None
            else:
                found = self._db.execute(
                    f"SELECT value, seq FROM alternates WHERE keyno = ? AND "
                    f"substr(value, 1, {length}) {where} ORDER BY value {order}, seq {order} "
                    "LIMIT 1", (number, value)).fetchone()
                row = (bytes(found[0]), found[1]) if found else None
        if row is None:
            self._position = None
            return self._phrase("23", handled)
        self._position = (number, row[0], row[1], True)
        return self._phrase("00", handled)


def _advance(amount: int | str) -> bytes:
    """The bytes ADVANCING n LINES / PAGE writes: n newlines, a carriage return for 0, a form
    feed for PAGE."""
    if isinstance(amount, str):
        if _normalize(amount) != "PAGE":
            raise UnsupportedError(f"ADVANCING {amount!r} (mnemonic names are not supported)")
        return b"\f"
    if amount < 0:
        raise ValueError("ADVANCING a negative number of lines")
    return b"\n" * amount if amount else b"\r"
