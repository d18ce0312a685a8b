"""The work queues and the workers' bookkeeping: refresh jobs, import jobs, leases, scoring locks, heartbeats."""

__all__ = ["heartbeat", "import_jobs", "job_lease", "refresh_queue", "user_lock"]
