"""The analysis job end to end, as the CLI and batch scripts run it: analyse → graphs → store.

Kept apart from the stages so each stage stays a function of the one before; this module only
chains them and decides what can be reused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.collector import cycle_collection_paused
from ..core.errors import OutputDirError
from ..core.executor import Executor
from ..core.model import Estate
from ..core.outputs import ensure_writable
from .analyze import Progress, analyze_repo
from .graphs import EstateAnalysis, analyze_estate
from .store import MODEL_FILE, ProgramStaging, is_current, write_analysis


@dataclass(frozen=True)
class AnalysisRun:
    estate: Estate
    analysis: EstateAnalysis
    model_path: Path
    reused: bool  # True when nothing changed and the files in out_dir were kept as they were


def analyze_into(path: Path, out_dir: Path, *, copybooks: Sequence[Path] = (),
                 use_cache: bool = True, progress: Progress | None = None,
                 copybook_extensions: Sequence[str] = (), proclibs: Sequence[Path] = (),
                 executor: Executor | None = None) -> AnalysisRun:
    """Analyse the repo at ``path`` and store the result in ``out_dir``.

    ``copybooks``, ``copybook_extensions`` and ``proclibs`` go to :func:`analyze_repo`
    (the CLI's ``--copybooks``, ``--copybook-ext`` and ``--proclib``), and so does
    ``executor`` (``--jobs``, ``--executor``).

    With the cache, unchanged programs are not parsed again, and when no input changed at all
    the model files already in ``out_dir`` are kept (they would be written byte for byte the
    same).
    """
    out_dir = ensure_writable(out_dir)  # as every command's --out (the lock asks it too)
    # what each program gives the model files is staged as it comes back (while the
    # workers go on), not all at the end
    try:
        staging = ProgramStaging(out_dir)
    except OSError as exc:
        raise OutputDirError(f"cannot write the analysis to {out_dir}: {exc}") from exc
    with cycle_collection_paused(), staging:
        estate = analyze_repo(path, copybooks=copybooks,
                              cache_dir=out_dir / "cache" if use_cache else None,
                              progress=progress, exclude=[out_dir],
                              copybook_extensions=copybook_extensions, proclibs=proclibs,
                              executor=executor, sink=staging)
        analysis = analyze_estate(estate)
        if use_cache and is_current(out_dir, estate):
            return AnalysisRun(estate, analysis, out_dir / MODEL_FILE, reused=True)
        try:
            model_path = write_analysis(out_dir, estate, analysis, staging)
        except OSError as exc:
            raise OutputDirError(f"cannot write the analysis to {out_dir}: {exc}") from exc
        return AnalysisRun(estate, analysis, model_path, reused=False)
