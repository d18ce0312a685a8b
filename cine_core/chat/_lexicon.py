"""Words the local extractor understands: sentiment, pacing, situations, themes, styles, aspects. Genres and
moods are the domain's one vocabulary (domain/vocabulary.GENRE_WORDS, MOOD_WORDS), imported, never redefined.

Patterns are compiled once; every phrase is matched on word boundaries in lower-cased text.
"""

from __future__ import annotations

import re

from cine_core.domain.vocabulary import GENRE_WORDS, MOOD_WORDS

# word -> strength: 2 strong, 1 mild (negative values for dislike)
SENTIMENT_WORDS: dict[str, int] = {
    "loved": 2, "love": 2, "adore": 2, "adored": 2, "masterpiece": 2, "favorite": 2, "favourite": 2,
    "amazing": 2, "incredible": 2, "brilliant": 2, "stunning": 2, "gorgeous": 2, "beautiful": 2,
    "perfect": 2, "blew me away": 2, "obsessed": 2, "fantastic": 2, "excellent": 2, "wonderful": 2,
    "awesome": 2, "hilarious": 2, "superb": 2, "outstanding": 2, "phenomenal": 2,
    "adorable": 1, "charming": 1, "cute": 1, "moving": 1, "beautifully": 1, "nice": 1, "cool": 1, "recommend": 1,
    "liked": 1, "like": 1, "enjoy": 1, "enjoyed": 1, "good": 1, "great": 1, "fun": 1, "solid": 1,
    "fan of": 1, "into": 1, "more": 1, "want": 1, "prefer": 1,
    "hated": -2, "hate": -2, "awful": -2, "terrible": -2, "worst": -2, "garbage": -2, "unwatchable": -2,
    "can't stand": -2, "cannot stand": -2, "despise": -2, "horrible": -2, "waste of time": -2, "sucked": -2,
    "disliked": -1, "dislike": -1, "boring": -1, "bored": -1, "meh": -1, "disappointing": -1,
    "overrated": -1, "bad": -1, "dull": -1, "forgettable": -1, "annoying": -1, "pretentious": -1, "tired of": -1, "avoid": -1, "no more": -1, "not into": -1,
    # how people say it in chat
    "guilty pleasure": 1, "guilty pleasures": 1, "comfort film": 2, "comfort films": 2, "comfort movie": 2,
    "comfort movies": 2, "comfort watch": 2, "fav": 2, "favs": 2, "fave": 2, "faves": 2, "all time favs": 2,
    "10/10": 2, "would watch again": 2, "would rewatch": 2, "can do no wrong": 2, "genius": 2,
    "nothing too": -1, "not too": -1, "cant stand": -2, "the best": 2, "best ever": 2,
    # the same in the languages people mix in
    "j'adore": 2, "adoré": 2, "liebe": 2, "geliebt": 2, "encanta": 2, "encantó": 2, "encantaron": 2, "amo": 2,
    "déteste": -2, "hasse": -2, "odio": -2, "ennuyeux": -1,
}
# "9/10", "4 out of 5": a score read as sentiment (see local_extractor._polarity)
SCORE_RE = re.compile(r"(?<![\w.])(\d{1,2}(?:\.\d)?)\s*(?:/|out of)\s*(10|5|100)\b")
# "too grim for me", "the best shootout ever": sentiment carried by a shape rather than a word
TOO_MUCH_FOR_ME_RE = re.compile(r"\btoo \w+ for me\b")
BEST_EVER_RE = re.compile(r"\bbest(?: \w+){0,3} ever\b")
NEGATORS = ("not", "n't", "never", "no", "hardly", "dont", "didnt", "doesnt", "cant", "wont", "isnt", "wasnt")

# Complaints say what was wrong ("too slow" → wants faster); wishes say what is wanted, and a negative
# clause flips them ("I can't stand slow burns" → wants faster).
TOO_SLOW = ("too slow", "so slow", "dragged", "drags", "dragging", "too long", "overlong")
# "not too long", "nothing too slow": a limit asked for, not a complaint about a film
NOT_A_COMPLAINT = re.compile(r"\b(?:not|nothing|isn't|wasn't)\s+(?:\w+\s+)?$")
# "i prefer slower stuff": a wish stated outright wins over other pacing words in the clause
PACE_WISH = re.compile(r"\b(?:prefer|want|like|love|need|into)\s+(?:\w+\s+){0,2}?(slower|faster|slow[- ]burns?|"
                       r"fast[- ]paced|slow[- ]paced)\b")
