"""Scan a legacy repo: find every file, tell what it is, how it is encoded and how big it is.

``scan_repo`` walks the tree in a fixed order and returns an ``Inventory``: one ``SourceFile`` per
file (kind, codec, size, sha256 of the raw bytes, line counts, line-end style). Nothing here
raises on a bad file: binary, huge, unreadable files and broken symlinks become diagnostics and
the scan goes on.

Encoding detection (``decode_bytes``), in this order:

1. UTF-16 with a byte-order mark.
2. NUL bytes anywhere: binary.
3. Valid UTF-8 (with or without BOM) with few control bytes: ``utf-8``.
4. Bytes that look like EBCDIC text (mostly 0x40 spaces, letters, digits and punctuation of
   code page 037, almost no bytes below 0x40 but the line ends 0x15/0x25/0x0D): ``cp037``. The
   NEL line end is turned into ``\\n``; a file without any line end whose length is a multiple
   of 80 is split into 80-column records.
5. Few control bytes: ``latin-1``. Else binary.

Classification (``classify``) trusts the extension where it is specific (.cbl, .cpy, .dcl for
the DB2 DCLGEN members, .jcl, .prc and .proc for cataloged procedures, .c, ...) and reads the
content where the name says little (no extension, unknown extension, .txt, .inc): PROGRAM-ID
with an IDENTIFICATION/PROCEDURE DIVISION header is a program, ``//name JOB`` or
``EXEC``/``DD`` cards are JCL, DFHMSD/DFHMDI macros a BMS map, and COBOL data descriptions
(or procedure text inside a copy/copylib/cpy folder) a copybook.
"""

from __future__ import annotations

import fnmatch
import hashlib
import logging
import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath

from ..core.executor import Executor
from ..core.model import Diagnostic, FileKind, Inventory, LineCounts, Severity, SourceFile

log = logging.getLogger(__name__)

DEFAULT_EXCLUDE: tuple[str, ...] = (".git", "out", "__pycache__", ".venv", "node_modules")
MAX_FILE_BYTES = 4 * 1024 * 1024
"""Files above this (``MODERNIZE_MAX_FILE_MB`` overrides it) are listed, hashed and skipped:
about 50,000 lines of 80 columns, larger than any real program, and the analysis of one file
of this size stays under about 1 GB of memory (see the README's security model)."""
RECORD_LENGTH = 80
SNIFF_BYTES = 64 * 1024  # bytes looked at for binary/EBCDIC detection
SNIFF_CHARS = 64 * 1024  # characters looked at for content classification

UTF8 = "utf-8"
UTF16 = "utf-16"
EBCDIC = "cp037"
LATIN1 = "latin-1"

# --- extensions -----------------------------------------------------------------------------

PROGRAM_EXTS = {".cbl", ".cob", ".cobol"}
COPYBOOK_EXTS = {".cpy", ".copy", ".cbk", ".copybook", ".dcl"}  # .dcl: DB2 DCLGEN members
JCL_EXTS = {".jcl", ".prc", ".proc", ".job"}
BMS_EXTS = {".bms"}
FORTRAN_FIXED_EXTS = {".f", ".for", ".f77", ".ftn"}
FORTRAN_FREE_EXTS = {".f90", ".f95", ".f03", ".f08"}
C_EXTS = {".c", ".h"}
JAVA_EXTS = {".java"}
DATA_EXTS = {
    ".dat", ".data", ".txt", ".csv", ".tsv", ".json", ".xml", ".seq", ".ps", ".vsam", ".ksds",
    ".esds", ".rrds", ".yaml", ".yml",
}
OTHER_EXTS = {
    ".md", ".rst", ".adoc", ".html", ".htm", ".css", ".js", ".ts", ".py", ".sh", ".bat", ".cmd",
    ".ps1", ".sql", ".toml", ".ini", ".cfg", ".conf", ".properties", ".gradle", ".mk", ".lock",
    ".ipynb", ".svg",
}
BINARY_EXTS = {
    ".exe", ".dll", ".so", ".o", ".obj", ".a", ".lib", ".class", ".jar", ".war", ".zip", ".gz",
    ".tgz", ".bz2", ".xz", ".7z", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".ico", ".pdf",
    ".xlsx", ".docx", ".pyc",
}
# Extensions that say nothing reliable: the content decides.
GENERIC_EXTS = {"", ".txt", ".inc", ".src", ".mbr", ".member"}
COPY_DIRS = {"copy", "copylib", "copylibs", "copybook", "copybooks", "cpy", "cpylib", "cpybook"}

