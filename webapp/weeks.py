"""The one way out: a runner's week as the week page, the API and the weekly email show it.

In: a user and a week ("YYYY-Www", any date in it, or None for this week, in the user's time
zone and week start). Out: `weekly_context` -> WeekView: the week's runs (RunRow) and totals,
the per-muscle state and trend (from the runner's stored days: webapp.daily_loads and
webapp.loads), the strength plan (webapp.plans) and the sparklines (webapp.charts). Views are
cached per app (webapp.cache) under a key that changes with anything they depend on. Also the
week calendar: labels, parsing, local midnights."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.days import state_from_days
from engine.muscles import LABELS
from engine.state import DAY_S
from webapp import cache, daily_loads, loads
from webapp.charts import BASELINE_DAYS, trend_rows
from webapp.db import aware
from webapp.models import (
    Activity,
    PlanAdjustment,
    ReprocessRun,
    RunnerProfile,
    SorenessCheckIn,
    StrengthLog,
    User,
    WeekPlan,
)
from webapp.plans import plan_for

WEEK_COLUMNS = (
    Activity.id,
    Activity.name,
    Activity.sport,
    Activity.is_run,
    Activity.start_time,
    Activity.elapsed_time_s,
    Activity.distance_m,
    Activity.moving_time_s,
    Activity.elevation_gain_m,
    Activity.elevation_loss_m,
    Activity.avg_pace_s_per_km,
    Activity.gap_s_per_km,
    Activity.systemic_load,
    Activity.stimulus,
    Activity.is_race,
    Activity.excluded,
)
TREND_DAYS = loads.TREND_DAYS
CHART_DAYS = loads.CHART_DAYS
WEEK_CACHE = "legday.week_views"
CACHE_SIZE = 256
AS_OF_STEP_S = 600  # the current week is recomputed at most every 10 minutes per user


# --- the week calendar ------------------------------------------------------------------------


def week_label(start: date) -> str:
    """The ISO label of a user week: the ISO week of its middle day (as engine.plan labels it)."""
    year, number, _ = (start + timedelta(days=3)).isocalendar()
    return f"{year}-W{number:02d}"


def week_start_for(day: date, week_start: int) -> date:
    """The first day of the week holding `day`, for weeks starting on `week_start` (0 = Monday)."""
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def parse_week(value: str | date | None, user: User, today: date) -> date:
    """The first day of the user's week given "YYYY-Www", any date in it, or None (this week)."""
    if value is None:
        anchor = today
    elif isinstance(value, date):
        anchor = value
    else:
        try:
            year, number = value.upper().split("-W")
            # The user week whose middle day falls in that ISO week holds its Thursday.
            anchor = date.fromisocalendar(int(year), int(number), 4)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a week like 2026-W48.") from exc
    return week_start_for(anchor, user.week_start or 0)


def user_zone(user: User):
    """The user's ZoneInfo (UTC when unset or unknown)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(user.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_midnight_utc(day: date, zone) -> datetime:
    """The start of `day` in `zone`, as a UTC instant."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


# --- what the week page shows -----------------------------------------------------------------


@dataclass
class RunRow:
    """A stored activity as the week page, the API and the email need it (no series)."""

    id: int
    name: str | None
    sport: str
    is_run: bool
    start_time: datetime  # UTC
    local_day: date
    distance_m: float
    moving_time_s: float
    elevation_gain_m: float | None
    elevation_loss_m: float | None
    avg_pace_s_per_km: float | None
    systemic_load: float | None
    gap_s_per_km: float | None = None
    is_race: bool = False
    excluded: bool = False  # left out of the load and the totals by the runner
    on_foot: bool = False  # a run, walk or hike with a stimulus (loads.loads_legs)

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["start_time"] = self.start_time.isoformat()
        out["local_day"] = self.local_day.isoformat()
        return out


