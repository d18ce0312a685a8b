"""The command line (`python -m cine_core ...`): commands, the digest command, the launcher of `make run`."""

__all__ = ["commands", "digest", "launcher"]
