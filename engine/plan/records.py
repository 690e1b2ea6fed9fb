"""Logged strength sessions as load for `engine.state` (LoadRecord), and the PlanContext
built from real per-muscle states at noon of each remaining day of the week.

Figures marked [A] are assumptions, as in the model doc.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from engine import catalogue
from engine.plan.context import PlanContext, RunSummary, SessionLog
from engine.plan.schedule import week_days
from engine.state import LoadRecord, compute_state

# Load per working set on the primary / secondary muscles, by load type, in the engine's units
# (1 km of flat running at 3 m/s = 100 over all leg muscles) [A].
_SET_LOAD: dict[str, float] = {
    "heavy": 10.0,
    "plyometric": 8.0,
    "moderate": 7.0,
    "bodyweight": 4.0,
    "isometric": 3.0,
}
_SECONDARY_SHARE = 0.3
# Share of that load that counts as eccentric damage input: eccentric-biased exercises most.
_DAMAGE_SHARE: dict[str, float] = {"hamstring_eccentric": 0.5, "quad_eccentric": 0.5}
_DAMAGE_BY_TYPE: dict[str, float] = {"heavy": 0.15, "plyometric": 0.15}
SESSION_DURATION_S = 45 * 60.0


def session_muscle_load(log: SessionLog) -> dict[str, tuple[float, float]]:
    """Per-muscle (total, damage) that a logged strength session put on the muscles.

    Skipped sessions, and exercises logged with "done": False, load nothing; exercise names not
    in the catalogue are ignored.
    """
    if not log.done:
        return {}
    loads: dict[str, list[float]] = {}
    for item in log.exercises:
        name = item.get("name", "") if isinstance(item, Mapping) else str(item)
        ex = catalogue.find(str(name))
        if ex is None or (isinstance(item, Mapping) and item.get("done") is False):
            continue
        sets = int(item.get("sets", 2)) if isinstance(item, Mapping) else 2
        per_set = _SET_LOAD[ex.load_type]
        dmg_share = _DAMAGE_SHARE.get(ex.purpose, _DAMAGE_BY_TYPE.get(ex.load_type, 0.0))
        for muscles, share in ((ex.primary, 1.0), (ex.secondary, _SECONDARY_SHARE)):
            for m in muscles:
                total = sets * per_set * share
                acc = loads.setdefault(m, [0.0, 0.0])
                acc[0] += total
                acc[1] += total * dmg_share
    return {m: (round(t, 3), round(d, 3)) for m, (t, d) in sorted(loads.items())}


def session_start(log: SessionLog, tz: tzinfo | None = None) -> datetime:
    """When a logged session is taken to have happened: 18:00 on its day [A]."""
    return datetime.combine(log.day, time(18, 0), tzinfo=tz or UTC)


def log_record(log: SessionLog, tz: tzinfo | None = None) -> LoadRecord:
    """A logged strength session as a LoadRecord for engine.state (skipped: an empty one)."""
    return LoadRecord(
        start_time=session_start(log, tz),
        duration_s=SESSION_DURATION_S if log.done else 0.0,
        muscles=session_muscle_load(log),
        systemic_load=0.0,
    )


def state_moment(day: date, tz: tzinfo | None = None) -> datetime:
    """The moment a day's plan reads the state at: noon of that day [A]."""
    return datetime.combine(day, time(12, 0), tzinfo=tz or UTC)


def build_context(
    records: Sequence[LoadRecord],
    runs: Sequence[RunSummary],
    as_of: date,
    *,
    logs: Sequence[SessionLog] = (),
    tz: tzinfo | None = None,
    **settings: Any,
) -> PlanContext:
    """A PlanContext with the real per-muscle state: at noon of `as_of` and of each later day
    of the week, from the activities' records plus the logged strength sessions.

    `settings` are PlanContext's: race_date, focus, equipment, available_days, long_run_day,
    week_start.
    """
    everything = list(records) + [log_record(log, tz) for log in logs if log.done]
    days = [d for d in week_days(as_of, settings.get("week_start", 0)) if d >= as_of]
    states = {d: compute_state(everything, state_moment(d, tz)) for d in days}
    return PlanContext(
        as_of=as_of,
        state=states[as_of],
        recent=tuple(runs),
        logs=tuple(logs),
        states=states,
        **settings,
    )
