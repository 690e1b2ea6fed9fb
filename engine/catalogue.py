"""The exercise catalogue: what the recommender can prescribe, read from engine/data/exercises.json.

Each exercise has a stable `purpose` (the slot it fills in a session). Exercises that share a
purpose can stand in for each other, which is what "swap" offers: `alternatives(name,
equipment)`. Within a purpose the data file lists exercises in the order the planner prefers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from engine.muscles import ALL_MUSCLES

EQUIPMENT: tuple[str, ...] = ("none", "band", "dumbbells", "kettlebell", "gym")
CATEGORIES: tuple[str, ...] = (
    "legs",
    "antagonist",
    "core",
    "upper_push",
    "upper_pull",
    "balance",
    "plyometric",
)
LOAD_TYPES: tuple[str, ...] = ("heavy", "moderate", "plyometric", "isometric", "bodyweight")
DOSES: tuple[str, ...] = ("reps", "seconds")
# A gym has dumbbells, kettlebells and cables (which do what a band does).
_IMPLIED: dict[str, tuple[str, ...]] = {"gym": ("dumbbells", "kettlebell", "band")}


@dataclass(frozen=True, slots=True)
class Exercise:
    name: str
    purpose: str
    category: str
    primary: tuple[str, ...]
    secondary: tuple[str, ...]
    pattern: str
    equipment: tuple[str, ...]  # options: any one of them is enough
    unilateral: bool
    load_type: str
    dose: str  # "reps" or "seconds"
    how_to: str
    regressions: tuple[str, ...]
    progressions: tuple[str, ...]
    steps: tuple[str, ...] = ()  # 3-4 plain steps
    cue: str = ""  # the one thing to think about
    fault: str = ""  # the most common fault

    @property
    def slug(self) -> str:
        """'single-leg-romanian-deadlift': the name in lower case, words joined by hyphens."""
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")

    @property
    def drawing(self) -> str:
        """The line drawing's path under static/: img/exercises/<slug>.svg."""
        return f"img/exercises/{self.slug}.svg"

    def how_to_card(self) -> dict:
        """{"steps": [3-4 plain steps], "cue": str, "fault": str}: what the plan shows."""
        return {"steps": list(self.steps), "cue": self.cue, "fault": self.fault}

    @property
    def muscles(self) -> tuple[str, ...]:
        return self.primary + self.secondary

    def fits(self, equipment: Iterable[str]) -> bool:
        """True when the runner has at least one of the options this exercise needs."""
        have = normalise_equipment(equipment)
        return any(option in have for option in self.equipment)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "purpose": self.purpose,
            "category": self.category,
            "primary": list(self.primary),
            "secondary": list(self.secondary),
            "pattern": self.pattern,
            "equipment": list(self.equipment),
            "unilateral": self.unilateral,
            "load_type": self.load_type,
            "dose": self.dose,
            "how_to": self.how_to,
            "regressions": list(self.regressions),
            "progressions": list(self.progressions),
            "steps": list(self.steps),
            "cue": self.cue,
            "fault": self.fault,
            "drawing": self.drawing,
        }


def normalise_equipment(equipment: Iterable[str]) -> frozenset[str]:
    """The runner's equipment with what it implies; "none" (bodyweight) is always there."""
    have = {"none"}
    for item in equipment:
        key = item.strip().lower()
        if key not in EQUIPMENT:
            raise ValueError(f"unknown equipment {item!r}: use any of {', '.join(EQUIPMENT)}")
        have.add(key)
        have.update(_IMPLIED.get(key, ()))
    return frozenset(have)


def _exercise(raw: dict) -> Exercise:
    return Exercise(
        name=raw["name"],
        purpose=raw["purpose"],
        category=raw["category"],
        primary=tuple(raw["primary"]),
        secondary=tuple(raw["secondary"]),
        pattern=raw["pattern"],
        equipment=tuple(raw["equipment"]),
        unilateral=bool(raw["unilateral"]),
        load_type=raw["load_type"],
        dose=raw["dose"],
        how_to=raw["how_to"],
        regressions=tuple(raw["regressions"]),
        progressions=tuple(raw["progressions"]),
        steps=tuple(raw.get("steps", ())),
        cue=raw.get("cue", ""),
        fault=raw.get("fault", ""),
    )


def _check(exercises: Sequence[Exercise]) -> None:
    names = [e.name for e in exercises]
    if len(set(names)) != len(names):
        raise ValueError("exercise names in the catalogue must be unique")
    known = set(names)
    for e in exercises:
        problems = []
        if e.category not in CATEGORIES:
            problems.append(f"category {e.category!r}")
        if e.load_type not in LOAD_TYPES:
            problems.append(f"load type {e.load_type!r}")
        if e.dose not in DOSES:
            problems.append(f"dose {e.dose!r}")
        problems += [f"muscle {m!r}" for m in e.muscles if m not in ALL_MUSCLES]
        problems += [f"equipment {q!r}" for q in e.equipment if q not in EQUIPMENT]
        problems += [
            f"unknown regression/progression {n!r}"
            for n in e.regressions + e.progressions
            if n not in known
        ]
        if not e.primary or not e.equipment or not e.how_to.strip():
            problems.append("missing primary muscles, equipment or how-to")
        if not 3 <= len(e.steps) <= 4 or not e.cue.strip() or not e.fault.strip():
            problems.append("the how-to needs 3-4 steps, a cue and a fault")
        if problems:
            raise ValueError(f"catalogue entry {e.name!r}: " + "; ".join(problems))


@cache
def exercises() -> tuple[Exercise, ...]:
    """Every exercise, in the data file's order (checked once, on first use)."""
    text = resources.files("engine").joinpath("data/exercises.json").read_text(encoding="utf-8")
    loaded = tuple(_exercise(raw) for raw in json.loads(text)["exercises"])
    _check(loaded)
    return loaded


@cache
def _by_name() -> dict[str, Exercise]:
    return {e.name.lower(): e for e in exercises()}


def get(name: str) -> Exercise:
    """The exercise called `name` (case-insensitive); KeyError with the name if there is none."""
    try:
        return _by_name()[name.strip().lower()]
    except KeyError:
        raise KeyError(f"no exercise called {name!r} in the catalogue") from None


def find(name: str) -> Exercise | None:
    return _by_name().get(name.strip().lower())


def purposes() -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for e in exercises():
        seen.setdefault(e.purpose, None)
    return tuple(seen)


def for_purpose(purpose: str, equipment: Iterable[str] = ("none",)) -> list[Exercise]:
    """The exercises that fill `purpose` and fit the equipment, most preferred first."""
    have = normalise_equipment(equipment)
    return [e for e in exercises() if e.purpose == purpose and e.fits(have)]


def alternatives(name: str, equipment: Iterable[str] = ("none",)) -> list[Exercise]:
    """Exercises with the same purpose as `name` that fit the equipment (for "swap")."""
    current = get(name)
    return [e for e in for_purpose(current.purpose, equipment) if e.name != current.name]