@dataclass
class WeekView:
    week: str  # "YYYY-Www"
    start: date
    end: date  # last day (inclusive)
    as_of: datetime
    is_current: bool
    runs: list[RunRow]
    other: list[RunRow]  # not runs, or runs left out of the load: shown, not counted
    totals: dict[str, float]
    state: Any  # engine.state.State
    muscles: list[dict]  # per muscle: key, label, acute, chronic, damage_normalised, level
    trend: dict  # CHART_DAYS: {"days": [...], "muscles": {key: {"acute": [...], "chronic": [...]}}}
    plan: dict  # engine Plan.to_dict() with the runner's swaps applied
    logs: dict[int, dict] = field(default_factory=dict)  # session index -> status, exercises
    prev_week: str | None = None
    next_week: str | None = None
    trend_rows: list[dict] = field(default_factory=list)  # the trend in words, per muscle
    history_days: int = 0  # days from the first run to the end of the trend
    base_plan: dict = field(default_factory=dict)  # `plan` before the swaps (kept when done)

    @property
    def trend_ready(self) -> bool:
        """Enough history for the 6-week line to mean something."""
        return self.history_days >= BASELINE_DAYS

    def to_dict(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "as_of": self.as_of.isoformat(),
            "runs": [r.to_dict() for r in self.runs],
            "other_activities": [r.to_dict() for r in self.other],
            "totals": self.totals,
            "state": self.state.to_dict() if hasattr(self.state, "to_dict") else self.state,
            "muscles": self.muscles,
            "trend": self.trend,
            "plan": self.plan,
            "logs": {str(k): v for k, v in self.logs.items()},
        }


def run_rows(rows: Iterable, zone) -> list[RunRow]:
    """RunRows from WEEK_COLUMNS rows, with the local day in `zone`."""
    return [
        RunRow(
            id=r.id,
            name=r.name,
            sport=r.sport,
            is_run=r.is_run,
            start_time=aware(r.start_time),
            local_day=aware(r.start_time).astimezone(zone).date(),
            distance_m=r.distance_m,
            moving_time_s=r.moving_time_s,
            elevation_gain_m=r.elevation_gain_m,
            elevation_loss_m=r.elevation_loss_m,
            avg_pace_s_per_km=r.avg_pace_s_per_km,
            systemic_load=r.systemic_load,
            gap_s_per_km=r.gap_s_per_km,
            is_race=bool(r.is_race),
            excluded=bool(r.excluded),
            on_foot=loads.loads_legs(r),
        )
        for r in rows
    ]


# --- weekly_context ---------------------------------------------------------------------------


def _data_key(session: Session, user: User, label: str) -> tuple:
    """Changes whenever anything the week depends on changes (uploads, deletes, edits, logs,
    settings).

    One round trip to the database: this runs on every view of a week, cached or not.
    """

    def of_user(column, model):
        return select(column).where(model.user_id == user.id).scalar_subquery()

    row = session.execute(
        select(
            of_user(func.count(Activity.id), Activity),
            of_user(func.max(Activity.id), Activity),
            of_user(func.max(Activity.edited_at), Activity),
            select(func.max(ReprocessRun.finished_at)).scalar_subquery(),
            of_user(func.count(StrengthLog.id), StrengthLog),
            of_user(func.max(StrengthLog.id), StrengthLog),
            select(PlanAdjustment.data)
            .where(PlanAdjustment.user_id == user.id, PlanAdjustment.week == label)
            .scalar_subquery(),
            of_user(func.max(RunnerProfile.updated_at), RunnerProfile),
            of_user(func.max(SorenessCheckIn.id), SorenessCheckIn),
        )
    ).one()
    activities, logs, adjustment = (row[0], row[1], row[2], row[3]), (row[4], row[5]), row[6]
    answers = (row[7], row[8])  # the profile's last change, the latest soreness check-in
    if not isinstance(adjustment, str):
        adjustment = json.dumps(adjustment, sort_keys=True)
    settings = (
        user.timezone,
        user.week_start,
        user.focus,
        tuple(user.equipment or ()),
        tuple(user.available_days or ()),
        user.long_run_day,
        user.race_date,
        user.units,
    )
    return (activities, logs, adjustment, settings, answers)


def clear_cache() -> None:
    """Forget every cached week view and stored-days copy of this app."""
    for name in (WEEK_CACHE, daily_loads.DAYS_CACHE):
        lru = cache.lru(name)
        with cache.lock:
            lru.clear()


