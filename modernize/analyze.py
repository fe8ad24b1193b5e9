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
from pathlib import Path

from . import __version__
from .cache import AnalysisCache
from .cobol import CopybookResolver, Preprocessor, analyze_source
from .errors import InputPathError, NotAProgramError
from .jcl import expand_procs, parse_jcl
from .model import (
    SCHEMA_VERSION,
    Diagnostic,
    Estate,
    FileKind,
    JclJob,
    Program,
    Severity,
    SourceFile,
)
from .parse import query_files
from .scan import DEFAULT_EXCLUDE, read_source, scan_repo

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


def copybook_dirs(root: Path, files: Sequence[SourceFile], extra: Sequence[Path] = ()
                  ) -> list[Path]:
    """Folders given with --copybooks first (as cobc -I), then every folder holding copybooks."""
    found = sorted({(root / f.path).parent for f in files if f.kind is FileKind.COPYBOOK})
    return [Path(d).resolve() for d in extra] + [d.resolve() for d in found]


def _tool_key() -> str:
    queries = json.dumps(query_files("cobol"), sort_keys=True)
    return hashlib.sha256(f"{__version__}\n{SCHEMA_VERSION}\n{queries}".encode()).hexdigest()


def analyze_repo(root: Path, *, copybooks: Sequence[Path] = (), cache_dir: Path | None = None,
                 progress: Progress | None = None, exclude: Sequence[Path] = ()) -> Estate:
    """Analyse every file under ``root``; ``exclude`` names folders to leave out (the output
    folder, when it lies inside the repo)."""
    root = Path(root)
    if not root.exists():
        raise InputPathError(f"{root} does not exist: give the folder of the legacy repo")
    if not root.is_dir():
        raise InputPathError(f"{root} is not a folder: give the folder of the legacy repo")
    for extra in copybooks:
        if not Path(extra).is_dir():
            raise InputPathError(f"--copybooks {extra} is not a folder")
    root = root.resolve()
    skip = list(DEFAULT_EXCLUDE)
    for folder in exclude:
        folder = Path(folder).resolve()
        if folder.is_relative_to(root) and folder != root:
            skip.append(folder.relative_to(root).as_posix())
    cache = AnalysisCache(cache_dir)
    inventory = scan_repo(root, exclude=skip, known=cache.known_files())
    cache.store_inventory(inventory)
    search = copybook_dirs(root, inventory.files, copybooks)
    preprocessor = Preprocessor(root, CopybookResolver(
        root, search, allowed_roots=[root, *(Path(d).resolve() for d in copybooks)]))
    shas = {f.path: f.sha256 for f in inventory.files}
    set_key = hashlib.sha256(json.dumps(
        [_tool_key(), [str(d) for d in search],
         sorted(f.path for f in inventory.of_kind(FileKind.COPYBOOK))]).encode()).hexdigest()

    digest = hashlib.sha256(json.dumps(
        [set_key, [(f.path, f.sha256, f.kind.value) for f in inventory.files],
         [d.model_dump(mode="json") for d in inventory.diagnostics]]).encode()).hexdigest()
    unchanged = cache.estate(digest)
    if unchanged is not None:
        log.info("nothing changed since the last analysis: reusing it")
        return unchanged

    programs: list[Program] = []
    diagnostics: list[Diagnostic] = list(inventory.diagnostics)
    sources = [f for f in inventory.of_kind(FileKind.COBOL_PROGRAM) if f.skipped is None]
    for index, source in enumerate(sources, start=1):
        if progress:
            progress(source.path, index, len(sources))
        key = hashlib.sha256(f"{set_key}\n{source.sha256}".encode()).hexdigest()
        cached = cache.programs(source.path, key, shas)
        if cached is not None:
            programs.extend(cached)
            continue
        try:
            text = read_source(root, source)
            found = analyze_source(preprocessor, root / source.path, text)
        except NotAProgramError as exc:
            diagnostics.append(Diagnostic(severity=Severity.WARNING, code="not-a-program",
                                          file=source.path, message=str(exc)))
            continue
        except Exception as exc:  # one bad program must not stop the estate
            log.exception("analysis of %s failed", source.path)
            diagnostics.append(Diagnostic(
                severity=Severity.ERROR, code="analysis-failed", file=source.path,
                message=f"could not analyse this program ({type(exc).__name__}: {exc}); "
                        "the rest of the estate was analysed. Please report it with the file."))
            continue
        programs.extend(found)
        cache.store_programs(source.path, key, found, shas)

    programs = _separate_duplicates(programs, preprocessor, root,
                                    {f.path: f for f in sources}, diagnostics)

    jobs: list[JclJob] = []
    procs: dict[str, list] = {}
    for source in inventory.of_kind(FileKind.JCL):
        try:
            member = parse_jcl(read_source(root, source), source.path)
        except (OSError, ValueError) as exc:
            diagnostics.append(Diagnostic(severity=Severity.ERROR, code="jcl-unreadable",
                                          file=source.path, message=str(exc)))
            continue
        procs.update(member.procs)
        if member.job is not None and member.job.steps:
            jobs.append(member.job)
    jobs = [expand_procs(job, procs) for job in jobs]

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
    cache.store_estate(estate)
    return estate


def _separate_duplicates(programs: list[Program], preprocessor: Preprocessor, root: Path,
                         sources: dict[str, SourceFile], diagnostics: list[Diagnostic]
                         ) -> list[Program]:
    """Two members with one PROGRAM-ID (an old copy in another folder, say): the first by path
    keeps the plain id, each other one gets ``cobol:NAME@path`` and a diagnostic names both."""
    first_by_id: dict[str, Program] = {}
    out: list[Program] = []
    for program in programs:
        first = first_by_id.setdefault(program.id, program)
        if first is program:
            out.append(program)
            continue
        diagnostics.append(Diagnostic(
            severity=Severity.WARNING, code="duplicate-program", file=program.path,
            message=f"PROGRAM-ID {program.name} is defined in {first.path} and in "
                    f"{program.path}; the second is known as {program.id}@{program.path}. "
                    "Remove or exclude the stale copy if it is one."))
        text = read_source(root, sources[program.path])
        alias = f"{program.name}@{program.path}"
        again = analyze_source(preprocessor, root / program.path, text, program_id=alias)
        out.extend(p for p in again if p.name == program.name)
    return out
