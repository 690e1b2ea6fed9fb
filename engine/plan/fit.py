"""Sessions that fit the runner's time: the minutes an exercise takes, the need that ranks
exercises, and the fitting itself (biggest need first) plus a short version for a busy day.

Minutes = sets x work + rests + a transition. Work is reps x 3 s (4 s for a stamina tempo,
6 s for a Nordic, 1 s per jump contact) or the seconds held, twice for one-sided exercises.
Exercises without long rests (antagonists, core, upper body, balance) are done between the
sets of a lift with long rests ("pair_with"), as many as its rest holds after 30 s of real
rest: their rests are that lift's, counted once [A].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from engine import catalogue
from engine.plan.context import Prescription

TRANSITION_S = 45
PAIRED_TRANSITION_S = 15
SHORT_MINUTES = 15
# The floor of every session: one exercise of each group, whatever the time.
REQUIRED: tuple[frozenset[str], ...] = (
    frozenset({"tibialis", "hip_abduction"}),
    frozenset({"core_anti_extension", "core_anti_rotation", "core_lateral"}),
    frozenset({"upper_push"}),
    frozenset({"upper_pull"}),
    frozenset({"balance"}),
)
_FILLER_PURPOSES = frozenset(
    {
        "tibialis",
        "hip_abduction",
        "core_anti_extension",
        "core_anti_rotation",
        "core_lateral",
        "upper_push",
        "upper_pull",
        "balance",
    }
)
_ANCHOR_REST_S = 90  # a lift with rests this long can host paired exercises
_REAL_REST_S = 30  # of a host's rest, kept as rest

# Need by purpose: how much this week's running leaves the muscle short [A]. The week's own
# numbers (calf load, climbing, focus) move these in `select` and `goal`.
NEED: dict[str, float] = {
    "quad_eccentric": 9.0,
    "knee_dominant": 8.0,
    "hip_extension": 7.5,
    "knee_isometric": 7.5,
    "calf": 7.0,
    "hamstring_eccentric": 7.0,
    "tibialis": 6.0,
    "upper_pull": 5.5,
    "hip_abduction": 5.5,
    "calf_isometric": 5.0,
    "upper_push": 5.0,
    "plyometric": 5.0,
    "hip_flexor": 4.0,
    "single_leg_endurance": 4.0,
    "core_lateral": 4.5,
    "core_anti_extension": 4.5,
    "balance": 4.0,
    "core_anti_rotation": 3.5,
}


def work_s(p: Prescription) -> float:
    """Seconds of work in one set of `p` (both sides for a one-sided exercise)."""
    ex = catalogue.find(p.name)
    if p.dose == "seconds":
        per = float(p.amount)
    elif p.category == "plyometric":
        per = 1.0 * p.amount
    elif p.purpose == "hamstring_eccentric":
        per = 6.0 * p.amount
    else:
        per = (4.0 if p.style == "stamina" else 3.0) * p.amount
    return per * (2 if ex is not None and ex.unilateral and p.category != "plyometric" else 1)


def minutes_alone(p: Prescription) -> float:
    return (p.sets * work_s(p) + (p.sets - 1) * p.rest_s + TRANSITION_S) / 60


def minutes_paired(p: Prescription) -> float:
    return (p.sets * work_s(p) + PAIRED_TRANSITION_S) / 60


def timed(items: Sequence[Prescription]) -> list[Prescription]:
    """The items with `minutes` and `pair_with` set: each filler goes between the sets of one
    long-rest lift (highest need first), the others on their own."""
    # Rest left in each long-rest lift, after 30 s of real rest, for exercises done in it.
    room = {
        j: p.rest_s - _REAL_REST_S
        for j, p in enumerate(items)
        if p.purpose not in _FILLER_PURPOSES and p.rest_s >= _ANCHOR_REST_S
    }
    hosts: dict[int, str] = {}
    # The fillers that would take longest on their own choose first.
    fillers = sorted(
        (i for i, p in enumerate(items) if p.purpose in _FILLER_PURPOSES),
        key=lambda i: -minutes_alone(items[i]),
    )
    for i in fillers:
        p = items[i]
        need = work_s(p) + PAIRED_TRANSITION_S
        fits = [j for j in room if items[j].sets >= p.sets and room[j] >= need]
        if fits:
            j = max(fits, key=lambda k: room[k])
            room[j] -= need
            hosts[i] = items[j].name
    return [
        replace(p, minutes=round(minutes_paired(p), 1), pair_with=hosts[i])
        if i in hosts
        else replace(p, minutes=round(minutes_alone(p), 1), pair_with=None)
        for i, p in enumerate(items)
    ]


def total(items: Sequence[Prescription]) -> float:
    return round(sum(p.minutes for p in items), 1)


def fit(
    items: Sequence[Prescription], needs: dict[str, float], minutes: float, floor: bool = True
) -> tuple[list[Prescription], list[str]]:
    """The items that fit in `minutes`, chosen by need, and the names left out.

    With `floor`, one exercise of each REQUIRED group stays whatever the time; if those
    alone overrun, their sets come down (lowest need first) to one each.
    """
    order = sorted(items, key=lambda p: -needs.get(p.name, 0.0))
    kept: list[Prescription] = []
    if floor:
        for group in REQUIRED:
            first = next((p for p in order if p.purpose in group), None)
            if first is not None:
                kept.append(first)
    dropped = []
    for p in order:
        if p in kept:
            continue
        if total(timed(kept + [p])) <= minutes:
            kept.append(p)
        else:
            dropped.append(p.name)
    place = {p.name: i for i, p in enumerate(items)}
    kept = timed(sorted(kept, key=lambda p: place[p.name]))
    while total(kept) > minutes:
        movable = [p for p in kept if p.sets > 1]
        if not movable:
            break
        low = min(movable, key=lambda p: needs.get(p.name, 0.0))
        kept = timed([replace(p, sets=p.sets - 1) if p is low else p for p in kept])
    place = {p.name: i for i, p in enumerate(items)}
    return timed(sorted(kept, key=lambda p: place[p.name])), dropped


def short_version(
    items: Sequence[Prescription], needs: dict[str, float], minutes: float = SHORT_MINUTES
) -> list[Prescription]:
    """A busy day's session: the highest-need exercises at two sets at most, in `minutes`."""
    capped = [replace(p, sets=min(p.sets, 2)) for p in items]
    kept, _ = fit(capped, needs, minutes, floor=False)
    return kept
