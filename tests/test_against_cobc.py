"""The COBOL preprocessor and extractor against the real compiler, GnuCOBOL's ``cobc``.

For every program of the estate under legacy_samples/ (whatever ``scan_repo`` finds there when
the tests are collected), with the copybook folders of ``copybook_dirs`` as ``-I`` in the same
order:

1. ``cobc -E`` against our preprocessor: the same tokens in the same order. Blank lines and
   spacing do not count (cobc -E single-spaces the text and keeps a line, often blank, for each
   source line). One normalisation, on both sides: the separators ``,`` and ``;`` are dropped,
   because cobc -E writes them as spaces (it keeps only commas inside parentheses), which COBOL
   reads the same. Nothing else is normalised: case (cobc keeps words as written, and so do we),
   continued literals (one token, with the spaces up to column 72), COPY ... REPLACING, REPLACE,
   debugging lines, the comment entries of the identification division (dropped by both) and
   EXEC blocks (cobc -E passes them through untouched). A copybook cobc cannot find must be one
   we report as ``copybook-missing``. One workaround: cobc reads the word INCLUDE as COPY (a
   GnuCOBOL extension), even in ``EXEC SQL INCLUDE member END-EXEC`` where it belongs to the DB2
   precompiler, and then stops at the END-EXEC where it wants a period. So cobc is handed a copy
   of such a program with INCLUDE spelled SQLINCL (as long, so no text moves), and the word is
   spelled back in its output; the tokens are compared as they are.
2. Our source map against the ``#line`` markers of ``cobc -E``: each token comes from the same
   file and line. cobc's numbering drifts after a REPLACING whose pseudo-text spans lines (it
   loses those line ends), so where the two disagree the test reads both lines of the original
   file and fails when cobc's line holds the token and ours does not.
3. The extractor against the cross-reference of cobc's listing
   (``cobc -fsyntax-only -t LISTING -Xref``; ``-free`` is never needed, as both cobc and we read
   a program as free format only under a ``>>SOURCE FORMAT FREE`` directive). Its NAME section
   lists every data item (levels 01-49, 66, 77 and 88, not FILLER) with the line that defines
   it, and every FD/SD file at its SELECT line; its LABEL section lists the entry point (E),
   sections (S) and paragraphs (P). Line numbers are those of the file that holds the
   definition: a line of the program, or a line of the copybook for an item that comes from one
   (the same as our model's ``line``). cobc lists no special registers (RETURN-CODE, TALLY,
   SORT-RETURN, WHEN-COMPILED), no index names (INDEXED BY) and no level-78 constants. So the
   comparison leaves out the files (the words after FD/SD in the cobc -E text; our model keeps
   them in ``Program.files``), our FILLERs and our level-78 items, and the E entry, and
   otherwise wants the same (name, line) pairs for data items, paragraphs and sections.
   Programs with EXEC SQL/CICS/DLI blocks, or with a copybook that cannot be found, do not
   compile without a precompiler or the copybook: their listing comparison is skipped.

The comparisons are functions that return the differences, and tests on a small program of
their own show that each fails when a token, an origin or an extracted item is wrong.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import require_tool

from modernize.analysis.analyze import analyze_repo, copybook_dirs
from modernize.analysis.cobol import preprocess
from modernize.analysis.cobol.preprocess import (
    CopybookResolver,
    Preprocessed,
    Preprocessor,
    SourceLine,
    join_continuations,
    logical_tokens,
)
from modernize.analysis.cobol.tokens import tokenize_line
from modernize.analysis.scan import decode_bytes, scan_repo
from modernize.core.model import Estate, FileKind, Program, SourceFile

COBC = require_tool("cobc")
pytestmark = pytest.mark.skipif(COBC is None, reason="GnuCOBOL's cobc is not on PATH")

SAMPLES = Path(__file__).resolve().parents[1] / "legacy_samples"
CODECS_COBC_READS = {"utf-8", "latin-1"}  # cobc reads bytes; EBCDIC or UTF-16 it cannot
IGNORED_SEPARATORS = {",", ";"}  # cobc -E writes them as spaces
EXEC_KINDS = {"SQL", "CICS", "DLI", "SQLIMS"}
_INCLUDE = re.compile(r"(?<![\w-])INCLUDE(?![\w-])", re.IGNORECASE)
_MASKED = re.compile(r"(?<![\w-])SQLINCL(?![\w-])", re.IGNORECASE)  # as long as INCLUDE

# Programs whose extraction is known to disagree with cobc's listing: path -> the exact cause.
# Each is marked xfail(strict=True), so the test goes red again when the extractor is fixed.
EXTRACTOR_KNOWN_BUGS: dict[str, str] = {}

Located = tuple[str, int, str]  # (file relative to the root, 1-based line, token text)


# --- the estate ------------------------------------------------------------------------------


def _estate_programs() -> list[str]:
    if not SAMPLES.is_dir():
        return []
    inventory = scan_repo(SAMPLES)
    return sorted(f.path for f in inventory.of_kind(FileKind.COBOL_PROGRAM) if f.skipped is None)


PROGRAMS = _estate_programs()


def _with_known_bugs(paths: Sequence[str]) -> list[object]:
    return [pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=EXTRACTOR_KNOWN_BUGS[p]))
            if p in EXTRACTOR_KNOWN_BUGS else p for p in paths]


@dataclass
class Workspace:
    """A folder to analyse, set up the way the analysis sets it up."""

    root: Path
    files: dict[str, SourceFile]
    dirs: list[Path]
    _estate: Estate | None = field(default=None, repr=False)

    @classmethod
    def of(cls, root: Path) -> Workspace:
        root = root.resolve()
        inventory = scan_repo(root)
        return cls(root, {f.path: f for f in inventory.files}, copybook_dirs(root, inventory.files))

    def preprocess(self, rel: str) -> Preprocessed:
        resolver = CopybookResolver(self.root, self.dirs)
        return Preprocessor(self.root, resolver).run(self.root / rel)

    def program(self, rel: str) -> Program:
        if self._estate is None:
            self._estate = analyze_repo(self.root)
        found = next((p for p in self._estate.programs if p.path == rel), None)
        if found is None:
            problems = [d.message for d in self._estate.diagnostics if d.file == rel]
            pytest.fail(f"the analysis has no program for {rel}: {problems}")
        return found

    def codec(self, rel: str) -> str:
        source = self.files.get(rel)
        codec = source.encoding if source and source.encoding else "utf-8"
        if codec not in CODECS_COBC_READS:
            pytest.skip(f"{rel} is {codec}: cobc reads ASCII-based text only")
        return codec


@pytest.fixture(scope="module")
def estate_ws() -> Workspace:
    return Workspace.of(SAMPLES)


# --- running cobc ----------------------------------------------------------------------------

_LINE_MARKER = re.compile(r'^#line (\d+) "(.*)"\s*$')
_MISSING = re.compile(r": error: (.+): No such file or directory\s*$")


def _cobc(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("COBCPY", "COB_COPY_DIR")}
    env["LC_ALL"] = "C"  # English messages: "No such file or directory" is read below
    assert COBC is not None
    return subprocess.run([COBC, *args], cwd=cwd, env=env, capture_output=True, timeout=60,
                          check=False)


def _includes(dirs: Sequence[Path]) -> list[str]:
    return [arg for d in dirs for arg in ("-I", str(d))]


@dataclass
class Expanded:
    """What cobc -E made of a program."""

    tokens: list[Located]
    missing: list[str]  # copybooks cobc could not find, upper case
    stderr: str

    @property
    def texts(self) -> list[str]:
        return [text for _, _, text in self.tokens]


def cobc_expand(ws: Workspace, rel: str, scratch: Path) -> Expanded:
    """cobc -E of one program, tokenized, each token with the file and line cobc gives it."""
    codec = ws.codec(rel)
    source = str(ws.root / rel)
    text = (ws.root / rel).read_bytes().decode(codec)
    masked = _INCLUDE.sub(lambda m: _respell("SQLINCL", m[0]), text)
    if masked != text:  # cobc would read EXEC SQL INCLUDE as COPY: see the module docstring
        assert not _MASKED.search(text)
        scratch.mkdir(parents=True, exist_ok=True)
        source = str(scratch / Path(rel).name)
        Path(source).write_bytes(masked.encode(codec))
    proc = _cobc(["-E", *_includes(ws.dirs), source], cwd=ws.root)
    stderr = proc.stderr.decode("utf-8", "replace")
    missing, errors = [], []
    for line in stderr.splitlines():
        if found := _MISSING.search(line):
            missing.append(found[1].strip("'\"").upper())
        elif ": error:" in line:
            errors.append(line)
    if proc.returncode != 0 and (errors or not missing):
        pytest.fail(f"cobc -E failed on {rel}:\n{stderr}")
    tokens: list[Located] = []
    file, number = rel, 1
    for line in proc.stdout.decode(codec, "replace").split("\n"):
        if marker := _LINE_MARKER.match(line):
            number = int(marker[1])
            file = rel if marker[2] == source else _relative(ws.root, marker[2])
            continue
        if masked != text:
            line = _MASKED.sub(lambda m: _respell("INCLUDE", m[0]), line)
        tokens.extend((file, number, tok.text) for tok in tokenize_line(line))
        number += 1
    return Expanded(tokens, missing, stderr)


def _respell(word: str, like: str) -> str:
    """`word` in the letter case of `like`, letter by letter."""
    return "".join(c.lower() if o.islower() else c for o, c in zip(like, word, strict=True))


def _relative(root: Path, name: str) -> str:
    path = (root / name).resolve()
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def cobc_view(pre: Preprocessed) -> list[SourceLine]:
    """Our lines as cobc sees the program: cobc is given INCLUDE masked (see the module doc), so
    the members we expand after `EXEC SQL INCLUDE` are left out of the comparison."""
    members = {c.path for c in pre.copies if c.statement == "EXEC SQL INCLUDE" and c.path}
    return [ln for ln in pre.lines if ln.origin.file not in members]


def our_tokens(pre: Preprocessed) -> list[Located]:
    """Our tokens with their origins, continuation lines joined as cobc joins them."""
    return [(ln.origin.file, ln.origin.line, tok.text)
            for ln in join_continuations(cobc_view(pre)) for tok in tokenize_line(ln.text)]


# --- comparison 1: the tokens ----------------------------------------------------------------


def comparable(tokens: Iterable[Located]) -> list[Located]:
    """Both sides without `,` and `;`, which cobc -E writes as spaces."""
    return [t for t in tokens if t[2] not in IGNORED_SEPARATORS]


def token_differences(ours: Sequence[Located], theirs: Sequence[Located]) -> list[str]:
    """Where our token stream and cobc's differ, with the place in the source, or []."""
    a, b = [t[2] for t in ours], [t[2] for t in theirs]
    out = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        where = ours[min(i1, len(ours) - 1)] if ours else ("?", 0, "")
        out.append(f"{where[0]}:{where[1]}: {tag}: ours {a[i1:i2][:12]} / cobc {b[j1:j2][:12]}"
                   f" (after {' '.join(a[max(0, i1 - 6):i1])!r})")
    return out


