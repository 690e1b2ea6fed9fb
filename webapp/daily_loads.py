"""The runner's days: per local day and muscle load sums (engine.days) stored in daily_loads.

In: the user's runs (stored stimulus) and settings. Out: `days_for` -> every stored day of the
user as an engine.days.DayTable (cached per user and per app), which the week, the state and
the trend read instead of every run's stimulus.

The stored days follow a basis (time zone, heart-rate settings, body mass, and the activities'
count and largest id, as users.loads_basis): an upload or a delete marks the first local day that
changed (`mark_stale`) and `refresh` rebuilds only from that day on, the earlier days' protection
carried over; any other change of basis (the zone, the heart-rate settings, rows written some
other way) rebuilds every day. `refresh` runs at the end of an import and, when still needed,
on the next read. Incremental state: what the days before a checkpoint (about 8 months back)
carry into it is kept on the user (users.loads_carry, engine.days.Carry), so a week reads only
the days after it, and a rebuild from a later day reads no older day.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import numpy as np
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.days import (
    EPOCH,
    FIELDS,
    Carry,
    DayLoad,
    DayTable,
    build_days,
    carry_into,
    midnight,
)
from engine.muscles import ALL_MUSCLES
from engine.state import DAY_S
from webapp import cache
from webapp.db import aware
from webapp.loads import CHART_DAYS, TREND_HORIZON_DAYS, load_record, loads_legs
from webapp.models import Activity, DailyLoad, ReprocessRun, User

DAYS_CACHE = "legday.daily_loads"
DAYS_CACHE_SIZE = 64
SYSTEMIC = "systemic"
# The checkpoint: the current week's 12-week chart and its 180-day horizon start after it (the
# week may end 6 days after today), so this week's page never reads the days before it.
CARRY_BACK_DAYS = CHART_DAYS + TREND_HORIZON_DAYS + 7
# A checkpoint older than this is moved up (once a month), so a read stays about 9 months long.
CARRY_MAX_AGE_DAYS = 62
BASIS_SETTINGS = ("timezone", "hr_max", "hr_rest", "sex", "mass_kg")
COLUMNS = (
    DailyLoad.day,
    DailyLoad.muscle,
    DailyLoad.anchor,
    DailyLoad.last_end,
    DailyLoad.runs,
    *(getattr(DailyLoad, f) for f in FIELDS),
)


def activities_key(session: Session, user: User) -> tuple:
    """(count, largest id, last edit) of the user's activities and the end of the last
    reprocessing pass: changes with any upload, delete, edit (sport, race, left out of the
    load) or recomputation; the same tuple as webapp.weeks' data key."""
    def of_user(column):
        return select(column).where(Activity.user_id == user.id).scalar_subquery()

    row = session.execute(
        select(
            of_user(func.count(Activity.id)),
            of_user(func.max(Activity.id)),
            of_user(func.max(Activity.edited_at)),
            select(func.max(ReprocessRun.finished_at)).scalar_subquery(),
        )
    ).one()
    return (row[0], row[1], row[2], row[3])


def basis(user: User, key: tuple) -> str:
    """What the stored days depend on, as one string (users.loads_basis)."""
    settings = [getattr(user, name, None) for name in BASIS_SETTINGS]
    return json.dumps([settings, list(key)], default=str)


def mark_stale(user: User, moment: datetime) -> None:
    """The user's days from the local day of `moment` on must be rebuilt (an upload, a delete)."""
    from webapp.weeks import user_zone

    day = aware(moment).astimezone(user_zone(user)).date()
    if user.loads_stale_from is None or day < user.loads_stale_from:
        user.loads_stale_from = day


def refresh(session: Session, user: User, key: tuple | None = None) -> bool:
    """Bring the user's stored days up to date and commit; True when something was rebuilt."""
    key = activities_key(session, user) if key is None else key
    wanted = basis(user, key)
    if user.loads_basis == wanted and user.loads_stale_from is None:
        return False
    from webapp.weeks import user_zone

    same_settings = user.loads_basis is not None and (
        json.loads(user.loads_basis)[0] == json.loads(wanted)[0]
    )
    since = user.loads_stale_from if same_settings else None
    zone = user_zone(user)
    checkpoint, carry = _carry(user)
    if since is None or checkpoint is None or since < checkpoint:
        checkpoint, carry = None, None
    before = _read(session, user, checkpoint, since) if since is not None else ()
    # runs, walks and hikes (loads_legs: the on-foot ones carry load but are not runs)
    runs = select(
        Activity.is_run, Activity.start_time, Activity.elapsed_time_s, Activity.stimulus
    ).where(Activity.user_id == user.id, Activity.excluded.is_(False))
    if since is not None:
        # the runs of the days from `since` on (a day earlier in UTC, then by local day)
        runs = runs.where(Activity.start_time >= _utc_midnight(since, -1))
    records = [
        load_record(r.start_time, r.elapsed_time_s, r.stimulus)
        for r in session.execute(runs)
        if loads_legs(r)
    ]
    if since is not None:
        records = [r for r in records if r.start_time.astimezone(zone).date() >= since]
    built = build_days(records, zone, before, carry)
    gone = delete(DailyLoad).where(DailyLoad.user_id == user.id)
    if since is not None:
        gone = gone.where(DailyLoad.day >= since)
    try:
        session.execute(gone)
        rows = [row for d in built for row in _rows(user.id, d)]
        if rows:
            session.execute(insert(DailyLoad), rows)
        user.loads_basis = wanted
        user.loads_stale_from = None
        if checkpoint is None:  # the days before the checkpoint changed: carry them again
            session.flush()
            _set_carry(session, user, zone)
        session.commit()
    except IntegrityError:  # another worker rebuilt the same days at the same time
        session.rollback()
    return True


