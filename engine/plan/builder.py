"""The session builder: picks exercises from the catalogue and turns an exercise and its dose
into a Prescription with its plain reason, how-to, style, starting load, progression from the
log, and the need that ranks it when time is short.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from engine import catalogue
from engine.catalogue import Exercise
from engine.plan import plain
from engine.plan.context import PlanContext, Prescription, StateLike, muscle_values
from engine.plan.dose import Dose, dose_for, lead_in_dose, progression_level
from engine.plan.fit import NEED
from engine.plan.gates import felt_damage
from engine.plan.loads import heavier_owned_kg, held, load_text, start_load_kg
from engine.plan.profile import Profile
from engine.plan.progress import last_time, next_dose, progress_text
from engine.plan.reasons import days_text
from engine.plan.schedule import Week


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


_STYLE_BY_CATEGORY = {"plyometric": "power", "core": "control", "balance": "control"}


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
    profile: Profile = field(default_factory=Profile)
    lead_in: str = ""  # plain reason of the lead-in, "" when the full dose applies
    items: list[Prescription] = field(default_factory=list)
    needs: dict[str, float] = field(default_factory=dict)
    _progress: dict[str, tuple[str, float | None]] = field(default_factory=dict)

    @property
    def focus(self) -> str:
        return self.ctx.focus

    def dn(self, muscle: str) -> float:
        """Normalised damage of `muscle` on the session day; the runner's check-in overrides."""
        model = muscle_values(self.state, muscle)[2]
        return felt_damage(self.ctx.soreness, self.day, muscle, model)

    def add(
        self,
        exercise: Exercise,
        dose: Dose,
        load: str,
        why: str,
        *,
        progressed: bool = True,
        reason: str | None = None,
        style: str | None = None,
        need: float = 0.0,
    ) -> None:
        sets = dose.sets
        if progressed and self.level:
            why += self._progress_clause()
        if self.taper_days is not None:
            sets = max(1, sets // 2)  # half, rounded down: volume goes, load stays
            why += f" Race in {days_text(self.taper_days)}: half the usual sets."
        progress, load_kg = self._progress.get(exercise.name, ("", None))
        have = catalogue.normalise_equipment(self.ctx.equipment)
        kind = "weights" if load_kg else ""
        if load_kg is None and exercise.dose == "reps" and exercise.category != "plyometric":
            load_kg, kind = start_load_kg(
                exercise,
                dose.amount,
                self.profile.body_mass_kg,
                self.profile.experience,
                have,
            )
            if kind == "backpack" and "backpack" not in load:
                load_kg = None  # a lift the block does not load (moderate, holds)
        words, per_hand = "", False
        if load_kg and kind == "backpack":
            words = f"a {load_kg:g} kg backpack"
        elif load_kg:
            words = load_text(exercise.name, load_kg, have)
            per_hand = held(exercise.name, have) == "pair"
        if style is None:
            style = _STYLE_BY_CATEGORY.get(exercise.category, "strength")
        self.needs[exercise.name] = need or NEED.get(exercise.purpose, 3.0)
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
                reason=reason or plain.for_purpose(exercise.purpose),
                style=style,
                rest_s=dose.rest_s,
                load_kg=load_kg,
                load_words=words,
                load_per_hand=per_hand,
                progress=progress,
                how_to=exercise.how_to_card(),
                drawing=exercise.drawing,
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
        """The dose of `exercise` in `role`: by focus and progression level, or from its own
        last logged sets when the log has them; the lead-in dose when one applies."""
        if exercise.dose == "reps" and role in ("core", "balance", "hold"):
            role = "balance_reps" if role == "balance" else "core_reps"
        dose = dose_for(role, self.focus, self.level)
        logs = self.ctx.logs

        def then(day: date) -> Dose:
            return dose_for(role, self.focus, progression_level(logs, day)[0])

        last = last_time(logs, exercise.name, self.day, then)
        if last is not None:
            weighted = has_weights(exercise, self.ctx.equipment)
            dose, load_kg = next_dose(last, dose, weighted)
            have = catalogue.normalise_equipment(self.ctx.equipment)
            if load_kg and weighted and last.load_kg and load_kg > last.load_kg:
                load_kg = heavier_owned_kg(exercise.name, last.load_kg, load_kg, have)
            if self.lead_in:
                dose = lead_in_dose(dose)

            def words(kg: float) -> str:
                return load_text(exercise.name, kg, have) if weighted else f"{kg:g} kg"

            text = progress_text(last, dose, exercise.dose, load_kg, words)
            self._progress[exercise.name] = (text, load_kg)
            return dose
        return lead_in_dose(dose) if self.lead_in else dose
