"""bench.load's client: dashboard views over Streamlit's own websocket protocol, as the browser sends them.

A session is one websocket on `/_stcore/stream` (subprotocol `streamlit`). A view is one `rerun_script` BackMsg
for the dashboard page; the server answers with ForwardMsgs (new_session, navigation, deltas, script_finished).
Timed per view: send → the first delta holding a pick's title ("first pick") and → script_finished ("done").
Errors: an exception element, an `st.error` alert, a compile error, a missing pick, a timeout or a dropped socket.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetStates

VIEW_TIMEOUT_SECONDS = 30.0  # a view not finished by then is an error (the session then waits for it to end)
DRAIN_SECONDS = 90.0
_LAST_RUN_ENDS = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)


@dataclass
class Tally:
    """What a phase's sessions saw: one latency pair per good view, and the errors by kind."""

    first_pick: list[float] = field(default_factory=list)
    done: list[float] = field(default_factory=list)
    new_session: list[bool] = field(default_factory=list)  # per good view: it opened the session (a page load)
    errors: dict[str, int] = field(default_factory=dict)
    views_by_server: dict[str, int] = field(default_factory=dict)
    first_error: str | None = None
    last_finish: float = 0.0

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        self.first_error = self.first_error or f"{kind}: {detail[:300]}"

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


class ViewError(Exception):
    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind, self.detail = kind, detail


class Session:
    """One browser tab: a websocket and the page hash the server told it it is on."""

    def __init__(self, uri: str, markers: tuple[bytes, ...]) -> None:
        self.uri, self.markers = uri, markers
        self.page_hash = ""  # empty: the navigation's default page, the dashboard
        self.ws = None
        self.running = False  # a run was asked for and its script_finished has not been read yet

    async def drain(self) -> None:
        """Wait for the run in flight to finish, as a browser would, so its messages are not read as the next
        view's answer; a session that does not finish within DRAIN_SECONDS is closed (the next view reconnects)."""
        try:
            async with asyncio.timeout(DRAIN_SECONDS):
                while self.running:
                    msg = ForwardMsg.FromString(await self.ws.recv())
                    if msg.WhichOneof("type") == "script_finished" and msg.script_finished in _LAST_RUN_ENDS:
                        self.running = False
        except (TimeoutError, OSError, websockets.WebSocketException):
            await self.close()

    async def open(self) -> None:
        self.ws = await websockets.connect(self.uri, subprotocols=["streamlit"], max_size=None, open_timeout=30)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None
        self.running = False

    async def view(self) -> tuple[float, float]:
        """One dashboard view: (seconds to the first pick, seconds to script_finished)."""
        started = time.perf_counter()
        if self.ws is None:  # a new tab: connecting is part of its first view
            await self.open()
        message = BackMsg(rerun_script=ClientState(query_string="", page_script_hash=self.page_hash,
                                                   widget_states=WidgetStates()))
        await self.ws.send(message.SerializeToString())
        self.running = True
        first_pick = None
        async with asyncio.timeout(VIEW_TIMEOUT_SECONDS):
            while True:
                data = await self.ws.recv()
                if first_pick is None and any(marker in data for marker in self.markers):
                    first_pick = time.perf_counter() - started
                msg = ForwardMsg.FromString(data)
                kind = msg.WhichOneof("type")
                if kind == "delta":
                    _check_delta(msg)
                elif kind == "navigation" and msg.navigation.page_script_hash:
                    self.page_hash = msg.navigation.page_script_hash
                elif kind == "page_not_found":
                    raise ViewError("page_not_found", msg.page_not_found.page_name)
                elif kind == "script_finished" and msg.script_finished in _LAST_RUN_ENDS:
                    self.running = False
                    if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                        raise ViewError("compile_error", "the script did not compile")
                    break
        done = time.perf_counter() - started
        if first_pick is None:
            raise ViewError("no_pick", "the run finished without showing a pick")
        return first_pick, done


def _check_delta(msg: ForwardMsg) -> None:
    if msg.delta.WhichOneof("type") != "new_element":
        return
    element = msg.delta.new_element
    which = element.WhichOneof("type")
    if which == "exception":
        raise ViewError("exception", f"{element.exception.type}: {element.exception.message}")
    if which == "alert" and element.alert.format == Alert.ERROR:
        raise ViewError("error_alert", element.alert.body)


async def _one_view(session: Session, tally: Tally) -> None:
    new = session.ws is None
    try:
        first_pick, done = await session.view()
    except (ViewError, TimeoutError, OSError, websockets.WebSocketException) as exc:
        if isinstance(exc, ViewError):
            tally.error(exc.kind, exc.detail)
        elif isinstance(exc, TimeoutError):
            tally.error("timeout", f"no script_finished within {VIEW_TIMEOUT_SECONDS:.0f} s")
        else:
            tally.error("socket", f"{type(exc).__name__}: {exc}")
        if session.running:
            await session.drain()
    else:
        tally.first_pick.append(first_pick)
        tally.done.append(done)
        tally.new_session.append(new)
        tally.views_by_server[session.uri] = tally.views_by_server.get(session.uri, 0) + 1
    tally.last_finish = max(tally.last_finish, time.perf_counter())


async def paced(uri: str, markers: tuple[bytes, ...], tally: Tally, *, offset: float, period: float,
                until: float) -> None:
    """A person who views the dashboard every `period` seconds, starting `offset` seconds in, until `until`."""
    session = Session(uri, markers)
    await asyncio.sleep(offset)
    try:
        next_view = time.perf_counter()
        while next_view < until:
            await _one_view(session, tally)
            next_view += period
            await asyncio.sleep(max(0.0, next_view - time.perf_counter()))
    finally:
        await session.close()


async def closed_loop(uri: str, markers: tuple[bytes, ...], tally: Tally, *, until: float) -> None:
    """A session that asks for the next view as soon as the last one finished (saturation); at least one view."""
    session = Session(uri, markers)
    try:
        await _one_view(session, tally)
        while time.perf_counter() < until:
            await _one_view(session, tally)
    finally:
        await session.close()


def run_paced(uris: list[str], markers: tuple[bytes, ...], *, sessions: int, period: float,
              duration: float) -> Tally:
    """`sessions` people spread evenly over one period, on the servers in `uris` in turn."""
    tally = Tally()

    async def main() -> None:
        until = time.perf_counter() + duration
        await asyncio.gather(*(paced(uris[i % len(uris)], markers, tally, offset=i * period / sessions,
                                     period=period, until=until) for i in range(sessions)))

    asyncio.run(main())
    return tally


def run_closed(uris: list[str], markers: tuple[bytes, ...], *, sessions: int, duration: float) -> Tally:
    tally = Tally()

    async def main() -> None:
        until = time.perf_counter() + duration
        await asyncio.gather(*(closed_loop(uris[i % len(uris)], markers, tally, until=until)
                               for i in range(sessions)))

    asyncio.run(main())
    return tally