# --- comparison 2: the source map ------------------------------------------------------------

LineReader = Callable[[str, int], str]


def line_reader(ws: Workspace, fixed: bool) -> LineReader:
    """The program text of one line of an original file (columns 7-72 in fixed format)."""
    cache: dict[str, list[str]] = {}

    def read(file: str, number: int) -> str:
        if file not in cache:
            text, _ = decode_bytes((ws.root / file).read_bytes())
            cache[file] = text.split("\n")
        lines = cache[file]
        raw = lines[number - 1].rstrip("\r").expandtabs(8) if 0 < number <= len(lines) else ""
        return raw[6:72] if fixed else raw

    return read


def source_map_differences(ours: Sequence[Located], theirs: Sequence[Located],
                           read: LineReader) -> list[str]:
    """Tokens whose origin is worse than cobc's: cobc's line holds the token and ours does not.

    The two streams are aligned on their common tokens first; a token whose origin agrees with
    cobc's #line numbering is fine, and so is one that neither line holds literally (text made
    by REPLACING, a continued literal).
    """
    out = []
    a, b = [t[2] for t in ours], [t[2] for t in theirs]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            mine, cobc = ours[block.a + k], theirs[block.b + k]
            if mine[:2] == cobc[:2]:
                continue
            token = mine[2].upper()
            if token in read(*cobc[:2]).upper() and token not in read(*mine[:2]).upper():
                out.append(f"{mine[2]!r} comes from {cobc[0]}:{cobc[1]} (cobc), "
                           f"not {mine[0]}:{mine[1]} (ours)")
    return out


