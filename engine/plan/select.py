"""Selection: the session builder, picking exercises from the catalogue for each purpose, and
the blocks of a session (legs, Nordic, eccentric dose, the always-on work) in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from engine import catalogue
from engine.catalogue import Exercise
from engine.plan.context import PlanContext, Prescription, Session, StateLike, muscle_values
from engine.plan.dose import (
    ECCENTRIC_DOSE,
    Dose,
    dose_for,
    emphasised,
    nordic_dose,
    nordic_sessions_done,
    plyometric_dose,
)
from engine.plan.gates import (
    ISOMETRIC_FROM,
    PROTECTED_FROM,
    calf_emphasis,
    leg_block,
    nordic_allowed,
)
from engine.plan.reasons import days_text, ratio, rest_text
from engine.plan.schedule import Week, day_penalty

# --- picking exercises ------------------------------------------------------------------------


def pick(purpose: str, equipment: Sequence[str], prefer: Sequence[str] = ()) -> Exercise:
    """The most suitable exercise for `purpose`: preferred load types first, then file order."""
    options = catalogue.for_purpose(purpose, equipment)
    if not options:
        raise ValueError(f"the catalogue has no {purpose} exercise for equipment {equipment}")

    def rank(e: Exercise) -> int:
        return prefer.index(e.load_type) if e.load_type in prefer else len(prefer)

    return min(options, key=lambda e: (rank(e), options.index(e)))


def has_weights(exercise: Exercise, equipment: Sequence[str]) -> bool:
    have = catalogue.normalise_equipment(equipment)
    return any(q in have for q in exercise.equipment if q in ("dumbbells", "kettlebell", "gym"))


# --- the session ------------------------------------------------------------------------------


@dataclass
class SessionBuilder:
    ctx: PlanContext
    week: Week
    day: date
    state: StateLike
    level: int
    done: int
    skipped: int
    taper_days: int | None  # days to the race when within the 14-day taper, else None
    items: list[Prescription] = field(default_factory=list)

    @property
    def focus(self) -> str:
        return self.ctx.focus

    def dn(self, muscle: str) -> float:
        return muscle_values(self.state, muscle)[2]

    def add(
        self,
        exercise: Exercise,
        dose: Dose,
        load: str,
        why: str,
        *,
        progressed: bool = True,
    ) -> None:
        sets = dose.sets
        if progressed and self.level:
            why += self._progress_clause()
        if self.taper_days is not None:
            sets = max(1, sets // 2)  # half, rounded down: volume goes, load stays
            why += f" Race in {days_text(self.taper_days)}: half the usual sets."
        self.items.append(
            Prescription(
                name=exercise.name,
                category=exercise.category,
                muscles=exercise.muscles,
                sets=sets,
                amount=dose.amount,
                dose=exercise.dose,
                load=load,
                why=why,
                purpose=exercise.purpose,
            )
        )

    def weight_step(self) -> str:
        """How the weight moves from last time, for lifts with weights."""
        if self.level > 0:
            return ", 2.5-5 % more than last time"
        if self.level < 0:
            return ", about 10 % lighter than last time"
        return ""

    def _progress_clause(self) -> str:
        if self.level > 0:
            return f" Up a step: you logged {self.done} recent session(s) as done."
        return f" Eased back: {self.skipped} recent session(s) skipped."

    def role_dose(self, role: str, exercise: Exercise) -> Dose:
        if exercise.dose == "reps" and role in ("core", "balance", "hold"):
            role = "balance_reps" if role == "balance" else "core_reps"
        return dose_for(role, self.focus, self.level)


def add_leg_block(b: SessionBuilder, block: str, block_reason: str, calf_high: bool) -> None:
    eq, focus = b.ctx.equipment, b.focus
    week = b.week
    if block == "none":
        return
    if block == "isometric":
        knee = pick("knee_isometric", eq)
        b.add(
            knee,
            b.role_dose("hold", knee),
            "bodyweight, about 70 % effort; rest 1 min",
            block_reason,
            progressed=False,
        )
        if b.dn("calves") < ISOMETRIC_FROM:
            calf = pick("calf_isometric", eq)
            b.add(
                calf,
                b.role_dose("hold", calf),
                "bodyweight; rest 1 min",
                f"Calf damage is {b.dn('calves'):.2f}: a hold keeps calves and Achilles loaded "
                "without adding soreness.",
                progressed=False,
            )
        return

    heavy = block == "heavy"
    role = "heavy_lift" if heavy else "moderate_lift"
    prefer = ("heavy", "moderate") if heavy else ("moderate", "bodyweight", "heavy")

    def lift_load(ex: Exercise, dose: Dose) -> str:
        if not heavy:
            return f"moderate: RPE 7, 3 reps in reserve{b.weight_step()}; {rest_text(dose.rest_s)}"
        if has_weights(ex, eq):
            return (
                f"heavy: about 80-85 % of 1RM ({dose.amount + 1}-rep max){b.weight_step()}; "
                f"{rest_text(dose.rest_s)}"
            )
        return f"bodyweight or a loaded backpack so the last rep is hard; {rest_text(dose.rest_s)}"

    hip_share = week.share("glute_max") + week.share("hamstrings")
    damage = f"Hamstring and glute damage is {b.dn('hamstrings'):.2f} and {b.dn('glute_max'):.2f}"
    lifts = [
        ("knee_dominant", block_reason),
        (
            "hip_extension",
            f"{damage}; {hip_share:.0f} % of your leg load this week was hip drive, which this "
            "lift builds."
            if week.loaded
            else f"{damage}: a hinge builds the hip drive that pushes you up hills.",
        ),
    ]
    if not calf_high:
        lifts.append(
            (
                "calf",
                f"Your calves carried {week.share('calves'):.0f} % of your leg load in "
                f"{week.running()}: strong calves and Achilles take it better."
                if week.loaded
                else "Calves do more of the work than any other leg muscle when you run: "
                "strong calves and Achilles take it better.",
            )
        )
    for purpose, why in lifts:
        ex = pick(purpose, eq, prefer)
        dose = b.role_dose(role, ex)
        b.add(ex, dose, lift_load(ex, dose), why)

    if heavy:
        n_ex, dose = plyometric_dose(focus)
        sets, per_set = dose.sets, dose.amount
        options = catalogue.for_purpose("plyometric", eq)
        chosen = options[:n_ex]
        contacts = sum(sets * per_set for _ in chosen)
        for ex in chosen:
            b.add(
                ex,
                dose,
                "bodyweight, quick light contacts; rest 90 s",
                f"Fresh legs (quad damage {b.dn('quadriceps'):.2f}) and a {focus} focus: "
                f"{sets * per_set} of the session's {contacts} contacts ({ex.pattern}) train the "
                "springy stride that saves energy.",
                progressed=False,
            )


def add_nordic(b: SessionBuilder, reason: str) -> None:
    done_before = nordic_sessions_done(b.ctx.logs, b.day)
    dose, step_no = nordic_dose(done_before)
    ex = pick("hamstring_eccentric", b.ctx.equipment)
    step = f"; step {step_no} of the build-up."
    b.add(
        ex,
        dose,
        "bodyweight, lower as slowly as you can; rest 2 min",
        reason + step,
        progressed=False,
    )


def add_eccentric_dose(b: SessionBuilder, block: str) -> None:
    """Hilly race 1-6 weeks away and little recent downhill: slow step-downs (Bontemps 2020)."""
    race = b.ctx.race_date
    if not b.ctx.race_hilly or race is None or block != "heavy":
        return
    weeks = (race - b.day).days / 7
    quads = b.state.muscles.get("quadriceps") if b.state is not None else None
    protection = float(getattr(quads, "protection", 0.0) or 0.0)
    if not 1 <= weeks <= 6 or protection >= PROTECTED_FROM:
        return
    ex = pick("quad_eccentric", b.ctx.equipment)
    b.add(
        ex,
        ECCENTRIC_DOSE,
        "bodyweight, 3 s down each rep; rest 1 min",
        f"Your hilly race is {weeks:.0f} weeks away and your quads have little recent downhill "
        f"(protection {protection:.2f}): a small eccentric dose now softens race-day damage "
        "(repeated-bout effect).",
        progressed=False,
    )


def add_always(b: SessionBuilder, calf_high: bool, calf_reason: str) -> None:
    eq, week = b.ctx.equipment, b.week
    c_acute = week.acute.get("calves", 0.0)
    tib_ratio = ratio(c_acute, week.acute.get("tibialis_anterior", 0.0))

    tib = pick("tibialis", eq)
    dose = b.role_dose("tibialis", tib)
    if calf_high:
        dose = emphasised(dose)
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
    b.add(tib, dose, "bodyweight, slow on the way down; rest 45 s", why)

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
    for purpose in ("core_anti_extension", "core_anti_rotation", "core_lateral"):
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
    for purpose in ("upper_push", "upper_pull"):
        ex = pick(purpose, eq, ("moderate", "heavy", "bodyweight"))
        dose = b.role_dose("upper", ex)
        load = (
            "bodyweight" if ex.load_type == "bodyweight" else f"moderate: RPE 7-8{b.weight_step()}"
        )
        b.add(ex, dose, f"{load}; {rest_text(dose.rest_s)}", upper_why[purpose])

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


def in_order(items: Sequence[Prescription]) -> tuple[Prescription, ...]:
    """Explosive first, then heavy legs, Nordic, antagonists, upper body, core, balance."""
    rank = {
        "plyometric": 0,
        "legs": 1,
        "antagonist": 2,
        "upper_push": 3,
        "upper_pull": 4,
        "core": 5,
        "balance": 6,
    }
    return tuple(sorted(items, key=lambda p: rank[p.category]))


def build_session(
    ctx: PlanContext,
    week: Week,
    day: date,
    nordic_left: bool,
    level: tuple[int, int, int],
    primer: bool = False,
) -> Session:
    state = ctx.states.get(day, ctx.state)
    race = ctx.race_date
    to_race = (race - day).days if race is not None else None
    taper_days = to_race if to_race is not None and 0 <= to_race <= 14 else None
    b = SessionBuilder(ctx, week, day, state, *level, taper_days=taper_days)
    block, block_reason = leg_block(b)
    calf_high, calf_reason = calf_emphasis(week)
    add_leg_block(b, block, block_reason, calf_high)
    if nordic_left:
        allowed, reason = nordic_allowed(b, block)
        if allowed:
            add_nordic(b, reason)
    add_eccentric_dose(b, block)
    add_always(b, calf_high, calf_reason)
    items = list(b.items)
    if primer:
        items = [replace(p, sets=1) for p in items]
    notes = tuple(day_penalty(day, ctx, week)[1])
    if block == "none":
        notes += (block_reason,)
    return Session(day=day, leg_block=block, exercises=in_order(items), notes=notes)