# --- content patterns -----------------------------------------------------------------------

_CASE = re.IGNORECASE
_LINES = re.IGNORECASE | re.MULTILINE
_COBOL_HEAD = r"^.{0,6}[ \t]*"  # anything in the sequence area, then blanks
_ID_DIVISION = re.compile(_COBOL_HEAD + r"(?:IDENTIFICATION|ID)[ \t]+DIVISION\b", _LINES)
_PROC_DIVISION = re.compile(_COBOL_HEAD + r"PROCEDURE[ \t]+DIVISION\b", _LINES)
_PROGRAM_ID = re.compile(_COBOL_HEAD + r"PROGRAM-ID\b", _LINES)
_ANY_DIVISION = re.compile(
    r"\b(?:IDENTIFICATION|ID|ENVIRONMENT|DATA|PROCEDURE)[ \t]+DIVISION\b", _CASE
)
_FORMAT_DIRECTIVE = r"(?:>>\s*SOURCE\s+(?:FORMAT\s+)?(?:IS\s+)?{0}|SOURCEFORMAT\s*[\"'(]?\s*{0})"
_FREE_DIRECTIVE = re.compile(_FORMAT_DIRECTIVE.format("FREE"), _CASE)
_FIXED_DIRECTIVE = re.compile(_FORMAT_DIRECTIVE.format("FIXED"), _CASE)
_JCL_STATEMENT = re.compile(
    r"^//(?:[A-Z$#@][A-Z0-9$#@]{0,7}(?:\.[A-Z$#@][A-Z0-9$#@]{0,7})?)?[ ]+"
    r"(?:JOB|EXEC|DD|PROC|PEND|SET|JCLLIB|INCLUDE|OUTPUT|IF|ENDIF)\b",
    _LINES,
)
_BMS_MACRO = re.compile(r"\bDFHM(?:SD|DI|DF)\b")
_LEVEL_ENTRY = re.compile(
    r"^(?:0?[1-9]|[1-4][0-9]|66|77|88)(?:[ \t]+[A-Z0-9][A-Z0-9-]*)?[ \t]*(?:\.|[ \t]|$)", _CASE
)
_CLAUSE_LINE = re.compile(
    r"^(?:PIC|PICTURE|VALUE|VALUES|REDEFINES|OCCURS|USAGE|COMP(?:UTATIONAL)?(?:-[1-5X])?|"
    r"BINARY|PACKED-DECIMAL|INDEXED|DEPENDING|ASCENDING|DESCENDING|SIGN|JUSTIFIED|SYNC|"
    r"BLANK|TIMES|RENAMES|THRU|THROUGH)\b",
    _CASE,
)
_PIC_OR_TOP_LEVEL = re.compile(r"\bPIC(?:TURE)?\b|^(?:0?1|77)[ \t]", _CASE)
_VERB_LINE = re.compile(
    r"^(?:MOVE|PERFORM|END-PERFORM|IF|ELSE|END-IF|EVALUATE|WHEN|END-EVALUATE|COMPUTE|ADD|"
    r"SUBTRACT|MULTIPLY|DIVIDE|DISPLAY|ACCEPT|CALL|EXEC|END-EXEC|GO|GOBACK|EXIT|STOP|CONTINUE|"
    r"SET|INITIALIZE|STRING|UNSTRING|INSPECT|READ|WRITE|REWRITE|DELETE|START|OPEN|CLOSE|"
    r"SEARCH|SORT|MERGE|RETURN|RELEASE|NOT|AT|INVALID|COPY|SELECT|ASSIGN|FD|SD|ON)\b",
    _CASE,
)
_PARAGRAPH = re.compile(r"^[A-Z0-9][A-Z0-9-]*(?:[ \t]+SECTION)?[ \t]*\.$", _CASE)