# --- comparison 3: the listing ---------------------------------------------------------------

_XREF_HEADER = re.compile(r"^(NAME|LABEL|FUNCTION)\s+(DEFINED|TYPE)\s+REFERENCES\b")
_NAME_ENTRY = re.compile(r"^(\S+)\s+(\d+)\b")
_LABEL_ENTRY = re.compile(r"^([A-Z]) (\S+)\s+(\d+)\b")


@dataclass
class Listing:
    names: list[tuple[str, int]] = field(default_factory=list)  # NAME section
    labels: list[tuple[str, str, int]] = field(default_factory=list)  # (E/S/P, name, line)


def parse_listing(text: str) -> Listing:
    """The cross-reference sections of a cobc listing (-t FILE -Xref)."""
    listing = Listing()
    section: str | None = None
    for line in text.splitlines():
        if header := _XREF_HEADER.match(line):
            section = header[1]
            continue
        if not line.strip() or line.startswith((" ", "GnuCOBOL ", "\f")):
            continue  # blank, references continued, page header
        if section == "NAME" and (entry := _NAME_ENTRY.match(line)):
            listing.names.append((entry[1].upper(), int(entry[2])))
        elif section == "LABEL" and (label := _LABEL_ENTRY.match(line)):
            listing.labels.append((label[1], label[2].upper(), int(label[3])))
        else:
            section = None  # the end of a section: summary, source of the next program
    return listing


