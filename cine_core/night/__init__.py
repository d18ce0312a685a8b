"""Movie night for two (issue 17): invites between two accounts, and joint picks for the pair.

`pairs` creates, redeems and ends invites in the caller's own transaction (security-definer functions);
`joint` ranks films for two people by the weaker of their two predictions (pure); `refresh` computes and
stores a pair's joint picks for a member (security-definer functions, no service rights); `picks` reads
them back for a member.
"""

from cine_core.night.joint import EVIDENCE_RATING, JointPick, MemberScores, rank_joint, score_member
from cine_core.night.pairs import Pair, accept_invite, create_invite, current_pair, end_pair
from cine_core.night.picks import StoredPick, load_picks
from cine_core.night.reasons import reason_line
from cine_core.night.refresh import JOINT_PICKS, compute_pair, refresh_stale_pair

__all__ = [
    "EVIDENCE_RATING", "JOINT_PICKS", "JointPick", "MemberScores", "Pair", "StoredPick", "accept_invite",
    "compute_pair", "create_invite", "current_pair", "end_pair", "load_picks", "rank_joint", "reason_line",
    "refresh_stale_pair", "score_member",
]
