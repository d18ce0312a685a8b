"""bench.load's servers: Streamlit processes started as the README does, their CPU time, and the person they
serve (the personal-mode local user) with the titles that mark their picks on the page."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import psycopg

from cine_core.config import LOCAL_USER_ID, PROJECT_ROOT
from cine_core.db import ensure_local_user

PICKS_SHOWN = 12
QUICK_RATINGS = 8

START_TIMEOUT_SECONDS = 90


@dataclass(frozen=True)
class Server:
    uri: str  # ws://host:port/_stcore/stream
    pid: int

    def cpu_seconds(self) -> float:
        times = psutil.Process(self.pid).cpu_times()
        return times.user + times.system


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(script: Path, env: dict[str, str]) -> Iterator[Server]:
    """`streamlit run script` on a free port until the block ends; its log is kept for a failure message."""
    port = _free_port()
    with tempfile.TemporaryFile() as output:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none",
             "--browser.gatherUsageStats", "false"],
            cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + START_TIMEOUT_SECONDS
            while True:
                with contextlib.suppress(OSError), \
                        urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
                if proc.poll() is not None or time.monotonic() > deadline:
                    output.seek(0)
                    raise RuntimeError(f"streamlit did not start: {output.read().decode(errors='replace')[-800:]}")
                time.sleep(0.3)
            yield Server(f"ws://127.0.0.1:{port}/_stcore/stream", proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def seed_stored_picks(url: str) -> None:
    """A fast stand-in for import + worker (tests): the local user rates a few popular films and has 12 stored
    picks among the next ones, as the worker writes them."""
    with psycopg.connect(url) as conn:
        ensure_local_user(conn)
        films = [row[0] for row in conn.execute(
            "select id from public.movies where vote_count > 1000 order by popularity desc, id limit %s",
            (QUICK_RATINGS + PICKS_SHOWN,)).fetchall()]
        with conn.cursor() as cur:
            cur.executemany("insert into public.ratings (user_id, movie_id, rating, source) values (%s, %s, 4.5, 'app')",
                            [(LOCAL_USER_ID, film) for film in films[:QUICK_RATINGS]])
            cur.executemany(
                "insert into public.recommendations (user_id, movie_id, score, reason, discovery_source, confidence,"
                " matcher, generated_at) values (%s, %s, %s, 'Like the films you rated highly', 'similar_to_rated',"
                " %s, 'local', now())",
                [(LOCAL_USER_ID, film, 1 - k / 100, round(0.95 - k / 50, 2))
                 for k, film in enumerate(films[QUICK_RATINGS:])])
        conn.execute("delete from public.recommendation_refresh_queue")


def pick_markers(url: str) -> tuple[bytes, ...]:
    """The titles of the local user's shown picks that read the same as text, HTML and Markdown."""
    with psycopg.connect(url) as conn:
        titles = [row[0] for row in conn.execute(
            "select m.title from public.recommendations r join public.movies m on m.id = r.movie_id"
            " where r.user_id = %s order by r.confidence desc, r.movie_id limit %s",
            (LOCAL_USER_ID, PICKS_SHOWN)).fetchall()]
    plain = [t for t in titles if all(c.isalnum() or c == " " for c in t)]
    if not plain:
        raise RuntimeError(f"the local user has no pick with a plain title to look for (picks: {titles})")
    return tuple(t.encode() for t in plain)
