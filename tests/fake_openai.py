"""A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions API, scripted per test.

    with FakeOpenAI() as server:                  # or the ``fake_openai`` fixture
        server.script(answer({"rules": []}), rate_limited(retry_after=1), server_error())
        client = OpenAI(base_url=server.url, api_key="k")   # server.url ends in /v1

``POST /v1/chat/completions`` pops the next scripted ``Reply`` (a good JSON answer, one that
breaks the schema, HTTP 429 with Retry-After, HTTP 500, a slow answer past the client's
timeout ...); a callable in the script is called with the request body and returns the
``Reply``. ``reject_formats`` makes the server refuse ``response_format`` types with HTTP 400,
the way llama.cpp and some vLLM versions refuse ``json_schema``, without using up the script.
When the script runs out the server answers HTTP 418, so a test that asks more than it scripted
fails at once. ``GET /v1/models`` lists ``model``. Every request is recorded in ``requests``.

Hostile replies, for the client's limits: ``not_json`` (an HTML page or garbage with HTTP 200),
``json_body`` (JSON that is not a chat completion, e.g. ``{"foo": 1}`` or ``[]``), ``dripping``
(one byte a second, body or headers too), ``huge`` (a body of any size, with a true or lying
Content-Length, chunked, or delimited by closing the connection), ``huge_answer`` (a chat
completion whose content is that big) and ``gzip_bomb`` (a small gzip body that inflates to a
huge one). These are written byte for byte by ``_send_raw`` and always close the connection.
"""

from __future__ import annotations

import json
import threading
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass(frozen=True)
class Reply:
    status: int = 200
    content: str | None = None  # the assistant's message, for 200
    error: str = ""  # the error message, for 4xx/5xx
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0  # wait this long before answering
    prompt_tokens: int = 11
    completion_tokens: int = 7
    # Hostile replies (any of these set → written raw by ``_send_raw``; see the module's doc):
    body: bytes | None = None  # sent as is instead of the JSON payload
    chunks: Callable[[], Iterable[bytes]] | None = None  # a body made piecewise (huge ones)
    content_type: str = "application/json"
    framing: str = "length"  # "length" (Content-Length), "chunked", or "close" (no length)
    content_length: int | None = None  # a declared length other than the truth (a lying server)
    drip_s: float = 0.0  # write the body one byte every drip_s seconds
    drip_headers: bool = False  # ... the status line and headers too
    encoding: str | None = None  # "gzip": compress the body and say so (Content-Encoding)

    @property
    def raw(self) -> bool:
        return (self.body is not None or self.chunks is not None or self.framing != "length"
                or self.content_length is not None or self.drip_s > 0
                or self.encoding is not None)


def answer(value: Any, *, delay_s: float = 0.0, prompt_tokens: int = 11,
           completion_tokens: int = 7) -> Reply:
    """A 200 answer; ``value`` is sent as JSON unless it is already a string."""
    content = value if isinstance(value, str) else json.dumps(value)
    return Reply(content=content, delay_s=delay_s, prompt_tokens=prompt_tokens,
                 completion_tokens=completion_tokens)


def slow(value: Any, delay_s: float) -> Reply:
    return answer(value, delay_s=delay_s)


def rate_limited(retry_after: float | None = 1) -> Reply:
    headers = {} if retry_after is None else {"Retry-After": f"{retry_after:g}"}
    return Reply(status=429, error="Rate limit reached for requests", headers=headers)


def server_error(status: int = 500) -> Reply:
    return Reply(status=status, error="The server had an error while processing your request")


def http_error(status: int, message: str) -> Reply:
    return Reply(status=status, error=message)


HTML_PAGE = ("<!DOCTYPE html><html><head><title>Sign in</title></head>"
             "<body><h1>Please sign in to the proxy</h1></body></html>")
MB = 1024 * 1024


def not_json(body: str | bytes = HTML_PAGE, *, status: int = 200,
             content_type: str = "text/html; charset=utf-8") -> Reply:
    """A body that is not JSON (by default an HTML login page) with HTTP 200."""
    data = body.encode() if isinstance(body, str) else body
    return Reply(status=status, body=data, content_type=content_type)


