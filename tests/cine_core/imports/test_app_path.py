"""An import through the app's path: submitted as the user over the app role (cine_app), run by the worker
over the service connection, read back as the user."""

from __future__ import annotations

import pytest

from cine_core.app.services import latest_import, open_app_pool, submit_import
from cine_core.config import Settings
from cine_core.db import APP_ROLE, transaction, user_transaction
from cine_core.domain.errors import DataError
from cine_core.films.catalog_source import shared_catalog_source
from cine_core.imports.background import run_pending_imports
from cine_core.jobs import import_jobs

RATINGS = (b"Date,Name,Year,Letterboxd URI,Rating\n"
           b"2024-01-02,Inception,2010,https://boxd.it/1skk,4.5\n"
           b"2024-01-03,The Matrix,1999,https://boxd.it/2a1m,5\n")


@pytest.fixture
def app_pool(db_url):
    pool = open_app_pool(Settings(_env_file=None, database_url=db_url), max_size=2)
    yield pool
    pool.close()


def test_an_upload_is_submitted_as_the_user_and_imported_by_the_worker(app_pool, pool, local_user, make_user):
    with app_pool.connection() as conn:
        assert conn.execute("select current_user as u").fetchone()["u"] == APP_ROLE
    job_id = submit_import(app_pool, local_user, "ratings.csv", RATINGS)
    assert latest_import(app_pool, make_user()) is None  # another person does not see it
    assert run_pending_imports(pool, "test-worker", shared_catalog_source()) == 1  # the worker: service pool
    status = latest_import(app_pool, local_user)
    assert (status.id, status.status, status.rows_done) == (job_id, "done", 2)
    with transaction(pool) as conn:
        rated = conn.execute("select m.title, r.rating from ratings r join movies m on m.id = r.movie_id"
                             " where r.user_id = %s order by m.title", (local_user,)).fetchall()
    assert [(r["title"], float(r["rating"])) for r in rated] == [("Inception", 4.5), ("The Matrix", 5.0)]


def test_the_app_role_cannot_submit_an_import_for_someone_else(app_pool, local_user, make_user):
    other = make_user()
    with pytest.raises(DataError, match="Not allowed"), user_transaction(app_pool, local_user) as conn:
        import_jobs.submit(conn, other, "ratings.csv", RATINGS)
