"""A local HTTP server speaking just enough of the Anthropic Messages API (and Message Batches:
tests/anthropic_batches.py) for the real SDK.

anthropic 2.x uses httpx2, which respx cannot intercept, so tests point the SDK's `base_url` here.
Replies are scripted (a queue, then a default); every request body is recorded for assertions.

Token counts: `tool_use(..., usage=MEASURED)` reports what the request and the reply would cost instead of
fixed numbers (`measured_usage`): input = the serialised request as the API bills it (system blocks + the
tools' JSON schemas + messages) at CHARS_PER_TOKEN, plus the tool-use system prompt the API adds when tools
are forced (TOOL_USE_SYSTEM_TOKENS, Anthropic's documented figure for tool_choice "tool"); output = the JSON
of the tool input the reply carries, plus TOOL_CALL_OVERHEAD_TOKENS for the tool_use block itself. No prompt
caching is credited (all input is `input_tokens`): the cacheable prefix is per user and a scheduled pass comes
back hours after the 5-minute cache has expired, so benchmarks stay on the expensive side. ~4 characters per
token is the usual figure for English prose and JSON with Claude's tokenizer (±15%).
"""

from __future__ import annotations

import itertools
import json
import math
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.anthropic_batches import BatchesAPI

_ids = itertools.count(1)

CHARS_PER_TOKEN = 4.0
TOOL_USE_SYSTEM_TOKENS = 313  # added by the API to a request whose tool_choice forces a tool
TOOL_CALL_OVERHEAD_TOKENS = 12  # the tool_use block around the input: id, name, delimiters
MEASURED = "measured"  # tool_use(usage=MEASURED): token counts from the request and the reply


def _tokens(chars: int) -> int:
    return math.ceil(chars / CHARS_PER_TOKEN)


def count_input_tokens(request: dict) -> int:
    """What the API would bill as input for `request` (see the module docstring)."""
    billed = {key: request.get(key) for key in ("system", "tools", "messages") if request.get(key)}
    text = json.dumps(billed, ensure_ascii=False, separators=(",", ":"))
    forced = (request.get("tool_choice") or {}).get("type") in ("tool", "any")
    return _tokens(len(text)) + (TOOL_USE_SYSTEM_TOKENS if request.get("tools") and forced else 0)


def count_output_tokens(content: list[dict]) -> int:
    """What the API would bill as output for reply blocks: the text, or a tool call's input JSON."""
    tokens = 0
    for block in content:
        if block.get("type") == "tool_use":
            tokens += TOOL_CALL_OVERHEAD_TOKENS + _tokens(len(json.dumps(block.get("input"), ensure_ascii=False,
                                                                          separators=(",", ":"))))
        elif block.get("type") == "text":
            tokens += _tokens(len(block.get("text") or ""))
    return tokens


def measured_usage(request: dict, content: list[dict]) -> dict:
    return {"input_tokens": count_input_tokens(request), "output_tokens": count_output_tokens(content),
            "cache_read_input_tokens": 0, "cache_creation_input_tokens": 0}


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict -> JSON; str/bytes -> sent raw
    headers: dict[str, str] = field(default_factory=dict)
    delay_seconds: float = 0.0


def tool_use(tool_input: Any, *, name: str | None = None, usage: dict | str | None = None) -> Callable[[dict], Reply]:
    """A valid reply calling the tool the request forced (or `name`) with `tool_input`; `usage` is a dict,
    MEASURED (counted from the request and this reply), or None (fixed numbers some tests pin)."""

    def build(request: dict) -> Reply:
        tool_name = name or (request.get("tool_choice") or {}).get("name") or "tool"
        content = [{"type": "tool_use", "id": f"toolu_{next(_ids)}", "name": tool_name, "input": tool_input}]
        return Reply(body={
            "id": f"msg_stub_{next(_ids)}", "type": "message", "role": "assistant", "model": request.get("model"),
            "content": content, "stop_reason": "tool_use", "stop_sequence": None,
            "usage": measured_usage(request, content) if usage == MEASURED else usage or {"input_tokens": 1200, "output_tokens": 150,
                               "cache_read_input_tokens": 0, "cache_creation_input_tokens": 800},
        })

    return build


def text_only(text: str = "Sure! Here you go.") -> Callable[[dict], Reply]:
    def build(request: dict) -> Reply:
        return Reply(body={
            "id": f"msg_stub_{next(_ids)}", "type": "message", "role": "assistant", "model": request.get("model"),
            "content": [{"type": "text", "text": text}], "stop_reason": "end_turn", "stop_sequence": None,
            "usage": {"input_tokens": 10, "output_tokens": 5},
        })

    return build


