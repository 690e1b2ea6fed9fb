"""Selection: the blocks of a session (legs, Nordic, eccentric dose, goal work, the always-on
work) in order, fitted to the runner's time with a short version for a busy day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from engine import catalogue
from engine.catalogue import Exercise
from engine.plan import plain
from engine.plan.always import add_always
from engine.plan.builder import SessionBuilder, has_weights, pick
from engine.plan.context import PlanContext, Prescription, Session
from engine.plan.dose import (
    ECCENTRIC_DOSE,
    LEAD_IN_MINUTES,
    Dose,
    nordic_dose,
    nordic_sessions_done,
    plyometric_dose,
)
from engine.plan.fit import fit, short_version, total
from engine.plan.gates import (
    ISOMETRIC_FROM,
    PROTECTED_FROM,
    calf_emphasis,
    leg_block,
    nordic_allowed,
)
from engine.plan.goal import add_goal_work
from engine.plan.loads import load_text, start_load_kg
from engine.plan.profile import Profile
from engine.plan.reasons import rest_text
from engine.plan.schedule import Week, day_penalty


def add_leg_block(
    b: SessionBuilder, block: str, block_reason: str, calf_high: bool, block_plain: str
) -> None:
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
            reason=block_plain,
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
        have = catalogue.normalise_equipment(eq)
        kg, kind = start_load_kg(
            ex, dose.amount, b.profile.body_mass_kg, b.profile.experience, have
        )
        tempo = ", 3 s down" if stamina else ""
        words = load_text(ex.name, kg, have) if kg and kind == "weights" else ""
        if not heavy:
            start = f" (start near {words})" if words else ""
            return (
                f"moderate: effort 7 out of 10, about 3 more reps left in you when you stop"
                f"{start}{tempo}{b.weight_step()}; "
                f"{rest_text(dose.rest_s)}"
            )
        if has_weights(ex, eq):
            start = f", start near {words}" if words else ""
            return (
                f"a weight you could lift only about {dose.amount + 1} times (80-85 % of your "
                f"one-rep max){start}"
                f"{b.weight_step()}; {rest_text(dose.rest_s)}"
            )
        pack = f" of about {kg:g} kg" if kg else ""
        return (
            f"bodyweight or a loaded backpack{pack} so the last rep is hard; "
            f"{rest_text(dose.rest_s)}"
        )

    stamina = focus == "endurance" and not heavy
    style = "power" if heavy and focus == "speed" else ("stamina" if stamina else "strength")
    lift_plain = {"power": plain.POWER_LIFT, "stamina": plain.STAMINA_LIFT}.get(style)

    hip_share = week.share("glute_max") + week.share("hamstrings")
    damage = f"Hamstring and glute damage is {b.dn('hamstrings'):.2f} and {b.dn('glute_max'):.2f}"
    lifts = [
        ("knee_dominant", block_reason, block_plain),
        (
            "hip_extension",
            f"{damage}; {hip_share:.0f} % of your leg load this week was hip drive, which this "
            "lift builds."
            if week.loaded
            else f"{damage}: a hinge builds the hip drive that pushes you up hills.",
            lift_plain,
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
                None,
            )
        )
    for purpose, why, reason in lifts:
        ex = pick(purpose, eq, prefer)
        if purpose == "calf" and focus == "endurance":
            # Calf stamina for the long races: many slow reps rather than a heavy few.
            dose = b.role_dose("stamina", ex)
            load = f"bodyweight or light weights, 2 s up and 2 s down; {rest_text(dose.rest_s)}"
            b.add(ex, dose, load, why, reason=plain.CALF_STAMINA, style="stamina")
            continue
        dose = b.role_dose("calf_lift" if purpose == "calf" and heavy else role, ex)
        b.add(ex, dose, lift_load(ex, dose), why, reason=reason, style=style)

    if heavy and not b.lead_in:
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
                f"Fresh legs (quad damage {b.dn('quadriceps'):.2f}) and {_article(focus)} {focus} "
                "focus: "
                f"{sets * per_set} of the session's {contacts} contacts ({ex.pattern}) train the "
                "springy stride that saves energy.",
                progressed=False,
                need=7.5 if focus == "speed" else (6.0 if focus == "general" else 4.0),
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
        need=8.5 if b.focus == "speed" else 7.0,  # hamstring sprint work comes first
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


OWED_BONUS = 2.0  # need added to what an earlier session of the week left out [A]


def build_session(
    ctx: PlanContext,
    week: Week,
    day: date,
    nordic_left: bool,
    level: tuple[int, int, int],
    primer: bool = False,
    *,
    profile: Profile | None = None,
    lead_in: str = "",
    owed: frozenset[str] = frozenset(),
) -> Session:
    """One session on `day`, fitted to the profile's minutes (the lead-in's at most).

    `owed`: purposes an earlier session of the week left out for time; they come first here.
    """
    profile = profile or Profile.for_focus(ctx.focus, ctx.equipment)
    state = ctx.states.get(day, ctx.state)
    race = ctx.race_date
    to_race = (race - day).days if race is not None else None
    taper_days = to_race if to_race is not None and 0 <= to_race <= 14 else None
    b = SessionBuilder(
        ctx, week, day, state, *level, taper_days=taper_days, profile=profile, lead_in=lead_in
    )
    block, block_reason, block_plain = leg_block(b)
    calf_high, calf_reason = calf_emphasis(week)
    add_leg_block(b, block, block_reason, calf_high, block_plain)
    if nordic_left:
        allowed, reason = nordic_allowed(b, block)
        if allowed:
            add_nordic(b, reason)
    add_eccentric_dose(b, block)
    add_goal_work(b, block)
    add_always(b, calf_high, calf_reason)
    items = list(in_order(b.items))
    for p in items:
        if p.purpose in owed:
            b.needs[p.name] += OWED_BONUS
    if primer:
        items = [replace(p, sets=1) for p in items]
    minutes = min(profile.minutes, LEAD_IN_MINUTES) if lead_in else profile.minutes
    kept, dropped = fit(items, b.needs, minutes)
    notes = tuple(day_penalty(day, ctx, week)[1])
    if block == "none":
        notes += (block_plain,)
    return Session(
        day=day,
        leg_block=block,
        exercises=tuple(kept),
        notes=notes,
        minutes=total(kept),
        available_minutes=minutes,
        short=tuple(short_version(kept, b.needs)),  # a shorter copy of this session
        dropped=tuple(dropped),
    )


def _article(word: str) -> str:
    """ "an" before a vowel ("an endurance focus"), else "a"."""
    return "an" if word[:1].lower() in "aeiou" else "a"