def json_body(value: Any, *, status: int = 200) -> Reply:
    """A JSON body that is not a chat completion, e.g. ``{"foo": 1}`` or ``[]``."""
    return Reply(status=status, body=json.dumps(value).encode())


def dripping(value: Any = None, *, every_s: float = 1.0, headers: bool = False) -> Reply:
    """A good answer (``value`` as in ``answer``) written one byte every ``every_s`` seconds:
    a few hundred bytes, so minutes. ``headers`` drips the status line and headers too."""
    good = answer({"ok": True} if value is None else value)
    return Reply(content=good.content, drip_s=every_s, drip_headers=headers)


def _padding(size: int) -> Callable[[], Iterator[bytes]]:
    """``size`` bytes of one JSON object, made 64 KiB at a time."""
    head, tail = b'{"padding": "', b'"}'

    def chunks() -> Iterator[bytes]:
        yield head
        left = max(0, size - len(head) - len(tail))
        while left:
            piece = min(left, 64 * 1024)
            yield b"x" * piece
            left -= piece
        yield tail

    return chunks


def huge(size: int = 10 * MB, *, framing: str = "length", content_length: int | None = None,
         status: int = 200) -> Reply:
    """A ``size``-byte JSON body made as it is sent. ``framing``: "length" (a Content-Length,
    ``size`` unless ``content_length`` lies), "chunked", or "close" (no Content-Length; the end of
    the body is the end of the connection)."""
    declared = content_length if content_length is not None or framing != "length" else size
    return Reply(status=status, chunks=_padding(size), framing=framing,
                 content_length=declared)


def huge_answer(size: int = 10 * MB) -> Reply:
    """A well-formed chat completion whose content is ``size`` characters."""
    return answer("y" * size)


def gzip_bomb(size: int = 10 * MB) -> Reply:
    """A small gzip body (Content-Encoding: gzip) that inflates to ``size`` bytes of JSON."""
    return Reply(chunks=_padding(size), encoding="gzip")


def compressed(value: Any) -> Reply:
    """A good answer, gzip-compressed although the client did not ask for it."""
    return Reply(content=answer(value).content, encoding="gzip")


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]  # names in lowercase
    body: dict[str, Any] | None

    @property
    def response_format(self) -> str | None:
        fmt = (self.body or {}).get("response_format")
        return fmt.get("type") if isinstance(fmt, dict) else None

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list((self.body or {}).get("messages", []))


Scripted = Reply | Callable[[dict[str, Any]], Reply]