def days_for(session: Session, user: User, key: tuple, needed_from: date) -> tuple:
    """(DayTable, Carry or None): the user's stored days from the checkpoint on with what the
    days before carry, when the checkpoint is on or before `needed_from` (the first day the
    caller reads); every day and None otherwise. Refreshed first when out of date."""
    refresh(session, user, key)
    checkpoint, carry = _carry(user)
    if _checkpoint_moves(user, checkpoint):
        from webapp.weeks import user_zone

        _set_carry(session, user, user_zone(user))
        session.commit()
        checkpoint, carry = _carry(user)
    recent = checkpoint is not None and checkpoint <= needed_from
    cache_key = (user.loads_basis, checkpoint if recent else None)
    days_cache = cache.lru(DAYS_CACHE)
    cached = cache.recall(days_cache, (user.id, recent))
    if cached is not None and cached[0] == cache_key:
        return cached[1]
    value = (_read(session, user, checkpoint), carry) if recent else (_read(session, user), None)
    cache.remember(days_cache, (user.id, recent), (cache_key, value), DAYS_CACHE_SIZE)
    return value


def _checkpoint_moves(user: User, checkpoint: date | None) -> bool:
    """Whether the stored checkpoint is too recent for this week's reads (a change of
    CARRY_BACK_DAYS) or more than CARRY_MAX_AGE_DAYS behind where it belongs; days stored."""
    from webapp.weeks import user_zone

    if user.loads_basis is None:
        return False
    wanted = checkpoint_for(datetime.now(UTC).astimezone(user_zone(user)).date())
    if checkpoint is None:
        return True
    return checkpoint > wanted or (wanted - checkpoint).days > CARRY_MAX_AGE_DAYS


def checkpoint_for(today: date) -> date:
    """The day the carry is taken into: the first of the month CARRY_BACK_DAYS before today
    (so that it moves once a month, and this week's trend never reads before it)."""
    return (today - timedelta(days=CARRY_BACK_DAYS)).replace(day=1)


def _carry(user: User) -> tuple[date | None, Carry | None]:
    data = user.loads_carry
    if not data:
        return None, None
    carry = Carry.from_dict(data["carry"]) if data.get("carry") else None
    return date.fromisoformat(data["day"]), carry


def _set_carry(session: Session, user: User, zone) -> None:
    day = checkpoint_for(datetime.now(UTC).astimezone(zone).date())
    carry = carry_into(_read(session, user, until=day), (day - EPOCH).days, midnight(day, zone))
    user.loads_carry = {"day": day.isoformat(), "carry": carry.to_dict() if carry else None}


def _read(
    session: Session, user: User, since: date | None = None, until: date | None = None
) -> DayTable:
    """The stored days (from `since`, before `until`) as arrays: one query, no object per row."""
    query = select(*COLUMNS).where(DailyLoad.user_id == user.id)
    if since is not None:
        query = query.where(DailyLoad.day >= since)
    if until is not None:
        query = query.where(DailyLoad.day < until)
    rows = session.execute(query.order_by(DailyLoad.day)).all()
    index = {k: j for j, k in enumerate(ALL_MUSCLES)}
    day_of: dict[date, int] = {}
    for r in rows:
        day_of.setdefault(r[0], len(day_of))
    n = len(day_of)
    values = np.array([r[2:] for r in rows], dtype=float).reshape(len(rows), 3 + len(FIELDS))
    which = np.array([day_of[r[0]] for r in rows], dtype=int)
    muscle = np.array([index.get(r[1], -1) for r in rows], dtype=int)
    per_day = np.zeros((n, 3))
    per_day[which] = values[:, :3]  # anchor, last_end, runs: the same on each row of a day
    systemic = np.zeros(n)
    is_systemic = muscle < 0
    systemic[which[is_systemic]] = values[is_systemic, 3]
    fields = np.zeros((n, len(ALL_MUSCLES), len(FIELDS)))
    fields[which[~is_systemic], muscle[~is_systemic]] = values[~is_systemic, 3:]
    return DayTable(
        day=np.array([(d - EPOCH).days for d in day_of], dtype=float),
        anchor=per_day[:, 0],
        last_end=per_day[:, 1],
        runs=per_day[:, 2],
        systemic=systemic,
        fields=fields,
    )


def _rows(user_id: int, d: DayLoad) -> list[dict]:
    common = {
        "user_id": user_id,
        "day": d.date,
        "anchor": d.anchor,
        "last_end": d.last_end,
        "runs": d.runs,
    }
    zeros = dict.fromkeys(FIELDS, 0.0)
    rows = [{**common, **zeros, "muscle": SYSTEMIC, "load": d.systemic}]
    rows += [
        {**common, "muscle": k, **dict(zip(FIELDS, v, strict=True))} for k, v in d.muscles.items()
    ]
    return rows


def _utc_midnight(day: date, shift_days: int) -> datetime:
    return datetime.fromtimestamp(((day - EPOCH).days + shift_days) * DAY_S, UTC)