def weekly_context(
    session: Session, user: User, week: str | date | None = None, *, now: datetime | None = None
) -> WeekView:
    """The runner's week: runs, totals, per-muscle state, trend and the strength plan.

    `week` is "YYYY-Www", any date inside the week, or None for this week (in the user's time
    zone and week start). Raises ValueError for a week label that does not parse.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC)
    zone = user_zone(user)
    today = now.astimezone(zone).date()
    start = parse_week(week, user, today)
    label = week_label(start)
    current = week_start_for(today, user.week_start or 0)
    end_utc = local_midnight_utc(start + timedelta(days=7), zone)
    # The state at the end of a past week (its last second: at midnight the daily averages
    # would already have stepped into Monday, a day without runs, and the table would read a
    # quarter below the chart's Sunday); "now" (in steps, so it can be cached) otherwise.
    stepped = datetime.fromtimestamp(now.timestamp() // AS_OF_STEP_S * AS_OF_STEP_S, UTC)
    week_end = end_utc - timedelta(seconds=1)
    as_of = min(stepped, week_end) if start <= current else stepped
    data_key = _data_key(session, user, label)
    key = (user.id, label, as_of, data_key)
    views = cache.lru(WEEK_CACHE)
    view = cache.recall(views, key)
    if view is not None:
        return view
    trend_start = min(start + timedelta(days=6), today) - timedelta(days=CHART_DAYS - 1)
    needed = min(trend_start, start) - timedelta(days=loads.TREND_HORIZON_DAYS)
    days = daily_loads.days_for(session, user, data_key[0], needed)
    view = _build_week(session, user, start, label, current, as_of, zone, today, days)
    cache.remember(views, key, view, CACHE_SIZE)
    return view


def _build_week(session, user, start, label, current, as_of, zone, today, stored) -> WeekView:
    days, carry = stored
    end = start + timedelta(days=6)
    start_utc = local_midnight_utc(start, zone)
    end_utc = local_midnight_utc(end + timedelta(days=1), zone)
    plan_day = today if start == current else start
    since = local_midnight_utc(min(start, plan_day) - timedelta(days=TREND_DAYS), zone)
    rows = session.execute(
        select(*WEEK_COLUMNS)
        .where(
            Activity.user_id == user.id,
            Activity.start_time >= since,
            Activity.start_time < max(end_utc, as_of),
        )
        .order_by(Activity.start_time)
    ).all()
    days = days.where(days.anchor < max(end_utc, as_of).timestamp() / DAY_S)
    state = state_from_days(days, as_of, zone, carry)
    in_week = [r for r in rows if start_utc <= aware(r.start_time) < end_utc]
    week_rows = run_rows(in_week, zone)
    runs = [r for r in week_rows if loads.counts(r)]
    totals = {
        "runs": len(runs),
        "distance_m": sum(r.distance_m or 0 for r in runs),
        "moving_time_s": sum(r.moving_time_s or 0 for r in runs),
        "elevation_gain_m": sum(r.elevation_gain_m or 0 for r in runs),
        "elevation_loss_m": sum(r.elevation_loss_m or 0 for r in runs),
        "systemic_load": sum(r.systemic_load or 0 for r in runs),
    }
    trend_end = min(start + timedelta(days=6), today)
    trend_start = trend_end - timedelta(days=CHART_DAYS - 1)
    horizon = trend_start - timedelta(days=loads.TREND_HORIZON_DAYS)
    trend = loads.trend(days, trend_start, trend_end, horizon, zone)
    history_days = loads.history_days(days, trend_end, carry)
    stored = (days, carry)
    plan, logs, base_plan = _plan(
        session, user, start, label, plan_day, today, zone, rows, stored, state
    )
    return WeekView(
        week=label,
        start=start,
        end=end,
        as_of=as_of,
        is_current=start == current,
        runs=runs,
        other=[r for r in week_rows if not loads.counts(r)],
        totals=totals,
        state=state,
        muscles=loads.muscle_rows(days, start, end, state),
        trend=trend,
        plan=plan,
        logs=logs,
        base_plan=base_plan,
        prev_week=week_label(start - timedelta(days=7)),
        next_week=week_label(start + timedelta(days=7)) if start < current else None,
        trend_rows=trend_rows(trend, LABELS, history_days),
        history_days=history_days,
    )


def _plan(session, user, start, label, plan_day, today, zone, rows, stored, state):
    """The plan as of `plan_day`: the state on that day and the six weeks of runs before it;
    for a week with a session marked done, the plan stored then (WeekPlan)."""
    if plan_day != today:
        days, carry = stored
        state = state_from_days(days, local_midnight_utc(plan_day, zone), zone, carry)
    since = local_midnight_utc(plan_day - timedelta(days=TREND_DAYS), zone)
    recent = [
        SimpleNamespace(**{**r._asdict(), "start_time": aware(r.start_time)})
        for r in rows
        if loads.counts(r) and aware(r.start_time) >= since
    ]
    frozen = session.scalar(
        select(WeekPlan.plan).where(WeekPlan.user_id == user.id, WeekPlan.week == label)
    )
    return plan_for(session, user, start, label, plan_day, state, recent, zone, frozen=frozen)
