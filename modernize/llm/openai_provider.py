"""Any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI v1, vLLM, Ollama,
llama.cpp server ...) through the ``openai`` SDK. The only module of the project importing it.

Configuration comes from the environment (``OpenAIProvider.from_env``):

=============================  =====================================================
``OPENAI_BASE_URL``            the endpoint, e.g. ``http://localhost:8000/v1``; unset → no model
``OPENAI_API_KEY``             the key; may be unset for local servers
``MODERNIZE_MODEL``            model name (default ``gpt-4o-mini``)
``MODERNIZE_LLM_TIMEOUT``      seconds per HTTP request (default 120)
``MODERNIZE_LLM_RETRIES``      retries on 429, 5xx, timeouts and lost connections (default 4)
``MODERNIZE_LLM_CONCURRENCY``  requests in flight at once from this process (default 4)
``MODERNIZE_LLM_MODE``         first structured-output mode to try (default ``json_schema``)
=============================  =====================================================

Structured output is asked for with ``response_format`` type ``json_schema``; an endpoint that
rejects it (HTTP 400/422, as some vLLM and llama.cpp versions do) is asked again with
``json_object`` and then with plain text, the schema being spelled out in the system message.
The first mode that works is remembered for the rest of the run. The SDK's own retries are off
(``max_retries=0``): this module retries with bounded exponential backoff and jitter, honouring
``Retry-After``. The API key goes to the SDK client only: it is never logged, stored or put in an
error message.
"""

from __future__ import annotations

import logging
import os
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import openai

from .errors import ProviderConfigError, ProviderError
from .provider import MODES, Completion, CompletionRequest, Mode, with_schema_instruction

log = logging.getLogger(__name__)

DEFAULT_MODEL = "gpt-4o-mini"
NO_KEY = "not-needed"  # what local servers get when OPENAI_API_KEY is unset
RETRY_STATUSES = frozenset({408, 409, 429})  # and every 5xx
MODE_REJECTED_STATUSES = frozenset({400, 422, 501})  # how servers say "no such response_format"


@dataclass(frozen=True)
class Usage:
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


class _ModeRejected(Exception):
    def __init__(self, error: openai.APIStatusError) -> None:
        super().__init__(str(error))
        self.error = error


