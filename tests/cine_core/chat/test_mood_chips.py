"""The dashboard's four mood chips for a user with 20 ratings: four different lists, each fitting its mood; and the
chat reaching the same moods and genres from the same vocabulary."""

from __future__ import annotations

from cine_core import chat
from cine_core.app import dashboard
from cine_core.chat import _lexicon as lexicon
from cine_core.chat.conversation import read_message
from cine_core.db import user_transaction
from cine_core.domain.vocabulary import DASHBOARD_MOODS, GENRE_WORDS, MOODS, genres_for
from tests.app.conftest import insert_picks, popular_ids
from tests.cine_core.chat.helpers import rate_twenty, without_chat_limits


def _lists(pool, user_id):
    with user_transaction(pool, user_id) as conn:
        return {mood: dashboard.load_dashboard(conn, user_id, mood=mood) for mood in DASHBOARD_MOODS}


def _fits(mood: str, card: dashboard.Card) -> bool:
    return MOODS[mood].fit(card.movie.genres, [k.lower() for k in card.movie.keywords]) > 0


def test_four_mood_chips_give_four_different_fitting_lists(pool, local_user):
    rate_twenty(pool, local_user)
    insert_picks(pool, local_user, popular_ids(pool, 12, offset=40))
    boards = _lists(pool, local_user)
    lists = {mood: [c.movie.id for c in board.picks] for mood, board in boards.items()}
    assert all(len(ids) >= 3 for ids in lists.values()), lists
    assert len({tuple(ids) for ids in lists.values()}) == 4
    assert len({ids[0] for ids in lists.values()}) == 4  # not the same film on top either
    for mood, board in boards.items():
        assert all(_fits(mood, card) for card in board.picks), mood


def test_a_mood_without_stored_picks_draws_on_the_catalog(pool, local_user):
    rate_twenty(pool, local_user)
    boards = _lists(pool, local_user)
    for mood, board in boards.items():
        assert board.picks == [] and len(board.fallback) >= 3 and all(_fits(mood, c) for c in board.fallback), mood
        assert all(c.pick and c.pick.reason for c in board.fallback)


def test_terminator_3_is_not_mind_bending():
    assert MOODS["mind-bending"].fit(("Action", "Thriller", "Science Fiction"),
                                     ["artificial intelligence", "cyborg", "dystopia"]) == 0
    assert MOODS["uplifting"].fit(("Comedy", "Horror"), ["friendship"]) == 0


def test_a_chat_message_and_a_mood_chip_reach_the_same_labels(pool, local_user):
    """The chip's own words typed in the chat ask for the same mood, and rom-com means one thing everywhere."""
    without_chat_limits(pool)
    for mood in DASHBOARD_MOODS:
        reply = chat.talk(pool, local_user, f"{MOODS[mood].label} please", llm=False).insights.reply
        assert reply.request.moods == [mood], mood
        for word in MOODS[mood].words:
            assert read_message(f"something {word}")[2].request.moods[0] == mood, word
    insights, _, _ = read_message("I adore rom-coms")
    assert insights.genres_liked == list(genres_for("rom-com")) == ["romance", "comedy"]
    assert lexicon.GENRE_WORDS is GENRE_WORDS
