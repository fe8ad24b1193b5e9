"""Shared by the probe tests: a COBOL probe analysed, translated, then run through GnuCOBOL and
through the sandboxed Python on one scenario, and the two runs compared."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from modernize.analysis.run import analyze_into
from modernize.analysis.store import load_analysis
from modernize.core.model import Estate
from modernize.translate import EstateTranslation, Translation, translate_estate
from modernize.validate.harness import Scenario, build, run
from modernize.validate.harness.compare import Verdict, compare
from modernize.validate.harness.legacy import RunResult
from modernize.validate.harness.python import run_python


@dataclass
class ProbeRun:
    estate: Estate
    translations: dict[str, Translation]
    legacy: RunResult
    python: RunResult
    verdict: Verdict

    def lines(self) -> list[str]:
        """The lines GnuCOBOL printed (what a test asserts literally)."""
        return self.legacy.stdout.decode("latin-1").splitlines()

    def report(self) -> str:
        """What to print when the runs differ."""
        return self.verdict.report() + "\npython stderr:\n" + \
            self.python.stderr.decode("utf-8", "replace")[-2000:]


def translate_sources(tmp_path: Path, sources: Mapping[str, str], *, folder: str = "probe"
                      ) -> tuple[Path, Estate, EstateTranslation]:
    """Write ``sources`` (file stem → COBOL text) under ``tmp_path/folder``, analyse them and
    translate every program into ``tmp_path/code``."""
    root = tmp_path / folder
    root.mkdir()
    for name, text in sources.items():
        assert all(len(line) <= 72 for line in text.splitlines()), f"{name}: past column 72"
        (root / f"{name}.cbl").write_text(text)
    analyze_into(root, tmp_path / "analysis")
    estate, _ = load_analysis(tmp_path / "analysis")
    return root, estate, translate_estate(estate, tmp_path / "code")


def run_probe(tmp_path: Path, sources: Mapping[str, str], main: str, scenario: Scenario, *,
              dd_names: Sequence[str] = (), files: Sequence[str] | None = None) -> ProbeRun:
    """Analyse ``sources`` (file stem → COBOL text), translate every program, then run
    ``main`` on ``scenario`` both ways; ``files`` limits the output files compared."""
    root, estate, translated = translate_sources(tmp_path, sources, folder="probe")
    code = tmp_path / "code"
    translations = {t.program: t for t in translated.translations}
    program = estate.program(main)
    assert program is not None, main
    legacy = run(build(program, estate, root, tmp_path / "work", trace=False), scenario)
    python = run_python(code / f"{translations[main].module_name}.py", scenario, dd_names, main)
    return ProbeRun(estate, translations, legacy, python,
                    compare(legacy, python, program, files=files))


def equivalent_probe(tmp_path: Path, name: str, source: str) -> ProbeRun:
    """One probe program ``name`` run both ways on one scenario, asserted fully translated,
    run to the end by GnuCOBOL (status 0) and equivalent."""
    probe = run_probe(tmp_path, {name: source}, name, Scenario("run"))
    assert not probe.translations[name].unsupported, probe.translations[name].unsupported
    assert probe.legacy.returncode == 0, probe.legacy.stderr
    assert probe.verdict.equivalent, probe.report()
    return probe