class OpenAIProvider:
    """Chat completions against one OpenAI-compatible endpoint; safe to share between threads."""

    name = "openai-compatible"

    def __init__(self, *, base_url: str, model: str = DEFAULT_MODEL, api_key: str | None = None,
                 timeout_s: float = 120.0, max_retries: int = 4, max_concurrency: int = 4,
                 backoff_s: float = 1.0, backoff_max_s: float = 30.0,
                 first_mode: Mode = "json_schema",
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if first_mode not in MODES:
            raise ProviderConfigError(f"unknown structured-output mode {first_mode!r} "
                                      f"(MODERNIZE_LLM_MODE); use one of {', '.join(MODES)}")
        self.base_url = base_url
        self.model = model
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.max_concurrency = max_concurrency
        self.backoff_s = backoff_s
        self.backoff_max_s = backoff_max_s
        self._secret = api_key or None
        self._client = openai.OpenAI(api_key=api_key or NO_KEY, base_url=base_url,
                                     timeout=timeout_s, max_retries=0)
        self._slots = threading.BoundedSemaphore(max_concurrency)
        self._lock = threading.Lock()
        self._mode: Mode = first_mode
        self._usage = Usage()
        self._sleep = sleep
        self._random = random.Random()

    def __repr__(self) -> str:
        return f"OpenAIProvider(base_url={self.base_url!r}, model={self.model!r})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> OpenAIProvider:
        """A provider configured from the environment (see the module's docstring)."""
        env = os.environ if environ is None else environ
        base_url = env.get("OPENAI_BASE_URL", "").strip()
        if not base_url:
            raise ProviderConfigError("OPENAI_BASE_URL is not set; set it to an OpenAI-compatible "
                                      "endpoint such as https://api.openai.com/v1 or "
                                      "http://localhost:8000/v1")
        settings: dict[str, Any] = {
            "base_url": base_url,
            "api_key": env.get("OPENAI_API_KEY") or None,
            "model": env.get("MODERNIZE_MODEL", "").strip() or DEFAULT_MODEL,
            "timeout_s": _number(env, "MODERNIZE_LLM_TIMEOUT", 120.0, float),
            "max_retries": int(_number(env, "MODERNIZE_LLM_RETRIES", 4, int)),
            "max_concurrency": int(_number(env, "MODERNIZE_LLM_CONCURRENCY", 4, int, minimum=1)),
            "first_mode": env.get("MODERNIZE_LLM_MODE", "").strip() or "json_schema",
        }
        settings.update(overrides)
        return cls(**settings)

    @property
    def mode(self) -> Mode:
        """The structured-output mode requests with a schema start from."""
        return self._mode

    @property
    def usage(self) -> Usage:
        """Calls and tokens spent so far by this provider."""
        return self._usage

    def models(self) -> list[str]:
        """The model ids the endpoint serves (``GET /models``): a cheap check of the setup."""
        try:
            return sorted(model.id for model in self._client.models.list())
        except openai.APIStatusError as exc:
            raise self._status_error(exc, self.model) from None
        except openai.OpenAIError as exc:
            raise ProviderError(f"cannot list the models of {self.base_url} "
                                f"({self._clean(str(exc))}); check OPENAI_BASE_URL and that the "
                                "server runs", retryable=True) from None

    def complete(self, request: CompletionRequest) -> Completion:
        with self._slots:
            start = time.monotonic()
            mode: Mode = self._mode if request.response_schema is not None else "text"
            while True:
                try:
                    response = self._call(request, mode)
                    break
                except _ModeRejected as rejected:
                    following = MODES[MODES.index(mode) + 1]
                    log.warning("%s rejected response_format %s (HTTP %s); trying %s",
                                self.base_url, mode, rejected.error.status_code, following)
                    mode = following
            latency = time.monotonic() - start
        if request.response_schema is not None:
            with self._lock:
                if MODES.index(mode) > MODES.index(self._mode):
                    log.warning("%s: using structured-output mode %s from now on",
                                self.base_url, mode)
                    self._mode = mode
        return self._completion(request, response, mode, latency)

    def _completion(self, request: CompletionRequest, response: Any, mode: Mode,
                    latency: float) -> Completion:
        if not response.choices:
            raise ProviderError(f"{self.base_url} answered with no choices; check that "
                                f"{request.model!r} is a chat model", status=None)
        choice = response.choices[0]
        if choice.finish_reason == "length":
            log.warning("%s: the answer was cut at max_tokens=%s", self.base_url,
                        request.max_tokens)
        usage = response.usage
        prompt_tokens = usage.prompt_tokens if usage else 0
        completion_tokens = usage.completion_tokens if usage else 0
        with self._lock:
            self._usage = Usage(self._usage.calls + 1,
                                self._usage.prompt_tokens + prompt_tokens,
                                self._usage.completion_tokens + completion_tokens)
        return Completion(text=choice.message.content or "", model=response.model or request.model,
                          prompt_tokens=prompt_tokens, completion_tokens=completion_tokens,
                          mode=mode, latency_s=latency)

    def _arguments(self, request: CompletionRequest, mode: Mode) -> dict[str, Any]:
        messages = request.messages
        arguments: dict[str, Any] = {"model": request.model, "temperature": request.temperature}
        if request.max_tokens is not None:
            arguments["max_tokens"] = request.max_tokens
        schema = request.response_schema
        if schema is not None and mode == "json_schema":
            name = re.sub(r"[^A-Za-z0-9_-]", "_", request.schema_name or "answer")[:64]
            arguments["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": name, "schema": schema, "strict": False}}
        elif schema is not None:
            messages = with_schema_instruction(messages, schema)
            if mode == "json_object":
                arguments["response_format"] = {"type": "json_object"}
        arguments["messages"] = [m.as_dict() for m in messages]
        return arguments

    def _call(self, request: CompletionRequest, mode: Mode) -> Any:
        arguments = self._arguments(request, mode)
        attempts = self.max_retries + 1
        for attempt in range(attempts):
            try:
                return self._client.chat.completions.create(**arguments)
            except openai.APIStatusError as exc:
                status = exc.status_code
                if mode != "text" and status in MODE_REJECTED_STATUSES:
                    raise _ModeRejected(exc) from exc
                if not (status in RETRY_STATUSES or status >= 500):
                    raise self._status_error(exc, request.model) from None
                if attempt + 1 == attempts:
                    raise ProviderError(
                        f"{self.base_url} answered HTTP {status} {attempts} times in a row "
                        f"({self._clean(exc.message)}); try again later, lower "
                        "MODERNIZE_LLM_CONCURRENCY or raise MODERNIZE_LLM_RETRIES",
                        status=status, retryable=True) from None
                delay = self._delay(attempt, _retry_after(exc.response.headers))
                log.warning("%s: HTTP %s, retry %d/%d in %.2fs", self.base_url, status,
                            attempt + 1, self.max_retries, delay)
            except openai.APITimeoutError:
                if attempt + 1 == attempts:
                    raise ProviderError(
                        f"{self.base_url} gave no answer within {self.timeout_s:g}s, "
                        f"{attempts} times; raise MODERNIZE_LLM_TIMEOUT or check the server",
                        retryable=True) from None
                delay = self._delay(attempt, None)
                log.warning("%s: timed out after %gs, retry %d/%d in %.2fs", self.base_url,
                            self.timeout_s, attempt + 1, self.max_retries, delay)
            except openai.APIConnectionError as exc:
                if attempt + 1 == attempts:
                    raise ProviderError(
                        f"cannot reach {self.base_url} ({self._clean(str(exc))}) after "
                        f"{attempts} attempts; check OPENAI_BASE_URL and that the server runs",
                        retryable=True) from None
                delay = self._delay(attempt, None)
                log.warning("%s: connection failed, retry %d/%d in %.2fs", self.base_url,
                            attempt + 1, self.max_retries, delay)
            except openai.OpenAIError as exc:
                raise ProviderError(f"{self.base_url}: {self._clean(str(exc))}; check that the "
                                    "endpoint speaks the OpenAI chat-completions API") from None
            self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _status_error(self, exc: openai.APIStatusError, model: str) -> ProviderError:
        status = exc.status_code
        detail = self._clean(exc.message)
        if status in (401, 403):
            advice = "check OPENAI_API_KEY"
        elif status == 404:
            advice = (f"check OPENAI_BASE_URL (it usually ends in /v1) and that the model "
                      f"{model!r} (MODERNIZE_MODEL) exists")
        else:
            advice = "the request was refused; see the server's message"
        return ProviderError(f"{self.base_url} answered HTTP {status} ({detail}); {advice}",
                             status=status)

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        delay = min(self.backoff_max_s, self.backoff_s * 2 ** attempt)
        delay *= self._random.uniform(0.5, 1.0)
        if retry_after is not None:
            delay = max(delay, retry_after)
        return min(delay, self.backoff_max_s)

    def _clean(self, text: str) -> str:
        """Server messages without the key (some echo it back, partly masked)."""
        if self._secret:
            text = text.replace(self._secret, "***")
        return re.sub(r"\bsk-[A-Za-z0-9_*.-]{4,}", "sk-***", text)


def _retry_after(headers: Any) -> float | None:
    try:
        if "retry-after-ms" in headers:
            return float(headers["retry-after-ms"]) / 1000
        if "retry-after" in headers:
            return float(headers["retry-after"])
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff
    return None


def _number(env: Mapping[str, str], name: str, default: float, kind: type, *,
            minimum: float = 0) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise ProviderConfigError(f"{name}={raw!r} is not a {kind.__name__} >= {minimum:g}; "
                                  f"unset it to use {default:g}")
    return float(value)


def provider_from_env(environ: Mapping[str, str] | None = None) -> OpenAIProvider | None:
    """The configured endpoint, or None when ``OPENAI_BASE_URL`` is unset (then callers use the
    embedded static generator)."""
    env = os.environ if environ is None else environ
    if not env.get("OPENAI_BASE_URL", "").strip():
        return None
    provider = OpenAIProvider.from_env(env)
    log.info("using the model %s at %s", provider.model, provider.base_url)
    return provider
