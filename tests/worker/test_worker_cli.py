"""The worker's command line has no handler plug-ins (#26.8): tests inject handlers through main()'s
arguments (tests/worker/hooked.py), which production never passes."""

from __future__ import annotations

import pytest

from worker.__main__ import parse_args


@pytest.mark.parametrize("flag", ["--handler", "--scout-handler"])
def test_the_command_line_refuses_a_handler_plug_in(flag):
    with pytest.raises(SystemExit):
        parse_args([flag, "tests.worker.hooks:slow"])


def test_the_environment_cannot_swap_a_handler(monkeypatch):
    monkeypatch.setenv("CINE_WORKER_HANDLER", "tests.worker.hooks:crash")
    args = parse_args([])
    assert not any("handler" in name for name in vars(args))