def cobc_listing(ws: Workspace, rel: str, out: Path) -> Listing:
    proc = _cobc(["-fsyntax-only", "-t", str(out), "-Xref", *_includes(ws.dirs), rel],
                 cwd=ws.root)
    if proc.returncode != 0:
        pytest.fail(f"cobc does not compile {rel}:\n{proc.stderr.decode('utf-8', 'replace')}")
    return parse_listing(out.read_text(encoding="latin-1"))


def file_names(expanded: Expanded) -> set[str]:
    """The FD/SD names, which the listing puts among the data names."""
    texts = [t.upper() for t in expanded.texts]
    return {texts[i + 1] for i, t in enumerate(texts[:-1]) if t in ("FD", "SD")}


def listing_differences(listing: Listing, program: Program, files: set[str]) -> list[str]:
    """Data items, paragraphs and sections that are not the same in cobc's listing and ours."""
    theirs_data = Counter(n for n in listing.names if n[0] not in files)
    ours_data = Counter((d.name.upper(), d.line) for d in program.data_items
                        if d.name.upper() != "FILLER" and d.level != 78)
    out = _counter_differences("data item", ours_data, theirs_data)
    for kind, label, ours in (("paragraph", "P", program.paragraphs),
                              ("section", "S", program.sections)):
        theirs = Counter((name, line) for k, name, line in listing.labels if k == label)
        out += _counter_differences(kind, Counter((x.name.upper(), x.line) for x in ours), theirs)
    return out


def _counter_differences(kind: str, ours: Counter[tuple[str, int]],
                         theirs: Counter[tuple[str, int]]) -> list[str]:
    out = []
    our_names, their_names = {n for n, _ in ours}, {n for n, _ in theirs}
    for name in sorted(their_names - our_names):
        out.append(f"{kind} {name} (line {_lines(theirs, name)}) is in cobc's listing, not ours")
    for name in sorted(our_names - their_names):
        out.append(f"{kind} {name} (line {_lines(ours, name)}) is ours, not in cobc's listing")
    for name in sorted(our_names & their_names):
        mine, cobc = _lines(ours, name), _lines(theirs, name)
        if mine != cobc:
            out.append(f"{kind} {name}: defined at line {mine} in ours, {cobc} in cobc's listing")
    return out


def _lines(counter: Counter[tuple[str, int]], name: str) -> list[int]:
    return sorted(line for (n, line), count in counter.items() if n == name for _ in range(count))


def has_exec_blocks(expanded: Expanded) -> set[str]:
    texts = [t.upper() for t in expanded.texts]
    return {texts[i + 1] for i, t in enumerate(texts[:-1])
            if t in ("EXEC", "EXECUTE") and texts[i + 1] in EXEC_KINDS}


