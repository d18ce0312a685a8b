"""The one vocabulary of genres and moods: chat labels onto TMDB genre names, and what each mood means
(which genres and keywords carry it, which genres rule it out)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

log = logging.getLogger(__name__)

# Every word a person uses for a genre -> the TMDB genres it means (lower-case). "rom-com" is romance AND comedy.
# Words that name a mood ("scary", "funny", "romantic") are moods, not genres: MOODS below. "noir" names the
# crime genre; as a look it is a visual style only beside words about visuals (chat/_lexicon.STYLE_WORDS).
GENRE_WORDS: dict[str, tuple[str, ...]] = {
    "science fiction": ("science fiction",), "sci-fi": ("science fiction",), "scifi": ("science fiction",),
    "sci fi": ("science fiction",), "science-fiction": ("science fiction",),
    "space opera": ("science fiction",),
    "romance": ("romance",), "romances": ("romance",), "romantic comedy": ("romance", "comedy"),
    "romantic comedies": ("romance", "comedy"), "rom-com": ("romance", "comedy"), "rom-coms": ("romance", "comedy"),
    "romcom": ("romance", "comedy"), "romcoms": ("romance", "comedy"), "rom com": ("romance", "comedy"),
    "rom coms": ("romance", "comedy"),
    "horror": ("horror",), "horror movies": ("horror",), "comedy": ("comedy",), "comedies": ("comedy",),
    "drama": ("drama",), "dramas": ("drama",), "thriller": ("thriller",), "thrillers": ("thriller",),
    "action": ("action",), "action movies": ("action",), "adventure": ("adventure",), "adventures": ("adventure",),
    "animation": ("animation",), "animated": ("animation",), "anime": ("animation",), "cartoon": ("animation",),
    "cartoons": ("animation",), "documentary": ("documentary",), "documentaries": ("documentary",),
    "doc": ("documentary",), "docs": ("documentary",), "crime": ("crime",), "crime drama": ("crime",),
    "gangster": ("crime",), "gangster films": ("crime",), "gangster movies": ("crime",), "noir": ("crime",),
    "mystery": ("mystery",), "mysteries": ("mystery",), "whodunit": ("mystery",), "whodunits": ("mystery",),
    "whodunnit": ("mystery",), "whodunnits": ("mystery",), "fantasy": ("fantasy",), "family": ("family",),
    "family film": ("family",), "history": ("history",), "historical": ("history",), "period piece": ("history",),
    "period pieces": ("history",), "biopic": ("history",), "biopics": ("history",), "war": ("war",),
    "war movies": ("war",), "war films": ("war",), "war film": ("war",), "western": ("western",),
    "westerns": ("western",), "musical": ("music",), "musicals": ("music",), "tv movie": ("tv movie",),
}

TMDB_GENRES = frozenset({
    "action", "adventure", "animation", "comedy", "crime", "documentary", "drama", "family", "fantasy",
    "foreign", "history", "horror", "music", "mystery", "romance", "science fiction", "tv movie", "thriller",
    "war", "western",
})

@dataclass(frozen=True, slots=True)
class Mood:
    """A mood: the TMDB genres and keywords that carry it, the genres that rule it out, and the chat words
    that name it. `needs_keyword`: a genre alone is not enough (Science Fiction is not mind-bending)."""

    name: str
    label: str  # as a filter chip says it: "something uplifting"
    genres: tuple[str, ...]  # TMDB genre names, spelled as `movies.genres` stores them
    keywords: tuple[str, ...] = ()  # TMDB keywords, lower-case
    words: tuple[str, ...] = ()  # other chat words for it ("cosy", "lighthearted")
    excludes: tuple[str, ...] = ()  # TMDB genre names a film of this mood never has (uplifting: no Horror)
    needs_keyword: bool = False

    def fit(self, genres: Sequence[str], keywords: Iterable[str]) -> float:
        """How well a film carries the mood, 0..1: its genres (the first one most), then its keywords.

        0 when it has a genre the mood rules out, when the mood needs a keyword and it has none, or when
        only one keyword (no genre) links it to a mood that is mostly about genres.
        """
        if set(genres) & set(self.excludes):
            return 0.0
        shared = [g for g in genres if g in self.genres]
        matched = len(set(keywords) & set(self.keywords))
        if (self.needs_keyword and not matched) or (not shared and matched < (1 if self.needs_keyword else 2)):
            return 0.0
        primary = 0.15 if genres and genres[0] in self.genres else 0.0
        return round(min(1.0, 0.3 * bool(shared) + 0.15 * min(len(shared), 2) + primary + 0.2 * min(matched, 2)), 4)


def _mood(name: str, genres: tuple[str, ...], keywords: tuple[str, ...] = (), words: tuple[str, ...] = (),
          *, excludes: tuple[str, ...] = (), needs_keyword: bool = False) -> Mood:
    return Mood(name, f"something {name}", genres, keywords, words, excludes, needs_keyword)


_GRIM = ("Horror", "Thriller", "War", "Crime")  # what a light or uplifting evening never holds
_CHEERFUL = ("Family", "Animation", "Comedy", "Music")  # what a dark evening never holds

# The one mood vocabulary: the dashboard's chips, the chat extractor, chat requests, candidate discovery and
# scoring. The first two genres of each mood are what the scout's discovery asks TMDB for.
MOODS: dict[str, Mood] = {m.name: m for m in (
    _mood("uplifting", ("Comedy", "Family", "Animation", "Music", "Romance"),
          ("feel-good ending", "feel good", "underdog", "coming of age", "sport", "inspiring", "inspiring story",
           "inspiration", "unlikely friendship", "dream come true", "musician", "dance", "friendship"),
          ("upbeat", "inspiring", "inspirational", "hopeful", "cheerful", "joyful", "cheer me up", "happier"),
          excludes=_GRIM),
    _mood("dark", ("Crime", "Thriller", "Horror", "War"),
          ("murder", "revenge", "serial killer", "corruption", "neo-noir", "film noir", "noir", "psychopath", "mafia",
           "war crimes", "nihilism", "torture", "drug addiction", "police corruption", "mass murder"),
          ("bleak", "grim", "disturbing", "darker"), excludes=_CHEERFUL),
    _mood("light", ("Comedy", "Animation", "Family", "Romance"),
          ("holiday", "wedding", "party", "road trip", "best friend", "summer vacation"),
          ("lighthearted", "light-hearted", "easygoing", "breezy", "silly", "undemanding", "lighter"),
          excludes=(*_GRIM, "Drama", "History", "Documentary", "Science Fiction")),
    _mood("mind-bending", ("Science Fiction", "Mystery", "Thriller", "Fantasy"),
          ("time travel", "time machine", "time loop", "time warp", "leap in time", "time paradox", "paradox",
           "dream", "dreams", "lucid dreaming", "subconsciousness", "memory", "memory loss", "false memory",
           "implanted memory", "amnesia", "deja vu", "alternate reality", "alternative reality", "parallel world",
           "parallel universe", "virtual reality", "simulation", "simulated reality", "loss of sense of reality",
           "hallucination", "surrealism", "surreal", "twist ending", "plot twist", "surprise ending",
           "nonlinear timeline", "unreliable narrator", "mind control", "mind game", "mind games", "identity crisis",
           "existentialism", "psychological thriller", "puzzle"),
          ("mind bending", "mindbending", "mind-blowing", "mind blowing", "trippy", "twisty", "cerebral", "puzzling",
           "brain teaser"), needs_keyword=True),
    _mood("cozy", ("Comedy", "Family", "Romance", "Animation"), ("small town", "holiday", "christmas"),
          ("cosy", "cozier", "cosier"),
          excludes=_GRIM),
    _mood("comforting", ("Comedy", "Family", "Romance", "Animation"), excludes=_GRIM),
    _mood("feel-good", ("Comedy", "Family", "Romance", "Music"), ("friendship", "feel-good ending", "feel good"),
          ("feel good",), excludes=_GRIM),
    _mood("heartwarming", ("Family", "Romance", "Comedy"), ("friendship", "family relationships"), excludes=_GRIM),
    _mood("fun", ("Comedy", "Adventure", "Animation"), excludes=("Horror", "War")),
    _mood("relaxing", ("Comedy", "Family", "Animation"), excludes=_GRIM),
    _mood("funny", ("Comedy",), ("dark comedy", "black comedy", "parody", "spoof", "satire"), ("funnier",)),
    _mood("romantic", ("Romance",), ("love", "love story", "romantic comedy")),
    _mood("atmospheric", ("Mystery", "Drama", "Fantasy")),
    _mood("tense", ("Thriller", "Mystery"), ("suspense",), excludes=("Comedy", "Family", "Animation")),
    _mood("scary", ("Horror",), words=("scarier",)),
    _mood("spooky", ("Horror", "Mystery"), ("haunted house", "ghost", "halloween")),
    _mood("thrilling", ("Action", "Thriller", "Adventure")),
    _mood("exciting", ("Action", "Adventure")),
    _mood("epic", ("Adventure", "Fantasy", "History", "War")),
    _mood("thoughtful", ("Drama", "Documentary", "Science Fiction"), ("philosophy", "existentialism"),
          ("thought-provoking",)),
    _mood("melancholy", ("Drama",), ("bittersweet", "loneliness", "grief")),
    _mood("sad", ("Drama",), ("tragedy", "grief", "loss of loved one"), ("sadder",)),
)}

DASHBOARD_MOODS = ("uplifting", "dark", "light", "mind-bending")  # the chips above the picks
# The moods of a grim evening: a follow-up mood of the other group replaces these ("something dark" then
# "funnier"), one of the same group adds to them (chat's requests).
GRIM_MOODS = frozenset({"dark", "scary", "spooky", "tense", "sad", "melancholy"})

# Lower-case genre names per mood: a wanted mood is a soft vote for these (local matcher, discovery).
MOOD_GENRES: dict[str, tuple[str, ...]] = {name: tuple(g.lower() for g in m.genres) for name, m in MOODS.items()}

# Every chat word that names a mood -> the mood's name.
MOOD_WORDS: dict[str, str] = {word: m.name for m in MOODS.values() for word in (m.name, *m.words)}


def genres_for(label: str) -> tuple[str, ...]:
    """The lower-case TMDB genres a chat label means ("Rom-Com" -> romance, comedy); the label itself if unknown."""
    key = " ".join(label.strip().lower().split())
    return GENRE_WORDS.get(key, (key,))


def canonical_genre(label: str) -> str:
    """The first TMDB genre a chat label means ("Sci-Fi" -> "science fiction"); see genres_for for all of them."""
    return genres_for(label)[0]


def mood_fit(mood: str, genres: Sequence[str], keywords: Iterable[str]) -> float:
    """`Mood.fit` by name; 0 for an unknown mood."""
    chosen = MOODS.get(mood)
    return chosen.fit(genres, keywords) if chosen else 0.0
