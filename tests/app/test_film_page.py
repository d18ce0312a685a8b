"""The film page: facts, your rating and history, why it was picked, what you said, more like it."""

from __future__ import annotations

from cine_core.app import actions
from cine_core.app.film import load_film_page
from cine_core.db import transaction
from tests.app.conftest import insert_picks

HEAT = 949
HEAT_DIRECTOR_FILM = 8489  # Ali, also Michael Mann


def _open_film(app, movie_id: int):
    app.run()
    app.query_params["id"] = str(movie_id)
    return app.switch_page("pages/film.py").run()


def test_film_page_shows_the_facts_and_the_people(app, pool, local_user):
    _open_film(app, HEAT)
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == "Heat"
    text = " ".join(m.value for m in app.markdown)
    links = {link.proto.label for link in app.get("page_link")}
    assert "**Directed by**" in text and {"Michael Mann", "Al Pacino"} <= links
    captions = " ".join(c.value for c in app.caption)
    assert "1995" in captions and "2 h 50 min" in captions and "Crime" in captions
    assert "More like this" in [s.value for s in app.subheader]


def test_rating_from_the_film_page_and_removing_it(app, pool, local_user):
    _open_film(app, HEAT)
    slider = app.select_slider(key=f"film-rating-{HEAT}")
    assert slider.value is None and slider.options[0] == "☆ not rated"  # never a pre-set 4★
    assert app.button(key="film-rate").disabled  # nothing to save until stars are chosen
    slider.set_value(4.5).run()
    app.button(key="film-rate").click().run()
    with transaction(pool) as conn:
        rating = conn.execute("select rating from ratings where user_id = %s and movie_id = %s",
                              (local_user, HEAT)).fetchone()
    assert float(rating["rating"]) == 4.5
    assert any("You rated it **★★★★½ 4.5** in CineAI" in m.value for m in app.markdown)
    app.button(key="film-unrate").click().run()
    with transaction(pool) as conn:
        assert conn.execute("select count(*) as n from ratings where user_id = %s", (local_user,)).fetchone()["n"] == 0


def test_why_it_was_picked_and_what_you_said(app, pool, local_user):
    insert_picks(pool, local_user, [HEAT], reason="Like Collateral, which you rated 5★: a patient crime film")
    with transaction(pool) as conn:
        conn.execute("insert into movie_conversations (user_id, movie_id, conversation_type, what_you_said)"
                     " values (%s, %s, 'loved_it', 'The diner scene!')", (local_user, HEAT))
    _open_film(app, HEAT)
    text = " ".join(m.value for m in app.markdown)
    assert "Like Collateral, which you rated 5★: a patient crime film" in text
    assert "The diner scene!" in text


def test_unknown_film_says_so(app, local_user):
    _open_film(app, 999_999_999)
    assert not app.exception
    assert "not in the catalog" in app.info[0].value


def test_more_like_this_leaves_out_what_you_have_seen(app, pool, local_user):
    actions.rate(pool, local_user, HEAT_DIRECTOR_FILM, 3.0)
    _open_film(app, HEAT)
    keys = {b.key for b in app.button if b.key and b.key.startswith("film-more-up-")}
    assert keys and f"film-more-up-{HEAT_DIRECTOR_FILM}" not in keys


def test_a_person_page_lists_your_ratings_then_the_rest_ranked_for_you(app, pool, local_user):
    actions.rate(pool, local_user, HEAT, 5.0)
    app.run()
    app.query_params["name"] = "Michael Mann"
    app.switch_page("pages/person.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == "Michael Mann"
    assert [s.value for s in app.subheader] == ["Yours", "Not seen yet, best for you first"]
    yours = {b.key for b in app.button if b.key and b.key.startswith("person-yours-up-")}
    new = [b.key for b in app.button if b.key and b.key.startswith("person-new-up-")]
    assert yours == {f"person-yours-up-{HEAT}"}
    assert f"person-new-up-{HEAT_DIRECTOR_FILM}" in new
    assert any("confidence" in c.value for c in app.caption)


def test_more_like_this_ranks_what_the_films_share_not_the_director_alone(pool, local_user):
    # Iron Man 2 (10138): other superhero films first, not Jon Favreau's Elf or The Lion King because he directed.
    page = load_film_page(pool, local_user, 10138)
    titles = [card.movie.title for card in page.more_like_this]
    assert {"Iron Man", "The Avengers"} <= set(titles)
    assert not {"Elf", "The Lion King", "Chef"} & set(titles)


def test_more_like_this_needs_a_shared_genre_for_keywords_to_count(pool, local_user):
    # Amélie (194) and Armageddon share the keywords "paris" and "daughter" and no genre.
    page = load_film_page(pool, local_user, 194)
    assert "Armageddon" not in [card.movie.title for card in page.more_like_this]


def test_the_address_follows_the_film_shown(app, local_user):
    _open_film(app, HEAT)
    app.query_params["id"] = str(HEAT_DIRECTOR_FILM)  # what a "More like this" link does
    app.switch_page("pages/film.py").run()
    assert app.title[0].value == "Ali"
    assert app.query_params["id"] == str(HEAT_DIRECTOR_FILM)
    assert app.select_slider(key=f"film-rating-{HEAT_DIRECTOR_FILM}").value is None  # its own, empty rating
