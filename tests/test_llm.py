"""The LLM layer against a real HTTP server that speaks the OpenAI API (tests/fake_openai.py),
through the real ``openai`` SDK: retries, fallbacks, repairs, unverified answers, typed errors,
the cache and the audit log, the prompt library, and that the API key is never written."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import traceback
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fake_openai import (
    MB,
    FakeOpenAI,
    Reply,
    answer,
    compressed,
    dripping,
    gzip_bomb,
    http_error,
    huge,
    huge_answer,
    json_body,
    not_json,
    rate_limited,
    server_error,
    slow,
)
from pydantic import BaseModel

from modernize.cli import main
from modernize.core.errors import ModernizeError
from modernize.llm import (
    CompletionRequest,
    FakeProvider,
    Generated,
    GenerationError,
    Ledger,
    Message,
    Prompt,
    PromptError,
    ProviderConfigError,
    ProviderError,
    ProviderResponseError,
    ProviderTimeoutError,
    ResponseTooLargeError,
    generate,
    load_prompt,
    load_prompts,
)
from modernize.llm.openai_provider import OpenAIProvider, provider_from_env
from modernize.llm.prompts import parse_prompt

RULES_VERSION = load_prompts()["spec.business-rules"].version  # bumped with the prompt

KEY = "sk-test-NEVER-WRITE-ME-7f3a9c2e41"
PARA = "cobol:POSTTRAN/para:2000-POST"


class Cite(BaseModel):
    id: str
    file: str
    line: int


class SmallRule(BaseModel):
    id: str
    title: str
    data_items: list[str] = []
    citations: list[Cite]


class RuleSet(BaseModel):
    rules: list[SmallRule]


def good(cited: str = PARA) -> dict[str, Any]:
    return {"rules": [{"id": "rule:POSTTRAN/2000-POST/1", "title": "Reject unknown accounts",
                       "data_items": ["WS-ACCT"],
                       "citations": [{"id": cited, "file": "cbl/POSTTRAN.cbl", "line": 120}]}]}


def known_ids(value: RuleSet) -> list[str]:
    """A stand-in for the citation check: ids must exist in the model."""
    return [f"{rule.id} cites {c.id}, which is not in the model"
            for rule in value.rules for c in rule.citations if c.id != PARA]


CONTEXT = {"program": "cobol:POSTTRAN",
           "paragraphs": [{"id": PARA, "file": "cbl/POSTTRAN.cbl", "line": 118, "end_line": 140,
                           "conditions": ["WS-ACCT-FOUND = 'N'"], "reads": ["WS-ACCT"],
                           "writes": ["WS-REJECTS"]}]}
INPUTS = {"program": "POSTTRAN", "context": CONTEXT}


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def sleeps() -> list[float]:
    return []


def make_provider(server: FakeOpenAI, sleeps: list[float], **settings: Any) -> OpenAIProvider:
    options: dict[str, Any] = {"base_url": server.url, "api_key": KEY, "model": "fake-model",
                               "timeout_s": 2.0, "max_retries": 3, "backoff_s": 0.5,
                               "backoff_max_s": 5.0, "sleep": sleeps.append}
    options.update(settings)
    return OpenAIProvider(**options)


@pytest.fixture
def provider(server: FakeOpenAI, sleeps: list[float]) -> OpenAIProvider:
    return make_provider(server, sleeps)


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger(tmp_path / "out" / "llm.sqlite", run_id="run-1") as opened:
        yield opened


@pytest.fixture(scope="module")
def rules_prompt() -> Prompt:
    return load_prompt("spec.business-rules")


def run(provider: Any, prompt: Prompt, ledger: Ledger | None, **options: Any
        ) -> Generated[RuleSet]:
    return generate(provider, prompt, INPUTS, RuleSet, ledger, validate=known_ids, **options)


# --- the provider against the scripted server ------------------------------------------------

def test_a_good_answer_is_verified_and_audited(server, provider, ledger, rules_prompt):
    server.script(answer(good(), prompt_tokens=321, completion_tokens=54))
    result = run(provider, rules_prompt, ledger)
    assert result.verified and result.problems == [] and result.attempts == 1
    assert result.value.rules[0].citations[0].id == PARA
    [sent] = server.completions
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.body["model"] == "fake-model" and sent.body["temperature"] == 0.0
    assert sent.response_format == "json_schema"
    schema = sent.body["response_format"]["json_schema"]
    assert schema["name"] == "RuleSet" and schema["schema"] == RuleSet.model_json_schema()
    assert [m["role"] for m in sent.messages] == ["system", "user"]
    assert "POSTTRAN" in sent.messages[1]["content"] and PARA in sent.messages[1]["content"]
    [row] = ledger.audit()
    assert (row.run_id, row.prompt_id, row.prompt_version) == ("run-1", "spec.business-rules",
                                                               RULES_VERSION)
    assert (row.outcome, row.cache_hit, row.mode, row.model) == ("ok", False, "json_schema",
                                                                 "fake-model")
    assert (row.prompt_tokens, row.completion_tokens) == (321, 54)
    assert row.latency_s > 0 and row.error is None and len(row.request_hash) == 64
    assert json.loads(ledger.blob(row.response_hash)) == good()
    stored = json.loads(ledger.blob(row.request_hash))
    assert stored["prompt_id"] == "spec.business-rules" and stored["model"] == "fake-model"
    assert provider.usage.calls == 1 and provider.usage.prompt_tokens == 321


def test_429_and_5xx_are_retried_with_backoff(server, provider, sleeps, ledger, rules_prompt):
    server.script(rate_limited(retry_after=2), server_error(500), server_error(503),
                  answer(good()))
    result = run(provider, rules_prompt, ledger)
    assert result.verified and len(server.completions) == 4
    assert sleeps[0] == 2.0  # Retry-After honoured
    assert 0.5 <= sleeps[1] <= 1.0 and 1.0 <= sleeps[2] <= 2.0  # exponential, with jitter
    assert [r.outcome for r in ledger.audit()] == ["ok"]


def test_backoff_is_bounded(server, sleeps, rules_prompt):
    provider = make_provider(server, sleeps, max_retries=6, backoff_max_s=1.5)
    server.script(rate_limited(retry_after=60), *[server_error()] * 5, answer(good()))
    assert run(provider, rules_prompt, None).verified
    assert len(sleeps) == 6 and max(sleeps) <= 1.5


def test_repeated_500s_end_in_a_typed_error(server, sleeps, ledger, rules_prompt):
    provider = make_provider(server, sleeps, max_retries=2)
    server.script(*[server_error()] * 3)
    with pytest.raises(ProviderError) as caught:
        run(provider, rules_prompt, ledger)
    assert isinstance(caught.value, ModernizeError)
    assert caught.value.status == 500 and caught.value.retryable
    assert "HTTP 500" in str(caught.value) and "MODERNIZE_LLM_RETRIES" in str(caught.value)
    assert len(server.completions) == 3 and len(sleeps) == 2
    [row] = ledger.audit()
    assert row.outcome == "error" and "HTTP 500" in row.error and row.response_hash is None


def test_a_slow_answer_times_out_and_is_retried(server, sleeps, ledger, rules_prompt):
    provider = make_provider(server, sleeps, timeout_s=0.25)
    server.script(slow(good(), delay_s=0.8), answer(good()))
    assert run(provider, rules_prompt, ledger).verified
    assert len(server.completions) == 2 and len(sleeps) == 1


def test_repeated_timeouts_end_in_a_typed_error(server, sleeps, rules_prompt):
    provider = make_provider(server, sleeps, timeout_s=0.2, max_retries=1)
    server.script(slow(good(), delay_s=0.8), slow(good(), delay_s=0.8))
    with pytest.raises(ProviderError, match="MODERNIZE_LLM_TIMEOUT"):
        run(provider, rules_prompt, None)
    assert len(server.completions) == 2


def test_client_errors_are_not_retried(server, provider, sleeps, rules_prompt):
    server.script(http_error(401, f"Incorrect API key provided: {KEY}"))
    with pytest.raises(ProviderError) as caught:
        run(provider, rules_prompt, None)
    assert caught.value.status == 401 and "OPENAI_API_KEY" in str(caught.value)
    assert KEY not in str(caught.value)  # servers that echo the key get it masked
    assert len(server.completions) == 1 and sleeps == []


def test_json_schema_rejected_falls_back_to_json_object_and_remembers(
        server, provider, ledger, rules_prompt):
    server.reject_formats = {"json_schema"}  # like llama.cpp and some vLLM versions
    server.script(answer(good()), answer(good()))
    assert run(provider, rules_prompt, ledger).verified
    assert [r.response_format for r in server.completions] == ["json_schema", "json_object"]
    assert "JSON Schema" in server.completions[1].messages[0]["content"]  # schema in the prompt
    assert '"rules"' in server.completions[1].messages[0]["content"]
    assert provider.mode == "json_object"
    changed = {**INPUTS, "program": "POSTTRAN2"}
    generate(provider, rules_prompt, changed, RuleSet, ledger, validate=known_ids)
    assert [r.response_format for r in server.completions[2:]] == ["json_object"]
    assert [row.mode for row in ledger.audit()] == ["json_object", "json_object"]


def test_falls_back_to_plain_text_with_fenced_json(server, provider, ledger, rules_prompt):
    server.reject_formats = {"json_schema", "json_object"}
    server.script(answer("Here it is:\n```json\n" + json.dumps(good()) + "\n```"))
    result = run(provider, rules_prompt, ledger)
    assert result.verified
    assert [r.response_format for r in server.completions] == ["json_schema", "json_object",
                                                               None]
    assert provider.mode == "text" and ledger.audit()[0].mode == "text"


def test_a_schema_error_is_sent_back_and_repaired(server, provider, ledger, rules_prompt):
    broken = {"rules": [{"id": "rule:POSTTRAN/2000-POST/1", "citations": []}]}
    server.script(answer(broken), answer(good()))
    result = run(provider, rules_prompt, ledger)
    assert result.verified and result.attempts == 2 and result.model_calls == 2
    repair = server.completions[1].messages
    assert repair[-2] == {"role": "assistant", "content": json.dumps(broken)}
    assert repair[-1]["role"] == "user" and "rules.0.title: Field required" in repair[-1][
        "content"]
    assert [r.outcome for r in ledger.audit()] == ["invalid", "ok"]
    assert "rules.0.title" in ledger.audit()[0].error


def test_bad_citations_end_unverified_with_the_reason(server, provider, ledger, rules_prompt):
    server.script(*[answer(good(cited="cobol:NOPE/para:9999-GONE"))] * 3)
    result = run(provider, rules_prompt, ledger, max_repairs=2)
    assert not result.verified and result.attempts == 3
    assert result.problems == ["rule:POSTTRAN/2000-POST/1 cites cobol:NOPE/para:9999-GONE, "
                               "which is not in the model"]
    assert result.value.rules[0].citations[0].id == "cobol:NOPE/para:9999-GONE"
    assert "cobol:NOPE/para:9999-GONE" in server.completions[1].messages[-1]["content"]
    assert [r.outcome for r in ledger.audit()] == ["invalid", "invalid", "unverified"]
    assert "not in the model" in ledger.audit()[-1].error


def test_no_parsable_answer_is_a_typed_error(server, provider, ledger, rules_prompt):
    server.script(answer("I cannot help with that."), answer('{"rules": [{"id": 3}]}'))
    with pytest.raises(GenerationError) as caught:
        run(provider, rules_prompt, ledger, max_repairs=1)
    assert f"spec.business-rules@{RULES_VERSION}" in str(caught.value) and caught.value.problems
    assert [r.outcome for r in ledger.audit()] == ["invalid", "error"]


def test_an_unchanged_rerun_makes_no_http_request(tmp_path, server, sleeps, rules_prompt):
    path = tmp_path / "llm.sqlite"
    broken = {"rules": [{"id": "x"}]}
    server.script(answer(broken), answer(good()))
    with Ledger(path, run_id="first") as first:
        before = run(make_provider(server, sleeps), rules_prompt, first)
    assert before.model_calls == 2
    asked = len(server.requests)
    with Ledger(path, run_id="second") as second:
        after = run(make_provider(server, sleeps), rules_prompt, second)
        rows = second.audit()
        assert second.audit("first")[0].cache_hit is False
    assert len(server.requests) == asked  # zero HTTP requests
    assert after.value == before.value and after.verified and after.model_calls == 0
    assert [(r.cache_hit, r.outcome) for r in rows] == [(True, "invalid"), (True, "ok")]
    assert all(r.prompt_tokens == 0 and r.run_id == "second" for r in rows)


def test_a_new_prompt_version_misses_the_cache(server, provider, ledger, rules_prompt):
    server.script(answer(good()), answer(good()))
    run(provider, rules_prompt, ledger)
    bumped = str(int(rules_prompt.version) + 1)
    newer = Prompt(id=rules_prompt.id, version=bumped, purpose=rules_prompt.purpose,
                   inputs=rules_prompt.inputs, output_schema=rules_prompt.output_schema,
                   system=rules_prompt.system, user=rules_prompt.user)
    run(provider, newer, ledger)
    run(provider, rules_prompt, ledger)
    assert len(server.completions) == 2
    assert [(r.prompt_version, r.cache_hit) for r in ledger.audit()] == [
        (RULES_VERSION, False), (bumped, False), (RULES_VERSION, True)]


def test_the_concurrency_limit_holds(server, sleeps, ledger, rules_prompt):
    provider = make_provider(server, sleeps, max_concurrency=2)
    server.script(*[slow(good(), delay_s=0.3)] * 6)  # overlap even on a loaded machine
    results: list[bool] = []

    def one(n: int) -> None:
        inputs = {**INPUTS, "program": f"P{n}"}
        results.append(generate(provider, rules_prompt, inputs, RuleSet, ledger).verified)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * 6 and server.max_in_flight == 2
    assert len(ledger.audit()) == 6 and provider.usage.calls == 6


def test_the_models_endpoint(server, provider):
    assert provider.models() == ["fake-model"]
    assert server.requests[-1].method == "GET" and server.requests[-1].path == "/v1/models"


def test_the_api_key_is_never_written(tmp_path, server, sleeps, caplog, rules_prompt):
    caplog.set_level(logging.DEBUG)
    provider = make_provider(server, sleeps, max_retries=1)
    server.script(answer({"rules": []}),
                  http_error(401, f"Incorrect API key provided: {KEY}"),
                  rate_limited(), server_error(), answer(good(cited="cobol:X")),
                  answer(good(cited="cobol:X")))
    with Ledger(tmp_path / "out" / "llm.sqlite") as written:
        run(provider, rules_prompt, written)
        with pytest.raises(ProviderError):
            run(provider, rules_prompt, written, model="other")
        with pytest.raises(ProviderError):
            run(provider, rules_prompt, written, model="third")
        run(provider, rules_prompt, written, model="fourth", max_repairs=1)
        assert len(written.audit()) == 5
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in server.completions)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files
    for path in files:
        data = path.read_bytes()
        assert KEY.encode() not in data and KEY[8:].encode() not in data, path
    assert KEY not in caplog.text and KEY[8:] not in caplog.text
    assert KEY not in repr(provider)


# --- a hostile endpoint: the client's limits -------------------------------------------------

HOSTILE_KEY = "hostile-KEY-5b8e0c71d2a94f36-never-written"  # no sk- prefix: no pattern masks it
ROOT = Path(__file__).resolve().parent.parent


def stored(path: Path) -> tuple[int, int]:
    """(cached answers, stored blobs) in a ledger file."""
    with sqlite3.connect(path) as db:
        return (db.execute("SELECT count(*) FROM cache").fetchone()[0],
                db.execute("SELECT count(*) FROM blobs").fetchone()[0])


def within(seconds: float, call: Callable[[], Any]) -> tuple[BaseException | None, float]:
    """Run ``call`` in a thread; (what it raised, how long it took). Fails the test, instead of
    hanging it, when the call is still running after ``seconds``."""
    outcome: list[BaseException | None] = []

    def target() -> None:
        try:
            call()
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome.append(exc)

    start = time.monotonic()
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still waiting for the endpoint after {seconds:g}s"
    return outcome[0], time.monotonic() - start


@pytest.mark.parametrize("reply", [
    not_json(),
    not_json(b"\x00\xff\xfe garbage \x1b[31m", content_type="application/json"),
    not_json(b"", content_type="application/json"),
    not_json('{"choices": [', content_type="application/json"),
    not_json("[" * 100_000 + "]" * 100_000, content_type="application/json"),
], ids=["html", "garbage", "empty", "truncated", "deep"])
def test_a_body_that_is_not_json_is_a_typed_error_naming_the_endpoint(
        server, provider, sleeps, ledger, rules_prompt, reply):
    server.script(reply)
    with pytest.raises(ProviderResponseError) as caught:
        run(provider, rules_prompt, ledger)
    message = str(caught.value)
    assert isinstance(caught.value, ProviderError) and isinstance(caught.value, ModernizeError)
    assert server.url in message and "not JSON" in message and "OPENAI_BASE_URL" in message
    assert "\x1b" not in message and "\x00" not in message and len(message) < 1000
    assert caught.value.status == 200 and not caught.value.retryable
    assert len(server.completions) == 1 and sleeps == []  # not retried
    [row] = ledger.audit()
    assert row.outcome == "error" and row.response_hash is None and "not JSON" in row.error
    assert stored(ledger.path) == (0, 0)  # nothing cached, no answer kept


@pytest.mark.parametrize("value", [{"foo": 1}, [], "a string", None, {"choices": "none"},
                                   {"choices": [3]}, {"choices": [{"message": "hi"}]},
                                   {"choices": [{"message": {"content": ["x"]}}]}])
def test_json_that_is_not_a_chat_completion_is_a_typed_error(
        server, provider, sleeps, ledger, rules_prompt, value):
    server.script(json_body(value))
    with pytest.raises(ProviderResponseError, match="not a chat completion") as caught:
        run(provider, rules_prompt, ledger)
    assert server.url in str(caught.value) and "MODERNIZE_MODEL" in str(caught.value)
    assert len(server.completions) == 1 and sleeps == []
    assert [r.outcome for r in ledger.audit()] == ["error"] and stored(ledger.path) == (0, 0)


def test_an_empty_choice_list_is_a_typed_error(server, provider, rules_prompt):
    server.script(json_body({"choices": [], "model": "m"}))
    with pytest.raises(ProviderResponseError, match="no choices"):
        run(provider, rules_prompt, None)


def test_odd_usage_and_model_fields_are_tolerated(server, provider):
    server.script(json_body({"choices": [{"message": {"content": "hi"}}],
                             "usage": {"prompt_tokens": "many", "completion_tokens": True}}))
    request = CompletionRequest(messages=(Message("user", "hi"),), model="fake-model")
    completion = provider.complete(request)
    assert (completion.text, completion.model, completion.prompt_tokens,
            completion.completion_tokens) == ("hi", "fake-model", 0, 0)


@pytest.mark.parametrize("headers", [False, True], ids=["body", "headers"])
def test_a_dripping_answer_is_cut_at_the_total_deadline(server, sleeps, ledger, rules_prompt,
                                                        headers):
    provider = make_provider(server, sleeps, timeout_s=2.5, max_retries=0)
    server.script(dripping(good(), every_s=1.0, headers=headers))  # minutes of bytes
    error, took = within(2.5 + 3.0, lambda: run(provider, rules_prompt, ledger))
    assert isinstance(error, ProviderTimeoutError), error
    assert 2.4 <= took <= 2.5 + 1.0
    assert server.url in str(error) and "MODERNIZE_LLM_TIMEOUT" in str(error)
    assert error.retryable and error.deadline_s == 2.5
    [row] = ledger.audit()
    assert row.outcome == "error" and stored(ledger.path) == (0, 0)


def test_each_retry_of_a_drip_gets_a_fresh_deadline(server, sleeps, rules_prompt):
    provider = make_provider(server, sleeps, timeout_s=1.5, max_retries=1)
    server.script(dripping(good(), every_s=0.5), dripping(good(), every_s=0.5))
    error, took = within(2 * 1.5 + 3.0, lambda: run(provider, rules_prompt, None))
    assert isinstance(error, ProviderTimeoutError) and "2 times" in str(error)
    assert 2 * 1.5 - 0.1 <= took <= 2 * 1.5 + 1.0  # sleeps are recorded, not slept
    assert len(server.completions) == 2 and len(sleeps) == 1


def test_a_slow_drip_that_ends_in_time_is_accepted(server, sleeps, rules_prompt):
    provider = make_provider(server, sleeps, timeout_s=5.0, max_retries=0)
    server.script(Reply(content=json.dumps(good()), body=None, drip_s=0.002))
    assert run(provider, rules_prompt, None).verified


@pytest.mark.parametrize("reply", [
    huge(10 * MB),
    huge(10 * MB, framing="chunked"),
    huge(10 * MB, framing="close"),
    huge(2048, content_length=10 * MB),
    huge_answer(10 * MB),
    gzip_bomb(10 * MB),
    huge(10 * MB, status=500),
], ids=["content-length", "chunked", "no-length", "claims-big", "answer", "gzip-bomb", "500"])
def test_an_oversized_answer_is_refused_unparsed_and_unstored(
        server, provider, sleeps, ledger, rules_prompt, reply):
    server.script(reply)
    error, took = within(20, lambda: run(provider, rules_prompt, ledger))
    assert isinstance(error, ResponseTooLargeError), error
    assert isinstance(error, ProviderResponseError) and error.limit == 1024 * 1024
    assert server.url in str(error) and "MODERNIZE_LLM_MAX_RESPONSE_BYTES" in str(error)
    assert len(server.completions) == 1 and sleeps == []  # not retried
    [row] = ledger.audit()
    assert row.outcome == "error" and row.response_hash is None
    assert stored(ledger.path) == (0, 0)
    ledger.close()
    assert sum(p.stat().st_size for p in ledger.path.parent.iterdir()) < 256 * 1024


@pytest.mark.parametrize("framing", ["chunked", "close"])
def test_a_huge_body_is_not_read_into_memory(server, provider, rules_prompt, framing):
    server.script(huge(64 * MB, framing=framing))
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLargeError):
            run(provider, rules_prompt, None)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 6 * MB


def test_a_lying_content_length_reads_no_more_than_it_says(server, provider, rules_prompt):
    server.script(huge(10 * MB, content_length=500))  # says 500 bytes, sends 10 MB
    with pytest.raises(ProviderResponseError, match="not JSON") as caught:
        run(provider, rules_prompt, None)
    assert "500 bytes" in str(caught.value)


def test_the_size_cap_is_configurable(server, rules_prompt):
    provider = provider_from_env({"OPENAI_BASE_URL": server.url,
                                  "MODERNIZE_LLM_MAX_RESPONSE_BYTES": "4096"})
    assert provider is not None and provider.max_response_bytes == 4096
    server.script(answer(good()), huge_answer(5000))
    assert run(provider, rules_prompt, None).verified
    with pytest.raises(ResponseTooLargeError, match="4096-byte cap"):
        run(provider, rules_prompt, None, model="other")
    assert provider_from_env({"OPENAI_BASE_URL": server.url}).max_response_bytes == 1024 * 1024


def test_an_unasked_compression_is_decoded_under_the_cap(server, provider, rules_prompt):
    server.script(compressed(good()))
    assert run(provider, rules_prompt, None).verified
    assert server.completions[0].headers["accept-encoding"] == "identity"


@pytest.mark.parametrize("encoding, body, reason", [
    ("br", b"\x00" * 10, "Content-Encoding 'br'"),
    ("gzip", b"not gzip at all", "corrupt"),
    ("gzip", zlib.compress(bytes(range(256)) * 4)[:40], "ends early"),
], ids=["brotli", "corrupt-gzip", "cut-gzip"])
def test_an_unusable_content_encoding_is_refused(server, provider, sleeps, rules_prompt,
                                                 encoding, body, reason):
    server.script(Reply(body=body, headers={"Content-Encoding": encoding}))
    with pytest.raises(ProviderResponseError, match=reason):
        run(provider, rules_prompt, None)
    assert len(server.completions) == 1 and sleeps == []


def test_a_redirect_is_not_followed_and_says_where(server, provider, sleeps, rules_prompt):
    server.script(Reply(status=307, error="moved", headers={
        "Location": "http://user:pw@127.0.0.1:9/elsewhere/v1?token=s3cr3t"}))
    with pytest.raises(ProviderError) as caught:
        run(provider, rules_prompt, None)
    message = str(caught.value)
    assert caught.value.status == 307 and "http://127.0.0.1:9/elsewhere/v1" in message
    assert "s3cr3t" not in message and "pw@" not in message
    assert len(server.requests) == 1 and sleeps == []


def test_credentials_in_the_base_url_are_not_shown(server, sleeps, rules_prompt):
    url = server.url.replace("http://", "http://someone:pass-in-url@")
    provider = make_provider(server, sleeps, base_url=url)
    server.script(not_json())
    with pytest.raises(ProviderResponseError) as caught:
        run(provider, rules_prompt, None)
    assert server.url in str(caught.value)
    assert "pass-in-url" not in str(caught.value)
    assert "pass-in-url" not in repr(provider)


def test_the_api_key_is_never_written_by_a_hostile_endpoint(tmp_path, server, sleeps, caplog,
                                                            rules_prompt):
    caplog.set_level(logging.DEBUG)
    provider = make_provider(server, sleeps, api_key=HOSTILE_KEY, timeout_s=2.0, max_retries=1)
    echo = f"Authorization: Bearer {HOSTILE_KEY}"
    failures: list[list[Reply]] = [
        [not_json(f"<html><pre>{echo}</pre></html>")],
        [not_json(f"{HOSTILE_KEY} is not JSON", content_type="application/json")],
        [json_body({"error": echo})],
        [huge(3 * MB, framing="chunked")],
        [huge_answer(2 * MB)],
        [dripping(good()), dripping(good())],
        [server_error(), http_error(503, echo)],
        [http_error(401, f"Incorrect API key provided: {HOSTILE_KEY}")],
        [http_error(400, echo * 50)],
    ]
    errors: list[BaseException] = []
    with Ledger(tmp_path / "out" / "llm.sqlite") as written:
        for number, replies in enumerate(failures):
            server.script(*replies)
            error, _ = within(30, lambda n=number: run(provider, rules_prompt, written,
                                                       model=f"m{n}"))
            assert isinstance(error, ProviderError), (number, error)
            errors.append(error)
        assert [r.outcome for r in written.audit()] == ["error"] * len(failures)
    assert all(r.headers["authorization"] == f"Bearer {HOSTILE_KEY}"
               for r in server.completions)
    for error in errors:
        shown = "".join(traceback.format_exception(error)) + repr(error) + str(error)
        assert HOSTILE_KEY not in shown and HOSTILE_KEY[12:] not in shown, shown
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert HOSTILE_KEY.encode() not in path.read_bytes(), path
    assert HOSTILE_KEY not in caplog.text and HOSTILE_KEY not in repr(provider)


@pytest.fixture(scope="module")
def analysed_samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("analysed")
    result = CliRunner().invoke(main, ["analyze", str(ROOT / "legacy_samples"), "--out",
                                       str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("reply, reason", [
    (not_json(), "not JSON"),
    (huge(10 * MB, framing="chunked"), "MODERNIZE_LLM_MAX_RESPONSE_BYTES"),
    (json_body([]), "not a chat completion"),
    (dripping(every_s=1.0), "MODERNIZE_LLM_TIMEOUT"),
], ids=["not-json", "oversized", "not-a-completion", "dripping"])
def test_spec_against_a_hostile_endpoint_reports_the_failure(
        analysed_samples, tmp_path, monkeypatch, server, reply, reason):
    server.script(*[reply] * 3)
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    monkeypatch.setenv("OPENAI_API_KEY", HOSTILE_KEY)
    monkeypatch.setenv("MODERNIZE_MODEL", "fake-model")
    monkeypatch.setenv("MODERNIZE_LLM_TIMEOUT", "2")
    monkeypatch.setenv("MODERNIZE_LLM_RETRIES", "0")
    out = tmp_path / "docs"
    results = []
    error, _ = within(20, lambda: results.append(CliRunner().invoke(
        main, ["spec", str(analysed_samples), "--out", str(out)])))
    assert error is None
    [result] = results
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and "Error:" in result.output
    assert reason in result.output and server.url in result.output
    assert HOSTILE_KEY not in result.output
    assert len(server.completions) == 1
    [(outcome, response)] = sqlite3.connect(out / "llm.sqlite").execute(
        "SELECT outcome, response_hash FROM calls").fetchall()
    assert (outcome, response) == ("error", None) and stored(out / "llm.sqlite") == (0, 0)


# --- configuration ---------------------------------------------------------------------------

def test_no_endpoint_means_no_provider():
    assert provider_from_env({}) is None
    assert provider_from_env({"OPENAI_API_KEY": KEY}) is None


def test_provider_from_env(server):
    env = {"OPENAI_BASE_URL": server.url, "MODERNIZE_MODEL": "qwen2.5-coder",
           "MODERNIZE_LLM_TIMEOUT": "7.5", "MODERNIZE_LLM_RETRIES": "0",
           "MODERNIZE_LLM_CONCURRENCY": "3"}
    provider = provider_from_env(env)
    assert isinstance(provider, OpenAIProvider)
    assert (provider.model, provider.timeout_s, provider.max_retries,
            provider.max_concurrency) == ("qwen2.5-coder", 7.5, 0, 3)
    server.script(answer("hello"))
    request = CompletionRequest(messages=(Message("user", "hi"),), model=provider.model)
    completion = provider.complete(request)
    assert completion.text == "hello" and completion.mode == "text"
    sent = server.completions[0]
    assert sent.headers["authorization"] == "Bearer not-needed"  # no key: a local server
    assert sent.body["model"] == "qwen2.5-coder" and "response_format" not in sent.body


@pytest.mark.parametrize("name, value", [("MODERNIZE_LLM_TIMEOUT", "soon"),
                                         ("MODERNIZE_LLM_TIMEOUT", "0"),
                                         ("MODERNIZE_LLM_TIMEOUT", "nan"),
                                         ("MODERNIZE_LLM_RETRIES", "-1"),
                                         ("MODERNIZE_LLM_CONCURRENCY", "0"),
                                         ("MODERNIZE_LLM_MODE", "xml"),
                                         ("MODERNIZE_LLM_MAX_RESPONSE_BYTES", "0"),
                                         ("MODERNIZE_LLM_MAX_RESPONSE_BYTES", "1MB")])
def test_bad_settings_say_which_variable(name, value):
    with pytest.raises(ProviderConfigError, match=name):
        provider_from_env({"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", name: value})


def test_an_unreachable_endpoint_is_a_typed_error(sleeps, rules_prompt):
    provider = OpenAIProvider(base_url="http://127.0.0.1:9/v1", max_retries=1,
                              sleep=sleeps.append, timeout_s=1.0)
    with pytest.raises(ProviderError, match="OPENAI_BASE_URL"):
        run(provider, rules_prompt, None)


# --- the fake provider and generate's edges --------------------------------------------------

def test_fake_provider_answers_in_order_and_runs_out(rules_prompt):
    fake = FakeProvider([json.dumps(good(cited="cobol:X")), json.dumps(good())])
    result = run(fake, rules_prompt, None)
    assert result.verified and result.attempts == 2 and len(fake.requests) == 2
    assert fake.requests[0].response_schema == RuleSet.model_json_schema()
    with pytest.raises(ProviderError, match="script more answers"):
        run(fake, rules_prompt, None)


def test_fake_provider_answers_from_a_callable(tmp_path, rules_prompt):
    def script(request: CompletionRequest) -> str:
        return json.dumps(good()) if len(request.messages) > 2 else "not json"

    fake = FakeProvider(script)
    with Ledger(tmp_path / "llm.sqlite") as log:
        result = run(fake, rules_prompt, log)
        assert result.verified and result.attempts == 2
        assert [r.outcome for r in log.audit()] == ["invalid", "ok"]


def test_the_output_model_must_match_the_prompt(rules_prompt):
    class Other(BaseModel):
        x: int

    with pytest.raises(PromptError, match="RuleSet"):
        generate(FakeProvider([]), rules_prompt, INPUTS, Other, None)


# --- the prompt library ----------------------------------------------------------------------

SAMPLES: dict[str, Any] = {
    "program": "POSTTRAN",
    "context": CONTEXT,
    "scope": "job DAILYPST",
    "specs": [{"program": "cobol:POSTTRAN", "purpose": "Posts the day's transactions.",
               "rules": good()["rules"]}],
}


def test_the_library_has_the_three_prompts():
    prompts = load_prompts()
    assert {"spec.program-summary", "spec.business-rules", "backlog.stories"} <= set(prompts)
    assert prompts["backlog.stories"].output_schema == "Backlog"
    assert prompts["spec.business-rules"].key == f"spec.business-rules@{RULES_VERSION}"


@pytest.mark.parametrize("prompt_id", sorted(load_prompts()))
def test_every_prompt_renders_with_sample_inputs(prompt_id):
    prompt = load_prompts()[prompt_id]
    assert prompt.purpose and prompt.version and prompt.inputs
    messages = prompt.render(**{name: SAMPLES[name] for name in prompt.inputs})
    assert [m.role for m in messages] == ["system", "user"]
    assert all(m.content.strip() and "{{" not in m.content for m in messages)
    assert any(PARA in m.content for m in messages)  # the inputs made it in, as JSON
    assert prompt.render(**{name: SAMPLES[name] for name in prompt.inputs}) == messages
    for name in prompt.inputs:  # every declared input is required
        with pytest.raises(PromptError, match=name):
            prompt.render(**{n: SAMPLES[n] for n in prompt.inputs if n != name})


def test_a_missing_variable_names_the_prompt_and_the_variable(rules_prompt):
    with pytest.raises(PromptError) as caught:
        rules_prompt.render(program="POSTTRAN")
    assert f"spec.business-rules@{RULES_VERSION}" in str(caught.value) and \
        "context" in str(caught.value)
    with pytest.raises(PromptError, match="unexpected input colour"):
        rules_prompt.render(**INPUTS, colour="red")


def test_a_missing_attribute_fails_the_render():
    prompt = parse_prompt('id = "t.attr"\nversion = 3\npurpose = "p"\ninputs = ["ctx"]\n'
                          'output_schema = "X"\n[template]\nuser = "{{ ctx.missing }}"\n')
    with pytest.raises(PromptError, match=r"t\.attr@3.*missing"):
        prompt.render(ctx={"present": 1})


def test_tojson_does_not_escape_html():
    prompt = parse_prompt('id = "t.json"\nversion = "1"\npurpose = "p"\ninputs = ["v"]\n'
                          'output_schema = \'{"type": "object"}\'\n'
                          '[template]\nsystem = ""\nuser = "{{ v | tojson }}"\n')
    [message] = prompt.render(v={"cond": "A < B & C > 'D'", "model": Cite(id="i", file="f",
                                                                          line=1)})
    assert message.role == "user" and "A < B & C > 'D'" in message.content
    assert json.loads(message.content)["model"] == {"id": "i", "file": "f", "line": 1}
    assert prompt.json_schema() == {"type": "object"}


@pytest.mark.parametrize("text, error", [
    ('id = "t.x"\nversion = "1"\npurpose = "p"\ninputs = []\noutput_schema = "X"\n'
     '[template]\nuser = "{{ nope }}"\n', "uses nope but 'inputs' does not declare it"),
    ('id = "t.x"\nversion = "1"\npurpose = "p"\ninputs = ["a", "b"]\noutput_schema = "X"\n'
     '[template]\nuser = "{{ a }}"\n', "declares input b"),
    ('id = "t.x"\nversion = "1"\npurpose = "p"\ninputs = ["a"]\noutput_schema = "X"\n'
     '[template]\nuser = "{% if a %}"\n', "syntax error"),
    ('id = "T X"\nversion = "1"\npurpose = "p"\ninputs = []\noutput_schema = "X"\n'
     '[template]\nuser = "u"\n', "lowercase"),
    ('id = "t.x"\nversion = "1"\n', "lacks purpose, inputs, output_schema, template"),
    ('id = "t.x\n', "not valid TOML"),
])
def test_bad_prompt_files_are_rejected_at_load(text, error):
    with pytest.raises(PromptError, match=error):
        parse_prompt(text, source="t.x.toml")


def test_a_prompt_file_is_named_after_its_id(tmp_path):
    (tmp_path / "wrong.toml").write_text(
        'id = "t.right"\nversion = "1"\npurpose = "p"\ninputs = []\noutput_schema = "X"\n'
        '[template]\nuser = "u"\n', encoding="utf-8")
    with pytest.raises(PromptError, match="name the file t.right.toml"):
        load_prompts(tmp_path)
    with pytest.raises(PromptError, match="no prompt folder"):
        load_prompts(tmp_path / "absent")


def test_output_models_come_from_the_callers_registry(rules_prompt):
    assert rules_prompt.output_model({"RuleSet": RuleSet}) is RuleSet
    assert rules_prompt.json_schema({"RuleSet": RuleSet}) == RuleSet.model_json_schema()
    with pytest.raises(PromptError, match="expects the output model 'RuleSet'"):
        rules_prompt.output_model({})