TOO_FAST = ("too fast", "too rushed", "rushed", "frantic")
WANTS_FASTER = ("fast paced", "fast-paced", "faster", "tighter", "snappier", "quicker pace", "quick pace")
WANTS_SLOWER = ("slow burn", "slow-burn", "slow burns", "slow paced", "slow-paced", "takes its time",
                "take their time", "slower", "more patient", "breathing room")

# phrase pattern -> (mood_context label, implied moods)
SITUATIONS: list[tuple[str, str, tuple[str, ...]]] = [
    (r"rain(?:y)?(?: \w+)?(?: day| sunday| afternoon| night| evening| weekend)|when it rains|rainy", "rainy day",
     ("cozy", "atmospheric")),
    (r"date night|on a date|with my (?:girlfriend|boyfriend|partner|wife|husband)", "date night", ("romantic", "light")),
    (r"with (?:my |the )?(?:kids|family|children)|family (?:movie )?night", "family night", ("fun", "heartwarming")),
    (r"late (?:at )?night|can't sleep|insomnia|midnight", "late night", ("atmospheric", "tense")),
    (r"lazy sunday|sunday (?:morning|afternoon)|hungover|hangover", "lazy sunday", ("cozy", "light")),
    (r"after (?:a )?(?:long|rough|hard|bad) (?:day|week)|(?:i'm|i am) (?:tired|exhausted)|"
     r"(?:had|having|what) a (?:long|rough|hard|bad|busy) (?:day|week)", "unwinding",
     ("light", "comforting")),
    (r"halloween|spooky season", "halloween", ("spooky", "tense")),
    (r"christmas|the holidays|holiday season", "holidays", ("cozy", "heartwarming")),
    (r"with (?:my )?friends|movie night with|party", "with friends", ("fun", "exciting")),
    (r"on a plane|flight|road trip", "travelling", ("light", "exciting")),
    (r"snow(?:y|ed|ing)? (?:day|night|evening)|winter (?:night|evening)", "winter night", ("cozy", "atmospheric")),
    (r"summer (?:night|evening|day)", "summer night", ("light", "fun")),
]

MOOD_REQUEST = re.compile(
    r"\b(?:in the mood for|i'm in the mood|(?:i )?(?:need|want|looking for) something|"
    r"something (?:\w+ ){0,4}(?:to watch|tonight|now)|"
    r"what should i watch|perfect (?:movie|film) for|recommend (?:me )?something|(?:movie|film) for (?:a|an|the|my))\b"
)
# A message that asks for films ("what should I watch tonight?", "show me korean thrillers", "surprise me").
ASK = re.compile(
    r"\b(?:recommend\w*|suggest\w*|ideas?|give me|show me|find me|got anything|got any|any (?:good |great |decent )?"
    r"(?:films?|movies?)|anything|something|what (?:should|can|could|shall) (?:i|we) watch|what to watch|watch tonight|"
    r"tonight|pick (?:me )?(?:a|one|something)|in the mood for|looking for|need a (?:film|movie)|options|another one|"
    r"one more|more like|more please|similar|(?:a |one )?(?:film|movie)s? like|(?:film|movie|something|anything|one)s? like .{1,40} but|surprise me|"
    r"i'?m bored|(?:film|movie|something|one)s? (?:please|pls|plz)|any (?:good|great|decent|new|recent|old|fun))\b|"
    r"^like .{1,40} but\b|"
    r"(?:^|[.!?,]\s*)any\b|^(?:a|an|some) (?:\w+ )?(?:film|movie)s? (?:with|by|starring|from)\b")
# Limits that only a request states: "under 90 mins", "from the 80s".
RUNTIME_LIMIT = re.compile(r"\b(?:under|less than|at most|max(?:imum)?|shorter than|no longer than|below)\s+"
                           r"(\d+(?:\.\d+)?|an?|one|two|three)\s*(h|hours?|hrs?|m|mins?|minutes?)\b")
DECADE = re.compile(r"\b(?:the )?(?:(19|20)?(\d)0)'?s\b")
MORE_LIKE = re.compile(r"\b(?:more (?:films |movies )?like|similar to|something like|(?:films|movies) like|"
                       r"anything like|more of (?:this|that|these)|more by)\b")

