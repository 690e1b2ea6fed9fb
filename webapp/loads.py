"""The runner's load: every stored run as an engine.state LoadRecord, and the state they give.

In: the user's Activity rows (the stimulus dicts stored at import). Out: `load_records`
(every run, walk and hike: `loads_legs`; sorted by start time, cached per user), and what
the week page shows of engine.state: `muscle_rows` (per leg muscle: the week's load, acute and
chronic as weekly figures, damage), `trend` (42 days of acute and chronic per muscle) and
`history_days`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.muscles import LABELS, LEG_MUSCLES
from engine.state import LoadRecord, daily_series
from webapp import cache
from webapp.db import aware
from webapp.models import Activity, User

TREND_DAYS = 42
TREND_HORIZON_DAYS = 180  # older runs weigh under 0.02 % in a 42-day average after 180 days
LEVEL_WORDS = ("none", "light", "moderate", "high", "highest")
DAMAGE_FROM = (0.3, 0.6)  # Dn where the recommender starts easing the legs (model doc 2.5)
RECORDS_CACHE = "legday.load_records"
RECORDS_CACHE_SIZE = 64


def load_record(start_time: datetime, duration_s: float, stimulus: dict) -> LoadRecord:
    """engine.state's LoadRecord straight from a stored stimulus dict (no Stimulus objects)."""
    muscles = {
        key: (float(m.get("total") or 0.0), float(m.get("damage") or 0.0))
        for key, m in (stimulus.get("muscles") or {}).items()
    }
    return LoadRecord(
        start_time=aware(start_time),
        duration_s=float(duration_s or 0.0),
        muscles=muscles,
        systemic_load=float(stimulus.get("systemic_load") or 0.0),
    )


def load_records(session: Session, user: User, activities_key: tuple) -> list[LoadRecord]:
    """Every run, walk and hike as a LoadRecord, cached per user while the user's activities
    do not change.

    `activities_key` is (count, max id) of the user's activities, optionally followed by the
    time of the last reprocessing pass. After an upload only the new rows are read and added;
    after a delete or a reprocessing pass everything is read again.
    """
    count, max_id = activities_key[:2]
    records_cache = cache.lru(RECORDS_CACHE)
    cached = cache.recall(records_cache, user.id)
    if cached is not None and cached[0] == activities_key:
        return cached[1]
    # A reprocessing pass since (the key's third part) changed stored rows: read them all again.
    same_pass = cached is not None and cached[0][2:] == activities_key[2:]
    query = select(
        Activity.id,
        Activity.is_run,
        Activity.start_time,
        Activity.elapsed_time_s,
        Activity.stimulus,
    ).where(Activity.user_id == user.id)
    records = None
    if same_pass and cached[0][1] is not None and max_id is not None:
        (old_count, old_max, *_), old_records = cached
        new_rows = session.execute(query.where(Activity.id > old_max)).all()
        if old_count + len(new_rows) == count:  # nothing was deleted meanwhile
            added = [_record_of(r) for r in new_rows if loads_legs(r)]
            records = sorted(old_records + added, key=lambda r: r.start_time)
    if records is None:
        rows = session.execute(query).all()
        records = sorted((_record_of(r) for r in rows if loads_legs(r)), key=lambda r: r.start_time)
    cache.remember(records_cache, user.id, (activities_key, records), RECORDS_CACHE_SIZE)
    return records


def loads_legs(row) -> bool:
    """A run, walk or hike with a stimulus: it counts in the legs' load (walks and hikes carry
    `on_foot: true` in their stimulus and are not runs; rides and swims have no stimulus)."""
    stimulus = row.stimulus or {}
    return bool(stimulus) and bool(row.is_run or stimulus.get("on_foot"))


def _record_of(row) -> LoadRecord:
    return load_record(row.start_time, row.elapsed_time_s, row.stimulus)


def muscle_rows(in_week, state) -> list[dict]:
    """Per leg muscle: the week's load (from the week's runs, walks and hikes: `loads_legs`),
    acute and chronic as weekly figures (from `state`, an engine.state.State), normalised
    damage, and their levels in words (load relative to the week's most loaded muscle;
    damage from DAMAGE_FROM)."""
    week_load = {k: 0.0 for k in LEG_MUSCLES}
    for r in in_week:
        if loads_legs(r):
            for k, load in (r.stimulus.get("muscles") or {}).items():
                if k in week_load:
                    week_load[k] += float(load.get("total") or 0)
    top = max(week_load.values(), default=0.0)
    muscles = []
    for k in LEG_MUSCLES:
        ms = state.muscles.get(k)
        dn = ms.damage_normalised if ms else 0.0
        share = week_load[k] / top if top > 0 else 0.0
        level = 0 if share < 0.02 else 1 + min(3, int(share * 4 - 1e-9))
        damage_level = sum(dn >= t for t in DAMAGE_FROM)
        muscles.append(
            {
                "key": k,
                "label": LABELS.get(k, k),
                "week_load": week_load[k],
                "acute": (ms.acute if ms else 0.0) * 7,
                "chronic": (ms.chronic if ms else 0.0) * 7,
                "damage_normalised": dn,
                "level": level,
                "level_words": LEVEL_WORDS[level],
                "damage_level": damage_level,
                "damage_words": ("", "some damage: likely sore", "marked damage: recovering")[
                    damage_level
                ],
            }
        )
    return muscles


def trend(records: list[LoadRecord], start: date, end: date, horizon: datetime) -> dict:
    """Acute and chronic load per muscle per day from `start` to `end`, as weekly figures.

    Runs before `horizon` are left out (they weigh next to nothing by then).
    Shape: {"days": ["YYYY-MM-DD", ...], "muscles": {key: {"acute": [...], "chronic": [...]}}}.
    """
    series = daily_series([r for r in records if r.start_time >= horizon], start, end)
    return {
        "days": [d.isoformat() for d in series.days],
        "muscles": {
            k: {
                "acute": [round(float(v) * 7, 1) for v in series.acute[k]],
                "chronic": [round(float(v) * 7, 1) for v in series.chronic[k]],
            }
            for k in LEG_MUSCLES
        },
    }


def history_days(records: list[LoadRecord], until: date) -> int:
    """Days from the first run on record to `until` (0 without runs)."""
    if not records:
        return 0
    first = min(r.start_time for r in records).date()
    return max(0, (until - first).days + 1)
