"""The diary in the app: "Seen it" on a day, a month's watches, a film's watches and what was written, and a
year in review counted from a realistic diary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cine_core.app import diary
from cine_core.app.year_review import year_in_review
from cine_core.db import transaction, user_transaction
from cine_core.domain.errors import DataError

HEAT, ARRIVAL, AMELIE = 949, 329865, 194


def _films(pool, count: int) -> list[dict]:
    with transaction(pool) as conn:
        return conn.execute("select id, runtime, year, original_language from movies where runtime > 0"
                            " order by vote_count desc limit %s", (count,)).fetchall()


def test_seen_it_on_a_day_logs_one_watch_rates_and_keeps_the_review_as_text(pool, local_user):
    day = date.today() - timedelta(days=3)
    assert diary.log_watch(pool, local_user, HEAT, day, rating=4.5, review="<i>Tense</i> &amp; long")
    assert not diary.log_watch(pool, local_user, HEAT, day)  # the same day again is the same watch
    assert diary.log_watch(pool, local_user, HEAT, date.today(), rating=5)
    with user_transaction(pool, local_user) as conn:
        watches = diary.film_watches(conn, local_user, HEAT)
        reviews = diary.film_reviews(conn, local_user, HEAT)
        rating = conn.execute("select rating from ratings where user_id = %s and movie_id = %s",
                              (local_user, HEAT)).fetchone()["rating"]
    assert [(w.watched_on, w.rating, w.watch_number, w.is_rewatch) for w in watches] == [
        (day, 4.5, 1, False), (date.today(), 5.0, 2, True)]
    assert [(r.body, r.rating, r.watched_on) for r in reviews] == [("Tense & long", 4.5, day)]
    assert float(rating) == 5.0
    assert watches[0].review == "Tense & long"


def test_seen_it_without_stars_takes_the_film_out_of_the_picks(pool, local_user):
    diary.log_watch(pool, local_user, ARRIVAL, date.today())
    with transaction(pool) as conn:
        kinds = conn.execute("select kind from film_feedback where user_id = %s and movie_id = %s",
                             (local_user, ARRIVAL)).fetchall()
        watched = conn.execute("select watched_at from watchlist where user_id = %s and movie_id = %s",
                               (local_user, ARRIVAL)).fetchone()
    assert [k["kind"] for k in kinds] == ["seen"]
    assert watched["watched_at"] is not None


@pytest.mark.parametrize("day, message", [(date.today() + timedelta(days=5), "in the future"),
                                          (date(1850, 1, 1), "before the first film")])
def test_an_impossible_watch_date_is_refused_and_nothing_is_written(pool, local_user, day, message):
    with pytest.raises(DataError, match=message):
        diary.log_watch(pool, local_user, HEAT, day, rating=4)
    with transaction(pool) as conn:
        assert conn.execute("select count(*) as n from diary_entries").fetchone()["n"] == 0
        assert conn.execute("select count(*) as n from ratings").fetchone()["n"] == 0


def test_a_year_in_review_from_three_hundred_watches(pool, local_user):
    films = _films(pool, 250)
    rows = []
    for n, film in enumerate(films):
        rows.append((local_user, film["id"], date(2024, n % 12 + 1, n % 28 + 1), (n % 10 + 1) / 2))
    for n, film in enumerate(films[:50]):  # 50 rewatches in December
        rows.append((local_user, film["id"], date(2024, 12, 31 - n % 3), 5.0))
    rows.append((local_user, films[0]["id"], date(2023, 6, 1), 3.0))  # another year: not counted
    with transaction(pool) as conn, conn.cursor() as cur:
        cur.executemany("insert into diary_entries (user_id, movie_id, watched_on, rating) values (%s, %s, %s, %s)"
                        " on conflict do nothing", rows)
    with user_transaction(pool, local_user) as conn:
        review = year_in_review(conn, local_user, 2024)
        months = diary.list_months(conn, local_user)
        december = diary.month_watches(conn, local_user, date(2024, 12, 1))
    expected_watches = len({(r[1], r[2]) for r in rows if r[2].year == 2024})
    assert review.watches == expected_watches == sum(review.per_month)
    assert review.films == 250
    assert review.rewatches == review.watches - 250 + 1  # films[0]'s first 2024 watch follows its 2023 one
    runtime = {f["id"]: f["runtime"] for f in films}
    assert review.minutes == sum(runtime[movie] for movie, day in {(r[1], r[2]) for r in rows} if day.year == 2024)
    assert review.hours == pytest.approx(review.minutes / 60)
    assert review.without_runtime == 0
    assert sum(n for _, n in review.decades) == review.watches
    assert sum(n for _, n in review.languages) == review.watches
    assert [w.rating for w in review.top_rated][:3] == [5.0, 5.0, 5.0]
    assert len({w.movie.id for w in review.top_rated}) == len(review.top_rated)
    assert months[0].month == date(2024, 12, 1) and months[-1].month == date(2023, 6, 1)
    assert sum(m.watches for m in months) == expected_watches + 1
    assert len(december) == months[0].watches


def test_another_person_never_sees_my_diary(pool, local_user, make_user):
    diary.log_watch(pool, local_user, AMELIE, date.today(), rating=4, review="Charming")
    other = make_user()
    with user_transaction(pool, other) as conn:
        assert diary.film_watches(conn, local_user, AMELIE) == []  # RLS, even asking for my id
        assert diary.film_reviews(conn, local_user, AMELIE) == []


def test_the_year_in_review_counts_the_films_countries(pool, local_user):
    """Production countries from the shipped table: a co-production counts for each of its countries."""
    parasite, spirited_away = 496243, 129
    for day, film in ((date(2025, 2, 1), HEAT), (date(2025, 3, 1), AMELIE), (date(2025, 4, 1), parasite),
                      (date(2025, 5, 1), spirited_away), (date(2025, 6, 1), ARRIVAL)):
        diary.log_watch(pool, local_user, film, day, rating=4)
    with user_transaction(pool, local_user) as conn:
        review = year_in_review(conn, local_user, 2025)
    assert dict(review.countries) == {"US": 2, "FR": 1, "DE": 1, "KR": 1, "JP": 1}
    assert review.countries[0] == ("US", 2) and review.without_country == 0
