"""Legacy modernization workbench: analyse a legacy estate into a traced model and graphs."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "analyze_repo", "load_analysis", "write_analysis"]


def __getattr__(name: str):  # noqa: ANN202 - lazy, so `import modernize` stays light
    if name == "analyze_repo":
        from .analysis.analyze import analyze_repo

        return analyze_repo
    if name in ("load_analysis", "write_analysis"):
        from .analysis import store

        return getattr(store, name)
    raise AttributeError(name)
