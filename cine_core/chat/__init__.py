"""The chat: what the chat page calls. One pipeline (conversation.py): a message in, one stored turn out.

Everything else in this package is internal to that pipeline: its `_modules` (understanding, guard, lexicon,
replies, Claude's turn, mentions, film resolution) are imported only from inside `cine_core.chat`
(tests/test_architecture.py); the stored turns (turns.py) are read and written through the pipeline.
"""

from cine_core.chat.conversation import ChatItem, answer, load_conversation, talk, undo
from cine_core.chat.turns import MAX_MESSAGE_CHARS, Turn

__all__ = ["MAX_MESSAGE_CHARS", "ChatItem", "Turn", "answer", "load_conversation", "talk", "undo"]
