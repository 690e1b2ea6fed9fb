"""Doses: sets, reps or seconds and rest by exercise role and focus, moved by the progression
level read from the runner's logs; the plyometric, Nordic and eccentric doses; the lead-in
for new lifters and returning runners.

The one place a dose is decided: `select` asks here and never sets numbers itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from engine.plan.context import RunSummary, SessionLog

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


# Calf raises: short sets of a small muscle group, 90 s between them is enough [A].
CALF_REST_S = 90
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
    # Hip-flexor strength: fast knee drives for speed, steady for the others.
    "hip_flexor": {"endurance": (2, 10, 60), "general": (2, 10, 60), "speed": (3, 6, 75)},
    # Single-leg stamina: many steady reps per leg, 2 s down and 1 s up.
    "stamina": {"endurance": (2, 16, 60), "general": (2, 12, 60), "speed": (2, 10, 60)},
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
    "hip_flexor": ((2, 3), (6, 12)),
    "stamina": ((2, 3), (10, 20)),
}
# Plyometric contacts per session by focus: (exercises, sets, contacts per set) [A].
_PLYO: dict[str, tuple[int, int, int]] = {
    "endurance": (1, 2, 20),
    "general": (1, 3, 15),
    "speed": (2, 3, 12),
}
# Nordic progression by sessions already done (Petersen 2011 style): (sets, reps).
_NORDIC_STEPS: tuple[tuple[int, int], ...] = ((2, 5), (2, 6), (3, 6), (3, 8), (3, 10))


def dose_for(role: str, focus: str, level: int) -> Dose:
    table = "heavy_lift" if role == "calf_lift" else role
    sets, amount, rest = _DOSES[table][focus]
    if role == "calf_lift":
        rest = min(rest, CALF_REST_S)
    (s_lo, s_hi), (a_lo, a_hi) = _RANGES[table]
    # Heavy lifts progress by weight (see weight_step) and sets, not by reps.
    step = 0 if role in ("heavy_lift", "calf_lift") else (5 if a_hi > 25 else 2)
    # Done: more reps or seconds (heavy lifts: more weight, see weight_step); skipped: fewer.
    if level <= -2:
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


# --- lead-in ----------------------------------------------------------------------------------

LEAD_IN_SESSIONS = 6  # sessions a new lifter does at the lead-in dose [A]
RETURN_GAP_DAYS = 14  # a break this long makes the runner a returning one
RETURN_WINDOW_DAYS = 28  # for this long after the break ends [A]
ACWR_SPIKE = 1.5  # acute:chronic leg load above which the dose eases (needs 4 weeks of data)
LEAD_IN_MAX_SETS = 2
LEAD_IN_MINUTES = 30


def _last_break(runs: Sequence[RunSummary], as_of: date) -> tuple[int, date] | None:
    """(days, end) of the latest break of RETURN_GAP_DAYS or more between runs (or up to
    as_of) that ended within RETURN_WINDOW_DAYS."""
    days = sorted({r.day for r in runs if r.day <= as_of})
    if not days:
        return None
    if (as_of - days[-1]).days >= RETURN_GAP_DAYS:
        return (as_of - days[-1]).days, as_of
    for before, after in zip(reversed(days[:-1]), reversed(days[1:]), strict=True):
        if (as_of - after).days > RETURN_WINDOW_DAYS:
            return None
        if (after - before).days >= RETURN_GAP_DAYS:
            return (after - before).days, after
    return None


def lead_in(
    experience: str,
    runs: Sequence[RunSummary],
    logs: Sequence[SessionLog],
    as_of: date,
    acwr: float | None,
    history_days: int,
) -> tuple[str, str]:
    """(plain reason, numbers) when the runner needs the lead-in dose, else ("", "").

    Lead-in: a new lifter's first LEAD_IN_SESSIONS sessions; a break of 2+ weeks in the runs
    within the last 4 weeks; or acute:chronic leg load above ACWR_SPIKE once there are 4 weeks
    of data. It means fewer sets, no jumps, no Nordic curls and no heavy legs.
    """
    done = sum(1 for log in logs if log.done and log.day < as_of)
    if experience == "new" and done < LEAD_IN_SESSIONS:
        return (
            "You are new to strength work: a lighter start with fewer sets and no jumps or "
            f"Nordic curls for your first {LEAD_IN_SESSIONS} sessions.",
            f"Lead-in: {done} of {LEAD_IN_SESSIONS} sessions logged as done.",
        )
    gap = _last_break(runs, as_of)
    if gap is not None:
        days, end = gap
        return (
            f"You are back after {days // 7} weeks without running: a lighter start with fewer "
            "sets and no jumps or Nordic curls while your legs get used to training again.",
            f"A {days}-day break in your runs, up to {end.isoformat()}; lead-in for "
            f"{RETURN_WINDOW_DAYS} days after a break of {RETURN_GAP_DAYS} days or more.",
        )
    if acwr is not None and acwr > ACWR_SPIKE and history_days >= 28:
        return (
            "Your running has jumped well above your usual amount: a lighter session with no "
            "jumps or Nordic curls while your legs catch up.",
            f"Acute:chronic leg load {acwr:.1f}, above {ACWR_SPIKE} (Gabbett 2016).",
        )
    return "", ""


def lead_in_dose(dose: Dose) -> Dose:
    """The lead-in version of a dose: one set fewer, at most LEAD_IN_MAX_SETS, never none."""
    return replace(dose, sets=max(1, min(LEAD_IN_MAX_SETS, dose.sets - 1)))