class FakeOpenAI:
    def __init__(self, model: str = "fake-model") -> None:
        self.model = model
        self.requests: list[Received] = []
        self.reject_formats: set[str] = set()
        self.max_in_flight = 0
        self.bytes_sent = 0  # body bytes written by hostile (raw) replies
        self._stopped = threading.Event()
        self._queue: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._in_flight = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        kwargs={"poll_interval": 0.05})

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def script(self, *replies: Scripted) -> None:
        with self._lock:
            self._queue.extend(replies)

    @property
    def completions(self) -> list[Received]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    @property
    def pending(self) -> int:
        return len(self._queue)

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()  # ends drips
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _next(self, body: dict[str, Any]) -> Reply:
        fmt = body.get("response_format")
        kind = fmt.get("type") if isinstance(fmt, dict) else None
        if kind in self.reject_formats:
            return Reply(status=400, error=f'"response_format" type "{kind}" is not supported; '
                                           'must be one of "text" or "json_object"')
        with self._lock:
            scripted = self._queue.popleft() if self._queue else None
        if scripted is None:
            return Reply(status=418, error="the fake server has no scripted reply left")
        return scripted(body) if callable(scripted) else scripted

    def _completion(self, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
        number = len(self.requests)
        return {"id": f"chatcmpl-fake-{number}", "object": "chat.completion", "created": 0,
                "model": body.get("model", self.model),
                "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                             "message": {"role": "assistant", "content": reply.content}}],
                "usage": {"prompt_tokens": reply.prompt_tokens,
                          "completion_tokens": reply.completion_tokens,
                          "total_tokens": reply.prompt_tokens + reply.completion_tokens}}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls on keep-alive

            def log_message(self, *_: Any) -> None:  # quiet
                pass

            def _record(self, body: dict[str, Any] | None) -> None:
                headers = {name.lower(): value for name, value in self.headers.items()}
                with fake._lock:
                    fake.requests.append(Received(self.command, self.path, headers, body))

            def _send(self, status: int, payload: dict[str, Any],
                      headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up (timeout)

            def _write(self, data: bytes, drip_s: float) -> None:
                if not drip_s:
                    self.wfile.write(data)
                    return
                for index in range(len(data)):
                    if fake._stopped.wait(drip_s):
                        raise BrokenPipeError("the fake server stops")
                    self.wfile.write(data[index:index + 1])

            def _send_raw(self, reply: Reply, payload: bytes) -> None:
                """A hostile reply, byte for byte; the connection closes after it."""
                self.close_connection = True
                chunks: Iterable[bytes] = (reply.chunks() if reply.chunks is not None
                                           else [payload if reply.body is None else reply.body])
                if reply.encoding == "gzip":
                    chunks = _gzipped(chunks)
                declared = reply.content_length
                if reply.framing == "length" and declared is None:
                    whole = b"".join(chunks)
                    chunks, declared = [whole], len(whole)
                lines = [f"HTTP/1.1 {reply.status} {self.responses.get(reply.status, ('',))[0]}",
                         f"Content-Type: {reply.content_type}", "Connection: close"]
                if reply.framing == "chunked":
                    lines.append("Transfer-Encoding: chunked")
                elif reply.framing == "length":
                    lines.append(f"Content-Length: {declared}")
                if reply.encoding:
                    lines.append(f"Content-Encoding: {reply.encoding}")
                lines += [f"{name}: {value}" for name, value in reply.headers.items()]
                head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
                try:
                    self._write(head, reply.drip_s if reply.drip_headers else 0.0)
                    for chunk in chunks:
                        if not chunk:
                            continue
                        if reply.framing == "chunked":
                            chunk = b"%x\r\n%s\r\n" % (len(chunk), chunk)
                        self._write(chunk, reply.drip_s)
                        with fake._lock:
                            fake.bytes_sent += len(chunk)
                    if reply.framing == "chunked":
                        self._write(b"0\r\n\r\n", 0.0)
                except (BrokenPipeError, ConnectionResetError, OSError):
                    pass  # the client gave up (a deadline, a size cap)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                self._record(None)
                if self.path.rstrip("/") == "/v1/models":
                    self._send(200, {"object": "list", "data": [
                        {"id": fake.model, "object": "model", "created": 0,
                         "owned_by": "fake"}]})
                else:
                    self._send(404, _error(404, f"no route {self.path}"))

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except json.JSONDecodeError:
                    body = {}
                self._record(body)
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, _error(404, f"no route {self.path}"))
                    return
                with fake._lock:
                    fake._in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake._in_flight)
                try:
                    reply = fake._next(body)
                    if reply.delay_s:
                        threading.Event().wait(reply.delay_s)
                    if reply.raw:
                        payload = (fake._completion(body, reply) if reply.status == 200
                                   else _error(reply.status, reply.error))
                        self._send_raw(reply, json.dumps(payload).encode())
                    elif reply.status == 200:
                        self._send(200, fake._completion(body, reply), reply.headers)
                    else:
                        self._send(reply.status, _error(reply.status, reply.error),
                                   reply.headers)
                finally:
                    with fake._lock:
                        fake._in_flight -= 1

        return Handler


def _gzipped(chunks: Iterable[bytes]) -> Iterator[bytes]:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip header
    for chunk in chunks:
        packed = packer.compress(chunk)
        if packed:
            yield packed
    yield packer.flush()


def _error(status: int, message: str) -> dict[str, Any]:
    kind = "invalid_request_error" if status < 500 else "server_error"
    return {"error": {"message": message, "type": kind, "param": None, "code": status}}


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A started scripted server; stopped after the test."""
    with FakeOpenAI() as server:
        yield server