# --- the estate against cobc -----------------------------------------------------------------


def test_the_estate_has_programs() -> None:
    assert PROGRAMS, f"no COBOL program found under {SAMPLES}"


@pytest.mark.parametrize("rel", PROGRAMS)
def test_preprocessor_matches_cobc_E(estate_ws: Workspace, rel: str, tmp_path: Path) -> None:
    expanded = cobc_expand(estate_ws, rel, tmp_path)
    pre = estate_ws.preprocess(rel)
    ours = our_tokens(pre)
    assert [t[2] for t in ours] == logical_tokens(cobc_view(pre))
    differences = token_differences(comparable(ours), comparable(expanded.tokens))
    assert not differences, "\n".join(differences)
    ours_missing = {c.name for c in pre.copies if c.path is None and c.statement == "COPY"}
    assert set(expanded.missing) == ours_missing, (
        f"copybooks missing for cobc: {expanded.missing}, for us: {sorted(ours_missing)}")


@pytest.mark.parametrize("rel", PROGRAMS)
def test_source_map_matches_cobc_line_markers(estate_ws: Workspace, rel: str,
                                              tmp_path: Path) -> None:
    expanded = cobc_expand(estate_ws, rel, tmp_path)
    pre = estate_ws.preprocess(rel)
    read = line_reader(estate_ws, fixed=pre.source_format == "fixed")
    differences = source_map_differences(comparable(our_tokens(pre)),
                                         comparable(expanded.tokens), read)
    assert not differences, "\n".join(differences[:30])


@pytest.mark.parametrize("rel", _with_known_bugs(PROGRAMS))
def test_extractor_matches_cobc_listing(estate_ws: Workspace, rel: str, tmp_path: Path) -> None:
    expanded = cobc_expand(estate_ws, rel, tmp_path)
    if kinds := has_exec_blocks(expanded):
        pytest.skip(f"EXEC {'/'.join(sorted(kinds))}: cobc compiles it only after a precompiler")
    if expanded.missing:
        pytest.skip(f"copybooks not in the estate: {', '.join(expanded.missing)}")
    listing = cobc_listing(estate_ws, rel, tmp_path / "listing.lst")
    program = estate_ws.program(rel)
    assert listing.names or not program.data_items, "no cross-reference in cobc's listing"
    differences = listing_differences(listing, program, file_names(expanded))
    assert not differences, "\n".join(differences)


# --- the comparisons can fail ----------------------------------------------------------------

