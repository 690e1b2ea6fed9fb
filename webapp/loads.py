"""The runner's load as the week page shows it, from the runner's days (engine.days).

In: a stored stimulus dict (`load_record`: engine.state's LoadRecord of one run), or the user's
days (an engine.days.DayTable from webapp.daily_loads). Out: `muscle_rows` (per leg muscle: the
week's load, acute and chronic as weekly figures, damage), `trend` (42 days of acute and
chronic per muscle, by local day) and `history_days`."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from engine.days import EPOCH, Carry, DayTable, series_from_days
from engine.muscles import ALL_MUSCLES, LABELS, LEG_MUSCLES
from engine.state import LoadRecord
from webapp.db import aware

TREND_DAYS = 42
TREND_HORIZON_DAYS = 180  # older runs weigh under 0.02 % in a 42-day average after 180 days
CHART_DAYS = 84  # the week page's load chart: the 12 weeks up to the end of the week
LEVEL_WORDS = ("none", "light", "moderate", "high", "highest")
DAMAGE_FROM = (0.3, 0.6)  # Dn where the recommender starts easing the legs (model doc 2.5)


def counts(row) -> bool:
    """Whether a stored activity (row or RunRow) adds to the legs' load: a run not excluded."""
    return bool(row.is_run) and not getattr(row, "excluded", False)


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


def muscle_rows(days: DayTable, start: date, end: date, state) -> list[dict]:
    """Per leg muscle: the week's load (the days `start`..`end`), acute and chronic as weekly
    figures (from `state`, an engine.state.State), normalised damage, and their levels in
    words (load relative to the week's most loaded muscle; damage from DAMAGE_FROM)."""
    total = days.week_load((start - EPOCH).days, (end - EPOCH).days)
    week_load = {k: float(total[ALL_MUSCLES.index(k)]) for k in LEG_MUSCLES}
    top = max(week_load.values(), default=0.0)
    muscles = []
    for k in LEG_MUSCLES:
        ms = state.muscles.get(k)
        dn = ms.damage_normalised if ms else 0.0
        share = week_load[k] / top if top > 0 else 0.0
        # under 1 unit the table says "none": the map leaves that muscle uncoloured too
        shown = share >= 0.02 and week_load[k] >= 1.0
        level = 1 + min(3, int(share * 4 - 1e-9)) if shown else 0
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


def trend(days: DayTable, start: date, end: date, horizon: date, zone: tzinfo) -> dict:
    """Acute and chronic load per muscle per local day from `start` to `end`, as weekly figures.

    Days before `horizon` are left out (their runs weigh next to nothing by then).
    Shape: {"days": ["YYYY-MM-DD", ...], "muscles": {key: {"acute": [...], "chronic": [...]}}}.
    """
    first = (horizon - EPOCH).days
    series = series_from_days(days.where(days.day >= first), start, end, zone)
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


def history_days(days: DayTable, until: date, carry: Carry | None = None) -> int:
    """Days from the first day with a run (the carry's, else the days') to `until` (0 without
    runs)."""
    if carry is not None:
        first = carry.first_day
    elif days.day.size:
        first = int(days.day[0])
    else:
        return 0
    return max(0, (until - EPOCH).days - first + 1)


def loads_legs(row) -> bool:
    """A run, walk or hike with a stimulus: it counts in the legs' load (walks and hikes carry
    `on_foot: true` in their stimulus and are not runs; rides and swims have no stimulus)."""
    stimulus = row.stimulus or {}
    return bool(stimulus) and bool(row.is_run or stimulus.get("on_foot"))
