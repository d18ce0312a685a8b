""""Now on your services": the worker's re-check of where each person's watchlist and top picks stream, the
arrivals it finds (never twice for one film), and the pushes through the person's Apprise URL."""

from cine_core.alerts.arrivals import Arrival, dismiss_arrivals, new_arrivals, streamable_watchlist_ids
from cine_core.alerts.checks import CheckReport, check_services
from cine_core.alerts.push import push_arrivals

__all__ = ["Arrival", "CheckReport", "check_services", "dismiss_arrivals", "new_arrivals", "push_arrivals",
           "streamable_watchlist_ids"]
