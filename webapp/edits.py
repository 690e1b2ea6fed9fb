"""A runner's corrections of one stored activity: its sport, "this was a race", "leave this out
of my load"; the stimulus follows the sport.

In: the user's Activity row and the new values. Out: the row changed (caller commits) and its
`edited_at` set, which is part of the week views' cache key (webapp.weeks), so the weeks, the
load records and the plan recompute in every process. A sport that becomes a run gets its
stimulus computed from the stored original file (engine.stimulus, the user's heart-rate
settings), as does one that becomes a walk or a hike (on-foot load, engine.gait); one that
becomes a ride or a swim loses it, as such an activity has none at import.
Errors: `EditRefused` with a message for the runner (the original file is gone); nothing changed.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy.orm import Session

import importers
from engine.gait import is_on_foot
from importers.activity import RUN_SPORTS
from webapp import daily_loads
from webapp.ingest import athlete_for, stimulus_fields
from webapp.models import Activity, OriginalFile, User, utcnow

NO_ORIGINAL = (
    "The original file of this activity is no longer stored, so its load cannot be worked out "
    "as a run. Upload the file again to count it."
)
UNREADABLE = "The original file of this activity could not be read again; nothing was changed."


class EditRefused(ValueError):
    """An edit that cannot be made; the message is for the runner."""


def edit_activity(
    session: Session, user: User, row: Activity, *, sport: str, is_race: bool, excluded: bool
) -> None:
    """Apply the runner's corrections to `row` (one of `user`'s); caller commits."""
    if sport != row.sport:
        if sport in RUN_SPORTS or is_on_foot(sport):
            _restimulate(session, user, row, sport)
        else:
            row.stimulus, row.systemic_load, row.model_version = {}, None, None
            row.summary = {**(row.summary or {}), "stimulus_notes": []}
        row.sport, row.is_run = sport, sport in RUN_SPORTS
    row.is_race = bool(is_race)
    row.excluded = bool(excluded)
    row.edited_at = utcnow()
    daily_loads.mark_stale(user, row.start_time)  # its days are rebuilt on the next read


def _restimulate(session: Session, user: User, row: Activity, sport: str) -> None:
    """The stimulus of `row` read again from its original file, as a `sport` activity."""
    original = session.get(OriginalFile, row.original_file_id) if row.original_file_id else None
    if original is None:
        raise EditRefused(NO_ORIGINAL)
    try:
        parsed = importers.load(original.content, original.filename)
    except importers.ActivityFileError:
        raise EditRefused(UNREADABLE) from None
    found = [a for a in parsed if a.fingerprint == row.fingerprint] or [
        a for a in parsed if a.index == row.index_in_file
    ]
    if not found:
        raise EditRefused(UNREADABLE)
    fields = stimulus_fields(dataclasses.replace(found[0], sport=sport), athlete_for(user))
    row.stimulus, row.systemic_load = fields["stimulus"], fields["systemic_load"]
    row.model_version = fields["model_version"]
    row.summary = {**(row.summary or {}), "stimulus_notes": fields["notes"]}