# --- encoding -------------------------------------------------------------------------------

# Control bytes that plain ASCII/Latin-1/UTF-8 text does not contain.
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\r\x0b\x0c\x1a\x1b") + b"\x7f"
# The bytes of ordinary EBCDIC (cp037) text: space, line ends, tab, punctuation, letters, digits.
_EBCDIC_TEXT_BYTES = bytes(
    [0x40, 0x05, 0x0D, 0x15, 0x25]
    + list(range(0x4A, 0x51))  # ¢ . < ( + | &
    + list(range(0x5A, 0x62))  # ! $ * ) ; ¬ - /
    + list(range(0x6A, 0x70))  # ¦ , % _ > ?
    + list(range(0x79, 0x80))  # ` : # @ ' = "
    + list(range(0x81, 0x8A)) + list(range(0x91, 0x9A)) + list(range(0xA2, 0xAA))
    + list(range(0xC1, 0xCA)) + list(range(0xD1, 0xDA)) + list(range(0xE2, 0xEA))
    + list(range(0xF0, 0xFA))
)
_MAX_CONTROL_SHARE = 0.05


def _count_of(sample: bytes, byte_set: bytes) -> int:
    return len(sample) - len(sample.translate(None, byte_set))


def _control_share(sample: bytes) -> float:
    """Share of control bytes that plain text does not contain."""
    return _count_of(sample, _CONTROL_BYTES) / len(sample) if sample else 0.0


def _looks_ebcdic(sample: bytes) -> bool:
    """Mostly EBCDIC spaces, letters, digits and punctuation, with EBCDIC spaces present."""
    if not sample:
        return False
    text_share = _count_of(sample, _EBCDIC_TEXT_BYTES) / len(sample)
    return text_share >= 0.9 and sample.count(0x40) / len(sample) >= 0.03


def _sniff(data: bytes) -> tuple[str | None, str]:
    """The codec for ``data``, or None and the reason why it is binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data.decode(UTF16)
            return UTF16, ""
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        return None, "contains NUL bytes"
    sample = data[:SNIFF_BYTES]
    share = _control_share(sample)
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        if share <= _MAX_CONTROL_SHARE:
            return UTF8, ""
    if _looks_ebcdic(sample):
        return EBCDIC, ""
    if share <= _MAX_CONTROL_SHARE:
        return LATIN1, ""
    return None, f"{share:.0%} control bytes"


def _line_ending(text: str) -> str | None:
    crlf = text.count("\r\n")
    kinds = {
        "CRLF": crlf,
        "CR": text.count("\r") - crlf,
        "LF": text.count("\n") - crlf,
    }
    present = [name for name, count in kinds.items() if count]
    if not present:
        return None
    return present[0] if len(present) == 1 else "mixed"


def _decode_with(data: bytes, encoding: str, errors: str = "strict") -> tuple[str, str | None]:
    """Decode with a known codec: (text with "\\n" line ends, original line-end style)."""
    if encoding == UTF8:
        text = data.decode("utf-8-sig", errors)
    elif encoding == EBCDIC:
        text = data.decode(EBCDIC, errors).replace("\x85", "\n")  # NEL 0x15 -> newline
        if text and "\n" not in text and "\r" not in text and len(text) % RECORD_LENGTH == 0:
            records = range(0, len(text), RECORD_LENGTH)
            return "".join(text[i:i + RECORD_LENGTH] + "\n" for i in records), None
    else:
        text = data.decode(encoding, errors)
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n"), _line_ending(text)


def max_file_bytes() -> int:
    """The size above which a file is not read (``MODERNIZE_MAX_FILE_MB``, else
    ``MAX_FILE_BYTES``)."""
    configured = os.environ.get("MODERNIZE_MAX_FILE_MB", "").strip()
    try:
        return int(float(configured) * 1024 * 1024) if configured else MAX_FILE_BYTES
    except ValueError:
        log.warning("MODERNIZE_MAX_FILE_MB=%r is not a number; using %d bytes", configured,
                    MAX_FILE_BYTES)
        return MAX_FILE_BYTES


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode file bytes with the detected codec: (text with "\\n" line ends, codec name).

    Binary data is decoded as Latin-1 (which never fails); ``scan_repo`` skips such files.
    """
    encoding, _ = _sniff(data)
    encoding = encoding or LATIN1
    text, _ = _decode_with(data, encoding, errors="replace")
    return text, encoding