def api_error(status: int, error_type: str) -> Reply:
    # retry-after-ms keeps SDK retries instant in tests
    return Reply(status=status, body={"type": "error", "error": {"type": error_type, "message": f"stub {status}"}},
                 headers={"retry-after-ms": "1"})


OVERLOADED = api_error(529, "overloaded_error")
SERVER_ERROR = api_error(500, "api_error")
RATE_LIMITED = api_error(429, "rate_limit_error")
UNAUTHORIZED = api_error(401, "authentication_error")
GARBAGE = Reply(status=200, body="<html>definitely not json", headers={"content-type": "application/json"})


def slow(seconds: float, then: Reply | Callable[[dict], Reply] | None = None) -> Callable[[dict], Reply]:
    def build(request: dict) -> Reply:
        reply = then(request) if callable(then) else (then or Reply(body={}))
        reply.delay_seconds = seconds
        return reply

    return build


class AnthropicStub:
    """`with AnthropicStub() as stub:` then `stub.base_url`; `stub.script(r1, r2)`; `stub.requests`."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.headers: list[dict[str, str]] = []
        self._script: deque = deque()
        self.default: Reply | Callable[[dict], Reply] = SERVER_ERROR
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, name="anthropic-stub", daemon=True)
        self.batches = BatchesAPI(self._batch_reply, lambda: self.base_url)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, *replies: Reply | Callable[[dict], Reply]) -> None:
        with self._lock:
            self._script.extend(replies)

    def __enter__(self) -> AnthropicStub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _next_reply(self, request: dict) -> Reply:
        with self._lock:
            self.requests.append(request)
            planned = self._script.popleft() if self._script else self.default
        return planned(request) if callable(planned) else planned

    def _batch_reply(self, params: dict) -> Reply:
        """A batch request's reply: the script, then the default, as a synchronous call (not in `requests`)."""
        with self._lock:
            planned = self._script.popleft() if self._script else self.default
        return planned(params) if callable(planned) else planned

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        return type("Handler", (_StubHandler,), {"stub": self})


class _StubHandler(BaseHTTPRequestHandler):
    """The stub's HTTP side; `_handler_class` binds it to one AnthropicStub."""

    stub: AnthropicStub

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:  # noqa: N802 (http.server naming)
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length)
        try:
            request = json.loads(raw or b"{}")
        except ValueError:
            request = {"_raw": raw.decode("utf-8", "replace")}
        request["_path"] = self.path
        with self.stub._lock:
            self.stub.headers.append({k.lower(): v for k, v in self.headers.items()})
        if self.path.startswith("/v1/messages/batches"):
            status, body = self.stub.batches.create(request)
            return self._send(Reply(status=status, body=body))
        self._send(self.stub._next_reply(request))

    def do_GET(self) -> None:  # noqa: N802 (the Message Batches API: retrieve and results)
        status, body = self.stub.batches.get(self.path)
        self._send(Reply(status=status, body=body, headers={} if status != 200 or isinstance(body, dict)
                         else {"content-type": "application/binary"}))

    def _send(self, reply: Reply) -> None:
        if reply.delay_seconds and self.stub._stopping.wait(reply.delay_seconds):
            return
        body = reply.body if isinstance(reply.body, (str, bytes)) else json.dumps(reply.body)
        data = body.encode() if isinstance(body, str) else body
        try:
            self.send_response(reply.status)
            self.send_header("content-type", reply.headers.get("content-type", "application/json"))
            self.send_header("content-length", str(len(data)))
            for key, value in reply.headers.items():
                if key != "content-type":
                    self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)


# --- fixtures and helpers (import the fixture into a test module to use it) ---------------------

import pytest  # noqa: E402


@pytest.fixture
def anthropic_stub():
    with AnthropicStub() as stub:
        yield stub


def stub_settings(stub: AnthropicStub, **overrides: Any):
    from cine_core.config import Settings

    values = {"anthropic_api_key": "test-key", "anthropic_base_url": stub.base_url, "cine_claude_model": "claude-haiku-5-5"}
    values.update(overrides)
    return Settings(_env_file=None, **values)


def stub_sdk_client(stub: AnthropicStub, *, timeout: float = 2.0, max_retries: int = 1):
    """The real SDK client pointed at the stub, via the production builder."""
    from cine_core.llm.client import build_anthropic_client

    return build_anthropic_client(stub_settings(stub), timeout=timeout, max_retries=max_retries)
