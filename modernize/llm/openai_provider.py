"""Any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI v1, vLLM, Ollama,
llama.cpp server ...) through the ``openai`` SDK. The only module of the project importing it.

Configuration comes from the environment (``OpenAIProvider.from_env``):

====================================  ==========================================================
``OPENAI_BASE_URL``                   the endpoint, e.g. ``http://localhost:8000/v1``; unset → no
                                      model
``OPENAI_API_KEY``                    the key; may be unset for local servers
``MODERNIZE_MODEL``                   model name (default ``gpt-4o-mini``)
``MODERNIZE_LLM_TIMEOUT``             seconds one HTTP attempt may take in all, connect to last
                                      byte (default 120); see "Limits"
``MODERNIZE_LLM_RETRIES``             retries on 429, 5xx, timeouts and lost connections
                                      (default 4)
``MODERNIZE_LLM_CONCURRENCY``         requests in flight at once from this process (default 4)
``MODERNIZE_LLM_MODE``                first structured-output mode to try (default
                                      ``json_schema``)
``MODERNIZE_LLM_MAX_RESPONSE_BYTES``  the largest HTTP response body accepted, in bytes
                                      (default 1048576, 1 MiB); see "Limits"
====================================  ==========================================================

Structured output is asked for with ``response_format`` type ``json_schema``; an endpoint that
rejects it (HTTP 400/422, as some vLLM and llama.cpp versions do) is asked again with
``json_object`` and then with plain text, the schema being spelled out in the system message.
The first mode that works is remembered for the rest of the run. The SDK's own retries are off
(``max_retries=0``): this module retries with bounded exponential backoff and jitter, honouring
``Retry-After``. The API key goes to the SDK client only: it is never logged, stored or put in an
error message, and what a server echoes of it is masked.

Limits (the endpoint is not trusted; a prompt-injected model or a hostile server is assumed):

- **A total deadline per attempt.** ``MODERNIZE_LLM_TIMEOUT`` bounds each HTTP attempt as a
  whole, connect to last byte, not each read: a server that drips a byte a second is cut off at
  the deadline. A watchdog timer shuts the connection's socket down at the deadline, which wakes
  a read blocked on it; every connect, read and write timeout is also capped at the deadline.
  Connections are not kept alive between requests, so every attempt's socket is the watchdog's.
  Retries do not share the deadline: each attempt (and each structured-output fallback) gets a
  fresh one, so one ``complete`` call takes at most (``MODERNIZE_LLM_RETRIES`` + 1) times the
  timeout plus the backoff sleeps (each at most 30 s). DNS resolution is the one step the
  deadline cannot interrupt. A timed-out attempt is retried; the last one raises
  ``ProviderTimeoutError``.
- **A response size cap.** A body larger than ``MODERNIZE_LLM_MAX_RESPONSE_BYTES`` is refused
  with ``ResponseTooLargeError`` before it is parsed or stored: at once when its Content-Length
  says so, otherwise while it is read (chunked or close-delimited bodies are counted as they
  arrive, so no more than the cap plus one network read is taken in). Compression is refused in
  the request (``Accept-Encoding: identity``); a server that compresses anyway (gzip, deflate)
  has the decompressed size capped, other encodings are refused. An oversized answer is not
  retried: the same request would get the same answer.
- **Only chat completions are accepted.** A body that is not JSON (an HTML error or login page,
  garbage) or JSON that is not a chat completion (``{"foo": 1}``, ``[]``) raises
  ``ProviderResponseError`` naming the endpoint (without credentials) and what to check; it is not
  retried. Redirects are not followed: a 3xx says where ``OPENAI_BASE_URL`` should point.

Every error is a ``ProviderError`` (a ``ModernizeError``), which callers already catch: the
generation is recorded as failed in the ledger (no answer is cached) and the command reports it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import random
import re
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx2  # the HTTP client of the openai SDK (one of its dependencies)
import openai

from .errors import (
    ProviderConfigError,
    ProviderError,
    ProviderResponseError,
    ProviderTimeoutError,
    ResponseTooLargeError,
)
from .provider import MODES, Completion, CompletionRequest, Mode, with_schema_instruction

log = logging.getLogger(__name__)

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024
NO_KEY = "not-needed"  # what local servers get when OPENAI_API_KEY is unset
RETRY_STATUSES = frozenset({408, 409, 429})  # and every 5xx
MODE_REJECTED_STATUSES = frozenset({400, 422, 501})  # how servers say "no such response_format"
MAX_DETAIL_CHARS = 300  # of a server's message quoted in an error
_DECODERS = {"gzip": 47, "x-gzip": 47, "deflate": 47}  # zlib wbits: a gzip or zlib header
_CONNECTED = (".connect_tcp.complete", ".connect_unix_socket.complete", ".start_tls.complete")


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
                 max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if first_mode not in MODES:
            raise ProviderConfigError(f"unknown structured-output mode {first_mode!r} "
                                      f"(MODERNIZE_LLM_MODE); use one of {', '.join(MODES)}")
        self.base_url = base_url
        self.endpoint = shown_url(base_url)  # for messages: no credentials, no query
        self.model = model
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.max_concurrency = max_concurrency
        self.max_response_bytes = max_response_bytes
        self.backoff_s = backoff_s
        self.backoff_max_s = backoff_max_s
        self._secret = api_key or None
        self._http = _GuardedClient(endpoint=self.endpoint, deadline_s=timeout_s,
                                    max_bytes=max_response_bytes, timeout=timeout_s,
                                    limits=httpx2.Limits(max_connections=None,
                                                         max_keepalive_connections=0),
                                    follow_redirects=False)
        self._client = openai.OpenAI(api_key=api_key or NO_KEY, base_url=base_url,
                                     timeout=timeout_s, max_retries=0, http_client=self._http)
        self._slots = threading.BoundedSemaphore(max_concurrency)
        self._lock = threading.Lock()
        self._mode: Mode = first_mode
        self._usage = Usage()
        self._sleep = sleep
        self._random = random.Random()

    def __repr__(self) -> str:
        return f"OpenAIProvider(base_url={self.endpoint!r}, model={self.model!r})"

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
            "timeout_s": _number(env, "MODERNIZE_LLM_TIMEOUT", 120.0, float, minimum=0.001),
            "max_retries": int(_number(env, "MODERNIZE_LLM_RETRIES", 4, int)),
            "max_concurrency": int(_number(env, "MODERNIZE_LLM_CONCURRENCY", 4, int, minimum=1)),
            "first_mode": env.get("MODERNIZE_LLM_MODE", "").strip() or "json_schema",
            "max_response_bytes": int(_number(env, "MODERNIZE_LLM_MAX_RESPONSE_BYTES",
                                              DEFAULT_MAX_RESPONSE_BYTES, int, minimum=1)),
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
            raw = self._client.models.with_raw_response.list()
        except openai.APIStatusError as exc:
            raise self._status_error(exc, self.model) from None
        except openai.OpenAIError as exc:
            raise ProviderError(f"cannot list the models of {self.endpoint} "
                                f"({self._clean(str(exc))}); check OPENAI_BASE_URL and that the "
                                "server runs", retryable=True) from None
        data = self._json(raw.http_response)
        listed = data.get("data") if isinstance(data, dict) else None
        if not isinstance(listed, list):
            raise ProviderResponseError(
                f"{self.endpoint} answered GET /models with JSON that is not a model list (no "
                "'data' list); check OPENAI_BASE_URL points at an OpenAI-compatible API")
        return sorted(item["id"] for item in listed
                      if isinstance(item, dict) and isinstance(item.get("id"), str))

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
                                self.endpoint, mode, rejected.error.status_code, following)
                    mode = following
            latency = time.monotonic() - start
        completion = self._completion(request, response, mode, latency)
        if request.response_schema is not None:
            with self._lock:
                if MODES.index(mode) > MODES.index(self._mode):
                    log.warning("%s: using structured-output mode %s from now on",
                                self.endpoint, mode)
                    self._mode = mode
        return completion

    def _json(self, response: httpx2.Response) -> Any:
        """The JSON body of a 2xx answer (already read, under the size cap)."""
        body = response.content
        try:
            return json.loads(body)
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            kind = response.headers.get("content-type", "").split(";")[0].strip()
            raise ProviderResponseError(
                f"{self.endpoint} answered HTTP {response.status_code} with a body that is not "
                f"JSON ({self._clean(kind) or 'no Content-Type'}, {len(body)} bytes, starting "
                f"{self._excerpt(body)!r}); check OPENAI_BASE_URL: it must be the "
                "OpenAI-compatible API itself (it usually ends in /v1), not a web page, a proxy "
                "or a login page", status=response.status_code) from None

    def _completion(self, request: CompletionRequest, response: httpx2.Response, mode: Mode,
                    latency: float) -> Completion:
        data = self._json(response)

        def refused(why: str) -> ProviderResponseError:
            return ProviderResponseError(
                f"{self.endpoint} answered JSON that is not a chat completion ({why}); check "
                "that OPENAI_BASE_URL is an OpenAI-compatible chat-completions API and that "
                f"{request.model!r} (MODERNIZE_MODEL) is a chat model",
                status=response.status_code)

        if not isinstance(data, dict):
            raise refused(f"a JSON {type(data).__name__}, not an object")
        choices = data.get("choices")
        if not isinstance(choices, list):
            raise refused("no 'choices' list")
        if not choices:
            raise ProviderResponseError(f"{self.endpoint} answered with no choices; check that "
                                        f"{request.model!r} is a chat model",
                                        status=response.status_code)
        choice = choices[0]
        message = choice.get("message") if isinstance(choice, dict) else None
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(message, dict) or not isinstance(content, str | None):
            raise refused("choices[0] has no message with a text content")
        if choice.get("finish_reason") == "length":
            log.warning("%s: the answer was cut at max_tokens=%s", self.endpoint,
                        request.max_tokens)
        usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
        prompt_tokens = _tokens(usage.get("prompt_tokens"))
        completion_tokens = _tokens(usage.get("completion_tokens"))
        model = data.get("model")
        with self._lock:
            self._usage = Usage(self._usage.calls + 1,
                                self._usage.prompt_tokens + prompt_tokens,
                                self._usage.completion_tokens + completion_tokens)
        return Completion(text=content or "",
                          model=model if isinstance(model, str) and model else request.model,
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

    def _call(self, request: CompletionRequest, mode: Mode) -> httpx2.Response:
        """The raw 2xx response of one request (body read, under the size cap), retried on
        429, 5xx, timeouts and lost connections. A ``ProviderResponseError`` (a body over the
        cap, an encoding not asked for) passes through at once: it is not retried."""
        arguments = self._arguments(request, mode)
        attempts = self.max_retries + 1
        for attempt in range(attempts):
            try:
                raw = self._client.chat.completions.with_raw_response.create(**arguments)
                return raw.http_response
            except openai.APIStatusError as exc:
                status = exc.status_code
                if mode != "text" and status in MODE_REJECTED_STATUSES:
                    raise _ModeRejected(exc) from exc
                if not (status in RETRY_STATUSES or status >= 500):
                    raise self._status_error(exc, request.model) from None
                if attempt + 1 == attempts:
                    raise ProviderError(
                        f"{self.endpoint} answered HTTP {status} {attempts} times in a row "
                        f"({self._clean(exc.message)}); try again later, lower "
                        "MODERNIZE_LLM_CONCURRENCY or raise MODERNIZE_LLM_RETRIES",
                        status=status, retryable=True) from None
                delay = self._delay(attempt, _retry_after(exc.response.headers))
                log.warning("%s: HTTP %s, retry %d/%d in %.2fs", self.endpoint, status,
                            attempt + 1, self.max_retries, delay)
            except openai.APITimeoutError:
                if attempt + 1 == attempts:
                    raise ProviderTimeoutError(
                        f"{self.endpoint} gave no complete answer within {self.timeout_s:g}s "
                        f"(the whole request, connect to last byte), {attempts} times; raise "
                        "MODERNIZE_LLM_TIMEOUT or check the server",
                        deadline_s=self.timeout_s) from None
                delay = self._delay(attempt, None)
                log.warning("%s: no complete answer within %gs, retry %d/%d in %.2fs",
                            self.endpoint, self.timeout_s, attempt + 1, self.max_retries, delay)
            except openai.APIConnectionError as exc:
                if attempt + 1 == attempts:
                    raise ProviderError(
                        f"cannot reach {self.endpoint} ({self._clean(str(exc))}) after "
                        f"{attempts} attempts; check OPENAI_BASE_URL and that the server runs",
                        retryable=True) from None
                delay = self._delay(attempt, None)
                log.warning("%s: connection failed, retry %d/%d in %.2fs", self.endpoint,
                            attempt + 1, self.max_retries, delay)
            except openai.OpenAIError as exc:
                raise ProviderError(f"{self.endpoint}: {self._clean(str(exc))}; check that the "
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
        elif 300 <= status < 400:
            where = shown_url(exc.response.headers.get("location", "")) or "elsewhere"
            advice = (f"it redirects to {where}, and redirects are not followed: set "
                      "OPENAI_BASE_URL to the address the API really is at")
        else:
            advice = "the request was refused; see the server's message"
        return ProviderError(f"{self.endpoint} answered HTTP {status} ({detail}); {advice}",
                             status=status)

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        delay = min(self.backoff_max_s, self.backoff_s * 2 ** attempt)
        delay *= self._random.uniform(0.5, 1.0)
        if retry_after is not None:
            delay = max(delay, retry_after)
        return min(delay, self.backoff_max_s)

    def _clean(self, text: str) -> str:
        """Server text fit for a message: without the key (some servers echo it back, partly
        masked), on one line of printable characters, and short."""
        if self._secret:
            text = text.replace(self._secret, "***")
        text = re.sub(r"\bsk-[A-Za-z0-9_*.-]{4,}", "sk-***", text)
        text = "".join(c if c.isprintable() else " " for c in text[:MAX_DETAIL_CHARS * 4])
        text = re.sub(r"\s+", " ", text).strip()
        return text if len(text) <= MAX_DETAIL_CHARS else text[:MAX_DETAIL_CHARS - 3] + "..."

    def _excerpt(self, body: bytes) -> str:
        """The start of a body, for an error message."""
        text = self._clean(body[:1000].decode("utf-8", "replace"))
        return text if len(text) <= 80 else text[:77] + "..."


class _Watchdog:
    """Enforces one attempt's total deadline: at the deadline it shuts down the sockets the
    attempt opened (learnt from httpcore's ``trace`` extension), which wakes a read or write
    blocked on them whatever its own timeout."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._sockets.clear()

    def trace(self, event: str, info: Mapping[str, Any]) -> None:
        if not event.endswith(_CONNECTED):
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if isinstance(sock, socket.socket):
            with self._lock:
                self._sockets.append(sock)
                if self.expired:
                    _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    # the plain socket call, also for an SSLSocket: no TLS state is touched from this thread
    with contextlib.suppress(OSError):  # already closed
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _CappedStream(httpx2.SyncByteStream):
    """A response body counted as it is read (decompressed first when the server compressed it
    unasked): more than ``limit`` bytes raises ``ResponseTooLargeError``, a corrupt compressed
    body ``ProviderResponseError``."""

    def __init__(self, inner: httpx2.SyncByteStream, *, limit: int, decoder: Any,
                 watchdog: _Watchdog, too_large: Callable[[str], ResponseTooLargeError],
                 corrupt: Callable[[str], ProviderResponseError]) -> None:
        self._inner = inner
        self._limit = limit
        self._decoder = decoder
        self._watchdog = watchdog
        self._too_large = too_large
        self._corrupt = corrupt
        self._total = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            if self._decoder is not None:
                chunk = self._decode(chunk)
            else:
                self._count(len(chunk))
            if time.monotonic() > self._watchdog.deadline:
                raise httpx2.ReadTimeout(f"no complete answer in {self._watchdog.seconds:g}s")
            if chunk:
                yield chunk
        if self._decoder is not None:
            if not self._decoder.eof:
                raise self._corrupt("the compressed body ends early")
            tail = self._decoder.flush()
            self._count(len(tail))
            if tail:
                yield tail

    def _decode(self, data: bytes) -> bytes:
        pieces = []
        try:
            while True:
                piece = self._decoder.decompress(data, self._limit - self._total + 1)
                self._count(len(piece))
                pieces.append(piece)
                data = self._decoder.unconsumed_tail
                if not data:
                    return b"".join(pieces)
        except zlib.error as exc:
            raise self._corrupt(f"the compressed body is corrupt: {exc}") from None

    def _count(self, size: int) -> None:
        self._total += size
        if self._total > self._limit:
            raise self._too_large(f"more than {self._limit} bytes arrived")

    def close(self) -> None:
        self._watchdog.stop()
        self._inner.close()


class _GuardedClient(httpx2.Client):
    """The SDK's HTTP client, with a total deadline per request (see ``_Watchdog``), a size cap
    on every response body and no compression asked for (see the module's docstring)."""

    def __init__(self, *, endpoint: str, deadline_s: float, max_bytes: int,
                 **options: Any) -> None:
        super().__init__(**options)
        self._endpoint = endpoint
        self._deadline_s = deadline_s
        self._max_bytes = max_bytes

    def send(self, request: httpx2.Request, *, stream: bool = False,
             **options: Any) -> httpx2.Response:
        watchdog = _Watchdog(self._deadline_s)
        extensions = dict(request.extensions)
        timeouts = extensions.get("timeout") or {}
        extensions["timeout"] = {phase: min(timeouts.get(phase) or self._deadline_s,
                                            self._deadline_s)
                                 for phase in ("connect", "read", "write", "pool")}
        extensions["trace"] = _chained(extensions.get("trace"), watchdog.trace)
        request.extensions = extensions
        request.headers["Accept-Encoding"] = "identity"
        watchdog.start()
        try:
            response = super().send(request, stream=True, **options)
            try:
                response.stream = self._capped(response, watchdog)
                if not stream:
                    response.read()  # closes the stream, which stops the watchdog
            except BaseException:
                response.close()
                raise
        except ProviderError:
            watchdog.stop()
            raise
        except Exception:
            watchdog.stop()
            if watchdog.expired:  # the watchdog cut the connection: say why
                raise httpx2.ReadTimeout(f"no complete answer within {self._deadline_s:g}s",
                                         request=request) from None
            raise
        return response

    def _capped(self, response: httpx2.Response, watchdog: _Watchdog) -> _CappedStream:
        status = response.status_code

        def too_large(how: str) -> ResponseTooLargeError:
            return ResponseTooLargeError(
                f"{self._endpoint} answered HTTP {status} with a body over the "
                f"{self._max_bytes}-byte cap ({how}); it was refused before being parsed or "
                "stored. Check the server, or raise MODERNIZE_LLM_MAX_RESPONSE_BYTES if the "
                "model really writes answers this long", limit=self._max_bytes, status=status)

        def corrupt(why: str) -> ProviderResponseError:
            return ProviderResponseError(
                f"{self._endpoint} answered HTTP {status} with a compressed body it was not "
                f"asked for, and {why}; check the server or the proxy in front of it",
                status=status)

        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise too_large(f"Content-Length {int(declared)}")
        encoding = response.headers.get("content-encoding", "").strip().lower()
        decoder = None
        if encoding not in ("", "identity"):
            if encoding not in _DECODERS:
                raise ProviderResponseError(
                    f"{self._endpoint} answered with Content-Encoding {encoding[:40]!r}, which "
                    "was not asked for (Accept-Encoding: identity) and cannot be size-checked; "
                    "check the server or the proxy in front of it", status=status)
            decoder = zlib.decompressobj(_DECODERS[encoding])
            del response.headers["content-encoding"]  # decoded here, under the cap
        assert isinstance(response.stream, httpx2.SyncByteStream)
        return _CappedStream(response.stream, limit=self._max_bytes, decoder=decoder,
                             watchdog=watchdog, too_large=too_large, corrupt=corrupt)


def _chained(first: Callable[..., Any] | None,
             second: Callable[[str, Mapping[str, Any]], None]) -> Callable[..., Any]:
    if first is None:
        return second

    def both(event: str, info: Mapping[str, Any]) -> None:
        first(event, info)
        second(event, info)

    return both


def _tokens(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def shown_url(url: str) -> str:
    """A URL fit for a message or a log: scheme, host, port and path only (no user, password,
    query or fragment, which may hold credentials)."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "the endpoint"
    if ":" in host:
        host = f"[{host}]"
    shown = urlunsplit((parts.scheme, host + port, parts.path, "", ""))
    shown = "".join(c for c in shown if c.isprintable() and not c.isspace())
    return shown[:200] or "the endpoint"


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
    if value is None or not value >= minimum:  # NaN too
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
    log.info("using the model %s at %s", provider.model, provider.endpoint)
    return provider
