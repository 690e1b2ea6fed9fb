"""Starting loads in kilograms from body mass, exercise, reps and experience, so that "heavy"
means a real weight (or a loaded backpack with bodyweight only).

Figures are rules of thumb for a runner's first sets [A]: the fraction of body mass an
averagely trained adult lifts for 10 reps, scaled to other rep counts with Epley's formula
(1RM = w x (1 + reps / 30)) and by experience.

Weights are rounded to what people own or find in a gym: dumbbells and kettlebells in 2 kg
steps up to 10 kg, then 2.5 kg (12.5, 15...); a barbell in 2.5 kg steps from its 20 kg bar.
An exercise done with a dumbbell in each hand is said per hand ("10 kg per hand"); the kg
returned stay the total (both hands), as the runner logs them.
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

# Held as a pair, one dumbbell (or kettlebell) in each hand: the load is said per hand.
PAIR = frozenset(
    {
        "Split squat",
        "Bulgarian split squat",
        "Step-up",
        "Step-up for reps",
        "Walking lunge",
        "Dumbbell bench press",
        "Overhead press",
        "Standing calf raise",
        "Romanian deadlift",
    }
)
# On a barbell (or trap bar): always, or when the runner has a gym.
BARBELL = frozenset({"Back squat", "Trap-bar deadlift", "Bench press"})
BARBELL_IN_GYM = frozenset({"Romanian deadlift", "Hip thrust"})
BAR_KG = 20.0


def held(name: str, equipment: frozenset[str]) -> str:
    """How the exercise's weight is held: "barbell", "pair" (a dumbbell in each hand) or
    "single" (one dumbbell or kettlebell: goblet squat, suitcase carry, one-arm row)."""
    if name in BARBELL or (name in BARBELL_IN_GYM and "gym" in equipment):
        return "barbell"
    return "pair" if name in PAIR else "single"


def dumbbell_kg(kg: float) -> float:
    """The nearest dumbbell or kettlebell people own: 2, 4... 10, then 12.5, 15, 17.5..."""
    if kg <= 11.25:  # half-way between the 10 and the 12.5
        return float(min(10, max(2, 2 * round(kg / 2))))
    return 2.5 * round(kg / 2.5)


def barbell_kg(kg: float) -> float:
    """A loaded barbell: 2.5 kg steps (1.25 kg plates a side), at least the 20 kg bar."""
    return max(BAR_KG, 2.5 * round(kg / 2.5))


def owned_kg(name: str, kg: float, equipment: frozenset[str]) -> float:
    """`kg` (the total load) rounded to weights people have, still the total."""
    way = held(name, equipment)
    if way == "barbell":
        return barbell_kg(kg)
    if way == "pair":
        return 2 * dumbbell_kg(kg / 2)
    return dumbbell_kg(kg)


def _dumbbell_above(kg: float) -> float:
    """The lightest dumbbell or kettlebell people own that is heavier than `kg`."""
    return 2.0 * (int(kg // 2) + 1) if kg < 10 else 2.5 * (int(kg // 2.5) + 1)


def heavier_owned_kg(name: str, last_kg: float, target_kg: float, equipment) -> float:
    """The next load after `last_kg` (total): `target_kg` rounded to weights people have, and
    at least one size up from `last_kg` (a pair of dumbbells: the next pair)."""
    kg = owned_kg(name, target_kg, equipment)
    if kg > last_kg:
        return kg
    way = held(name, equipment)
    if way == "barbell":
        return barbell_kg(last_kg) + 2.5
    if way == "pair":
        return 2 * _dumbbell_above(last_kg / 2)
    return _dumbbell_above(last_kg)


def load_text(name: str, kg: float, equipment: frozenset[str]) -> str:
    """ "10 kg per hand" for a pair of dumbbells (kg is their total), else "40 kg"."""
    if held(name, equipment) == "pair":
        return f"{kg / 2:g} kg per hand"
    return f"{kg:g} kg"


def _takes_weights(exercise: Exercise, equipment: frozenset[str]) -> bool:
    """The runner has weights and the exercise is one Legday loads with them."""
    return (
        any(q in equipment for q in _WEIGHTS)
        and any(q in _WEIGHTS for q in exercise.equipment)
        and exercise.name in _FRACTION_10
    )


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
    if _takes_weights(exercise, equipment):
        kg = _FRACTION_10[exercise.name] * scale
        return owned_kg(exercise.name, kg, equipment), "weights"
    if "none" in exercise.equipment and exercise.load_type == "heavy":
        return _round(BACKPACK_10 * scale), "backpack"
    return None, ""


def swapped_load(
    exercise: Exercise, kg: float | None, equipment: frozenset[str]
) -> tuple[float | None, str, bool]:
    """The load of `exercise` swapped in for one that carried `kg` (the total, both hands):
    (kg in the sizes owned, how to say it, said per hand); (None, "", False) when it takes no
    weights with this equipment (a bodyweight alternative)."""
    if not kg or not _takes_weights(exercise, equipment):
        return None, "", False
    owned = owned_kg(exercise.name, kg, equipment)
    per_hand = held(exercise.name, equipment) == "pair"
    return owned, load_text(exercise.name, owned, equipment), per_hand