def read_source(root: Path, source: SourceFile) -> str:
    """The text of a scanned file, decoded with its detected codec, line ends as "\\n".

    Raises ``OSError`` when the file cannot be read and ``ValueError`` for a skipped file.
    """
    if source.skipped or source.encoding is None:
        raise ValueError(f"{source.path} was not read by the scan: {source.skipped}")
    data = _read_bytes(Path(root) / source.path)
    text, _ = _decode_with(data, source.encoding, errors="replace")
    return text


def source_lines(root: Path, file: str) -> list[str]:
    """The lines of a repo file, decoded as the scan would, to quote cited lines to a person;
    an empty list when the file cannot be read or lies outside ``root`` (symlinks followed)."""
    base = Path(root).resolve()
    try:
        path = (base / file).resolve()
        inside = path.is_relative_to(base) and path.is_file()
    except (OSError, ValueError, RuntimeError):
        inside = False
    if not inside:
        log.warning("not quoting %s: it is not a file inside the estate", file)
        return []
    try:
        data = _read_bytes(path)
    except OSError:
        return []
    if len(data) > max_file_bytes():
        return []
    text, _ = decode_bytes(data)
    return text.split("\n")


def _read_bytes(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read()


def _sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- COBOL reference format -----------------------------------------------------------------

def _split_lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _is_free_format(lines: Sequence[str]) -> bool:
    """A >>SOURCE directive decides; else free when many lines break the fixed layout."""
    head = lines[:50]
    joined = "\n".join(head)  # a line's directive is in it: most files are ruled out at once
    # (upper() takes the 'ſ' a case-blind pattern reads as 's' to 'S')
    if ">>" in joined or "SOURCEFORMAT" in joined.upper():
        for line in head:
            if _FREE_DIRECTIVE.search(line):
                return True
            if _FIXED_DIRECTIVE.search(line):
                return False
    significant = 0
    misplaced = 0
    for line in lines[:500]:
        if "\t" in line:
            line = line.expandtabs(8)
        area = line[:72]
        if not area or area.isspace():
            continue
        significant += 1
        if len(line) > 6 and line[6] not in " *-/dD$":
            misplaced += 1
    return significant > 0 and misplaced / significant > 0.3


def _cobol_lines(text: str) -> list[tuple[str, str]]:
    """Each line as (role, program text): role is "blank", "comment" or "code"."""
    lines = _split_lines(text)
    return _read_lines(lines, _is_free_format(lines))


def _read_lines(lines: list[str], free: bool) -> list[tuple[str, str]]:
    """:func:`_cobol_lines` of the file's lines, in free or fixed format."""
    out: list[tuple[str, str]] = []
    for raw in lines:
        line = raw.expandtabs(8)
        if free:
            content = line.strip()
            if not content:
                out.append(("blank", ""))
            elif content.startswith("*>"):
                out.append(("comment", content))
            else:
                out.append(("code", content.split("*>", 1)[0].strip()))
            continue
        role = _fixed_role(line)
        area = "" if role == "blank" else line[7:72].strip()
        if role == "code":
            area = area.split("*>", 1)[0].strip()
        out.append((role, area))
    return out


def _fixed_role(line: str) -> str:
    """A fixed-format line's role (tabs expanded): "blank" (only blanks, maybe a sequence
    number), "comment" (indicator or floating comment) or "code"."""
    if not line[6:72].strip():
        return "blank"
    if line[6] in "*/" or line[7:72].lstrip().startswith("*>"):
        return "comment"
    return "code"


def _cobol_roles(text: str) -> list[str]:
    """The role of each line, as :func:`_cobol_lines` gives it, without the program text:
    what counting lines needs (the scan counts every program and copybook of the estate)."""
    lines = _split_lines(text)
    if _is_free_format(lines):
        return [role for role, _ in _read_lines(lines, free=True)]
    return [_fixed_role(raw.expandtabs(8) if "\t" in raw else raw) for raw in lines]


def _looks_cobol_program(text: str) -> bool:
    return bool(_PROGRAM_ID.search(text)) and bool(
        _ID_DIVISION.search(text) or _PROC_DIVISION.search(text)
    )


def _looks_copybook(text: str, in_copy_dir: bool) -> bool:
    """COBOL data descriptions (or, in a copy folder, COBOL procedure text) and no program."""
    significant = data = procedure = embedded = 0
    top_level = False
    in_exec = False
    for role, content in _cobol_lines(text):
        if role != "code" or not content:
            continue
        significant += 1
        upper = content.upper()
        if in_exec or upper.startswith("EXEC "):  # EXEC SQL/CICS, e.g. a DCLGEN declaration
            embedded += 1
            in_exec = "END-EXEC" not in upper
        elif _LEVEL_ENTRY.match(content) or _CLAUSE_LINE.match(content):
            data += 1
            top_level = top_level or bool(_PIC_OR_TOP_LEVEL.search(content))
        elif _VERB_LINE.match(content) or _PARAGRAPH.match(content):
            procedure += 1
    if significant == 0:
        return False
    if in_copy_dir:
        return (data + procedure + embedded) / significant >= 0.5
    return top_level and (data + embedded) / significant >= 0.5


def _looks_jcl(text: str) -> bool:
    first = next((line for line in text.split("\n") if line.strip()), "")
    return first.startswith("//") and bool(_JCL_STATEMENT.search(text))


def _fixed_length_records(text: str) -> bool:
    lengths = {len(line) for line in _split_lines(text)}
    return len(_split_lines(text)) >= 3 and len(lengths) == 1 and min(lengths) >= 10


# --- classification -------------------------------------------------------------------------

def _suffix(path: str) -> str:
    return PurePosixPath(path).suffix.lower()


def _in_copy_dir(path: str) -> bool:
    return any(part.lower() in COPY_DIRS for part in PurePosixPath(path).parts[:-1])


def classify(path: str, text: str | None) -> FileKind:
    """The kind of a file, from its extension and, where that says little, its content.

    ``text`` is the decoded content, or None when it was not read (only the name counts then).
    """
    ext = _suffix(path)
    sample = text[:SNIFF_CHARS] if text else ""
    if ext in BINARY_EXTS:
        return FileKind.BINARY
    if ext in PROGRAM_EXTS:
        # A member without PROGRAM-ID or any DIVISION header that holds data descriptions is a
        # copybook stored under a program extension.
        if (sample and not _PROGRAM_ID.search(sample) and not _ANY_DIVISION.search(sample)
                and _looks_copybook(sample, in_copy_dir=_in_copy_dir(path))):
            return FileKind.COPYBOOK
        return FileKind.COBOL_PROGRAM
    if ext in COPYBOOK_EXTS:
        return FileKind.COPYBOOK
    if ext in JCL_EXTS:
        return FileKind.JCL
    if ext in BMS_EXTS:
        return FileKind.BMS_MAP
    if ext in FORTRAN_FIXED_EXTS or ext in FORTRAN_FREE_EXTS:
        return FileKind.FORTRAN
    if ext in C_EXTS:
        return FileKind.C
    if ext in JAVA_EXTS:
        return FileKind.JAVA
    if ext in OTHER_EXTS:
        return FileKind.OTHER
    if ext in DATA_EXTS and ext not in GENERIC_EXTS:
        return FileKind.DATA
    # No extension, an unknown one, or one that can hold anything: read the content.
    if sample:
        sniffed = _sniff_content(sample, _in_copy_dir(path))
        if sniffed is not None:
            return sniffed
        if _fixed_length_records(sample):
            return FileKind.DATA
    return FileKind.DATA if ext in DATA_EXTS else FileKind.OTHER


def _sniff_content(text: str, in_copy_dir: bool) -> FileKind | None:
    if _looks_cobol_program(text):
        return FileKind.COBOL_PROGRAM
    if _looks_jcl(text):
        return FileKind.JCL
    if _BMS_MACRO.search(text):
        return FileKind.BMS_MAP
    if _looks_copybook(text, in_copy_dir):
        return FileKind.COPYBOOK
    return None


# --- line counts ----------------------------------------------------------------------------

def count_lines(kind: FileKind, text: str, path: str = "") -> LineCounts:
    """Code, comment and blank lines of decoded text, by the comment rules of ``kind``."""
    if kind in (FileKind.COBOL_PROGRAM, FileKind.COPYBOOK):
        roles = _cobol_roles(text)
    elif kind in (FileKind.C, FileKind.JAVA):
        roles = _c_like_roles(_split_lines(text))
    else:
        is_comment = _line_comment_rule(kind, path)
        roles = [
            "blank" if not line.strip() else "comment" if is_comment(line) else "code"
            for line in _split_lines(text)
        ]
    return LineCounts(
        code=roles.count("code"), comment=roles.count("comment"), blank=roles.count("blank")
    )


def _line_comment_rule(kind: FileKind, path: str) -> Callable[[str], bool]:
    if kind == FileKind.JCL:
        return lambda line: line.startswith("//*")
    if kind == FileKind.FORTRAN:
        if _suffix(path) in FORTRAN_FREE_EXTS:
            return lambda line: line.lstrip().startswith("!")
        return lambda line: line[:1] in ("C", "c", "*", "!", "D", "d") or (
            line.lstrip().startswith("!")
        )
    if kind == FileKind.BMS_MAP:  # assembler: '*' in column 1, '.*' macro comments
        return lambda line: line.startswith(("*", ".*"))
    return lambda line: False


def _c_like_roles(lines: Sequence[str]) -> list[str]:
    """C/Java: a line is code when anything but comments stands on it."""
    roles: list[str] = []
    in_block = False
    for line in lines:
        if not line.strip():
            roles.append("blank")
            continue
        has_code = has_comment = False
        quote: str | None = None
        i = 0
        while i < len(line):
            pair = line[i:i + 2]
            if in_block:
                has_comment = True
                if pair == "*/":
                    in_block = False
                    i += 2
                    continue
            elif quote:
                if line[i] == "\\":
                    i += 1
                elif line[i] == quote:
                    quote = None
            elif pair == "//":
                has_comment = True
                break
            elif pair == "/*":
                in_block = has_comment = True
                i += 2
                continue
            elif line[i] in "\"'":
                quote = line[i]
                has_code = True
            elif not line[i].isspace():
                has_code = True
            i += 1
        roles.append("code" if has_code else "comment" if has_comment else "blank")
    return roles


# --- the walk -------------------------------------------------------------------------------

def _excluded(name: str, rel: str, exclude: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(rel, p) for p in exclude)


def _walk(root: Path, directory: Path, rel: PurePosixPath, exclude: Sequence[str],
          diagnostics: list[Diagnostic]) -> Iterator[tuple[str, Path]]:
    """(posix relative path, path) of every file to scan, sorted by name at each level."""
    try:
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        diagnostics.append(_diag(Severity.ERROR, "unreadable", f"cannot list folder: {exc}",
                                 rel.as_posix()))
        return
    for entry in entries:
        entry_rel = rel / entry.name
        rel_str = entry_rel.as_posix()
        if _excluded(entry.name, rel_str, exclude):
            continue
        try:
            rel_str.encode("utf-8")
        except UnicodeEncodeError:  # undecodable bytes in the name: no usable path to record
            shown = rel_str.encode("utf-8", "backslashreplace").decode("utf-8")
            diagnostics.append(_diag(Severity.WARNING, "bad-file-name",
                                     "file name is not valid UTF-8; skipped", shown))
            continue
        path = Path(entry.path)
        try:
            is_symlink = entry.is_symlink()
        except OSError:
            is_symlink = False
        if is_symlink:
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError) as exc:
                diagnostics.append(_diag(Severity.WARNING, "broken-symlink",
                                         f"symlink target missing: {exc}", rel_str))
                continue
            if not target.is_relative_to(root):
                diagnostics.append(_diag(Severity.WARNING, "symlink-outside-root",
                                         f"symlink leads out of the root to {target}; skipped",
                                         rel_str))
                continue
            if target.is_dir():
                diagnostics.append(_diag(Severity.INFO, "symlink-skipped",
                                         "symlink to a folder inside the root; scanned there",
                                         rel_str))
                continue
            yield rel_str, path
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(root, path, entry_rel, exclude, diagnostics)
        else:
            yield rel_str, path


