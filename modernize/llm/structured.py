"""Typed answers from a model: render, ask (or replay from the cache), check, repair.

``generate`` renders a prompt, looks the request up in the ledger's cache, asks the provider when
it is not there, parses the answer as JSON into the output model, runs the caller's ``validate``
check (e.g. that citations name model ids that exist), and when anything fails sends the problems
back to the model for at most ``max_repairs`` more attempts. The result is either verified, or the
last answer that parsed, marked unverified with its problems; when no answer parsed at all it
raises ``GenerationError``. Every attempt is logged in the ledger's audit log, and every answer is
cached under its exact request, so an unchanged re-run replays the same conversation (repairs
included) without calling the model.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import GenerationError, PromptError, ProviderError
from .ledger import Ledger, Outcome, request_key, sha256
from .prompts import Prompt
from .provider import Completion, CompletionRequest, Message, Provider

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
MAX_PROBLEMS = 20  # problems sent back to the model at once
_FENCE = re.compile(r"^```[a-zA-Z]*\s*\n(.*)\n```\s*$", re.DOTALL)


@dataclass(frozen=True)
class Generated(Generic[M]):
    value: M
    verified: bool
    problems: list[str] = field(default_factory=list)  # why it is not verified
    attempts: int = 1  # answers considered (1 + repairs)
    model_calls: int = 0  # answers that came from the model rather than the cache
    prompt_key: str = ""


def repair_message(problems: list[str]) -> str:
    shown = problems[:MAX_PROBLEMS]
    more = len(problems) - len(shown)
    lines = "\n".join(f"- {problem}" for problem in shown)
    tail = f"\n- ... and {more} more" if more > 0 else ""
    return (f"Your answer was rejected:\n{lines}{tail}\n"
            "Answer again with the complete, corrected JSON object only.")


def parse_json(text: str) -> Any:
    """The JSON value of an answer, tolerating code fences and prose around one object.
    Raises ValueError saying what is wrong."""
    body = text.strip()
    if not body:
        raise ValueError("the answer was empty")
    if fenced := _FENCE.match(body):
        body = fenced.group(1).strip()
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        start, end = body.find("{"), body.rfind("}")
        if 0 <= start < end:
            try:
                return json.loads(body[start:end + 1])
            except json.JSONDecodeError:
                pass
        raise ValueError(f"the answer is not JSON ({exc.msg} at line {exc.lineno} column "
                         f"{exc.colno})") from None


def check_answer(text: str, output_model: type[M],
                 validate: Callable[[M], list[str]] | None = None
                 ) -> tuple[M | None, list[str]]:
    """(the parsed value or None, the problems found)."""
    try:
        data = parse_json(text)
    except ValueError as exc:
        return None, [str(exc)]
    try:
        value = output_model.model_validate(data)
    except ValidationError as exc:
        return None, [f"{'.'.join(map(str, error['loc'])) or '(the object)'}: {error['msg']}"
                      for error in exc.errors()]
    return value, list(validate(value)) if validate else []


def generate(provider: Provider, prompt: Prompt, inputs: Mapping[str, Any],
             output_model: type[M], ledger: Ledger | None, *,
             validate: Callable[[M], list[str]] | None = None, max_repairs: int = 2,
             model: str | None = None, temperature: float = 0.0, max_tokens: int | None = None,
             refresh: bool = False) -> Generated[M]:
    """Ask ``provider`` for an ``output_model`` with ``prompt``; see the module's docstring.

    ``ledger`` None means no cache and no audit log; ``refresh`` skips cache lookups (answers
    are still stored). Raises ``ProviderError`` when the endpoint fails and ``GenerationError``
    when no answer parses."""
    if isinstance(prompt.output_schema, str) and prompt.output_schema != output_model.__name__:
        raise PromptError(f"prompt {prompt.key} expects the output model "
                          f"{prompt.output_schema!r}, not {output_model.__name__!r}")
    schema = (prompt.output_schema if isinstance(prompt.output_schema, dict)
              else output_model.model_json_schema())
    messages = prompt.render(**inputs)
    model = model or provider.model
    best: tuple[M, list[str]] | None = None
    problems: list[str] = []
    calls = 0
    attempts = max_repairs + 1
    for attempt in range(1, attempts + 1):
        request = CompletionRequest(messages=tuple(messages), model=model,
                                    temperature=temperature, max_tokens=max_tokens,
                                    response_schema=schema, schema_name=output_model.__name__)
        key = request_key(prompt.id, prompt.version, request)
        audit: dict[str, Any] = {"prompt_id": prompt.id, "prompt_version": prompt.version,
                                 "attempt": attempt, "request_hash": key}
        start = time.monotonic()
        cached = None if ledger is None or refresh else ledger.lookup(key)
        if cached is not None:
            text = cached.text
            audit.update(model=cached.model, mode=cached.mode, response_hash=cached.response_hash,
                         cache_hit=True, latency_s=time.monotonic() - start)
        else:
            try:
                completion = provider.complete(request)
            except ProviderError as exc:
                if ledger is not None:
                    ledger.record(**audit, model=model, outcome="error", error=str(exc),
                                  latency_s=time.monotonic() - start)
                raise
            calls += 1
            text = completion.text
            audit.update(_spent(completion), response_hash=sha256(text))
            if ledger is not None:
                ledger.store(prompt.id, prompt.version, request, completion)
        value, problems = check_answer(text, output_model, validate)
        if value is not None:
            best = (value, problems)
        outcome: Outcome = "ok" if not problems else "invalid"
        if problems and attempt == attempts:
            outcome = "unverified" if best is not None else "error"
        if ledger is not None:
            ledger.record(**audit, outcome=outcome,
                          error="; ".join(problems[:MAX_PROBLEMS]) or None)
        if value is not None and not problems:
            log.info("%s: verified answer after %d attempt(s), %d model call(s)", prompt.key,
                     attempt, calls)
            return Generated(value, True, [], attempt, calls, prompt.key)
        log.info("%s: attempt %d/%d rejected: %s", prompt.key, attempt, attempts,
                 "; ".join(problems[:3]))
        messages = [*messages, Message("assistant", text),
                    Message("user", repair_message(problems))]
    if best is None:
        raise GenerationError(f"prompt {prompt.key}: no answer of {model} parsed as "
                              f"{output_model.__name__} in {attempts} attempts (last: "
                              f"{'; '.join(problems[:3])}); try a stronger model, raise "
                              "max_repairs, or use the embedded static generator",
                              problems=problems)
    value, problems = best
    log.warning("%s: kept unverified after %d attempts: %s", prompt.key, attempts,
                "; ".join(problems[:3]))
    return Generated(value, False, problems, attempts, calls, prompt.key)


def _spent(completion: Completion) -> dict[str, Any]:
    return {"model": completion.model, "mode": completion.mode,
            "prompt_tokens": completion.prompt_tokens,
            "completion_tokens": completion.completion_tokens,
            "latency_s": completion.latency_s, "cache_hit": False}
