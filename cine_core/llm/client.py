"""A thin Claude wrapper: one place for the client, structured output and usage accounting (prices: prices.py).

Structured output is a forced tool call (`tool_choice={"type": "tool", ...}`, `strict: True`) whose
input schema is derived from a pydantic model; the tool input is validated with that model before
anyone sees it. Transport retries (429, 5xx, 529, timeouts) are the SDK's, bounded by `max_retries`;
invalid output is re-asked at most `output_retries` times. Every attempt writes one `api_usage` row.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import anthropic
import httpx2
import pydantic
from psycopg_pool import ConnectionPool

from cine_core.config import Settings, get_settings
from cine_core.domain.errors import (
    ConfigError,
    LLMAuthError,
    LLMError,
    LLMOutputInvalid,
    LLMRateLimited,
    LLMUnavailable,
)
from cine_core.llm.budget import ClaudeCaps
from cine_core.llm.prices import estimate_cost
from cine_core.metering.usage import UsageEvent, UsageRecorder

log = logging.getLogger(__name__)

T = TypeVar("T", bound=pydantic.BaseModel)

DEFAULT_TIMEOUT_SECONDS = 60.0
CONNECT_TIMEOUT_SECONDS = 5.0
DEFAULT_MAX_RETRIES = 2  # transport retries inside the SDK (jittered backoff, Retry-After honoured)
DEFAULT_OUTPUT_RETRIES = 1  # re-asks after output that fails validation

# The SDK logs whole request options (prompts included) at DEBUG; keep it at INFO unless someone
# deliberately configured the "anthropic" logger.
if logging.getLogger("anthropic").level == logging.NOTSET:
    logging.getLogger("anthropic").setLevel(logging.INFO)


def build_anthropic_client(
    settings: Settings, *, timeout: float = DEFAULT_TIMEOUT_SECONDS, max_retries: int = DEFAULT_MAX_RETRIES
) -> anthropic.Anthropic:
    """The SDK client from settings: explicit key (never the SDK's own env/profile lookup), timeouts on."""
    if settings.anthropic_api_key is None:
        raise ConfigError("ANTHROPIC_API_KEY is not set: the Claude engine is unavailable")
    return anthropic.Anthropic(
        api_key=settings.anthropic_api_key.get_secret_value(),
        base_url=settings.anthropic_base_url or "https://api.anthropic.com",
        timeout=httpx2.Timeout(timeout, connect=CONNECT_TIMEOUT_SECONDS),
        max_retries=max(0, min(max_retries, 5)),
    )


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """A tool the model is forced to call; its input schema comes from `output_model`."""

    name: str
    description: str
    output_model: type[pydantic.BaseModel]

    def to_param(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "input_schema": anthropic.transform_schema(self.output_model),
            "strict": True,
        }


@dataclass(frozen=True, slots=True)
class CallUsage:
    tokens_in: int = 0
    tokens_out: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0


class ClaudeClient:
    """Structured Claude calls with accounting and the daily caps. Raises LLMError subclasses only.

    Every request passes `caps` first (llm/budget.py): past a cap, LLMCapReached and nothing is sent. Without
    `caps`, the process settings' caps apply, counted on the usage recorder's pool, so no client is uncapped."""

    def __init__(
        self,
        client: anthropic.Anthropic,
        *,
        model: str,
        usage: UsageRecorder | None = None,
        output_retries: int = DEFAULT_OUTPUT_RETRIES,
        caps: ClaudeCaps | None = None,
    ) -> None:
        self._client = client
        self.model = model
        self._usage = usage or UsageRecorder(None)
        self._output_retries = max(0, output_retries)
        self.caps = caps or ClaudeCaps(get_settings(), self._usage.pool)

    @classmethod
    def from_settings(
        cls, settings: Settings, pool: ConnectionPool | None, *, client: anthropic.Anthropic | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS, max_retries: int = DEFAULT_MAX_RETRIES,
        output_retries: int = DEFAULT_OUTPUT_RETRIES,
    ) -> ClaudeClient:
        """The one way to build a client: `settings`' model and caps, usage recorded and caps counted on `pool`."""
        sdk = client or build_anthropic_client(settings, timeout=timeout, max_retries=max_retries)
        return cls(sdk, model=settings.cine_claude_model, usage=UsageRecorder(pool), output_retries=output_retries,
                   caps=ClaudeCaps(settings, pool))

    def close(self) -> None:
        self._client.close()

    def call_tool(
        self,
        *,
        operation: str,
        tool: ToolSpec,
        system: str | Sequence[dict[str, Any]],
        messages: Sequence[dict[str, Any]],
        max_tokens: int,
        user_id: str | None = None,
        check: Callable[[T], None] | None = None,
    ) -> T:
        """Force one tool call and return its input validated by `tool.output_model`.

        `check` may raise LLMOutputInvalid for output the schema cannot judge (e.g. ids that were not
        asked about). Output that fails validation is re-asked `output_retries` times, then
        LLMOutputInvalid. Every attempt is recorded in api_usage, valid or not.
        """
        attempts = 1 + self._output_retries
        for attempt in range(1, attempts + 1):
            self.caps.require(user_id=user_id, operation=operation)  # before every request, re-asks included
            try:
                return self._call_once(operation, tool, system, messages, max_tokens, user_id, check)
            except LLMOutputInvalid as exc:
                if attempt == attempts:
                    raise
                log.warning("%s: invalid model output (attempt %d/%d): %s", operation, attempt, attempts, exc)
        raise AssertionError("unreachable")

    def _call_once(self, operation, tool, system, messages, max_tokens, user_id, check=None):
        try:
            response = self._client.messages.create(
                model=self.model,
                max_tokens=max_tokens,
                system=system,
                messages=list(messages),
                tools=[tool.to_param()],
                tool_choice={"type": "tool", "name": tool.name},
            )
        except anthropic.AnthropicError as exc:
            error = _translate(exc)
            self._record(operation, user_id, CallUsage(), ok=False, error=str(error))
            log.warning("%s: Claude call failed: %s", operation, error)
            raise error from exc
        except ValueError as exc:  # a 200 whose body is not JSON surfaces as a bare JSONDecodeError
            error = LLMOutputInvalid("The Anthropic API returned a body that is not a valid message")
            self._record(operation, user_id, CallUsage(), ok=False, error=str(error))
            raise error from exc
        try:
            usage = _usage_of(response)
        except LLMOutputInvalid as exc:
            self._record(operation, user_id, CallUsage(), ok=False, error=str(exc))
            raise
        try:
            output = _tool_output(response, tool)
            if check is not None:
                check(output)
        except LLMOutputInvalid as exc:
            self._record(operation, user_id, usage, ok=False, error=str(exc))
            raise
        self._record(operation, user_id, usage, ok=True, error=None)
        return output

    def _record(self, operation: str, user_id: str | None, usage: CallUsage, *, ok: bool, error: str | None,
                batch: bool = False) -> None:
        """One api_usage row; `batch`: answered through the Message Batches API (priced at its discount)."""
        self._usage.record(
            UsageEvent(
                service="anthropic", operation=operation, model=self.model, user_id=user_id,
                tokens_in=usage.tokens_in, tokens_out=usage.tokens_out,
                cache_read_tokens=usage.cache_read_tokens, cache_write_tokens=usage.cache_write_tokens,
                estimated_cost_usd=estimate_cost(
                    self.model, tokens_in=usage.tokens_in, tokens_out=usage.tokens_out,
                    cache_read_tokens=usage.cache_read_tokens, cache_write_tokens=usage.cache_write_tokens,
                    batch=batch,
                ),
                ok=ok, error=error,
            )
        )


    record = _record


MAX_TOKEN_COUNT = 2**31 - 1  # api_usage counts are int columns


def _token_count(usage: Any, field: str) -> int:
    """A token count from the reply; LLMOutputInvalid unless it is a whole, non-negative number."""
    value = getattr(usage, field, None)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or value < 0 or value != int(value) or value > MAX_TOKEN_COUNT:
        raise LLMOutputInvalid(f"the reply's usage.{field} is not a token count")
    return int(value)


def usage_of(response: Any) -> CallUsage:
    """Token counts of a reply (LLMOutputInvalid if they are not counts)."""
    return _usage_of(response)


def tool_output(response: Any, tool: ToolSpec) -> Any:
    """The forced tool call's input, validated by `tool.output_model` (LLMOutputInvalid otherwise)."""
    return _tool_output(response, tool)


def translate(exc: anthropic.AnthropicError) -> LLMError:
    return _translate(exc)


def _usage_of(response: Any) -> CallUsage:
    usage = getattr(response, "usage", None)
    if usage is None:
        return CallUsage()
    return CallUsage(
        tokens_in=_token_count(usage, "input_tokens"),
        tokens_out=_token_count(usage, "output_tokens"),
        cache_read_tokens=_token_count(usage, "cache_read_input_tokens"),
        cache_write_tokens=_token_count(usage, "cache_creation_input_tokens"),
    )


def _tool_output(response: Any, tool: ToolSpec) -> Any:
    content = getattr(response, "content", None)
    if not isinstance(content, list):
        raise LLMOutputInvalid("the reply's content is not a list of blocks")
    blocks = [b for b in content if getattr(b, "type", None) == "tool_use"]
    block = next((b for b in blocks if getattr(b, "name", None) == tool.name), None)
    if block is None:
        raise LLMOutputInvalid(f"the reply has no {tool.name} tool call (stop_reason={getattr(response, 'stop_reason', None)})")
    try:
        return tool.output_model.model_validate(block.input)
    except pydantic.ValidationError as exc:
        raise LLMOutputInvalid(f"{tool.name} output does not match the schema: {exc.error_count()} error(s), "
                               f"first: {_first_error(exc)}") from exc


def _first_error(exc: pydantic.ValidationError) -> str:
    err = exc.errors(include_url=False, include_input=False)[0]
    return f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"


def _translate(exc: anthropic.AnthropicError) -> LLMError:
    """Map SDK errors onto CineAI's; messages carry status and type, never keys or prompts."""
    if isinstance(exc, anthropic.APITimeoutError):
        return LLMUnavailable("The Anthropic API timed out (after retries)")
    if isinstance(exc, anthropic.APIConnectionError):
        return LLMUnavailable("Could not connect to the Anthropic API (after retries)")
    if isinstance(exc, anthropic.APIStatusError):
        status = exc.status_code
        if status in (401, 403):
            return LLMAuthError(f"The Anthropic API rejected the credentials ({status})")
        if status == 429:
            return LLMRateLimited("The Anthropic API rate limit was hit (429) and retries were exhausted")
        if status >= 500:
            return LLMUnavailable(f"The Anthropic API is unavailable ({status}) after retries")
        return LLMError(f"The Anthropic API refused the request ({status})")
    if isinstance(exc, anthropic.APIResponseValidationError):
        return LLMOutputInvalid("The Anthropic API returned a response that is not a valid message")
    return LLMError(f"The Anthropic API call failed: {type(exc).__name__}")
