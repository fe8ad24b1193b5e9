"""The LLM layer: providers, the prompt library, structured generation, cache and audit log.

``provider_from_env()`` gives the configured OpenAI-compatible endpoint, or None when
``OPENAI_BASE_URL`` is unset (then callers use the embedded static generator). The ``openai``
SDK is imported only when that provider is first asked for, so the rest of the package stays
light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    GenerationError,
    LedgerError,
    LLMError,
    PromptError,
    ProviderConfigError,
    ProviderError,
    ProviderResponseError,
    ProviderTimeoutError,
    ResponseTooLargeError,
)
from .ledger import AuditRow, Ledger, request_key
from .prompts import Prompt, load_prompt, load_prompts, prompts_folder
from .provider import Completion, CompletionRequest, FakeProvider, Message, Mode, Provider
from .structured import Generated, generate

if TYPE_CHECKING:
    from .openai_provider import OpenAIProvider, provider_from_env

__all__ = [
    "AuditRow", "Completion", "CompletionRequest", "FakeProvider", "Generated",
    "GenerationError", "LLMError", "Ledger", "LedgerError", "Message", "Mode", "OpenAIProvider",
    "Prompt", "PromptError", "Provider", "ProviderConfigError", "ProviderError",
    "ProviderResponseError", "ProviderTimeoutError", "ResponseTooLargeError", "generate",
    "load_prompt", "load_prompts", "prompts_folder", "provider_from_env", "request_key",
]


def __getattr__(name: str) -> Any:
    if name in ("OpenAIProvider", "provider_from_env"):
        from . import openai_provider

        return getattr(openai_provider, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
