"""The phases of play as closed sets: a challenge's, the world's, and the one a snapshot shows."""

from __future__ import annotations

from typing import Literal

ChallengePhase = Literal["waiting", "trial", "home", "feedback", "done"]
"""One challenge (``ChallengeRun.phase``): not started yet, a trial running, back to the centre
(or to a track's start) before the next trial, the feedback pause after a trial, finished."""

WorldPhase = Literal["intro", "play", "rest", "done"]
"""The level (``World.phase``): a challenge's instruction, its play, the rest before the next
challenge, the level over."""

SnapshotPhase = Literal["intro", "rest", "waiting", "trial", "home", "feedback", "done"]
"""What a view is told (``Snapshot.phase``): the world's intro and rest, the challenge's own
phase while it plays, and "done" once the level is over ("waiting" is never shown in play)."""