def _diag(severity: Severity, code: str, message: str, file: str) -> Diagnostic:
    # a diagnostic is kept in the model and counted in the summary: one log line per file
    # would bury what matters under hundreds of skipped binaries
    log.debug("%s: %s: %s", file, code, message)
    return Diagnostic(severity=severity, code=code, message=message, file=file)


def _scan_file(rel: str, path: Path, diagnostics: list[Diagnostic],
               known: Mapping[str, SourceFile]) -> SourceFile | None:
    try:
        info = path.stat()
    except OSError as exc:
        diagnostics.append(_diag(Severity.ERROR, "unreadable", f"cannot stat: {exc}", rel))
        return None
    if not stat.S_ISREG(info.st_mode):
        diagnostics.append(_diag(Severity.WARNING, "not-a-file",
                                 "not a regular file (device, pipe or socket); skipped", rel))
        return None
    try:
        limit = max_file_bytes()
        if info.st_size > limit:
            reason = f"too large: {info.st_size} bytes (limit {limit})"
            diagnostics.append(_diag(Severity.WARNING, "too-large", reason + "; skipped", rel))
            return SourceFile(path=rel, kind=classify(rel, None), encoding=None,
                              size=info.st_size, sha256=_sha256_of_file(path), skipped=reason)
        data = _read_bytes(path)
    except OSError as exc:
        diagnostics.append(_diag(Severity.ERROR, "unreadable", f"cannot read: {exc}", rel))
        return None
    digest = hashlib.sha256(data).hexdigest()
    previous = known.get(rel)
    if previous is not None and previous.sha256 == digest and previous.skipped is None:
        # same bytes at the same path: same kind, codec and counts; skip decoding them again
        if previous.encoding in (EBCDIC, LATIN1):
            diagnostics.append(_diag(Severity.INFO, "encoding-fallback",
                                     f"not UTF-8; decoded as {previous.encoding}", rel))
        return previous
    encoding, why_binary = _sniff(data)
    if encoding is None:
        reason = f"binary: {why_binary}"
        diagnostics.append(_diag(Severity.WARNING, "binary-skipped", reason + "; skipped", rel))
        return SourceFile(path=rel, kind=FileKind.BINARY, encoding=None, size=len(data),
                          sha256=digest, skipped=reason)
    text, line_ending = _decode_with(data, encoding)
    if encoding in (EBCDIC, LATIN1):
        diagnostics.append(_diag(Severity.INFO, "encoding-fallback",
                                 f"not UTF-8; decoded as {encoding}", rel))
    kind = classify(rel, text)
    return SourceFile(path=rel, kind=kind, encoding=encoding, size=len(data), sha256=digest,
                      lines=count_lines(kind, text, rel), line_ending=line_ending)


