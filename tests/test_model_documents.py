"""The document thread with a model: a real OpenAI-compatible HTTP server on loopback (scripted),
the real `openai` SDK, citations checked, bad ones marked unverified, every call cached."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from click.testing import CliRunner
from fake_openai import FakeOpenAI, answer

from modernize.cli import main
from modernize.llm import Ledger

ROOT = Path(__file__).resolve().parent.parent
KEY = "sk-test-DO-NOT-LEAK-4242"


def responder(body: dict):
    """Answers like a model would: a purpose, and rules citing the context it was given.
    For POSTTRAN one rule cites a paragraph that does not exist, every time it is asked."""
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    program = re.search(r"(?:Program|Scope): (\S+)", user).group(1)
    if "Describe the purpose" in user:
        return answer({"purpose": f"{program} keeps the card accounts in step."})
    if "Write the epics" in user:
        return answer(backlog_for(user))
    context = json.loads(user[user.index("{"):user.rindex("}") + 1])
    # a rule is one branch: the first decision of the first paragraph that has one
    first = next((p for p in context["paragraphs"] if p["branches"]), context["paragraphs"][0])
    branch = (first["branches"] or [None])[0]
    items = sorted({n for s in first["statements"] for n in s["writes"]})[:2]
    rules = [{"id": f"rule:{program}/{first['key']}/1", "title": f"{first['key']} works",
              "paragraph": first["key"], "condition": "always", "action": "as coded",
              "data_items": items,
              "citations": [{"id": first["id"], "file": first["file"],
                             "line": branch["decision_line"] if branch else first["line"]}],
              **({"decision_line": branch["decision_line"], "branch": branch["branch"],
                  "action_lines": branch["lines"][:1]} if branch else {})}]
    if program == "POSTTRAN":
        rules.append({"id": "rule:POSTTRAN/GHOST/1", "title": "Ghost rule",
                      "paragraph": "GHOST", "condition": "never", "action": "nothing",
                      "citations": [{"id": "cobol:POSTTRAN/para:9999-GHOST",
                                     "file": first["file"], "line": 1}]})
    return answer({"rules": rules})


def backlog_for(user: str) -> dict:
    """A backlog answer built from the specs in the prompt, its citations copied from them;
    for POSTTRAN one criterion cites an element that does not exist."""
    spec = json.loads(user[user.index("["):user.rindex("]") + 1])[0]
    rules = spec["rules"] or []
    cites = rules[0]["citations"] if rules else []
    criteria = [{"id": "criterion:" + r["id"].removeprefix("rule:"), "given": r["condition"],
                 "when": "the program runs", "then": r["action"], "citations": r["citations"]}
                for r in rules]
    if spec["program"] == "POSTTRAN":
        criteria.append({"id": "criterion:POSTTRAN/GHOST/1", "given": "g", "when": "w",
                         "then": "t", "citations": [{"id": "cobol:POSTTRAN/para:9999-GHOST",
                                                     "file": "cobol/POSTTRAN.cbl", "line": 1}]})
    return {"epics": [{"id": spec["epic"]["id"], "title": spec["epic"]["title"],
                       "description": "Keep the cycle running", "citations": cites}],
            "stories": [{"id": f"story:{spec['program']}", "epic": spec["epic"]["id"],
                         "title": f"Keep {spec['program']}", "as_a": "an operator",
                         "i_want": "the same results", "so_that": "nothing breaks",
                         "criteria": criteria, "tests": [], "citations": cites}]}


def test_specs_with_a_model_are_checked_marked_and_cached(tmp_path, monkeypatch):
    runner = CliRunner()
    out = tmp_path / "out"
    assert runner.invoke(main, ["analyze", str(ROOT / "legacy_samples"), "--out", str(out),
                                "--quiet"]).exit_code == 0
    with FakeOpenAI() as server:
        server.script(*([responder] * 400))
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.setenv("MODERNIZE_MODEL", "fake-model")
        result = runner.invoke(main, ["run", str(ROOT / "legacy_samples"), "--out", str(out),
                                      "--quiet", "--no-validate"])
        assert result.exit_code == 0, result.output
        first_calls = len(server.completions)
        assert first_calls >= 20  # a purpose and rules per program, repairs for POSTTRAN
        again = runner.invoke(main, ["run", str(ROOT / "legacy_samples"), "--out", str(out),
                                     "--quiet", "--no-validate"])
        assert again.exit_code == 0, again.output
        assert len(server.completions) == first_calls  # all from the cache

    page = (out / "specs/POSTTRAN.md").read_text()
    ghost = next(line for line in page.splitlines() if "Ghost rule" in line)
    assert "unverified" in ghost and "not in the model" in ghost
    good = next(line for line in page.splitlines() if "rule:POSTTRAN/" in line
                and "Ghost" not in line)
    assert "unverified" not in good
    assert "keeps the card accounts in step" in page
    assert "unverified" in (out / "specs/POSTTRAN.html").read_text()
    backlog = (out / "backlog/backlog.md").read_text()
    # the ghost criterion matches no rule: its id says so, whatever id the model gave it
    assert "criterion:POSTTRAN/extra/1 **unverified**: cites cobol:POSTTRAN/para:9999-GHOST" \
        in backlog and "GHOST/1" not in backlog
    assert "Keep POSTTRAN (story:POSTTRAN) **unverified**" in backlog  # a criterion failed
    assert "Keep TRANVAL (story:TRANVAL)\n" in backlog  # checked and clean
    estate = (out / "specs/estate.md").read_text()  # purposes naming only their own program
    assert "POSTTRAN keeps the card accounts in step. | 2 (**1 unverified**) |" in estate
    assert estate.count("keeps the card accounts in step") == 10 and "**unverified**:" not in estate
    with sqlite3.connect(out / "llm.sqlite") as db:
        runs = [r for (r,) in db.execute("SELECT DISTINCT run_id FROM calls ORDER BY id")]
    with Ledger(out / "llm.sqlite") as ledger:
        first, second = (ledger.audit(run) for run in runs[-2:])
    assert {"ok", "invalid"} <= {row.outcome for row in first}  # the ghost was re-asked
    assert not any(row.cache_hit for row in first)
    assert second and all(row.cache_hit for row in second)  # the re-run: cache hits only
    for path in out.rglob("*"):  # the key never lands in a file the tool wrote
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_a_model_that_keeps_failing_leaves_no_documents(tmp_path, monkeypatch):
    from fake_openai import server_error

    runner = CliRunner()
    out = tmp_path / "out"
    assert runner.invoke(main, ["analyze", str(ROOT / "legacy_samples"), "--out", str(out),
                                "--quiet"]).exit_code == 0
    with FakeOpenAI() as server:
        server.script(*([server_error(500)] * 50))
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("MODERNIZE_LLM_RETRIES", "1")
        result = runner.invoke(main, ["spec", str(out), "--out", str(out)])
    assert result.exit_code == 1 and "Error:" in result.output
    assert not (out / "specs").exists() and not (out / "review.csv").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".staging")]


def test_context_is_packed_under_a_budget(tmp_path):
    from modernize.analysis.run import analyze_into
    from modernize.documents.modelgen import pack, paragraph_context

    program = analyze_into(ROOT / "legacy_samples", tmp_path).estate.program("POSTTRAN")
    entries = paragraph_context(program)
    whole = pack(entries, program, budget_tokens=100_000)
    parts = pack(entries, program, budget_tokens=400)
    assert len(whole) == 1 and len(parts) > 3
    assert [e["key"] for p in parts for e in p["paragraphs"]] == [e["key"] for e in entries]
    for part in parts:
        used = {n for e in part["paragraphs"] for s in e["statements"]
                for n in s["reads"] + s["writes"]}
        assert set(part["data_items"]) <= used | {n for e in part["paragraphs"]
                                                  for c in e["conditions"]
                                                  for n in c["text"].split()}
        assert used <= set(part["data_items"]) | {n for n in used if not program.data_item(n)}


def test_a_model_failing_on_one_program_leaves_the_rest_and_says_so(tmp_path, monkeypatch):
    """Once the endpoint has answered, an answer too large for one program (or a timeout, or
    no answer that parses) costs that program its model text only: its static spec stands,
    with the reason as an open question, and the run goes on."""
    from fake_openai import huge_answer

    def sometimes_huge(body: dict):
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")
        if re.search(r"(?:Program|Scope): POSTTRAN\b", user):
            return huge_answer(2 * 1024 * 1024)
        return responder(body)

    runner = CliRunner()
    out = tmp_path / "out"
    with FakeOpenAI() as server:
        server.script(*([sometimes_huge] * 400))
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.setenv("MODERNIZE_LLM_RETRIES", "0")
        result = runner.invoke(main, ["run", str(ROOT / "legacy_samples"), "--out", str(out),
                                      "--quiet", "--no-validate"])
    assert result.exit_code == 0, result.output
    page = (out / "specs/POSTTRAN.md").read_text()
    assert "The model failed on this program (its answer was larger than the 1048576-byte " \
        "cap)" in page.replace("\n", " ")
    assert "127.0.0.1" not in page  # the same document whatever the endpoint's address
    assert "static analysis of the source" in page  # the static spec stands
    assert "keeps the card accounts in step" in (out / "specs/TRANVAL.md").read_text()
    stories = json.loads((out / "backlog/backlog.json").read_text())["stories"]
    assert any(s["id"] == "story:POSTTRAN" and s["generated_by"] == "static-analysis"
               for s in stories)
