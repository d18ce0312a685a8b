"""The worker-process fixtures of test_worker.py, for every test module of this folder."""

from tests.worker.test_worker import job_log, workers  # noqa: F401 - fixtures
