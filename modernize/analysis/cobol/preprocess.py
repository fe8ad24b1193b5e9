"""COBOL preprocessing: reference format, COPY ... REPLACING, REPLACE, with a source map.

The output is a list of ``SourceLine``: the program text of each line (what stands between the
indicator column and column 72 in fixed format), its indicator (' ', '-' for a continuation, 'D'
for a debugging line kept as code) and the original file and line it came from. Comment lines are
dropped; copybooks are expanded in place; REPLACING and REPLACE are applied token by token.
Nothing here raises on bad input: a missing copybook, a COPY cycle or a malformed statement
becomes a diagnostic and the text goes on.

What is read as what, checked token by token against GnuCOBOL's ``cobc -E``
(tests/test_against_cobc.py):

- fixed format: columns 1-6 and 73-80 are dropped; column 7 holds the indicator (``*`` and ``/``
  comment lines, ``-`` continuation, ``D``/``d`` debugging line); ``*>`` starts a floating
  comment outside literals; tabs count to the next multiple of 8, in copybooks as in programs.
- a literal still open at the end of a line runs to column 72, spaces included (a shorter line
  as if padded with spaces): such a line keeps its text to column 72, and the continuation
  line's literal goes on after its first quote. A closing quote in column 72 followed by a
  continuation line that starts with a quote was the first of a doubled quote.
- ``>>SOURCE FORMAT FREE`` / ``$SET SOURCEFORMAT"FREE"`` (and back to FIXED) switch the format
  for the rest of the file; a copybook of a free-format program is read as free format unless
  it says FIXED. Directive lines themselves are dropped.
- ``PROCESS`` lines (IBM compiler options) before the program's first line are dropped, as
  cobc drops them; ``CBL`` lines are kept, as cobc keeps them (the parser view leaves both
  out).
- debugging lines (``D`` in column 7, ``>>D`` anywhere in free or fixed format, and the Micro
  Focus ``D `` at the start of a free-format line, which cobc does not know) are kept only when
  the program says ``WITH DEBUGGING MODE``.
- the comment entries of the identification division (``AUTHOR.``, ``INSTALLATION.``,
  ``DATE-WRITTEN.``, ``DATE-COMPILED.``, ``DATE-MODIFIED.``, ``SECURITY.``, ``REMARKS.``) are
  dropped as cobc drops them: the line, and in fixed format the following lines with nothing in
  area A. Their free text may hold unpaired quotes or the word COPY, which must not be read.
- ``COPY name`` is looked for in the copybook folders in order (as cobc's ``-I``), then beside
  the file holding it, with the extensions of ``COPYBOOK_EXTENSIONS`` (``.cpy``, ``.dcl`` for
  DB2 DCLGEN members, ...) and those the caller adds (cobc's ``-ext``).
- ``COPY name [OF|IN lib] [SUPPRESS] [REPLACING ...]``: operands are pseudo-text (``==a b==``,
  several tokens), words or literals; ``LEADING``/``TRAILING`` replace part of a word, and so
  does a ``:TAG:`` or ``(TAG)`` placeholder. The REPLACING of a COPY applies to the copybooks
  it pulls in in turn. A COPY of a copybook already being copied is a ``copy-cycle``
  diagnostic; a copybook not found is ``copybook-missing``.
- ``REPLACE ... .`` applies from where it stands to the next ``REPLACE`` (``ALSO`` adds to the
  active operands) or ``REPLACE OFF.``, over the text with copybooks already expanded.
- replacement text keeps its own spacing (``==PIC X(2)==`` stays one picture string).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import logging
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ...core.errors import ModernizeError
from ...core.model import Diagnostic, Severity
from .tokens import Token, TokenKind, may_hold, tokenize_line, tokenize_lines

log = logging.getLogger(__name__)

COPYBOOK_EXTENSIONS = ("", ".cpy", ".CPY", ".cbl", ".CBL", ".cob", ".COB", ".copy", ".COPY",
                       ".dcl", ".DCL")
"""Tried in this order for `COPY NAME` (and `EXEC SQL INCLUDE NAME`): ``.dcl`` holds the DB2
DCLGEN members (`EXEC SQL DECLARE ... TABLE` and the COBOL record of the table)."""
_EXTENSION = re.compile(r"\.?[A-Za-z0-9_$#@+-]{1,16}")
MAX_COPY_DEPTH = 20
_FOLDERS_NAMED = 5  # search folders a copybook-missing diagnostic names
FIXED_TEXT_END = 72  # columns 73-80 are the identification area
MAX_LINE_CHARS = 4096
"""Longer lines are cut here, with a diagnostic: one hostile 10 MB line must not cost
gigabytes downstream."""


class Origin(NamedTuple):  # named tuples: made for every line of every program
    file: str  # posix path relative to the analysed root
    line: int  # 1-based


class SourceLine(NamedTuple):
    text: str
    origin: Origin
    indicator: str = " "
    copy_depth: int = 0

    def with_text(self, text: str) -> SourceLine:
        # the constructor, not dataclasses.replace: made for most lines of every copybook
        return SourceLine(text, self.origin, self.indicator, self.copy_depth)


# Members the compiler, the DB2 precompiler or CICS supply: not in a shop's repo, and not an error
SYSTEM_COPYBOOKS = {
    "SQLCA": "DB2 SQL communication area", "SQLDA": "DB2 SQL descriptor area",
    "DFHAID": "CICS attention identifiers", "DFHBMSCA": "CICS BMS attributes",
    "DFHEIBLK": "CICS exec interface block", "DFHMSRCA": "CICS MSR attributes",
    "CEEIGZCT": "Language Environment condition tokens (SCEESAMP)",
}


@dataclass(frozen=True)
class CopyUse:
    name: str
    library: str | None
    path: str | None  # resolved, relative to the root; None when missing
    origin: Origin  # where the COPY statement stands
    depth: int
    replacing: bool
    statement: str = "COPY"  # or "EXEC SQL INCLUDE"
    refused: bool = False  # names a file outside the estate: not read


@dataclass
class Preprocessed:
    path: str
    lines: list[SourceLine]
    copies: list[CopyUse] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    source_format: str = "fixed"

    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass(frozen=True)
class Replacement:
    """One operand pair of REPLACING or REPLACE."""

    pattern: tuple[Token, ...]
    by: str
    mode: str = "full"  # full, leading, trailing


Reader = Callable[[Path], str]


class CopybookExtensionError(ModernizeError):
    """A copybook extension given as an option is not a plain extension."""


def copybook_extensions(extra: Sequence[str] = ()) -> tuple[str, ...]:
    """The extensions COPY tries: the defaults, then each of ``extra`` (``inc`` or ``.inc``,
    as given, then in lower and upper case), like cobc's ``-ext``. Raises
    :class:`CopybookExtensionError` for anything but letters, digits and ``_$#@+-`` after
    an optional dot (no path, no wildcard)."""
    out = list(COPYBOOK_EXTENSIONS)
    for extension in extra:
        if not _EXTENSION.fullmatch(extension):
            raise CopybookExtensionError(
                f"--copybook-ext {extension!r} is not an extension: give letters and digits, "
                "with or without the dot (e.g. --copybook-ext .inc)")
        dotted = extension if extension.startswith(".") else f".{extension}"
        out += [dotted, dotted.lower(), dotted.upper()]
    return tuple(dict.fromkeys(out))


class CopybookRefused(Exception):
    """A COPY names a file outside the folders the analysis may read; the message says why."""


class CopybookResolver:
    """Finds copybooks along a list of folders, trying the usual extensions and letter cases.

    The folders are searched in order, as cobc searches its ``-I`` folders, and the folder of
    the file holding the COPY only after them: a copybook in the copybook folders wins over a
    program of the same name beside the program (`COPY INQCUST` in a folder that also holds
    the program INQCUST.cbl).

    Reads stay inside the estate: a copybook must resolve (symlinks followed) inside the
    estate root or a folder the caller named (``allowed_roots``, by default the root and the
    search folders). A name that is an absolute path or climbs with ``..``, or a candidate
    that leads outside, raises ``CopybookRefused`` instead of being read.
    """

    def __init__(self, root: Path, search_dirs: Sequence[Path],
                 extensions: Sequence[str] = COPYBOOK_EXTENSIONS,
                 allowed_roots: Sequence[Path] | None = None) -> None:
        self.root = root
        self.search_dirs = list(dict.fromkeys(Path(d) for d in search_dirs))
        self.extensions = tuple(extensions)
        allowed = [root, *self.search_dirs] if allowed_roots is None else allowed_roots
        self.allowed_roots = [Path(d).resolve() for d in allowed]
        self._searched = frozenset(self.search_dirs)
        self._first_dir = _first_folders(self.search_dirs)
        self._listings: dict[Path, frozenset[str]] = {}  # the files of each folder probed
        self._inside: dict[Path, bool] = {}  # what inside() found (a file system walk each)
        self._libraries: dict[str, tuple[list[Path], list[Path]]] = {}  # see _library_dirs

    def __getstate__(self) -> dict[str, object]:
        # sent to a worker with every program: the listings are rebuilt there as needed
        return {**self.__dict__, "_listings": {}, "_inside": {}, "_libraries": {}}

    def inside(self, path: Path) -> bool:
        """Whether ``path`` (symlinks followed) lies in a folder the analysis may read."""
        known = self._inside.get(path)
        if known is None:
            try:
                real = path.resolve()
            except (OSError, RuntimeError):
                return False
            known = self._inside[path] = any(real.is_relative_to(d)
                                             for d in self.allowed_roots)
        return known

    def resolve(self, name: str, library: str | None, near: Path | None = None) -> Path | None:
        name = name.strip("'\"")
        _refuse_outward(name, "copybook name")
        near_dirs = [near] if near and near not in self._searched else []
        lib = ""
        if library:
            lib = library.strip("'\"")
            _refuse_outward(lib, "library name")
        bases = tuple(dict.fromkeys((name, name.upper(), name.lower())))
        if "/" in name or "\\" in name:  # a path below the folders: asked of the file system
            dirs = self.search_dirs + near_dirs
            below, named = _library_folders(dirs, lib) if library else ([], [])
            found = self._stat(below + named + dirs, bases)
        else:  # the library's folders first
            library_dirs = self._library_dirs(lib, near_dirs) if library else []
            found = (self._listed(library_dirs, bases) or self._indexed(bases)
                     or self._listed(near_dirs, bases))
        if found is not None and not self.inside(found):
            raise CopybookRefused(
                f"{name} leads outside the estate (a symlink to a file outside "
                "the analysed folder and the --copybooks folders); not read")
        return found

    def _library_dirs(self, library: str, near_dirs: list[Path]) -> list[Path]:
        """The library's folders (:func:`_library_folders`) that hold any file, in order:
        the same first find as all of them (an empty or missing folder finds nothing). The
        search folders' part is found once per library: a COPY ... OF LIBRARY made three
        paths per search folder, and an estate has hundreds of them."""
        searched = self._libraries.get(library)
        if searched is None:
            searched = self._libraries[library] = tuple(
                [d for d in folders if self._listing(d)]
                for folders in _library_folders(self.search_dirs, library))
        if not near_dirs:
            return searched[0] + searched[1]
        near_sub, near_named = ([d for d in folders if self._listing(d)]
                                for folders in _library_folders(near_dirs, library))
        return searched[0] + near_sub + searched[1] + near_named

    def _listing(self, folder: Path) -> frozenset[str]:
        names = self._listings.get(folder)
        if names is None:
            names = self._listings[folder] = frozenset(_first_folders([folder]))
        return names

    def _stat(self, dirs: Sequence[Path], bases: Sequence[str]) -> Path | None:
        """The first ``dir/base+ext`` that is a file, asking the file system name by name."""
        for d in dirs:
            for base in bases:
                for ext in self.extensions:
                    candidate = d / f"{base}{ext}"
                    try:
                        if candidate.is_file():
                            return candidate
                    except OSError:  # a name too long for the file system, and the like
                        continue
        return None

    def _listed(self, dirs: Sequence[Path], bases: Sequence[str]) -> Path | None:
        """What :meth:`_stat` finds, from each folder's listing (read once)."""
        for d in dirs:
            names = self._listing(d)
            for base in bases:
                for ext in self.extensions:
                    if f"{base}{ext}" in names:
                        return d / f"{base}{ext}"
        return None

    def _indexed(self, bases: Sequence[str]) -> Path | None:
        """What :meth:`_stat` over the search folders finds, from their listings: the first
        folder holding any of the names wins, and in it the first name (bases, then
        extensions, in order). A dictionary lookup per name instead of a ``stat`` per folder
        and name, which grew with the square of the estate (every copy of a shop's copybook
        folder is another search folder)."""
        best: tuple[int, str] | None = None
        for base in bases:
            for ext in self.extensions:
                folder = self._first_dir.get(f"{base}{ext}")
                if folder is not None and (best is None or folder < best[0]):
                    best = (folder, f"{base}{ext}")
        return None if best is None else self.search_dirs[best[0]] / best[1]


