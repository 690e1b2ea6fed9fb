"""Doses: sets, reps or seconds and rest by exercise role and focus, moved by the progression
level read from the runner's logs; the plyometric, Nordic and eccentric doses.

The one place a dose is decided: `select` asks here and never sets numbers itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from engine.plan.context import SessionLog

# --- progression from logs --------------------------------------------------------------------


def progression_level(logs: Sequence[SessionLog], as_of: date) -> tuple[int, int, int]:
    """(level -2..+2, sessions done, sessions skipped) from the last 6 weeks of logs."""
    recent = sorted(
        (log for log in logs if as_of - timedelta(days=42) <= log.day < as_of),
        key=lambda log: log.day,
    )
    level = 0
    for log in recent:
        level = min(level + 1, 2) if log.done else max(level - 1, -2)
    if recent and (as_of - recent[-1].day).days > 21:
        level = min(level, 0)  # three weeks off: start again from the base dose
    done = sum(1 for log in recent if log.done)
    return level, done, len(recent) - done


def nordic_sessions_done(logs: Sequence[SessionLog], before: date) -> int:
    return sum(
        1
        for log in logs
        if log.done and log.day < before and "Nordic hamstring curl" in log.exercise_names()
    )


# --- doses ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Dose:
    sets: int
    amount: int  # reps or seconds
    rest_s: int
    sets_range: tuple[int, int]
    amount_range: tuple[int, int]


# role -> focus -> (sets, reps-or-seconds, rest) and the ranges progression may move within.
_DOSES: dict[str, dict[str, tuple[int, int, int]]] = {
    "heavy_lift": {"endurance": (3, 6, 150), "general": (3, 5, 180), "speed": (4, 4, 180)},
    "moderate_lift": {"endurance": (3, 10, 90), "general": (3, 8, 90), "speed": (3, 6, 120)},
    "hold": {"endurance": (3, 45, 60), "general": (3, 40, 60), "speed": (3, 30, 60)},
    "tibialis": {"endurance": (2, 20, 45), "general": (2, 15, 45), "speed": (2, 15, 45)},
    "hip_abduction": {"endurance": (3, 12, 45), "general": (2, 12, 45), "speed": (2, 10, 45)},
    "core": {"endurance": (3, 40, 45), "general": (3, 30, 45), "speed": (2, 30, 45)},
    "core_reps": {"endurance": (3, 10, 45), "general": (3, 8, 45), "speed": (2, 8, 45)},
    "upper": {"endurance": (2, 12, 75), "general": (3, 10, 75), "speed": (3, 8, 90)},
    "balance": {"endurance": (3, 30, 30), "general": (2, 30, 30), "speed": (2, 30, 30)},
    "balance_reps": {"endurance": (3, 8, 30), "general": (2, 8, 30), "speed": (2, 8, 30)},
}
_RANGES: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "heavy_lift": ((3, 5), (3, 6)),
    "moderate_lift": ((2, 4), (6, 12)),
    "hold": ((2, 4), (20, 60)),
    "tibialis": ((2, 3), (15, 25)),
    "hip_abduction": ((2, 3), (10, 15)),
    "core": ((2, 3), (20, 45)),
    "core_reps": ((2, 3), (6, 12)),
    "upper": ((2, 3), (8, 12)),
    "balance": ((2, 3), (20, 45)),
    "balance_reps": ((2, 3), (6, 10)),
}
# Plyometric contacts per session by focus: (exercises, sets, contacts per set) [A].
_PLYO: dict[str, tuple[int, int, int]] = {
    "endurance": (1, 2, 20),
    "general": (2, 3, 10),
    "speed": (3, 3, 11),
}
# Nordic progression by sessions already done (Petersen 2011 style): (sets, reps).
_NORDIC_STEPS: tuple[tuple[int, int], ...] = ((2, 5), (2, 6), (3, 6), (3, 8), (3, 10))


def dose_for(role: str, focus: str, level: int) -> Dose:
    sets, amount, rest = _DOSES[role][focus]
    (s_lo, s_hi), (a_lo, a_hi) = _RANGES[role]
    # Heavy lifts progress by weight (see weight_step) and sets, not by reps.
    step = 0 if role == "heavy_lift" else (5 if a_hi > 25 else 2)
    if level >= 2:
        sets += 1
    elif level <= -1:
        sets -= 1
    amount += level * step
    return Dose(
        sets=min(max(sets, s_lo), s_hi),
        amount=min(max(amount, a_lo), a_hi),
        rest_s=rest,
        sets_range=(s_lo, s_hi),
        amount_range=(a_lo, a_hi),
    )


def plyometric_dose(focus: str) -> tuple[int, Dose]:
    """(how many plyometric exercises, the dose of each) for a heavy session of `focus`."""
    n_exercises, sets, contacts = _PLYO[focus]
    return n_exercises, Dose(sets, contacts, 90, (1, 4), (contacts, contacts))


def nordic_dose(done_before: int) -> tuple[Dose, int]:
    """The Nordic curl dose after `done_before` logged Nordic sessions, and its step (1-based)."""
    step = min(done_before, len(_NORDIC_STEPS) - 1)
    sets, reps = _NORDIC_STEPS[step]
    return Dose(sets, reps, 120, (2, 3), (5, 10)), step + 1


# Slow step-downs before a hilly race (Bontemps 2020): 2 x 8, 3 s down, rest 1 min [A].
ECCENTRIC_DOSE = Dose(2, 8, 60, (2, 3), (6, 10))


def emphasised(dose: Dose) -> Dose:
    """Extra work for a muscle the week calls for (tibialis when calf load is high): the top of
    the set range and 5 more reps, within 25."""
    return replace(dose, sets=dose.sets_range[1], amount=min(dose.amount + 5, 25))
