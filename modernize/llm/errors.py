"""Typed errors of the LLM layer. Each says what went wrong and what to do about it."""

from __future__ import annotations

from ..core.errors import ModernizeError


class LLMError(ModernizeError):
    """Base of the LLM layer's errors."""


class ProviderConfigError(LLMError):
    """An environment variable that configures the model endpoint has a bad value."""


class ProviderError(LLMError):
    """The model endpoint failed: not reachable, refused the request, or kept failing after
    retries. ``status`` is the HTTP status when there was one; ``retryable`` says whether
    trying again later may help (429, 5xx, timeouts)."""

    def __init__(self, message: str, *, status: int | None = None,
                 retryable: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable


class ProviderTimeoutError(ProviderError):
    """The endpoint gave no complete answer within ``MODERNIZE_LLM_TIMEOUT`` (the whole request,
    connect to last byte), on every attempt. Retryable: a later try may be faster."""

    def __init__(self, message: str, *, deadline_s: float) -> None:
        super().__init__(message, retryable=True)
        self.deadline_s = deadline_s


class ProviderResponseError(ProviderError):
    """The endpoint answered, but not with something usable: a body that is not JSON (an HTML
    error or login page, garbage), JSON that is not a chat completion, or an encoding it was not
    asked for. Not retried: asking the same server again gets the same kind of answer."""


class ResponseTooLargeError(ProviderResponseError):
    """The endpoint's answer is larger than ``MODERNIZE_LLM_MAX_RESPONSE_BYTES``; it was refused
    while being read, before it was parsed or stored. ``limit`` is the cap in bytes."""

    def __init__(self, message: str, *, limit: int, status: int | None = None) -> None:
        super().__init__(message, status=status)
        self.limit = limit


class PromptError(LLMError):
    """A prompt file is malformed, unknown, or was rendered with missing or unexpected inputs."""


class GenerationError(LLMError):
    """The model gave no answer that parses into the expected output after every repair."""

    def __init__(self, message: str, *, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


class LedgerError(LLMError):
    """The cache and audit database cannot be opened or written."""