CARDS = {
    "copylib/TRANREC.cpy": [
        "*    DAILY TRANSACTION RECORD",
        " 01  :TAG:-TRAN-REC.",
        "     05  :TAG:-ACCT-NO         PIC 9(10).",
        "     05  :TAG:-AMT             PIC S9(7)V99 COMP-3.",
        "     05  :TAG:-CODE            PIC X(2).",
        "         88  :TAG:-PURCHASE    VALUE 'PU'.",
        "     05  FILLER                PIC X(11).",
    ],
    "cobol/TRANLIST.cbl": [
        " IDENTIFICATION DIVISION.",
        " PROGRAM-ID. TRANLIST.",
        " AUTHOR. R O'NEIL.",
        " ENVIRONMENT DIVISION.",
        " INPUT-OUTPUT SECTION.",
        " FILE-CONTROL.",
        "     SELECT TRAN-FILE ASSIGN TO TRANIN",
        "            ORGANIZATION IS LINE SEQUENTIAL.",
        " DATA DIVISION.",
        " FILE SECTION.",
        " FD  TRAN-FILE.",
        "     COPY TRANREC REPLACING ==:TAG:== BY ==TI==.",
        " WORKING-STORAGE SECTION.",
        " COPY TRANREC REPLACING ==:TAG:== BY ==WS==.",
        " REPLACE ==WS-EOF== BY ==WS-EOF-SW==.",
        " 01  WS-EOF                    PIC X VALUE 'N'.",
        "     88  END-OF-FILE           VALUE 'Y'.",
        " REPLACE OFF.",
        " 01  WS-TITLE                  PIC X(60) VALUE 'DAILY TRANSACTION",
        "-    'S LISTING'.",
        " PROCEDURE DIVISION.",
        " MAIN-LINE SECTION.",
        " 0000-MAIN.",
        "     OPEN INPUT TRAN-FILE",
        "     PERFORM 1000-READ UNTIL END-OF-FILE",
        "     CLOSE TRAN-FILE",
        "     GOBACK.",
        " 1000-READ.",
        "     READ TRAN-FILE AT END SET END-OF-FILE TO TRUE END-READ",
        "     IF NOT END-OF-FILE",
        "         MOVE TI-TRAN-REC TO WS-TRAN-REC, DISPLAY WS-TITLE WS-AMT",
        "     END-IF.",
    ],
    "cobol/ACCTKEY.cbl": [
        " IDENTIFICATION DIVISION.",
        " PROGRAM-ID. ACCTKEY.",
        " DATA DIVISION.",
        " WORKING-STORAGE SECTION.",
        " 01  WS-ACCT.",
        "     05  WS-BRANCH             PIC X(4).",
        "     05  WS-ACCT-NO            PIC 9(10).",
        "     05  WS-STATUS             PIC X.",
        " 66  WS-ACCT-KEY RENAMES WS-BRANCH THRU WS-ACCT-NO.",
        " PROCEDURE DIVISION.",
        " 0000-MAIN.",
        "     DISPLAY WS-ACCT-KEY",
        "     GOBACK.",
    ],
    "cobol/TRANSQL.cbl": [
        " IDENTIFICATION DIVISION.",
        " PROGRAM-ID. TRANSQL.",
        " DATA DIVISION.",
        " WORKING-STORAGE SECTION.",
        "     EXEC SQL INCLUDE SQLCA END-EXEC.",
        "     EXEC SQL",
        "         include TRANREC",
        "     END-EXEC.",
        " PROCEDURE DIVISION.",
        "     EXEC SQL SELECT COUNT(*) INTO :WS-COUNT FROM TRAN END-EXEC",
        "     GOBACK.",
    ],
}


