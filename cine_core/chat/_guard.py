"""Spotting chat text that tries to instruct CineAI instead of talking about films.

Such a message is answered politely and teaches nothing. The patterns aim at the shapes of prompt
injection (orders to the model, fake roles and markup, schema or score manipulation, SQL), not at words
a film lover uses: "I loved every film by Nolan" or "the twist ignores the rules" stay ordinary.
Pure: no database, network or LLM.
"""

from __future__ import annotations

import logging
import re
import unicodedata

log = logging.getLogger(__name__)

_PATTERNS = [
    # orders about the instructions themselves
    r"\b(?:ignore|disregard|override|bypass)\b[^.!?\n]{0,40}\b(?:instructions?|prompts?|rules|schema|"
    r"guidelines|system|directives?|above|previous|constraints)\b",
    r"\bforget (?:your|all|everything|the (?:schema|instructions|previous|above))\b",
    r"\b(?:new|updated|real|hidden|secret) (?:instructions?|system prompt|rules|task)\b",
    r"\bsystem (?:prompt|message)\b", r"\bapi[ _-]?key\b",
    # asking the model to repeat or reveal what it was told
    (r"\b(?:repeat|reveal|show|print|output|paste|tell|give|share|display|leak|dump|list|recite|copy|what are|"
    r"what were|what's in|what is in)\b[^.!?\n]{0,30}\b(?:your|the|those|these|my|hidden|initial|original|secret)\s+"
    r"(?:\w+\s+)?(?:instructions?|prompts?|directives|guidelines|configuration|system message)\b"),
    r"\byour (?:\w+ )?(?:instructions|prompts?(?! (?:reply|response|answer))|rules|guidelines|directives)\b",
    (r"\b(?:print|repeat|output|show|copy|paste|reveal)\b[^.!?\n]{0,20}\b(?:text|everything|words|message)s? "
    r"(?:above|before)\b"),
    r"\bwhat (?:were|have) you (?:been )?(?:told|instructed|given|programmed)\b",
    r"\bbefore (?:this|the|our) (?:conversation|chat) (?:started|began)\b", r"\bjailbreak\w*\b", r"\bprompt injection\b",
    r"\b(?:you are|you're) (?:now|no longer|actually|an? (?:\w+ )?(?:ai|assistant|bot|chatbot|language model))\b"
    r"(?! (?:my |the )?(?:fav\w*|favou?rite|go-to|best)\b)",
    r"\b(?:unfiltered|uncensored|unrestricted|jailbroken)\b",
    # notes addressed to the model, hidden in reviews and imports
    r"\b(?:note|message|p\.?s\.?|reminder) (?:to|for) (?:the |any )?(?:ai|assistant|recommender|model|llm|bot|system)\b",
    r"\bfrom now on\b[^.!?\n]{0,30}\b(?:you|always|only|every)\b",
    r"\b(?:act|behave|respond|reply|answer) (?:as|like) (?:an?|the|my) \w+(?: \w+)? (?:who|that|and|with)\b",
    r"\b(?:pretend|imagine) (?:that |you|to be|the (?:previous|last|above))\b",
    r"\brole[- ]?play\b", r"\bdeveloper mode\b", r"\bdo anything now\b", r"\byou are dan\b", r"\breply as\b",
    # fake roles, markup and tool text
    r"(?:^|\n|\s)(?:system|assistant|developer|admin|tool)\s*:", r"#{2,}\s*(?:end|new|system)",
    r"</?\s*(?:user_message|system|instructions?|tool_use|tool_result|script|prompt|im_start|im_end)\b",
    r"<!--", r"<\s*[a-z]+\b[^>]*\bon[a-z]+\s*=", (r"<\s*/?\s*(?:img|svg|iframe|object|embed|body|meta|link|style|form|"
    r"input|a|base)\b[^>]*>"), r"\\u003c", r"\[/?(?:inst|system)\]", r"<\|", r"\brecord_insights\b", r"\bscore_candidates\b",
    r"\btool[_ ]?(?:call|use|choice)\b",
    # score and schema manipulation
    r"\b(?:confidence|significance|score|weight|rating)s?\b[^.!?\n]{0,25}(?:[=:]|\bto\b|\bof\b|\bwith\b)\s*"
    r"(?:1(?:\.0+)?|100 ?%|[2-9]\d*(?:\.\d+)?|10+)\b",
    r"\brate (?:every|each|all) (?:film|movie)s?\b",
    r"\b(?:every|each|all) (?:film|movie)s? (?:1(?:\.0)?|10/10|five stars|5 stars)\b",
    r"\brecommend (?:only|nothing but|exclusively)\b", r"\bonly recommend\b",
    r"\b(?:conversation_type|genres_liked|movie_id|ai_learned|taste_profile)\b", r"\{\s*\"\w+\"\s*:",
    r"\b(?:set|change|make) (?:the |my |every |all )?(?:\w+ ){0,2}(?:to|=) (?:1(?:\.0)?|true|admin|max)\b",
    r"\badmin(?:istrator)?\b[^.!?\n]{0,20}\b(?:mode|access|true|rights)\b",
    # orders to edit the sender's own profile: taste is learned from what a person says, never written on command
    (r"(?:^|[.!?:;,]\s*|\band\s+)(?:please\s+)?(?:add|put|store|save|record|write|log|mark|set|change|update|make|"
     r"increase|boost|raise|lower|reduce|remove|delete|insert|append|overwrite|reset|edit|modify)\b[^.!?\n]{0,60}?\b"
     r"(?<!of )(?:my|the user'?s?)\s+(?:\w+\s+){0,2}?(?:profile|taste|genres?|favou?rites?|preferences|recommendations|"
     r"dislikes?|likes|people|directors?|actors?|weights?|scores?|films|movies|lists?)\b"),
    r"(?:^|[.!?:;]\s*)(?:please\s+)?(?:store|save|record|log|note down|write down)\s+(?:that|this|it)\b",
    r"(?:^|[.!?:;]\s*)(?:please\s+)?(?:remember|memori[sz]e|keep in mind)\s*(?::|that (?:i|my|the user)\b)",
    r"\bmark\b[^.!?\n]{1,40}\bas (?:loved|liked|hated|disliked|favou?rite|my favou?rite)\b",
    r"\b(?:treat|regard|classify|tag|label) me as\b|\bconsider me (?:as |an? )",
    (r"\b(?:add|append|insert|write|save|store|put)\b[^.!?\n]{0,40}\b(?:to|into|in) (?:what you(?:'ve| have)? "
     r"(?:learned|learnt|know)|your (?:memory|notes|database))"),
    r"(?:^|\n)\s*(?:instructions?|commands?|your task|task|directive|orders?)\s*:",
    # SQL and script
    r";\s*(?:drop|delete|update|insert|alter|truncate)\b", r"\b(?:drop|truncate) table\b", r"--\s*$",
    r"\bdelete from\b", r"\bunion select\b", r"<script\b", r"javascript:",
    r"'\s*or\s*'?\w+'?\s*=\s*'?\w+", r"\bor 1\s*=\s*1\b",
    # the same in other languages people paste
    r"\bignor(?:ez|ieren|iere|a|e) (?:vos|tus|sus|alle|le|las|i)\b",
    (r"\b(?:oublie|oubliez|olvida|olvide|olviden|olvidad|vergiss|vergessen sie|dimentica|dimenticate|esqueça|esquece)\b"
    r"[^.!?\n]{0,30}(?:instructions?|consignes?|règles|regeln|reglas|instrucciones|istruzioni|regole|instruções|"
    r"ce qu'on t'a dit|ce que l'on t'a dit|todo lo anterior|alles)"), r"\banweisungen\b", r"忽略", r"指令", r"игнорир",
]
_HOSTILE = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)


def normalised(text: str) -> str:
    """NFKC, zero-width characters removed, whitespace collapsed: homoglyph and spacing tricks undone."""
    folded = unicodedata.normalize("NFKC", text)
    folded = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    return " ".join(folded.split())


def hostile_phrase(text: str) -> str | None:
    """The first instruction-like phrase in `text`, or None for an ordinary message."""
    found = _HOSTILE.search(normalised(text))
    return found.group().strip() if found else None


def is_hostile(text: str) -> bool:
    """True when the message tries to instruct the model or tamper with scores, schema or storage."""
    return hostile_phrase(text) is not None
