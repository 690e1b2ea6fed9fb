"""This week's strength sessions, balanced against what running did (model doc section 2.5).

One public entry point, `recommend(PlanContext) -> Plan`; the other names here are its inputs
and result, the week helpers the web app uses, swaps, and logged sessions as engine load.
The modules, each with one job:

- `context`: inputs (PlanContext, RunSummary, SessionLog, Soreness) and the result (Plan,
  Session, Prescription);
- `profile`: the runner's Profile and `infer_profile` (defaults read from the runs);
- `schedule`: the week, the race phase, what recent running looks like, which days to lift;
- `gates`: which leg block a day allows, high calf load, whether a Nordic curl fits;
- `dose`: sets, reps/seconds and rest by role and focus, progression level, the lead-in;
- `progress`: per-exercise progression from the strength log ("last time 3 x 8, ...");
- `loads`: starting loads in kg from body mass; `fit`: minutes, need and fitting the time;
- `builder`: the session builder (an exercise and its dose -> a Prescription);
- `select`: the blocks of a session; `always`: the always-on work; `goal`: power/stamina;
- `reasons`: wording helpers (distances, climbs, days, rests); `plain`: plain reasons;
- `planner`: `recommend` itself; `swap`: one exercise for an alternative;
- `records`: logged sessions as LoadRecords, and `build_context` from real states.
"""

from engine.plan.context import (
    FOCUSES,
    HARD_PACE_RATIO,
    LEG_BLOCKS,
    LONG_RUN_M,
    LONG_RUN_S,
    SORENESS,
    WEEKDAYS,
    MuscleStateLike,
    Plan,
    PlanContext,
    Prescription,
    RunSummary,
    Session,
    SessionLog,
    Soreness,
    StateLike,
    summarise_runs,
)
from engine.plan.dose import lead_in, progression_level
from engine.plan.fit import SHORT_MINUTES
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
from engine.plan.loads import swapped_load
from engine.plan.planner import recommend
from engine.plan.profile import (
    EXPERIENCE,
    GOAL_LABELS,
    GOALS,
    Profile,
    infer_goal,
    infer_profile,
    with_changes,
)
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
    "EXPERIENCE",
    "GOALS",
    "GOAL_LABELS",
    "SHORT_MINUTES",
    "SORENESS",
    "Profile",
    "Soreness",
    "infer_goal",
    "infer_profile",
    "lead_in",
    "with_changes",
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
    "swapped_load",
    "week_days",
    "week_label",
]