@pytest.fixture(scope="module")
def own_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A small program with a copybook, REPLACING, REPLACE, a continued literal, an FD."""
    root = tmp_path_factory.mktemp("cobc-own")
    for rel, lines in CARDS.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{n * 100:06d}{text:<66}TRANLIST\n"
                                for n, text in enumerate(lines, start=1)), encoding="ascii")
    return Workspace.of(root)


OWN = "cobol/TRANLIST.cbl"


def test_own_program_agrees_with_cobc(own_ws: Workspace, tmp_path: Path) -> None:
    """The baseline of the tests below: unaltered, every comparison finds nothing."""
    expanded = cobc_expand(own_ws, OWN, tmp_path)
    pre = own_ws.preprocess(OWN)
    ours = comparable(our_tokens(pre))
    assert token_differences(ours, comparable(expanded.tokens)) == []
    read = line_reader(own_ws, fixed=True)
    assert source_map_differences(ours, comparable(expanded.tokens), read) == []
    listing = cobc_listing(own_ws, OWN, tmp_path / "own.lst")
    program = own_ws.program(OWN)
    assert listing_differences(listing, program, file_names(expanded)) == []
    assert file_names(expanded) == {"TRAN-FILE"}
    assert ("WS-EOF-SW", 16) in listing.names and ("TI-AMT", 4) in listing.names
    assert {k for k, _, _ in listing.labels} == {"E", "S", "P"}


def test_extractor_keeps_level_66_renames(own_ws: Workspace, tmp_path: Path) -> None:
    rel = "cobol/ACCTKEY.cbl"
    expanded = cobc_expand(own_ws, rel, tmp_path)
    listing = cobc_listing(own_ws, rel, tmp_path / "acctkey.lst")
    assert ("WS-ACCT-KEY", 9) in listing.names
    assert listing_differences(listing, own_ws.program(rel), file_names(expanded)) == []


def test_exec_sql_include_goes_to_cobc_masked(own_ws: Workspace, tmp_path: Path) -> None:
    rel = "cobol/TRANSQL.cbl"
    expanded = cobc_expand(own_ws, rel, tmp_path)
    assert (tmp_path / "TRANSQL.cbl").read_text().count("SQLINCL") == 1
    assert "sqlincl" in (tmp_path / "TRANSQL.cbl").read_text()
    assert expanded.missing == [] and {t[0] for t in expanded.tokens} == {rel}
    at = expanded.texts.index("EXEC")
    assert expanded.texts[at:at + 10] == ["EXEC", "SQL", "INCLUDE", "SQLCA", "END-EXEC", ".",
                                          "EXEC", "SQL", "include", "TRANREC"]
    ours = comparable(our_tokens(own_ws.preprocess(rel)))
    assert token_differences(ours, comparable(expanded.tokens)) == []
    assert source_map_differences(ours, comparable(expanded.tokens),
                                  line_reader(own_ws, fixed=True)) == []


def test_token_comparison_fails_when_a_token_is_dropped_or_changed(own_ws: Workspace,
                                                                   tmp_path: Path) -> None:
    theirs = comparable(cobc_expand(own_ws, OWN, tmp_path).tokens)
    ours = comparable(our_tokens(own_ws.preprocess(OWN)))
    at = next(i for i, t in enumerate(ours) if t[2] == "TI-TRAN-REC")
    dropped = ours[:at] + ours[at + 1:]
    changed = [*ours[:at], (*ours[at][:2], "TI-TRAN-RECORD"), *ours[at + 1:]]
    added = [*ours[:at + 1], (*ours[at][:2], "."), *ours[at + 1:]]
    for altered in (dropped, changed, added):
        assert token_differences(altered, theirs), altered[at - 2:at + 2]


def test_token_comparison_fails_when_replacing_is_not_applied(
        own_ws: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    theirs = comparable(cobc_expand(own_ws, OWN, tmp_path).tokens)
    monkeypatch.setattr(preprocess, "apply_replacements", lambda lines, replacements: lines)
    differences = token_differences(comparable(our_tokens(own_ws.preprocess(OWN))), theirs)
    assert differences and any(":TAG:-TRAN-REC" in d for d in differences)


def test_source_map_comparison_fails_when_an_origin_is_wrong(own_ws: Workspace,
                                                             tmp_path: Path) -> None:
    theirs = comparable(cobc_expand(own_ws, OWN, tmp_path).tokens)
    ours = comparable(our_tokens(own_ws.preprocess(OWN)))
    read = line_reader(own_ws, fixed=True)
    shifted = [(file, line + 1, text) for file, line, text in ours]
    assert source_map_differences(shifted, theirs, read)
    at_copy = [(OWN, 12, text) if file != OWN else (file, line, text)
               for file, line, text in ours]  # copybook lines put at the COPY statement
    assert source_map_differences(at_copy, theirs, read)


def test_listing_comparison_fails_when_an_item_is_wrong(own_ws: Workspace,
                                                         tmp_path: Path) -> None:
    expanded = cobc_expand(own_ws, OWN, tmp_path)
    listing = cobc_listing(own_ws, OWN, tmp_path / "own.lst")
    files = file_names(expanded)
    program = own_ws.program(OWN)
    items, paragraphs = list(program.data_items), list(program.paragraphs)
    amt = next(i for i, d in enumerate(items) if d.name == "WS-AMT")
    alterations = {
        "an item dropped": {"data_items": tuple(items[:amt] + items[amt + 1:])},
        "an item renamed": {"data_items": tuple(
            d.model_copy(update={"name": "WS-AMOUNT"}) if i == amt else d
            for i, d in enumerate(items))},
        "an item at the wrong line": {"data_items": tuple(
            d.model_copy(update={"line": d.line + 1}) if i == amt else d
            for i, d in enumerate(items))},
        "a paragraph dropped": {"paragraphs": tuple(paragraphs[1:])},
        "a paragraph at the wrong line": {"paragraphs": tuple(
            p.model_copy(update={"line": p.line + 1}) for p in paragraphs)},
        "a section dropped": {"sections": ()},
    }
    for what, update in alterations.items():
        altered = program.model_copy(update=update)
        assert listing_differences(listing, altered, files), what


def test_listing_parser_reads_continued_references_and_page_breaks() -> None:
    text = "\n".join([
        "GnuCOBOL 3.1.2.0        cobol/X.cbl    Sun Nov 22 00:22:25 2026  Page 0015",
        "",
        "NAME                           DEFINED                REFERENCES",
        "",
        "TRAN-ERR-FILE                  45       63     *189    *197    *198    *316",
        "                                       *325    *326     357            x8",
        "WS-REJECT-CODE                 83      *209     211    *250    *254    *258",
        "GnuCOBOL 3.1.2.0        cobol/X.cbl    Sun Nov 22 00:22:25 2026  Page 0016",
        "",
        "NAME                           DEFINED                REFERENCES",
        "",
        "TI-TRAN-REC                    11       215                            x1",
        "",
        "LABEL                          DEFINED                REFERENCES",
        "",
        "E X                            144",
        "P 0000-MAINLINE                145    not referenced",
        "S MAIN-SECTION                 146    not referenced",
        "",
        "FUNCTION                       TYPE                   REFERENCES",
        "",
        "L DATEVAL                      EXTERN   174     273                    x2",
        "",
        "0 warnings in compilation group",
    ])
    listing = parse_listing(text)
    assert listing.names == [("TRAN-ERR-FILE", 45), ("WS-REJECT-CODE", 83), ("TI-TRAN-REC", 11)]
    assert listing.labels == [("E", "X", 144), ("P", "0000-MAINLINE", 145),
                              ("S", "MAIN-SECTION", 146)]


# --- data layouts against the compiled program ---------------------------------------------

LAYOUT_ITEMS = ["R-SYNC", "A", "S", "B", "S9", "R-MIX", "P1", "B1", "B2", "B3", "D1", "E1",
                "T1", "T1-B", "G1", "G1-A", "R-RED"]


def test_item_lengths_match_the_compiled_program(tmp_path: Path) -> None:
    """Our byte lengths against FUNCTION LENGTH in a program cobc builds with IBM rules.

    SYNC slack bytes, COMP sizes by digits, COMP-3 inherited from a group, SIGN SEPARATE,
    edited pictures with CR, OCCURS and REDEFINES. (External floating point, where cobc 3.1
    gives one byte less than IBM, is left out.)
    """
    data = [
        "01  R-SYNC.",
        "    05  A           PIC X(3).",
        "    05  S           PIC S9(4) COMP SYNC.",
        "    05  B           PIC X.",
        "    05  S9          PIC S9(9) COMP SYNC.",
        "01  R-MIX.",
        "    05  P1          PIC S9(7)V99 COMP-3.",
        "    05  B1          PIC 9(4) COMP.",
        "    05  B2          PIC 9(9) BINARY.",
        "    05  B3          PIC S9(18) COMP.",
        "    05  D1          PIC S9(5) SIGN LEADING SEPARATE.",
        "    05  E1          PIC $$$,$$9.99CR.",
        "    05  T1          OCCURS 3 TIMES.",
        "        10  T1-A    PIC X(2).",
        "        10  T1-B    PIC S9(3) COMP-3.",
        "    05  G1          USAGE COMP-3.",
        "        10  G1-A    PIC S9(5).",
        "        10  G1-B    PIC S9(3).",
        "01  R-RED REDEFINES R-MIX PIC X(10).",
    ]
    shows = [f"    DISPLAY '{name} ' FUNCTION LENGTH({name}"
             f"{'(1)' if name.startswith('T1-') else ''})" for name in LAYOUT_ITEMS]
    lines = ["IDENTIFICATION DIVISION.", "PROGRAM-ID. LAYOUT.", "DATA DIVISION.",
             "WORKING-STORAGE SECTION.", *data, "PROCEDURE DIVISION.", "MAIN-PARA.", *shows,
             "    STOP RUN."]
    source = tmp_path / "LAYOUT.cbl"
    source.write_text("".join(f"{n * 10:06d} {line}\n" for n, line in enumerate(lines, 1)))
    subprocess.run([COBC, "-x", "-std=ibm", "-o", str(tmp_path / "layout"), str(source)],
                   check=True, capture_output=True)
    out = subprocess.run([str(tmp_path / "layout")], check=True, capture_output=True,
                         text=True).stdout
    compiled = {name: int(length) for name, length in (row.split() for row in out.splitlines())}
    program = analyze_repo(tmp_path).program("LAYOUT")
    ours = {name: program.data_item(name).length for name in LAYOUT_ITEMS}
    assert ours == compiled
    assert program.data_item("S9").offset == 8  # after A, slack, S, B, slack
