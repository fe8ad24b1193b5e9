"""How fast are the graphs and their pages on a large estate?

    python benchmarks/bench_graphs.py [--programs N] [--seed S] [--repeat R] [--out FILE.html]
                                      [--screenshot FILE.png]

Builds the synthetic estate (``modernize.explore.synthetic``: N programs, default 2000, in jobs of
about 50), then times ``analyze_estate`` and the HTML build of ``call_view`` and ``crud_view`` (best
of R runs each). Writes the call graph page to ``--out`` (default: a temporary file) and the CRUD
page next to it (``NAME-crud.html``), and prints a Markdown table: nodes in the page, nodes
visible when it opens (aggregated above 300 nodes), HTML size and seconds to build.
``--screenshot`` also opens the call graph page in headless Chromium (network off) and saves
what it shows.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from modernize.analysis.graphs import analyze_estate
from modernize.explore.synthetic import synthetic_estate
from modernize.explore.views import GraphView, call_view, crud_view

T = TypeVar("T")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars",
                  "--window-size=1280,800", "--virtual-time-budget=5000")


def best_of(repeat: int, build: Callable[[], T]) -> tuple[float, T]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = build()
        best = min(best, time.perf_counter() - start)
    return best, result  # type: ignore[return-value]


def screenshot(page: Path, png: Path) -> float:
    """Seconds headless Chromium took to open ``page`` and save a screenshot to ``png``."""
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or \
        shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        raise SystemExit("--screenshot needs chromium (scripts/setup installs it)")
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="modernize-chromium-") as profile:
        start = time.perf_counter()
        subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                        f"--screenshot={png.resolve()}", page.resolve().as_uri()],
                       check=True, capture_output=True, timeout=300)
        return time.perf_counter() - start


def row(name: str, view: GraphView, seconds: float) -> str:
    shown = f"{view.visible} (by {view.aggregated_by})" if view.aggregated_by else \
        str(view.visible)
    return f"| {name} | {view.nodes} | {shown} | {len(view.html) / 1e6:.1f} MB | {seconds:.2f} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--programs", type=int, default=2000, help="programs (default 2000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the estate (default 0)")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is kept")
    parser.add_argument("--out", type=Path, help="the call graph page (default: a temp file)")
    parser.add_argument("--screenshot", type=Path, help="save a Chromium screenshot here")
    args = parser.parse_args(argv)
    if args.programs < 1 or args.repeat < 1:
        parser.error("--programs and --repeat must be at least 1")
    out = args.out or Path(tempfile.mkdtemp(prefix="modernize-graphs-")) / "call.html"

    built, estate = best_of(args.repeat, lambda: synthetic_estate(args.programs, args.seed))
    analysed, analysis = best_of(args.repeat, lambda: analyze_estate(estate))
    call_seconds, call = best_of(args.repeat, lambda: call_view(estate, analysis))
    crud_seconds, crud = best_of(args.repeat, lambda: crud_view(estate))
    call.save(out)
    crud.save(out.with_name(f"{out.stem}-crud.html"))

    paragraphs = sum(len(p.paragraphs) for p in estate.programs)
    calls = sum(len(p.calls) for p in estate.programs)
    print(f"estate: {len(estate.programs)} programs, {len(estate.jobs)} jobs, {paragraphs} "
          f"paragraphs, {calls} calls; best of {args.repeat}; Python "
          f"{platform.python_version()} on {platform.machine()}; pages in {out.parent}",
          file=sys.stderr)
    print("| step | nodes | visible when opened | HTML | seconds |")
    print("| --- | --- | --- | --- | --- |")
    print(f"| synthetic_estate({args.programs}) | | | | {built:.2f} |")
    print(f"| analyze_estate | | | | {analysed:.2f} |")
    print(row("call_view (HTML)", call, call_seconds))
    print(row("crud_view (HTML)", crud, crud_seconds))
    if args.screenshot:
        seconds = screenshot(out, args.screenshot)
        print(f"| Chromium: open the call page, screenshot | | | | {seconds:.2f} |")
        print(f"screenshot: {args.screenshot}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
