"""This week's strength sessions, balanced against what running did (model doc section 2.5).

One public entry point, `recommend(PlanContext) -> Plan`; the other names here are its inputs
and result, the week helpers the web app uses, swaps, and logged sessions as engine load.
The modules, each with one job:

- `context`: inputs (PlanContext, RunSummary, SessionLog) and the result (Plan, Session,
  Prescription);
- `schedule`: the week, the race phase, what recent running looks like, which days to lift;
- `gates`: which leg block a day allows, high calf load, whether a Nordic curl fits;
- `dose`: sets, reps/seconds and rest by role and focus, and progression from the logs;
- `select`: the session builder that picks exercises and writes their reasons;
- `reasons`: wording helpers (distances, climbs, days, rests);
- `planner`: `recommend` itself; `swap`: one exercise for an alternative;
- `records`: logged sessions as LoadRecords, and `build_context` from real states.
"""

from engine.plan.context import (
    FOCUSES,
    HARD_PACE_RATIO,
    LEG_BLOCKS,
    LONG_RUN_M,
    LONG_RUN_S,
    WEEKDAYS,
    MuscleStateLike,
    Plan,
    PlanContext,
    Prescription,
    RunSummary,
    Session,
    SessionLog,
    StateLike,
    summarise_runs,
)
from engine.plan.dose import progression_level
from engine.plan.gates import (
    CALF_QUAD_HIGH,
    CALF_SPIKE,
    HEAVY_BELOW,
    ISOMETRIC_FROM,
    LONG_DESCENT_M,
    NO_LEGS_FROM,
    NORDIC_BELOW,
    PROTECTED_FROM,
)
from engine.plan.planner import recommend
from engine.plan.records import (
    SESSION_DURATION_S,
    build_context,
    log_record,
    session_muscle_load,
    session_start,
    state_moment,
)
from engine.plan.schedule import STEPS_PER_MIN, iso_week, phase_for, week_days, week_label
from engine.plan.swap import swap

__all__ = [
    "CALF_QUAD_HIGH",
    "CALF_SPIKE",
    "FOCUSES",
    "HARD_PACE_RATIO",
    "HEAVY_BELOW",
    "ISOMETRIC_FROM",
    "LEG_BLOCKS",
    "LONG_DESCENT_M",
    "LONG_RUN_M",
    "LONG_RUN_S",
    "NORDIC_BELOW",
    "NO_LEGS_FROM",
    "PROTECTED_FROM",
    "SESSION_DURATION_S",
    "STEPS_PER_MIN",
    "WEEKDAYS",
    "MuscleStateLike",
    "Plan",
    "PlanContext",
    "Prescription",
    "RunSummary",
    "Session",
    "SessionLog",
    "StateLike",
    "build_context",
    "iso_week",
    "log_record",
    "phase_for",
    "progression_level",
    "recommend",
    "session_muscle_load",
    "session_start",
    "state_moment",
    "summarise_runs",
    "swap",
    "week_days",
    "week_label",
]
