"""The analysis stage, end to end: scan → preprocess/parse → extract → Estate.

``analyze_repo`` never stops at a bad file: a program that cannot be read or analysed becomes a
diagnostic and the others go on. With a cache folder, a program whose text, copybooks, tool
version and queries are unchanged is loaded from the cache instead of being parsed again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Protocol

from .. import __version__
from ..core.collector import cycle_collection_paused
from ..core.errors import InputPathError, NotAProgramError
from ..core.executor import Executor, Shared
from ..core.model import (
    SCHEMA_VERSION,
    Diagnostic,
    Estate,
    FileKind,
    JclJob,
    Program,
    Severity,
    SourceFile,
)
from ..core.outputs import refuse_undecodable
from .cache import AnalysisCache
from .cobol import CopybookResolver, Preprocessor, analyze_source
from .cobol.preprocess import copybook_extensions as copybook_extensions_of
from .graphs import jcl_batch_kinds
from .jcl import JclMember, LibraryMember, ProcLibrary, as_procedure, expand_job, parse_jcl
from .parse import query_files
from .scan import DEFAULT_EXCLUDE, decode_bytes, max_file_bytes, read_source, scan_repo

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
SOURCE_KINDS = frozenset({FileKind.COBOL_PROGRAM, FileKind.COPYBOOK, FileKind.JCL,
                          FileKind.BMS_MAP, FileKind.FORTRAN, FileKind.C, FileKind.JAVA})
"""What counts as legacy source: an estate with none of these is not an estate."""


def copybook_dirs(root: Path, files: Sequence[SourceFile], extra: Sequence[Path] = ()
                  ) -> list[Path]:
    """Folders given with --copybooks first (as cobc -I), then every folder holding copybooks."""
    found = sorted({(root / f.path).parent for f in files if f.kind is FileKind.COPYBOOK})
    return [Path(d).resolve() for d in extra] + [d.resolve() for d in found]


def _tool_key() -> str:
    queries = json.dumps(query_files("cobol"), sort_keys=True)
    return hashlib.sha256(f"{__version__}\n{SCHEMA_VERSION}\n{queries}".encode()).hexdigest()


def analyze_repo(root: Path, *, copybooks: Sequence[Path] = (), cache_dir: Path | None = None,
                 progress: Progress | None = None, exclude: Sequence[Path] = (),
                 copybook_extensions: Sequence[str] = (), proclibs: Sequence[Path] = (),
                 executor: Executor | None = None,
                 sink: ProgramSink | None = None) -> Estate:
    """Analyse every file under ``root``; ``exclude`` names folders to leave out (the output
    folder, when it lies inside the repo). ``copybooks`` are more copybook folders (searched
    first, as cobc's -I), ``copybook_extensions`` more extensions COPY tries after the
    defaults (``.cpy``, ``.dcl`` ...; cobc's -ext), ``proclibs`` folders of cataloged JCL
    procedures (and INCLUDE members), searched after a job's JCLLIB libraries.
    ``executor`` shares the programs out to its workers (by default all run here); the
    estate is the same for any of them. ``sink`` is given each program as it is analysed
    (with its :meth:`~Program.document_text`, made by the worker) or read from the cache
    (without), while the others still are, and at the end each program of the estate (a
    duplicate PROGRAM-ID is analysed again later, and a program a JCL step runs may be made
    batch: the estate then holds another object in its place); the cache's copy of the
    estate is written from the texts the sink holds."""
    root = Path(root)
    if not root.exists():
        raise InputPathError(f"{root} does not exist: give the folder of the legacy repo")
    if not root.is_dir():
        raise InputPathError(f"{root} is not a folder: give the folder of the legacy repo")
    # the model records paths as UTF-8 text (a file with such a name inside the estate is
    # skipped by the scan, with a diagnostic)
    for extra in copybooks:
        if not Path(extra).is_dir():
            raise InputPathError(f"--copybooks {extra} is not a folder")
        refuse_undecodable(Path(extra).resolve(), "the --copybooks folder", InputPathError)
    for extra in proclibs:
        if not Path(extra).is_dir():
            raise InputPathError(f"--proclib {extra} is not a folder: give the folder holding "
                                 "the cataloged procedures")
        refuse_undecodable(Path(extra).resolve(), "the --proclib folder", InputPathError)
    extensions = copybook_extensions_of(copybook_extensions)
    root = root.resolve()
    refuse_undecodable(root, "the estate folder", InputPathError)
    skip = list(DEFAULT_EXCLUDE)
    for folder in exclude:
        folder = Path(folder).resolve()
        if folder.is_relative_to(root) and folder != root:
            skip.append(folder.relative_to(root).as_posix())
    cache = AnalysisCache(cache_dir)
    inventory = scan_repo(root, exclude=skip, known=cache.known_files(), executor=executor)
    if not any(f.kind in SOURCE_KINDS for f in inventory.files):
        raise InputPathError(f"no legacy sources found under {root} (no COBOL, copybook, JCL, "
                             "BMS, Fortran, C or Java file): give the folder of the legacy "
                             "repo")
    cache.store_inventory(inventory)
    search = copybook_dirs(root, inventory.files, copybooks)
    preprocessor = Preprocessor(root, CopybookResolver(
        root, search, extensions=extensions,
        allowed_roots=[root, *(Path(d).resolve() for d in copybooks)]))
    shas = {f.path: f.sha256 for f in inventory.files}
    set_key = hashlib.sha256(json.dumps(
        [_tool_key(), [str(d) for d in search], list(extensions),
         sorted(f.path for f in inventory.of_kind(FileKind.COPYBOOK))]).encode()).hexdigest()
    libraries = [_proclib_members(root, Path(d)) for d in proclibs]

    digest = hashlib.sha256(json.dumps(
        [set_key, [(f.path, f.sha256, f.kind.value) for f in inventory.files],
         [d.model_dump(mode="json") for d in inventory.diagnostics],
         [[(name, m.path, m.sha256) for name, m in sorted(lib.items())] for lib in libraries]
         ]).encode()).hexdigest()
    unchanged = cache.estate(digest)
    if unchanged is not None:
        log.info("nothing changed since the last analysis: reusing it")
        return unchanged

    sources = [f for f in inventory.of_kind(FileKind.COBOL_PROGRAM) if f.skipped is None]
    found = _analyze_sources(sources, root, preprocessor, cache, set_key, shas,
                             executor or Executor(), progress, sink)
    programs: list[Program] = []
    diagnostics: list[Diagnostic] = list(inventory.diagnostics)
    for source in sources:  # in the inventory's order, however the work was shared out
        analysed = found[source.path]
        programs.extend(analysed.programs)
        if analysed.diagnostic is not None:
            diagnostics.append(analysed.diagnostic)

    programs = _separate_duplicates(programs, preprocessor, root,
                                    {f.path: f for f in sources}, diagnostics,
                                    executor or Executor())

    jobs = _jobs(root, inventory.of_kind(FileKind.JCL), libraries, diagnostics)
    programs = jcl_batch_kinds(programs, jobs)  # JCL decides what is batch (graphs.py)

    copybook_map: dict[str, str | None] = {}
    for f in inventory.of_kind(FileKind.COPYBOOK):
        copybook_map.setdefault(Path(f.path).name.split(".")[0].upper(), f.path)
    blocked: dict[str, list[str]] = {}
    for program in programs:
        for use in program.copybook_uses:
            if use.path:
                copybook_map[use.name] = use.path
                continue
            if not use.system and not use.refused:  # IBM's members are not the estate's
                copybook_map.setdefault(use.name, None)
                blocked.setdefault(use.name, []).append(program.name)
    for name, names in sorted(blocked.items()):
        diagnostics.append(Diagnostic(
            severity=Severity.ERROR, code="copybook-missing",
            message=f"copybook {name} is missing; it blocks {', '.join(sorted(set(names)))}. "
                    "Add its folder with --copybooks."))
    estate = Estate(root=str(root), input_digest=digest, inventory=inventory,
                    programs=tuple(programs), copybooks=dict(sorted(copybook_map.items())),
                    jobs=tuple(jobs), diagnostics=tuple(diagnostics))
    if sink is None:
        cache.store_estate(estate)
    else:
        for program in estate.programs:
            sink.add(program)  # the programs put in another's place: staged once, here
        cache.store_estate(estate, sink.json_of)
    return estate


class ProgramSink(Protocol):
    """Where each program's document text goes as the analysis makes it (the output stage's
    staging: :class:`~modernize.analysis.store.ProgramStaging`). It keeps each program it
    took for as long as it is asked about it (it knows a program by identity)."""

    def add(self, program: Program, text: bytes | None = None) -> None:
        """Take ``program`` (once; ``text``: its document text, made here when None)."""

    def json_of(self, program: Program) -> bytes:
        """The document text of a program it took."""


@dataclass(frozen=True)
class _Analysed:
    """What one source file gave: its programs (analysed: with their document texts, made
    in the worker), or the diagnostic saying why none."""

    programs: list[Program]
    diagnostic: Diagnostic | None = None
    texts: tuple[bytes, ...] = ()


def _analyze_sources(sources: Sequence[SourceFile], root: Path, preprocessor: Preprocessor,
                     cache: AnalysisCache, set_key: str, shas: dict[str, str],
                     executor: Executor, progress: Progress | None,
                     sink: ProgramSink | None) -> dict[str, _Analysed]:
    """Every source file's programs by path: from the cache when its text and copybooks are
    unchanged, the others analysed by ``executor``'s workers (each stored in the cache as it
    comes back, so an interrupted analysis resumes from there, and handed to
    ``sink``)."""
    found: dict[str, _Analysed] = {}
    keys = {s.path: hashlib.sha256(f"{set_key}\n{s.sha256}".encode()).hexdigest()
            for s in sources}
    todo: list[SourceFile] = []
    for source in sources:
        cached = cache.programs(source.path, keys[source.path], shas)
        if cached is None:
            todo.append(source)
            continue
        found[source.path] = _Analysed(cached)
        if sink is not None:
            for program in cached:
                sink.add(program)
        if progress:
            progress(source.path, len(found), len(sources))
    hits = len(found)

    def counted(item: str, index: int, total: int) -> None:
        if progress:
            progress(item, hits + index, len(sources))

    for index, analysed in executor.completed(
            partial(_analyze_one, Shared(preprocessor), root,
                    cache.folder is not None or sink is not None), todo,
            labels=[s.path for s in todo], progress=counted):
        source = todo[index]
        # kept without the texts (a million lines' are half a gigabyte): the sink and the
        # cache hold them
        found[source.path] = _Analysed(analysed.programs, analysed.diagnostic)
        if analysed.diagnostic is None:
            cache.store_programs(source.path, keys[source.path], analysed.programs, shas,
                                 analysed.texts)
        if sink is not None:
            for program, text in zip(analysed.programs, analysed.texts, strict=True):
                sink.add(program, text)
    return found


def _analyze_one(shared: Shared[Preprocessor], root: Path, with_texts: bool,
                 source: SourceFile) -> _Analysed:
    """One source file's programs (run in a worker), with their document texts when
    ``with_texts`` (something stores them): a file that is not a program, or that the front
    end fails on, is a diagnostic and the estate goes on."""
    preprocessor = shared.value
    try:
        text = read_source(root, source)
        with cycle_collection_paused():
            programs = analyze_source(preprocessor, root / source.path, text)
    except NotAProgramError as exc:
        return _Analysed([], Diagnostic(severity=Severity.WARNING, code="not-a-program",
                                        file=source.path, message=str(exc)))
    except Exception as exc:  # one bad program must not stop the estate
        log.exception("analysis of %s failed", source.path)
        return _Analysed([], Diagnostic(
            severity=Severity.ERROR, code="analysis-failed", file=source.path,
            message=f"could not analyse this program ({type(exc).__name__}: {exc}); "
                    "the rest of the estate was analysed. Please report it with the file."))
    if not with_texts:
        return _Analysed(programs)
    # outside the front end's guard: a program that cannot be written fails the run, as
    # writing it in the main process would (the estate does not depend on who writes it)
    with cycle_collection_paused():
        return _Analysed(programs, texts=tuple(p.document_text() for p in programs))


PROC_EXTENSIONS = (".prc", ".proc")
"""Members with these extensions are cataloged procedures, even without a PROC statement."""


@dataclass(frozen=True)
class _ProclibMember:
    path: str
    file: Path
    sha256: str


def _proclib_members(root: Path, folder: Path) -> dict[str, _ProclibMember]:
    """The members of a --proclib folder by name (upper case, extension left out): its
    regular files, not hidden, that lie in it (a symlink leading out is left out), no larger
    than the scan reads."""
    base = folder.resolve()
    members: dict[str, _ProclibMember] = {}
    try:
        entries = sorted(base.iterdir())
    except OSError as exc:
        raise InputPathError(f"--proclib {folder} cannot be listed: {exc.strerror or exc}"
                             ) from exc
    for entry in entries:
        try:
            real = entry.resolve()
            usable = (not entry.name.startswith(".") and real.is_relative_to(base)
                      and real.is_file() and real.stat().st_size <= max_file_bytes())
        except (OSError, RuntimeError):
            usable = False
        if not usable:
            continue
        name = entry.name.split(".")[0].upper()
        try:
            data = real.read_bytes()
        except OSError as exc:
            log.warning("--proclib member %s not read: %s", entry, exc)
            continue
        shown = real.relative_to(root).as_posix() if real.is_relative_to(root) \
            else real.as_posix()
        members.setdefault(name, _ProclibMember(shown, real, hashlib.sha256(data).hexdigest()))
    return members


def _read_member(file: Path) -> str:
    text, _ = decode_bytes(file.read_bytes())
    return text


def _jobs(root: Path, sources: Sequence[SourceFile], proclibs: Sequence[dict[str, _ProclibMember]],
          diagnostics: list[Diagnostic]) -> list[JclJob]:
    """Every job of the estate, its procedures expanded (see :mod:`modernize.analysis.jcl`): a job's
    JCLLIB ORDER libraries are the estate's folders of that name, then the --proclib
    folders, then the procedures defined anywhere in the estate."""
    libraries: dict[str, dict[str, LibraryMember]] = {}
    for source in sources:
        if source.skipped is not None:
            continue
        folder = PurePosixPath(source.path).parent.as_posix()
        folder = "" if folder == "." else folder
        name = PurePosixPath(source.path).name.split(".")[0].upper()
        libraries.setdefault(folder, {}).setdefault(name, LibraryMember(
            source.path, partial(read_source, root, source)))
    library = ProcLibrary(libraries, [
        {name: LibraryMember(m.path, partial(_read_member, m.file)) for name, m in lib.items()}
        for lib in proclibs])
    in_proclib = {m.path for lib in proclibs for m in lib.values()}
    members: list[JclMember] = []
    for source in sources:
        if source.skipped is not None:
            continue
        try:
            member = parse_jcl(read_source(root, source), source.path, include=library.include)
        except (OSError, ValueError) as exc:
            diagnostics.append(Diagnostic(severity=Severity.ERROR, code="jcl-unreadable",
                                          file=source.path, message=str(exc)))
            continue
        library.add(member)
        if source.path.lower().endswith(PROC_EXTENSIONS) or source.path in in_proclib:
            # a cataloged procedure, not a job, even without a PROC statement
            name = PurePosixPath(source.path).name.split(".")[0].upper()
            procedure = as_procedure(member, name, source.path)
            if procedure is not None:
                library.procedures.setdefault(name, procedure)
            continue
        members.append(member)
    return [job for member in members if member.job is not None and member.job.steps
            and (job := expand_job(member, library)) is not None]


def _separate_duplicates(programs: list[Program], preprocessor: Preprocessor, root: Path,
                         sources: dict[str, SourceFile], diagnostics: list[Diagnostic],
                         executor: Executor) -> list[Program]:
    """Two members with one PROGRAM-ID (an old copy in another folder, say): the first by path
    keeps the plain id, each other one gets ``cobol:NAME@path`` and a diagnostic names both.
    The others are analysed again under their new id by ``executor``'s workers (not here, one
    after another: an estate of many copies has as many duplicates as programs)."""
    first_by_id: dict[str, Program] = {}
    again: dict[int, tuple[SourceFile, str]] = {}  # index in programs -> (its file, new id)
    for index, program in enumerate(programs):
        first = first_by_id.setdefault(program.id, program)
        if first is program:
            continue
        diagnostics.append(Diagnostic(
            severity=Severity.WARNING, code="duplicate-program", file=program.path,
            message=f"PROGRAM-ID {program.name} is defined in {first.path} and in "
                    f"{program.path}; the second is known as {program.id}@{program.path}. "
                    "Remove or exclude the stale copy if it is one."))
        again[index] = (sources[program.path], f"{program.name}@{program.path}")
    analysed = dict(zip(again, executor.map_ordered(
        partial(_analyze_as, Shared(preprocessor), root), list(again.values()),
        labels=[alias for _, alias in again.values()]), strict=True))
    out: list[Program] = []
    for index, program in enumerate(programs):
        if index in analysed:
            out.extend(p for p in analysed[index] if p.name == program.name)
        else:
            out.append(program)
    return out


def _analyze_as(shared: Shared[Preprocessor], root: Path, item: tuple[SourceFile, str]
                ) -> list[Program]:
    """The programs of a source file analysed with the first one's id ``item[1]`` (run in a
    worker)."""
    source, program_id = item
    return analyze_source(shared.value, root / source.path, read_source(root, source),
                          program_id=program_id)
