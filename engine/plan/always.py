"""The always-on work of every session: shin and hip antagonists, core, upper body and
single-leg balance, each with the runner's numbers in `why`. After a hilly week the upper
pull gets one more set (arms drive the climb); in a lead-in one core exercise is enough.
"""

from __future__ import annotations

from dataclasses import replace

from engine.plan import plain
from engine.plan.builder import SessionBuilder, pick
from engine.plan.dose import emphasised, lead_in_dose
from engine.plan.reasons import ratio, rest_text

# A week is hilly from this much climbing in 7 days, or this many metres per km [A].
HILLY_CLIMB_M = 400.0
HILLY_CLIMB_PER_KM = 15.0


def hilly_climb(b: SessionBuilder) -> float:
    """Metres climbed in the past 7 days when the week was hilly, else 0."""
    climb = sum(r.climb_m for r in b.week.runs_7d)
    km = b.week.km
    hilly = climb >= HILLY_CLIMB_M or (km > 0 and climb / km >= HILLY_CLIMB_PER_KM)
    return climb if hilly else 0.0


def add_always(b: SessionBuilder, calf_high: bool, calf_reason: str) -> None:
    eq, week = b.ctx.equipment, b.week
    c_acute = week.acute.get("calves", 0.0)
    tib_ratio = ratio(c_acute, week.acute.get("tibialis_anterior", 0.0))

    tib = pick("tibialis", eq)
    dose = b.role_dose("tibialis", tib)
    if calf_high:
        dose = lead_in_dose(emphasised(dose)) if b.lead_in else emphasised(dose)
        shins = (
            f"your calves took {tib_ratio:.1f}x the load of your shins this week; "
            if (tib_ratio is not None)
            else ""
        )
        why = f"Extra shin work instead of heavy calf raises: {shins}{calf_reason}."
    elif tib_ratio is not None:
        why = (
            f"Your calves took {tib_ratio:.1f}x the load of your shins in {week.running()}; "
            "tibialis raises train the muscle that lifts and lowers the foot on every stride."
        )
    else:
        why = (
            f"With {week.running()}, tibialis raises keep the shins ready: running loads the "
            "calves many times more than the front of the shin."
        )
    b.add(
        tib,
        dose,
        "bodyweight, slow on the way down; rest 45 s",
        why,
        reason=plain.CALF_HIGH_TIBIALIS if calf_high else None,
        need=6.0 + min((tib_ratio or 0.0) / 5, 2.0) + (1.0 if calf_high else 0.0),
    )

    abd = pick("hip_abduction", eq)
    dose = b.role_dose("hip_abduction", abd)
    if week.steps:
        why = (
            f"Your glute med steadied the pelvis on about {week.steps:,} steps in the past 7 "
            f"days ({week.distance(week.km * 1000)}); side-lying abduction works it near its "
            "maximum (MacAskill 2014)."
        )
    else:
        why = (
            f"With {week.running()}, hip abduction keeps the glute med that steadies the pelvis "
            "on every stride strong (MacAskill 2014)."
        )
    b.add(abd, dose, "bodyweight; add a band or ankle weight when 15 are easy; rest 45 s", why)

    longest = max((r.distance_m for r in week.runs_7d), default=0.0)
    side_share = week.share("glute_med") + week.share("adductors")
    core_why = {
        "core_anti_extension": (
            f"Your longest run in the past 7 days was {week.distance(longest)}: a steady trunk "
            "keeps the stride efficient late in a run."
            if longest
            else "No runs in the past 7 days: a steady trunk keeps the stride efficient when you "
            "are back."
        ),
        "core_anti_rotation": (
            f"Each of your ~{week.steps:,} steps this week twisted the trunk a little; this "
            "trains it to resist the rotation."
            if week.steps
            else "Anti-rotation work for the trunk, which running normally trains with every "
            "stride (no runs in the past 7 days)."
        ),
        "core_lateral": (
            f"Glute med and adductors carried {side_share:.0f} % of your leg load this week; "
            "side planks train the side chain that keeps the hips level."
            if week.loaded
            else "Side planks train the side chain that keeps the hips level on every stride "
            "(no running load in the past 7 days)."
        ),
    }
    core = ("core_anti_extension", "core_anti_rotation", "core_lateral")
    for purpose in core[:1] if b.lead_in else core:
        ex = pick(purpose, eq, ("isometric",))
        dose = b.role_dose("core", ex)
        load = "bodyweight" if "none" in ex.equipment else "a band or cable you can just hold"
        b.add(ex, dose, f"{load}; {rest_text(dose.rest_s)}", core_why[purpose])

    hours = sum(r.moving_time_s for r in week.runs_7d) / 3600
    upper_why = {
        "upper_push": (
            f"{week.running().capitalize()} gave your upper body almost nothing to do (arms do "
            "under 1 % of running work): one push exercise keeps it strong."
            if week.runs_7d
            else "Running gives the upper body almost nothing to do (arms do under 1 % of its "
            "work), and there were no runs in the past 7 days: one push exercise keeps it strong."
        ),
        "upper_pull": (
            f"Pulling offsets {hours:.1f} h of running posture in the past 7 days and powers "
            "the arm swing."
            if hours
            else "Pulling keeps the upper back and arm swing strong; running (none in the past "
            "7 days) trains neither."
        ),
    }
    climb = hilly_climb(b)
    for purpose in ("upper_push", "upper_pull"):
        ex = pick(purpose, eq, ("moderate", "heavy", "bodyweight"))
        dose = b.role_dose("upper", ex)
        load = (
            "bodyweight"
            if ex.load_type == "bodyweight"
            else f"moderate: effort 7-8 out of 10{b.weight_step()}"
        )
        why, reason, need = upper_why[purpose], None, 0.0
        if purpose == "upper_pull" and climb:
            dose = replace(dose, sets=dose.sets + 1)
            why = (
                f"You climbed {week.climb(climb)} in the past 7 days: a strong pull drives the "
                "arm swing that carries you uphill, so one more set. " + why
            )
            reason, need = plain.HILLY_PULL, 7.0
        b.add(ex, dose, f"{load}; {rest_text(dose.rest_s)}", why, reason=reason, need=need)

    bal = pick("balance", eq)
    dose = b.role_dose("balance", bal)
    why = (
        f"Every one of your ~{week.steps:,} steps this week landed on one leg; balancing while "
        "the free leg swings like a stride trains that exact position."
        if week.steps
        else "Running is a series of single-leg landings; balancing while the free leg swings "
        "like a stride trains that position (no runs in the past 7 days)."
    )
    b.add(bal, dose, "bodyweight, each leg; rest 30 s", why)
