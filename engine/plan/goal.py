"""Goal-specific work: power for 5 k / 10 k speed (hip-flexor drives, heavy sets of a few
reps, more jumps) and stamina for the long races (single-leg sets of many reps at a steady
tempo), added to a session whose legs can take it.

Why: the running article's "strong for what?": marathon stamina (prolonged strength
application) against sprint power (rapid, forceful contractions); the model puts hip-flexor
load at 2.9x at sprint speed.
"""

from __future__ import annotations

from engine.plan import plain
from engine.plan.builder import SessionBuilder, pick
from engine.plan.reasons import rest_text


def add_goal_work(b: SessionBuilder, block: str) -> None:
    """Hip-flexor power for a speed goal, single-leg stamina for an endurance goal."""
    if block not in ("heavy", "moderate"):
        return
    eq = b.ctx.equipment
    if b.focus == "speed" and not b.lead_in:
        ex = pick("hip_flexor", eq, ("moderate", "bodyweight"))
        dose = b.role_dose("hip_flexor", ex)
        hf = b.week.share("hip_flexors")
        b.add(
            ex,
            dose,
            f"drive the knee up as fast as you can, lower slowly; {rest_text(dose.rest_s)}",
            (
                f"Your hip flexors carried {hf:.0f} % of your leg load this week, and their load "
                "rises to about 2.9x at sprint speed (model doc 2.3): strength here is stride "
                "frequency."
            ),
            style="power",
            need=7.5,
        )
    elif b.focus == "endurance":
        ex = pick("single_leg_endurance", eq, ("moderate", "bodyweight"))
        dose = b.role_dose("stamina", ex)
        longest = max((r.distance_m for r in b.week.runs_7d), default=0.0)
        b.add(
            ex,
            dose,
            f"bodyweight or light weights, 2 s down and 1 s up, each leg; {rest_text(dose.rest_s)}",
            (
                f"{dose.amount} reps a leg at a steady tempo train strength that lasts "
                f"(longest run in the past 7 days: {b.week.distance(longest)})."
            ),
            reason=plain.for_purpose("single_leg_endurance"),
            style="stamina",
            need=7.0,
        )
