"""The provider protocol: one chat completion in, one completion out. No SDK here.

A provider turns a ``CompletionRequest`` (messages, model, parameters and, optionally, the JSON
Schema the answer must follow) into a ``Completion`` (the answer text, token usage, latency and
the structured-output mode the endpoint accepted). ``OpenAIProvider`` (in ``openai_provider``)
talks to any OpenAI-compatible endpoint; ``FakeProvider`` answers from a script, for unit tests.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from .errors import ProviderError

Role = Literal["system", "user", "assistant"]
Mode = Literal["json_schema", "json_object", "text"]
MODES: tuple[Mode, ...] = ("json_schema", "json_object", "text")


@dataclass(frozen=True)
class Message:
    role: Role
    content: str

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True)
class CompletionRequest:
    messages: tuple[Message, ...]
    model: str
    temperature: float = 0.0
    max_tokens: int | None = None
    response_schema: dict[str, Any] | None = None  # JSON Schema the answer must follow
    schema_name: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "messages", tuple(self.messages))

    def parameters(self) -> dict[str, Any]:
        """Everything but the messages that changes the answer (part of the cache key)."""
        return {"model": self.model, "temperature": self.temperature,
                "max_tokens": self.max_tokens, "response_schema": self.response_schema,
                "schema_name": self.schema_name}


@dataclass(frozen=True)
class Completion:
    text: str
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    mode: Mode = "text"  # how the answer's structure was asked for
    latency_s: float = 0.0


class Provider(Protocol):
    name: str
    model: str  # the default model, used when the caller names none

    def complete(self, request: CompletionRequest) -> Completion: ...


def schema_instruction(schema: dict[str, Any]) -> str:
    """The words that ask for the schema when the endpoint cannot enforce it."""
    return ("Reply with one JSON object only (no prose, no code fences) that conforms to this "
            "JSON Schema:\n" + json.dumps(schema, indent=1, sort_keys=True))


def with_schema_instruction(messages: Sequence[Message], schema: dict[str, Any]
                            ) -> tuple[Message, ...]:
    """Messages with the schema described in the system message (added when there is none)."""
    note = schema_instruction(schema)
    if messages and messages[0].role == "system":
        first = Message("system", f"{messages[0].content.rstrip()}\n\n{note}")
        return (first, *messages[1:])
    return (Message("system", note), *messages)


Answer = str | Exception
Script = Sequence[Answer] | Callable[[CompletionRequest], Answer]


@dataclass
class FakeProvider:
    """Answers from a list (in order) or a callable; an ``Exception`` answer is raised.

    Every request is kept in ``requests`` so tests can assert on what was asked."""

    answers: Script
    name: str = "fake"
    model: str = "fake-model"
    requests: list[CompletionRequest] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def complete(self, request: CompletionRequest) -> Completion:
        with self._lock:
            index = len(self.requests)
            self.requests.append(request)
        if callable(self.answers):
            answer = self.answers(request)
        elif index < len(self.answers):
            answer = self.answers[index]
        else:
            raise ProviderError(f"FakeProvider has {len(self.answers)} scripted answers and got "
                                f"request {index + 1}; script more answers")
        if isinstance(answer, Exception):
            raise answer
        prompt_chars = sum(len(m.content) for m in request.messages)
        return Completion(text=answer, model=request.model, prompt_tokens=prompt_chars // 4,
                          completion_tokens=len(answer) // 4,
                          mode="json_schema" if request.response_schema else "text")
