"""Starting loads in kilograms from body mass, exercise, reps and experience, so that "heavy"
means a real weight (or a loaded backpack with bodyweight only).

Figures are rules of thumb for a runner's first sets [A]: the fraction of body mass an
averagely trained adult lifts for 10 reps, scaled to other rep counts with Epley's formula
(1RM = w x (1 + reps / 30)) and by experience.
"""

from __future__ import annotations

from engine.catalogue import Exercise

# Total external load for 10 reps, as a fraction of body mass (both hands together) [A].
_FRACTION_10: dict[str, float] = {
    "Goblet squat": 0.25,
    "Split squat": 0.3,
    "Bulgarian split squat": 0.25,
    "Back squat": 0.7,
    "Step-up": 0.2,
    "Walking lunge": 0.15,
    "Step-up for reps": 0.1,
    "Romanian deadlift": 0.5,
    "Single-leg Romanian deadlift": 0.25,
    "Trap-bar deadlift": 0.9,
    "Hip thrust": 0.6,
    "Single-leg calf raise": 0.2,
    "Standing calf raise": 0.4,
    "Seated calf raise": 0.4,
    "Dumbbell bench press": 0.3,
    "Overhead press": 0.2,
    "Bench press": 0.5,
    "One-arm dumbbell row": 0.2,
    "Suitcase carry": 0.3,
}
# A loaded backpack for bodyweight-only heavy sets, same scale [A].
BACKPACK_10 = 0.12
_EXPERIENCE: dict[str, float] = {"new": 0.6, "some": 1.0, "regular": 1.25}
_WEIGHTS = ("dumbbells", "kettlebell", "gym")


def rep_factor(reps: int) -> float:
    """How much more than the 10-rep load one lifts for `reps` (Epley)."""
    return (1 + 10 / 30) / (1 + max(reps, 1) / 30)


def _round(kg: float) -> float:
    return round(kg) if kg < 20 else 2 * round(kg / 2)


def start_load_kg(
    exercise: Exercise,
    reps: int,
    body_mass_kg: float | None,
    experience: str,
    equipment: frozenset[str],
) -> tuple[float | None, str]:
    """(kg, "weights" | "backpack" | "") for a first set of `reps`; (None, "") when body mass
    is unknown or the exercise takes no external load with this equipment."""
    if body_mass_kg is None or reps <= 0:
        return None, ""
    scale = rep_factor(reps) * _EXPERIENCE.get(experience, 1.0) * body_mass_kg
    weighted = any(q in equipment for q in _WEIGHTS) and any(
        q in _WEIGHTS for q in exercise.equipment
    )
    if weighted and exercise.name in _FRACTION_10:
        return _round(_FRACTION_10[exercise.name] * scale), "weights"
    if "none" in exercise.equipment and exercise.load_type == "heavy":
        return _round(BACKPACK_10 * scale), "backpack"
    return None, ""