def scan_repo(root: Path, *, exclude: Sequence[str] = DEFAULT_EXCLUDE,
              known: Mapping[str, SourceFile] | None = None,
              executor: Executor | None = None) -> Inventory:
    """Every file under ``root`` (sorted, excluded folders and outward symlinks left out).

    ``known`` is a previous scan's files by path: a file whose bytes hash the same is taken
    from it instead of being decoded, classified and counted again. The folders are walked
    here; the files are read by ``executor``'s workers (by default here), in batches, and
    the inventory is the same for any of them.
    """
    root = Path(root)
    diagnostics: list[Diagnostic] = []
    if not root.is_dir():
        diagnostics.append(_diag(Severity.ERROR, "unreadable", "root is not a folder", "."))
        return Inventory(root=root.as_posix(), files=(), diagnostics=tuple(diagnostics))
    real_root = root.resolve()
    # what the walk found, in its order: a file to read, or a diagnostic of the walk (kept
    # in place, so the diagnostics come in the order a file-by-file scan gives)
    found: list[tuple[str, Path] | Diagnostic] = []
    walk_diagnostics: list[Diagnostic] = []
    for rel, path in _walk(real_root, root, PurePosixPath(), exclude, walk_diagnostics):
        found += walk_diagnostics
        walk_diagnostics.clear()
        found.append((rel, path))
    found += walk_diagnostics
    paths = [entry for entry in found if not isinstance(entry, Diagnostic)]
    known = known or {}
    batches = [[(rel, path, known.get(rel)) for rel, path in paths[start:start + _BATCH]]
               for start in range(0, len(paths), _BATCH)]
    scanned = iter([result for batch in (executor or Executor()).map_ordered(
        _scan_batch, batches, labels=[f"{b[0][0]} ..." for b in batches]) for result in batch])
    files: list[SourceFile] = []
    for entry in found:
        if isinstance(entry, Diagnostic):
            diagnostics.append(entry)
            continue
        source, file_diagnostics = next(scanned)
        diagnostics += file_diagnostics
        if source is not None:
            files.append(source)
    log.info("scanned %s: %d files, %d diagnostics", root, len(files), len(diagnostics))
    return Inventory(root=root.as_posix(), files=tuple(files), diagnostics=tuple(diagnostics))


_BATCH = 200
"""Files read by one task: enough that sending the task costs little beside reading them."""


def _scan_batch(batch: list[tuple[str, Path, SourceFile | None]]
                ) -> list[tuple[SourceFile | None, list[Diagnostic]]]:
    """Each file of a batch read, classified and counted (run in a worker), with what was
    wrong with it. A file comes as (relative path, path, what a previous scan found at that
    path or None)."""
    out: list[tuple[SourceFile | None, list[Diagnostic]]] = []
    for rel, path, previous in batch:
        diagnostics: list[Diagnostic] = []
        try:
            source = _scan_file(rel, path, diagnostics, {rel: previous} if previous else {})
        except Exception as exc:  # a last guard: one odd file must not stop the scan
            log.exception("scanning %s failed", rel)
            diagnostics.append(Diagnostic(severity=Severity.ERROR, code="scan-error",
                                          message=f"{type(exc).__name__}: {exc}", file=rel))
            source = None
        out.append((source, diagnostics))
    return out
