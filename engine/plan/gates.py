"""Gating: which leg block a session day allows (damage, race, long run, descent), whether calf
load is high, and whether a Nordic curl may be added.

Thresholds marked [A] are assumptions, as in the model doc (section 2.5).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from engine.muscles import LEG_MUSCLES
from engine.plan import plain
from engine.plan.context import LEG_BLOCKS, PlanContext, Soreness
from engine.plan.dose import nordic_sessions_done
from engine.plan.reasons import days_text, ratio, weekday_name
from engine.plan.schedule import Week

if TYPE_CHECKING:
    from engine.plan.select import SessionBuilder


# Leg-block gates on normalised damage (Dn = 1.0: the peak after the reference descent) [A].
HEAVY_BELOW = 0.3
ISOMETRIC_FROM = 0.6
NO_LEGS_FROM = 1.5  # very sore: no leg block at all [A]
# Repeated-bout protection (engine's MuscleState.protection; 1.0 ~ one reference descent
# recently) below which a hilly race calls for a controlled eccentric dose [A].
PROTECTED_FROM = 0.5
NORDIC_BELOW = 0.3
# A "long descent" is one of 300 m of elevation loss or more [A].
LONG_DESCENT_M = 300.0
# Calf load is "high" when its chronic load is this many times the quadriceps' (much uphill
# running; flat running gives about 1.3) or this far above its own chronic level [A].
CALF_QUAD_HIGH = 1.6
CALF_SPIKE = 1.3


# What a check-in means for the legs' normalised damage, by days since it [A]: "fresh" allows
# heavy legs, "a bit sore" moderate, "very sore" holds then moderate.
_FELT: dict[str, tuple[float, ...]] = {
    "fresh": (0.1, 0.1),
    "a_bit_sore": (0.45, 0.45, 0.2),
    "very_sore": (0.9, 0.9, 0.45),
}


def felt_damage(soreness: Soreness | None, day: date, muscle: str, model: float) -> float:
    """The leg damage the plan uses on `day`: the check-in's while it lasts, else the model's."""
    if soreness is None or muscle not in LEG_MUSCLES:
        return model
    since = (day - soreness.day).days
    levels = _FELT[soreness.level]
    return levels[since] if 0 <= since < len(levels) else model


# Days after a race with no heavy legs and no jumps, by race distance (m) [A]: holds only for
# the first 40 % of them (at least 3 days).
_RECOVERY_DAYS: tuple[tuple[float, int], ...] = (
    (11_000, 4),
    (22_000, 6),
    (43_000, 10),
    (float("inf"), 14),
)


def race_distance(ctx: PlanContext) -> float | None:
    """The distance (m) of the runner's race (`ctx.race_date`): as given, else the longest run
    on race day, else None."""
    if ctx.race_distance_m:
        return float(ctx.race_distance_m)
    on_day = [r.distance_m for r in ctx.recent if r.day == ctx.race_date]
    return max(on_day) if on_day else None


def recovery_days(distance_m: float | None) -> int:
    """Days without heavy legs or jumps after a race of `distance_m` (3 when unknown)."""
    if distance_m is None:
        return 3
    return next(days for limit, days in _RECOVERY_DAYS if distance_m <= limit)


def leg_block(b: SessionBuilder) -> tuple[str, str, str]:
    """The leg block for the session day, the reason with its numbers, and the plain one."""
    block, why = _leg_block(b)
    return block, why, _plain_block(b, block, why)


def _plain_block(b: SessionBuilder, block: str, why: str) -> str:
    felt = b.ctx.soreness
    if felt is not None and felt_damage(felt, b.day, "quadriceps", -1.0) >= 0:
        return f"{plain.FELT[felt.level]}: {plain.BLOCK[block][0].lower()}{plain.BLOCK[block][1:]}"
    if "race was" in why:
        return plain.AFTER_RACE
    if " run was " in why and "ago: " in why:
        return plain.AFTER_LONG_EFFORT
    if why.startswith("Race in"):
        return plain.BEFORE_RACE
    if "long run is on" in why:
        return plain.BEFORE_LONG_RUN
    if "descent on" in why:
        return plain.AFTER_DESCENT
    if b.lead_in and block == "moderate":
        return plain.LEAD_IN
    return plain.BLOCK[block]


def _effort_name(ctx: PlanContext, week: Week, d: date | None) -> str:
    """"race" for a race (given, marked or detected), else "<distance> run" (a long effort)."""
    if d is None or d == ctx.race_date:
        return "race"
    if any(r.day == d and (r.is_race or r.run_type == "race") for r in ctx.recent):
        return "race"
    return f"{week.distance(week.race_days.get(d, 0.0))} run"


def _leg_block(b: SessionBuilder) -> tuple[str, str]:
    ctx, week, day = b.ctx, b.week, b.day
    q, g = b.dn("quadriceps"), b.dn("glute_max")
    if q >= ISOMETRIC_FROM:
        loss_day = recent_descent(week, day)
        if loss_day is not None:
            d, loss = loss_day
            cause = f"from {weekday_name(d)}'s {week.climb(loss)} descent (damage {q:.2f})"
        else:
            cause = f"(damage {q:.2f}, where 1.0 is the peak after a hard 30-min descent)"
        if q >= NO_LEGS_FROM:
            block = "none"
            reason = f"Your quads are still very sore {cause}: no leg work this session."
        else:
            block = "isometric"
            reason = (
                f"Your quads are still recovering {cause}: holds only, no heavy lifting or jumps."
            )
    elif q >= HEAVY_BELOW or g >= HEAVY_BELOW:
        block = "moderate"
        reason = (
            f"Your quads and glutes are part-way recovered (damage {q:.2f} and {g:.2f}): "
            "moderate weight, effort 7 out of 10 at most, no jumps."
        )
    else:
        block = "heavy"
        reason = (
            f"Your quads and glutes carry little damage ({q:.2f} and {g:.2f}), so this session "
            "can be heavy: heavy lifting improves running economy (Blagrove 2018)."
        )

    race = ctx.race_date
    efforts = dict(week.race_days)
    if race is not None and race < day:
        efforts[race] = max(efforts.get(race, 0.0), race_distance(ctx) or 0.0)
    last_race = max((d for d in efforts if d < day), default=None)
    if race is not None or last_race is not None:
        to_race = (race - day).days if race is not None else -1
        since_race = (day - last_race).days if last_race is not None else 0
        if 0 <= to_race <= 3 and block != "none":
            block, reason = (
                "none",
                f"Race in {days_text(to_race)}: no leg work, keep the legs fresh.",
            )
        elif 0 <= to_race < 7 and block == "heavy":
            block = "moderate"
            reason = (
                f"Race in {days_text(to_race)}: the last heavy leg session is 7-10 days out, "
                "so moderate weight only."
            )
        else:
            window = recovery_days(efforts.get(last_race) or None) if last_race else 3
            what = _effort_name(ctx, week, last_race)
            holds = max(3, round(0.4 * window))
            if 0 < since_race <= holds and LEG_BLOCKS.index(block) < LEG_BLOCKS.index("isometric"):
                block = "isometric"
                reason = (
                    f"Your {what} was {days_text(since_race)} ago: holds only while the legs "
                    f"recover (no heavy legs or jumps for {days_text(window)} after it)."
                )
            elif holds < since_race <= window and block == "heavy":
                block = "moderate"
                reason = (
                    f"Your {what} was {days_text(since_race)} ago: no heavy legs or jumps for "
                    f"{days_text(window)} after a {what}, so moderate weight."
                )
    if block == "heavy" and b.lead_in:
        block = "moderate"
        reason = "Lead-in: moderate weight, no jumps, until a base is built."

    if block == "heavy":
        soon = sorted(
            d
            for d in (day + timedelta(days=1), day + timedelta(days=2))
            if d in week.long_days or d == race
        )
        descent = recent_descent(week, day, within=1, at_least=LONG_DESCENT_M)
        if soon:
            what = "race" if soon[0] == race else "long run"
            block = "moderate"
            reason = (
                f"Your {what} is on {weekday_name(soon[0])}: no heavy legs within 48 h before it "
                "(heavy lifting raises the cost of running for up to 48 h), so moderate weight."
            )
        elif descent is not None:
            d, loss = descent
            block = "moderate"
            reason = (
                f"You ran a {week.climb(loss)} descent on {weekday_name(d)}: no heavy legs right "
                "after it, so moderate weight."
            )
    return block, reason


def recent_descent(
    week: Week, day: date, within: int = 4, at_least: float = 150.0
) -> tuple[date, float] | None:
    """The biggest descent of `at_least` metres in the `within` days up to and including `day`."""
    found = [
        (loss, d)
        for d, loss in week.descents.items()
        if 0 <= (day - d).days <= within and loss >= at_least
    ]
    if not found:
        return None
    loss, d = max(found)
    return d, loss


def calf_emphasis(week: Week) -> tuple[bool, str]:
    """Whether calf load is high (drop heavy calf raises, more tibialis) and the reason."""
    c_acute, c_chronic = week.acute.get("calves", 0.0), week.chronic.get("calves", 0.0)
    vs_quads = ratio(c_chronic, week.chronic.get("quadriceps", 0.0))
    spike = ratio(c_acute, c_chronic)
    if vs_quads is not None and vs_quads >= CALF_QUAD_HIGH:
        return True, (
            f"over six weeks your calves took {vs_quads:.1f}x the load of your quads "
            "(much uphill running)"
        )
    # A spike means something only once there is a chronic level to compare with.
    if spike is not None and spike >= CALF_SPIKE and week.history_days >= 28:
        return True, f"your calves' load this week is {spike:.1f}x their usual level"
    return False, ""


def fast_day(week: Week, d: date) -> bool:
    """A fast run on `d` (RunSummary.is_fast); days without a structured run: a hard day."""
    runs = [r for r in week.runs_7d if r.day == d]
    if any(r.is_fast for r in runs):
        return True
    return d in week.hard_days and not (runs and all(r.run_type for r in runs))


def nordic_allowed(b: SessionBuilder, block: str) -> tuple[bool, str]:
    ctx, week, day = b.ctx, b.week, b.day
    h = b.dn("hamstrings")
    if block not in ("heavy", "moderate") or h >= NORDIC_BELOW or b.lead_in:
        return False, ""
    fast = sorted(
        d
        for d in (day + timedelta(days=k) for k in range(-1, 3))
        if d == ctx.race_date or fast_day(week, d)
    )
    if fast:
        return False, ""
    if ctx.race_date is not None and 0 <= (ctx.race_date - day).days <= 10:
        # No new exercises in the final 10 days before a race.
        if nordic_sessions_done(ctx.logs, day) == 0:
            return False, ""
    return True, (
        f"Hamstring damage is {h:.2f} and no fast run within 48 h: Nordic curls about halve "
        "hamstring injuries (van Dyk 2019)"
    )
