"""The worker's command line has no handler plug-ins and no switch for the scoring lock (#26.8): tests inject
them through main()'s arguments (tests/worker/hooked.py), which production never passes."""

from __future__ import annotations

import pytest

from worker.__main__ import parse_args


@pytest.mark.parametrize("flag", [("--handler", "tests.worker.hooks:slow"), ("--scout-handler", "x:y"),
                                  ("--no-user-lock",)], ids=["handler", "scout-handler", "no-user-lock"])
def test_the_command_line_refuses_a_test_seam(flag):
    with pytest.raises(SystemExit):
        parse_args(list(flag))


def test_the_environment_cannot_swap_a_handler_or_drop_the_lock(monkeypatch):
    monkeypatch.setenv("CINE_WORKER_HANDLER", "tests.worker.hooks:crash")
    monkeypatch.setenv("CINE_WORKER_USER_LOCK", "0")
    args = parse_args([])
    assert not any("handler" in name or "lock" in name for name in vars(args))