THEMES: dict[str, str] = {
    "time travel": "time travel", "space": "space", "outer space": "space", "dystopia": "dystopia",
    "dystopian": "dystopia", "heist": "heists", "heists": "heists", "revenge": "revenge",
    "coming of age": "coming of age", "coming-of-age": "coming of age", "artificial intelligence": "artificial intelligence",
    "ai": "artificial intelligence", "a.i.": "artificial intelligence", "robots": "robots", "aliens": "aliens", "dreams": "dreams", "memory": "memory",
    "grief": "grief", "friendship": "friendship", "family drama": "family", "survival": "survival",
    "redemption": "redemption", "conspiracy": "conspiracy", "conspiracies": "conspiracy", "love story": "love story",
    "love stories": "love story", "politics": "politics", "political": "politics", "religion": "religion",
    "identity": "identity", "isolation": "isolation", "loneliness": "loneliness", "superheroes": "superheroes",
    "superhero": "superheroes", "zombies": "zombies", "zombie": "zombies", "vampires": "vampires",
    "serial killers": "serial killers", "serial killer": "serial killers", "plot twists": "plot twists",
    "twists": "plot twists", "twist endings": "plot twists", "true story": "true stories",
    "true stories": "true stories", "underdog": "underdogs", "underdogs": "underdogs", "gore": "gore",
    "jump scares": "jump scares", "violence": "violence", "philosophy": "philosophy", "mythology": "mythology",
    "magic": "magic", "sports": "sports", "music": "music", "cults": "cults", "war stories": "war",
    "violent": "violence", "gory": "gore",
}

VISUAL_WORDS = ("visuals", "visual", "cinematography", "imagery", "shots", "photography", "looked", "look",
                "production design", "effects", "vfx", "colors", "colours", "framing", "world-building", "scale")
STYLE_WORDS: dict[str, str] = {
    "epic": "epic", "sweeping": "epic", "grand": "epic", "vast": "epic", "huge scale": "epic",
    "neon": "neon", "neon-noir": "neon-noir", "noir": "noir", "colorful": "colorful", "colourful": "colorful",
    "gritty": "gritty", "dreamy": "dreamlike", "dreamlike": "dreamlike", "surreal": "surreal",
    "minimalist": "minimalist", "minimal": "minimalist", "stylized": "stylized", "stylised": "stylized",
    "handheld": "handheld", "shaky cam": "handheld", "practical effects": "practical effects",
    "black and white": "black and white", "black-and-white": "black and white", "symmetrical": "symmetrical",
    "hand-drawn": "hand-drawn", "stop-motion": "stop-motion", "cgi": "cgi-heavy", "moody": "moody",
}
# When someone praises visuals without naming a style: the film's genres suggest one.
GENRE_STYLE = (
    (("science fiction", "adventure", "fantasy", "war", "history", "western"), "epic"),
    (("animation",), "animated"),
    (("horror", "thriller", "crime"), "dark"),
)

ASPECTS: dict[str, str] = {
    "visuals": "visuals", "visual": "visuals", "cinematography": "visuals", "imagery": "visuals", "shots": "visuals",
    "effects": "effects", "vfx": "effects", "soundtrack": "soundtrack", "score": "soundtrack", "music": "soundtrack",
    "acting": "acting", "performances": "acting", "performance": "acting", "cast": "acting", "story": "story",
    "plot": "story", "writing": "writing", "script": "writing", "dialogue": "dialogue", "ending": "ending",
    "characters": "characters", "pacing": "pacing", "world-building": "world-building", "worldbuilding": "world-building",
    "humor": "humor", "humour": "humor", "jokes": "humor", "action": "action", "atmosphere": "atmosphere",
    "direction": "direction",
}

STRONG_CUES = ("always", "never", "favorite", "favourite", "all time", "can't stand", "hate", "love", "obsessed")


def phrase_pattern(phrases, *, after_apostrophe: bool = True) -> re.Pattern[str]:
    """One regex matching any phrase on word boundaries, longest first; with after_apostrophe=False a phrase
    right after an apostrophe is part of another word ("ai" in "j'ai")."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    before = r"(?<![\w-])" if after_apostrophe else r"(?<![\w'’-])"
    return re.compile(before + "(?:" + "|".join(re.escape(p) for p in ordered) + r")(?![\w-])")


SENTIMENT_RE = phrase_pattern(SENTIMENT_WORDS)
TOO_SLOW_RE = phrase_pattern(TOO_SLOW)
TOO_FAST_RE = phrase_pattern(TOO_FAST)
WANTS_FASTER_RE = phrase_pattern(WANTS_FASTER)
WANTS_SLOWER_RE = phrase_pattern(WANTS_SLOWER)
MOOD_RE = phrase_pattern(MOOD_WORDS)
THEME_RE = phrase_pattern(THEMES, after_apostrophe=False)
VISUAL_RE = phrase_pattern(VISUAL_WORDS)
STYLE_RE = phrase_pattern(STYLE_WORDS)
ASPECT_RE = phrase_pattern(ASPECTS)
GENRE_RE = phrase_pattern(GENRE_WORDS)
SITUATION_RES = [(re.compile(r"\b(?:" + pattern + r")\b"), label, moods) for pattern, label, moods in SITUATIONS]
