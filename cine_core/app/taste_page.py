"""The Taste page's data in one user transaction: ratings, the learned profile, calibration, its summary in
words and the years with a diary (for the year in review). The page draws it; it opens no transaction itself."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from psycopg_pool import ConnectionPool

from cine_core.app import dashboard, diary, history
from cine_core.db import user_transaction
from cine_core.domain.models import RatedMovie, TasteProfile
from cine_core.taste.store import load_profile
from cine_core.taste.summary import TasteSummary

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TastePage:
    rated: list[RatedMovie]  # newest first
    profile: TasteProfile
    calibration: list[history.CalibrationPoint]  # CineAI's confidence against the rating given afterwards
    summary: TasteSummary  # the profile in words, for "Edit what I've learned"
    years: list[int]  # years with at least one diary entry, newest first


def load_taste_page(pool: ConnectionPool, user_id: str) -> TastePage:
    """Everything the Taste page shows above its year in review, read in one user transaction (RLS applies)."""
    with user_transaction(pool, user_id) as conn:
        return TastePage(
            rated=history.list_rated(conn, user_id),
            profile=load_profile(conn, user_id),
            calibration=history.list_calibration(conn, user_id),
            summary=dashboard.load_taste_summary(conn, user_id),
            years=sorted({m.month.year for m in diary.list_months(conn, user_id)}, reverse=True),
        )