def _library_folders(dirs: Sequence[Path], library: str) -> tuple[list[Path], list[Path]]:
    """Where ``COPY name OF library`` looks first, in two parts: the library's folder under
    each folder (as written, in lower and in upper case), and the folders named like the
    library. Over the search folders and the program's own, the first parts come first."""
    below = [d / case for d in dirs for case in (library, library.lower(), library.upper())]
    return below, [d for d in dirs if d.name.upper() == library.upper()]


def _first_folders(folders: Sequence[Path]) -> dict[str, int]:
    """Each file name in ``folders`` with the index of the first folder holding a file of that
    name (a symlink to a file counts, as ``is_file`` counts it)."""
    first: dict[str, int] = {}
    for index, folder in enumerate(folders):
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        if entry.name not in first and entry.is_file():
                            first[entry.name] = index
                    except OSError:
                        continue
        except OSError:  # gone or unreadable: nothing found there, as a stat would find
            continue
    return first


def _refuse_outward(name: str, what: str) -> None:
    """Refuse a COPY operand that names a path outside the search folders."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ".." in parts or "\0" in name:
        raise CopybookRefused(f"{what} {name!r} is an absolute path or climbs out with '..': "
                              "COPY only reads from the estate and the --copybooks folders; "
                              "not read")


def _default_reader(path: Path) -> str:
    from ..scan import decode_bytes, max_file_bytes

    size, limit = path.stat().st_size, max_file_bytes()
    if size > limit:
        raise OSError(f"too large: {size} bytes (limit {limit})")
    text, _ = decode_bytes(path.read_bytes())
    return text


class _Format:
    """Tracks the reference format, which >>SOURCE directives may switch mid-file."""

    def __init__(self, free: bool) -> None:
        self.free = free


_DIRECTIVE = re.compile(r"^\s*(>>|\$\s*SET\b)", re.IGNORECASE)
_FORMAT = r"(SOURCE\s+(FORMAT\s+)?(IS\s+)?{0}|SOURCEFORMAT\s*[\"(']?{0})"
_FORMAT_FREE = re.compile(_FORMAT.format("FREE"), re.I)
_FORMAT_FIXED = re.compile(_FORMAT.format("FIXED"), re.I)
_DEBUGGING_MODE = re.compile(r"\bWITH\s+DEBUGGING\s+MODE\b|\bDEBUGGING\s+MODE\b", re.I)


def debugging_mode(text: str, free: bool) -> bool:
    """Whether the program says WITH DEBUGGING MODE, in its code (a commented-out SOURCE-COMPUTER
    line does not count)."""
    if not may_hold(text, ("DEBUGGING",)) or not _DEBUGGING_MODE.search(text):
        return False  # most programs: a substring test, not the case-blind search
    for raw in text.split("\n"):
        if not _DEBUGGING_MODE.search(raw):
            continue
        raw = raw.expandtabs(8)
        if free:
            body = raw
        elif len(raw) > 6 and raw[6] in "*/":
            continue
        else:
            body = raw[7:FIXED_TEXT_END]
        if _DEBUGGING_MODE.search(_strip_inline_comment(body)):
            return True
    return False


def detect_free_format(text: str) -> bool:
    """Free format when a format directive in the first 50 lines says so."""
    for raw in text.splitlines()[:50]:
        if _DIRECTIVE.match(raw) or _DIRECTIVE.match(raw[7:] if len(raw) > 7 else ""):
            if _FORMAT_FREE.search(raw):
                return True
            if _FORMAT_FIXED.search(raw):
                return False
    return False


def split_reference_lines(text: str, file: str, free: bool, debugging_mode: bool,
                          diagnostics: list[Diagnostic], comment_entries: bool = False
                          ) -> list[SourceLine]:
    """Turn raw file text into program-text lines: no sequence area, comments, or columns 73+.

    With ``comment_entries`` (the text of a program, not of a copybook) the comment paragraphs
    of the identification division are dropped too, as cobc does.
    """
    fmt = _Format(free)
    entries = _CommentEntries(comment_entries)
    out: list[SourceLine] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        if len(raw) > MAX_LINE_CHARS:
            diagnostics.append(Diagnostic(
                severity=Severity.WARNING, code="line-too-long", file=file, line=number,
                message=f"line of {len(raw)} characters: only the first {MAX_LINE_CHARS} are "
                        "read (free-format COBOL lines are far shorter; fixed format reads "
                        "columns 7-72)"))
            raw = raw[:MAX_LINE_CHARS]
        raw = raw.rstrip("\r").expandtabs(8)
        stripped = raw.strip()
        if not stripped:
            continue
        area = raw if fmt.free else raw[6:FIXED_TEXT_END]  # from the indicator column on
        debug = _DEBUG_DIRECTIVE.match(area)
        if debug:
            if not debugging_mode:
                continue
            area = area[:debug.start(1)] + "   " + area[debug.end(1):]
            body = _strip_inline_comment(area if fmt.free else area[1:])
            indicator = "D"
        elif _DIRECTIVE.match(area):
            if _FORMAT_FREE.search(raw):
                fmt.free = True
            elif _FORMAT_FIXED.search(raw):
                fmt.free = False
            continue
        elif fmt.free:
            if stripped.startswith("*>"):
                continue
            indicator = " "
            if raw.startswith("D ") or raw.startswith("d "):
                if not debugging_mode:
                    continue
                raw = "  " + raw[2:]
                indicator = "D"
            body = _strip_inline_comment(raw)
        else:
            if len(raw) < 7:
                continue  # sequence number only
            indicator = raw[6]
            if indicator in "*/":
                continue
            if indicator in "Dd":
                if not debugging_mode:
                    continue
                indicator = "D"
            elif indicator not in " -":
                diagnostics.append(Diagnostic(
                    severity=Severity.WARNING, code="bad-indicator", file=file, line=number,
                    message=f"unexpected character {indicator!r} in the indicator column "
                            "(column 7); the line is read as code"))
                indicator = " "
            body = _strip_inline_comment(raw[7:FIXED_TEXT_END])
        if not body.strip() and indicator != "-":
            continue
        if entries.skip(body, fmt.free):
            continue
        if comment_entries and not out and _PROCESS.match(body):
            continue  # IBM compiler options before the program: cobc ignores them too
        text = body.rstrip()
        if not fmt.free and _ends_in_open_literal(text):
            # the literal goes on to column 72 (a short line as if padded with spaces), and
            # on the continuation line after its quote
            text = body.ljust(FIXED_TEXT_END - 7)
        # the tuples made whole, without the named tuples' keyword-taking constructors
        out.append(_new_tuple(SourceLine, (text, _new_tuple(Origin, (file, number)),
                                           indicator, 0)))
    return out


_new_tuple = tuple.__new__


def _ends_in_open_literal(text: str) -> bool:
    """Whether a literal opened on this line is still open at its end (it is continued)."""
    if "'" not in text and '"' not in text:
        return False
    # every quote outside a literal opens one (no word holds a quote) and the next same quote
    # closes it: what the tokenizer reads, without its tokens (a doubled quote inside a
    # literal closes it and opens another at once, which leaves the answer the same)
    index = 0
    while True:
        opening = _QUOTE.search(text, index)
        if opening is None:
            return False
        close = text.find(opening.group(), opening.end())
        if close < 0:
            return True
        index = close + 1


_QUOTE = re.compile("['\"]")


_DEBUG_DIRECTIVE = re.compile(r"^\s*(>>D)(?:\s|$)", re.IGNORECASE)
_PROCESS = re.compile(r"^\s*PROCESS(?:\s|$)", re.IGNORECASE)
_COMMENT_PARAGRAPH = re.compile(
    r"^\s*(AUTHOR|INSTALLATION|DATE-WRITTEN|DATE-MODIFIED|DATE-COMPILED|SECURITY|REMARKS)"
    r"(?![\w-])", re.IGNORECASE)
# a header ends a comment entry even when it is not written in area A, where cobc wants it
_HEADER = re.compile(r"\s*((ID|IDENTIFICATION|ENVIRONMENT|DATA|PROCEDURE)\s+DIVISION|PROGRAM-ID)\b",
                     re.IGNORECASE)
_DIVISION_OR_SECTION = re.compile(r"\b(DIVISION|SECTION|PROGRAM-ID)\b", re.IGNORECASE)
_HEADER_WORDS = ("DIVISION", "SECTION", "PROGRAM-ID")  # a line without one cannot match it


class _CommentEntries:
    """Drops the comment entries of the identification division (AUTHOR. J O'BRIEN. ...).

    Their text is free: quotes need not pair and words like COPY mean nothing, so they are
    removed before COPY and REPLACE are looked for. cobc's rule: in the identification division
    (after IDENTIFICATION DIVISION or PROGRAM-ID, before any other DIVISION or SECTION header), a
    line that starts with a comment-paragraph name is dropped, and in fixed format so is every
    following line with nothing in area A (columns 8-11).
    """

    def __init__(self, allowed: bool) -> None:
        self.allowed = allowed
        self.within = False

    def skip(self, body: str, free: bool) -> bool:
        if self.allowed and _COMMENT_PARAGRAPH.match(body):
            self.within = not free
            return True
        if self.within and not body[:4].strip() and not _HEADER.match(body):
            return True
        self.within = False
        if _names_a_division_or_section(body):
            self._track(body)
        return False

    def _track(self, body: str) -> None:
        words = [t.upper for t in tokenize_line(body) if t.kind is TokenKind.WORD]
        for i, word in enumerate(words):
            if word == "PROGRAM-ID" or (
                    word == "DIVISION" and i > 0 and words[i - 1] in ("ID", "IDENTIFICATION")):
                self.allowed = True
            elif word in ("DIVISION", "SECTION"):
                self.allowed = False


# asked of every line of every program, which an estate repeats: remembered
@functools.lru_cache(maxsize=1 << 14)
def _names_a_division_or_section(body: str) -> bool:
    return may_hold(body, _HEADER_WORDS) and _DIVISION_OR_SECTION.search(body) is not None


def _strip_inline_comment(body: str) -> str:
    """Drop a `*>` floating comment that stands outside any literal."""
    if "*>" not in body:
        return body
    quote: str | None = None
    for i, ch in enumerate(body):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif body.startswith("*>", i):
            return body[:i]
    return body


class Preprocessor:
    def __init__(self, root: Path, resolver: CopybookResolver,
                 reader: Reader | None = None) -> None:
        self.root = root
        self.resolver = resolver
        self.reader = reader or _default_reader
        self._cache: dict[Path, str] = {}
        self._real: dict[Path, Path] = {}  # what Path.resolve gave (a file system walk each)

    def __getstate__(self) -> dict[str, object]:
        # sent to a worker with every program: what it learnt is learnt again there
        return {**self.__dict__, "_cache": {}, "_real": {}}

    def real(self, path: Path) -> Path:
        """``path.resolve()``, asked of the file system once per path."""
        found = self._real.get(path)
        if found is None:
            found = self._real[path] = path.resolve()
        return found

    def rel(self, path: Path) -> str:
        try:
            return self.real(path).relative_to(self.real(self.root)).as_posix()
        except ValueError:
            return path.as_posix()

    def _read(self, path: Path) -> str:
        if path not in self._cache:
            self._cache[path] = self.reader(path)
        return self._cache[path]

    def run(self, path: Path, text: str | None = None) -> Preprocessed:
        file = self.rel(path)
        text = self._read(path) if text is None else text
        free = detect_free_format(text)
        debugging = debugging_mode(text, free)
        result = Preprocessed(path=file, lines=[], source_format="free" if free else "fixed")
        lines = split_reference_lines(text, file, free, debugging, result.diagnostics,
                                      comment_entries=True)
        lines = self._expand_copies(lines, path, depth=0, stack=(self.real(path),),
                                   result=result)
        result.lines = apply_replace_statements(lines, result.diagnostics)
        return result

    def _expand_copies(self, lines: list[SourceLine], path: Path, depth: int,
                       stack: tuple[Path, ...], result: Preprocessed) -> list[SourceLine]:
        tokens = _tokens_near(lines, (_COPY_WORD, _INCLUDE_WORD))
        if not tokens:
            return lines  # most files: no need to tokenize at all
        statements = sorted([(first, last, "COPY") for first, last in
                             _find_statements(tokens, "COPY")] +
                            [(first, last, "INCLUDE") for first, last in _find_includes(tokens)])
        if not statements:
            return lines
        out: list[SourceLine] = []
        consumed_to = (0, 0)  # (line index, column) up to which input text is used
        for first, last, verb in statements:
            start_tok, end_tok = tokens[first], tokens[last]
            origin = lines[start_tok.line].origin
            if verb == "COPY":  # the statement goes, the copybook comes in its place
                out.extend(_slice_lines(lines, consumed_to, (start_tok.line, start_tok.start)))
                consumed_to = (end_tok.line, end_tok.end)
                out.extend(self._copy(tokens[first:last + 1], origin, path, depth, stack,
                                      result))
            else:  # EXEC SQL INCLUDE stays (it is an SQL fact); the member follows it
                out.extend(_slice_lines(lines, consumed_to, (end_tok.line, end_tok.end)))
                consumed_to = (end_tok.line, end_tok.end)
                name = tokens[first + 3].text
                out.extend(self._bring_in(name, None, [], origin, path, depth, stack, result,
                                          statement="EXEC SQL INCLUDE"))
        out.extend(_slice_lines(lines, consumed_to, (len(lines), 0)))
        return out

    def _copy(self, stmt: list[Token], origin: Origin, path: Path, depth: int,
              stack: tuple[Path, ...], result: Preprocessed) -> list[SourceLine]:
        parsed = _parse_copy(stmt)
        if parsed is None:
            result.diagnostics.append(Diagnostic(
                severity=Severity.ERROR, code="copy-malformed", file=origin.file, line=origin.line,
                message="COPY statement without a copybook name; it was skipped"))
            return []
        name, library, replacements = parsed
        return self._bring_in(name, library, replacements, origin, path, depth, stack, result)

    def _bring_in(self, name: str, library: str | None, replacements: list[Replacement],
                  origin: Origin, path: Path, depth: int, stack: tuple[Path, ...],
                  result: Preprocessed, statement: str = "COPY") -> list[SourceLine]:
        """The lines of a copybook (or SQL INCLUDE member), expanded and replaced."""
        try:
            found = self.resolver.resolve(name, library, near=path.parent)
        except CopybookRefused as refused:
            result.copies.append(CopyUse(name=_shown_name(name), library=library,
                                         depth=depth + 1, path=None, origin=origin,
                                         replacing=bool(replacements), statement=statement,
                                         refused=True))
            result.diagnostics.append(Diagnostic(
                severity=Severity.ERROR, code="copybook-outside", file=origin.file,
                line=origin.line, message=f"{statement} refused: {refused}"))
            return []
        use = CopyUse(name=_shown_name(name), library=library, depth=depth + 1,
                      path=self.rel(found) if found else None, origin=origin,
                      replacing=bool(replacements), statement=statement)
        result.copies.append(use)
        if found is None and use.name in SYSTEM_COPYBOOKS:
            result.diagnostics.append(Diagnostic(
                severity=Severity.INFO, code="copybook-system", file=origin.file,
                line=origin.line,
                message=f"{use.name} is supplied by IBM ({SYSTEM_COPYBOOKS[use.name]}), not "
                        "by the repo; its fields are not in the model"))
            return []
        if found is None:
            searched = self.resolver.search_dirs
            # an estate with a copybook folder per application has hundreds: name a few
            dirs = ", ".join(self.rel(d) or "." for d in searched[:_FOLDERS_NAMED]) or "(none)"
            if len(searched) > _FOLDERS_NAMED:
                dirs += f" and {len(searched) - _FOLDERS_NAMED} more folders"
            result.diagnostics.append(Diagnostic(
                severity=Severity.ERROR, code="copybook-missing", file=origin.file,
                line=origin.line,
                message=f"copybook {use.name} not found (searched {dirs}); its contents are "
                        "missing from the analysis: add its folder with --copybooks"))
            return []
        if self.real(found) in stack or depth + 1 > MAX_COPY_DEPTH:
            result.diagnostics.append(Diagnostic(
                severity=Severity.ERROR, code="copy-cycle", file=origin.file, line=origin.line,
                message=f"COPY {use.name} would include itself "
                        f"({' -> '.join(self.rel(p) for p in stack)} -> {use.path}); skipped"))
            return []
        try:
            text = self._read(found)
        except OSError as exc:
            result.diagnostics.append(Diagnostic(
                severity=Severity.ERROR, code="copybook-unreadable", file=origin.file,
                line=origin.line, message=f"copybook {use.name} at {use.path} unreadable: {exc}"))
            return []
        free = result.source_format == "free" and not detect_fixed_directive(text)
        lines, diagnostics = _copybook_lines(text, self.rel(found), free, depth + 1)
        result.diagnostics.extend(diagnostics)
        body = list(lines)
        body = self._expand_copies(body, found, depth + 1, stack + (self.real(found),), result)
        return apply_replacements(body, replacements) if replacements else body


@functools.lru_cache(maxsize=256)
def _copybook_lines(text: str, file: str, free: bool, depth: int
                    ) -> tuple[tuple[SourceLine, ...], tuple[Diagnostic, ...]]:
    """The program-text lines of a copybook at a COPY depth, and what was wrong with them:
    remembered, because an estate's programs copy the same copybooks again and again (the
    lines and diagnostics are immutable, and the answer depends on the arguments only)."""
    diagnostics: list[Diagnostic] = []
    lines = split_reference_lines(text, file, free, False, diagnostics)
    return (tuple(SourceLine(ln.text, ln.origin, ln.indicator, depth) for ln in lines),
            tuple(diagnostics))


def _shown_name(name: str) -> str:
    return name.strip("'\"").upper()


def detect_fixed_directive(text: str) -> bool:
    return bool(_FORMAT_FIXED.search(text[:2000]))


def _find_statements(tokens: list[Token], verb: str):
    """Yield (first, last) token indexes of each `verb ... .` statement outside pseudo-text."""
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.kind is TokenKind.WORD and tok.upper == verb and _starts_statement(tokens, i):
            j, in_pseudo = i + 1, False
            while j < n:
                t = tokens[j]
                if t.kind is TokenKind.PSEUDO:
                    in_pseudo = not in_pseudo
                elif not in_pseudo and t.kind is TokenKind.SEPARATOR and t.text == ".":
                    break
                j += 1
            yield i, min(j, n - 1)
            i = j + 1
        else:
            i += 1


def _find_includes(tokens: list[Token]):
    """Yield (first, last) token indexes of `EXEC SQL INCLUDE name END-EXEC [.]`."""
    n = len(tokens)
    for i in range(n - 4):
        if tokens[i].upper == "EXEC" and tokens[i + 1].upper == "SQL" and \
                tokens[i + 2].upper == "INCLUDE" and tokens[i + 3].kind is TokenKind.WORD:
            j = i + 4
            while j < n and tokens[j].upper != "END-EXEC":
                j += 1
            if j + 1 < n and tokens[j + 1].text == "." and \
                    tokens[j + 1].kind is TokenKind.SEPARATOR:
                j += 1
            yield i, min(j, n - 1)


def _starts_statement(tokens: list[Token], i: int) -> bool:
    # `COPY` inside a literal never reaches here; as a data name (e.g. 05 COPY-CNT) it is one
    # word with the hyphen, so a bare COPY word is the statement.
    return True


def _parse_copy(stmt: list[Token]) -> tuple[str, str | None, list[Replacement]] | None:
    words = list(stmt[1:])
    if words and words[-1].kind is TokenKind.SEPARATOR and words[-1].text == ".":
        words.pop()  # the statement's period; one inside pseudo-text (==A.==) is its own
    if not words:
        return None
    name = words[0].text
    rest = words[1:]
    library = None
    if len(rest) >= 2 and rest[0].upper in ("OF", "IN"):
        library = rest[1].text
        rest = rest[2:]
    while rest and rest[0].upper == "SUPPRESS":
        rest = rest[1:]
    replacements: list[Replacement] = []
    if rest and rest[0].upper == "REPLACING":
        replacements = parse_replacing_operands(rest[1:])
    return name, library, replacements


def parse_replacing_operands(tokens: list[Token]) -> list[Replacement]:
    """Parse `[LEADING|TRAILING] op BY op ...` where op is pseudo-text, a word or a literal."""
    out: list[Replacement] = []
    i, n = 0, len(tokens)
    while i < n:
        mode = "full"
        if tokens[i].upper in ("LEADING", "TRAILING") and i + 1 < n:
            mode = tokens[i].upper.lower()
            i += 1
        pattern, i = _operand(tokens, i)
        if i < n and tokens[i].upper == "BY":
            by, i = _operand(tokens, i + 1)
            if pattern:
                out.append(Replacement(tuple(pattern), _join(by), mode))
        else:
            i += 1
    return out


def _operand(tokens: list[Token], i: int) -> tuple[list[Token], int]:
    if i >= len(tokens):
        return [], i
    if tokens[i].kind is TokenKind.PSEUDO:
        j = i + 1
        while j < len(tokens) and tokens[j].kind is not TokenKind.PSEUDO:
            j += 1
        return list(tokens[i + 1:j]), j + 1
    return [tokens[i]], i + 1


def _join(tokens: list[Token]) -> str:
    """The text of replacement tokens, spaced as written (`PIC X(2)` must stay one string)."""
    text = ""
    prev: Token | None = None
    for t in tokens:
        glued = prev is not None and prev.line == t.line and prev.end == t.start
        text += ("" if glued or prev is None else " ") + t.text
        prev = t
    return text


def _slice_lines(lines: list[SourceLine], start: tuple[int, int],
                 end: tuple[int, int]) -> list[SourceLine]:
    """The text between two (line, column) positions, as lines (blank pieces dropped)."""
    out: list[SourceLine] = []
    (l0, c0), (l1, c1) = start, end
    for index in range(l0, min(l1 + 1, len(lines))):
        line = lines[index]
        lo = c0 if index == l0 else 0
        hi = c1 if index == l1 else len(line.text)
        piece = " " * lo + line.text[lo:hi]
        if piece.strip() or (line.indicator == "-" and lo == 0):
            # a line kept to its end keeps its text (an open literal runs to column 72)
            out.append(line.with_text(piece if hi >= len(line.text) else piece.rstrip()))
    return out


def apply_replacements(lines: list[SourceLine], replacements: Sequence[Replacement]
                       ) -> list[SourceLine]:
    """Apply REPLACING/REPLACE operands to the text, token by token, in place."""
    texts = [ln.text for ln in lines]
    tokens = tokenize_lines(texts)
    edits: dict[int, list[tuple[int, int, str]]] = {}
    i = 0
    while i < len(tokens):
        matched = False
        for rep in replacements:
            size = len(rep.pattern)
            if rep.mode == "full" and size and _matches(tokens, i, rep.pattern):
                first, last = tokens[i], tokens[i + size - 1]
                if first.line == last.line:
                    edits.setdefault(first.line, []).append((first.start, last.end, rep.by))
                else:
                    edits.setdefault(first.line, []).append((first.start, len(texts[first.line]),
                                                             rep.by))
                    for t in tokens[i + 1:i + size]:
                        if t.line != first.line:
                            edits.setdefault(t.line, []).append((t.start, t.end, ""))
                i += size
                matched = True
                break
            partial = _partial_replace(tokens[i], rep)
            if partial is not None:
                tok = tokens[i]
                edits.setdefault(tok.line, []).append((tok.start, tok.end, partial))
                i += 1
                matched = True
                break
        if not matched:
            i += 1
    out = []
    for index, line in enumerate(lines):
        text = texts[index]
        for start, end, new in sorted(edits.get(index, []), reverse=True):
            text = text[:start] + new + text[end:]
        out.append(line.with_text(text))
    return out


def _matches(tokens: list[Token], i: int, pattern: tuple[Token, ...]) -> bool:
    if i + len(pattern) > len(tokens):
        return False
    return all(tokens[i + k].same_as(p) for k, p in enumerate(pattern))


def _partial_replace(tok: Token, rep: Replacement) -> str | None:
    """LEADING/TRAILING, and the `:TAG:` convention, replace part of a word."""
    if tok.kind is not TokenKind.WORD or len(rep.pattern) != 1:
        return None
    pat = rep.pattern[0].upper
    word = tok.upper
    if rep.mode == "leading" and word.startswith(pat) and word != pat:
        return rep.by + tok.text[len(pat):]
    if rep.mode == "trailing" and word.endswith(pat) and word != pat:
        return tok.text[:len(tok.text) - len(pat)] + rep.by
    if rep.mode == "full" and _is_tag(pat) and pat in word and word != pat:
        return re.sub(re.escape(pat), rep.by, tok.text, flags=re.IGNORECASE)
    return None


def _is_tag(pattern: str) -> bool:
    """`:TAG:` or `(TAG)` style placeholders, which compilers replace inside words too."""
    return (len(pattern) > 2 and pattern[0] == ":" and pattern[-1] == ":") or \
        (pattern[0] == "(" and pattern[-1] == ")")


_REPLACE_OFF = "OFF"


class _Word:
    """Where a COBOL word (COPY, REPLACE, ...) stands in a text, in any letter case, not as
    part of a longer word (``COPY-CNT``)."""

    def __init__(self, word: str) -> None:
        self.any_case = re.compile(rf"(?<![\w-]){word}(?![\w-])", re.IGNORECASE)
        # the same, asked of an ASCII text put in upper case (the same length, so the same
        # positions): the word comes first, so the search skips ahead to it instead of trying
        # the pattern at every character
        self.upper = re.compile(rf"{word}(?<![\w-]{word})(?![\w-])")

    def starts(self, text: str) -> list[int]:
        if text.isascii():
            return [match.start() for match in self.upper.finditer(text.upper())]
        return [match.start() for match in self.any_case.finditer(text)]


_INCLUDE_WORD, _COPY_WORD, _REPLACE_WORD = _Word("INCLUDE"), _Word("COPY"), _Word("REPLACE")


def _tokens_near(lines: list[SourceLine], words: tuple[_Word, ...]) -> list[Token]:
    """Tokens of the lines where one of the words stands, each run on to the period that ends
    its statement: what the statement finders need, without tokenizing the whole file."""
    tokens: list[Token] = []
    count, covered = len(lines), 0
    for hit in _lines_holding(lines, words):
        while hit >= covered:  # else in a statement already tokenized
            # from two lines before: `EXEC SQL` may stand there, before INCLUDE (and when
            # one of those ends a statement, the hit's line is tokenized next time round)
            index = max(hit - 2, covered)
            in_pseudo = ended = False
            while index < count and not ended:
                for token in tokenize_line(lines[index].text, index):
                    tokens.append(token)
                    if token.kind is TokenKind.PSEUDO:
                        in_pseudo = not in_pseudo
                    elif token.text == "." and token.kind is TokenKind.SEPARATOR and \
                            not in_pseudo:
                        ended = True  # the line is kept whole; the statement ends here
                index += 1
            covered = index
    return tokens


def _lines_holding(lines: list[SourceLine], words: tuple[_Word, ...]) -> list[int]:
    """The indexes of the lines where one of the words stands, in order. The lines are
    searched as one text (a word never spans a line: the patterns match no newline, and a
    newline is neither a word character nor a hyphen, as the start and end of a line are
    not)."""
    text = "\n".join(line.text for line in lines)
    starts = sorted({start for word in words for start in word.starts(text)})
    if not starts:
        return []
    line_starts = [0, *itertools.accumulate(len(line.text) + 1 for line in lines)]
    hits: list[int] = []
    for start in starts:
        row = bisect.bisect_right(line_starts, start) - 1
        if not hits or hits[-1] != row:
            hits.append(row)
    return hits


def _mentions(lines: list[SourceLine], word: _Word) -> bool:
    """A cheap look for a word before the full tokenizer runs."""
    return bool(word.starts("\n".join(line.text for line in lines)))


def apply_replace_statements(lines: list[SourceLine], diagnostics: list[Diagnostic]
                             ) -> list[SourceLine]:
    """Apply `REPLACE ==a== BY ==b== .` from where it stands until the next REPLACE."""
    if not _mentions(lines, _REPLACE_WORD):
        return lines
    tokens = tokenize_lines([ln.text for ln in lines])
    statements = list(_find_statements(tokens, "REPLACE"))
    if not statements:
        return lines
    out: list[SourceLine] = []
    consumed = (0, 0)
    active: list[Replacement] = []
    for first, last in statements:
        head = tokens[first]
        chunk = _slice_lines(lines, consumed, (head.line, head.start))
        out.extend(apply_replacements(chunk, active) if active else chunk)
        operands = [t for t in tokens[first + 1:last + 1]
                    if not (t.kind is TokenKind.SEPARATOR and t.text == ".")]
        if operands and operands[0].upper == _REPLACE_OFF:
            active = []
        else:
            if operands and operands[0].upper == "ALSO":
                operands = operands[1:]
            else:
                active = []
            active = active + parse_replacing_operands(operands)
            if not active:
                origin = lines[head.line].origin
                diagnostics.append(Diagnostic(
                    severity=Severity.WARNING, code="replace-malformed", file=origin.file,
                    line=origin.line, message="REPLACE statement with no usable operands"))
        consumed = (tokens[last].line, tokens[last].end)
    chunk = _slice_lines(lines, consumed, (len(lines), 0))
    out.extend(apply_replacements(chunk, active) if active else chunk)
    return out


def logical_tokens(lines: Sequence[SourceLine]) -> list[str]:
    """The program as a flat list of token texts, continuation lines joined.

    Used to compare with other preprocessors (cobc -E), where only the tokens matter.
    """
    out: list[str] = []
    for line in join_continuations(lines):
        out.extend(t.text for t in tokenize_line(line.text))
    return out


def join_continuations(lines: Sequence[SourceLine]) -> list[SourceLine]:
    """Fold each continuation line (indicator '-') into the line before it."""
    out: list[SourceLine] = []
    physical = ""  # the last line folded in, as it stands in the source
    for line in lines:
        if line.indicator != "-" or not out:
            out.append(line)
            physical = line.text
            continue
        prev = out[-1]
        cont = line.text.lstrip()
        last = tokenize_line(physical)[-1:] if physical.strip() else []
        # open: the literal runs past the line; or its closing quote stands in column 72 and
        # the continuation goes on with a quote: it was the first of a doubled quote ("")
        open_literal = bool(last) and last[0].kind is TokenKind.LITERAL and (
            last[0].unterminated or last[0].end >= FIXED_TEXT_END - 7)
        physical = line.text
        if open_literal and cont[:1] in "'\"":
            # an open literal runs to column 72, trailing spaces included (the preprocessor
            # keeps them on every line whose literal is continued)
            width = FIXED_TEXT_END - 7
            joined = prev.text.ljust(width) + cont[1:]
        else:
            joined = prev.text.rstrip() + cont
        out[-1] = prev.with_text(joined)
    return out
