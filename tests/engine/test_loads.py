"""Starting weights people own: dumbbells and kettlebells in 2 kg steps to 10 kg, then 2.5 kg;
a barbell in 2.5 kg steps from its bar; a pair of dumbbells said per hand."""

from __future__ import annotations

import dataclasses

import pytest

from engine import catalogue
from engine.plan import recommend
from engine.plan.loads import (
    barbell_kg,
    dumbbell_kg,
    held,
    load_text,
    owned_kg,
    start_load_kg,
)
from tests.engine.test_plan import ctx, exercises

DUMBBELLS = catalogue.normalise_equipment(["dumbbells"])
GYM = catalogue.normalise_equipment(["gym"])
DUMBBELL_SIZES = {2, 4, 6, 8, 10} | {10 + 2.5 * k for k in range(1, 40)}


@pytest.mark.parametrize(
    "kg, size",
    [(0.4, 2), (3.1, 4), (4.9, 4), (9.5, 10), (11.0, 10), (11.5, 12.5), (13.9, 15), (19, 20)],
)
def test_dumbbells_come_in_2_kg_steps_to_10_kg_then_2_5(kg, size):
    assert dumbbell_kg(kg) == size


def test_every_rounded_weight_is_one_people_own():
    for tenth in range(5, 800):
        kg = tenth / 10
        assert dumbbell_kg(kg) in DUMBBELL_SIZES
        assert barbell_kg(kg) >= 20 and barbell_kg(kg) % 2.5 == 0
        assert abs(dumbbell_kg(kg) - kg) <= 1.25 or kg < 2


def test_two_dumbbells_are_said_per_hand_and_one_as_it_is():
    assert held("Dumbbell bench press", DUMBBELLS) == "pair"
    assert held("Goblet squat", DUMBBELLS) == "single"
    assert held("Back squat", GYM) == "barbell"
    assert held("Romanian deadlift", DUMBBELLS) == "pair"
    assert held("Romanian deadlift", GYM) == "barbell"
    # 19 kg both hands together is a pair of 10 kg dumbbells, said per hand.
    assert owned_kg("Dumbbell bench press", 19.0, DUMBBELLS) == 20.0
    assert load_text("Dumbbell bench press", 20.0, DUMBBELLS) == "10 kg per hand"
    assert owned_kg("Bulgarian split squat", 27.0, DUMBBELLS) == 25.0
    assert load_text("Bulgarian split squat", 25.0, DUMBBELLS) == "12.5 kg per hand"
    assert load_text("Goblet squat", 16.0, DUMBBELLS) == "16 kg"
    assert owned_kg("Back squat", 51.0, GYM) == 50.0
    assert owned_kg("Back squat", 9.0, GYM) == 20.0  # the empty bar


@pytest.mark.parametrize("mass", [50.0, 63.0, 71.5, 84.0, 102.0])
@pytest.mark.parametrize("experience", ["new", "some", "regular"])
def test_start_loads_are_weights_people_own(mass, experience):
    for name in ("Dumbbell bench press", "Bulgarian split squat", "Goblet squat", "Back squat"):
        exercise = catalogue.get(name)
        equipment = GYM if name == "Back squat" else DUMBBELLS
        kg, kind = start_load_kg(exercise, 6, mass, experience, equipment)
        assert kind == "weights"
        if held(name, equipment) == "pair":
            assert kg / 2 in DUMBBELL_SIZES, (name, kg)
        elif held(name, equipment) == "single":
            assert kg in DUMBBELL_SIZES, (name, kg)
        else:
            assert kg >= 20 and kg % 2.5 == 0, (name, kg)


def test_the_plan_says_per_hand_for_a_pair_of_dumbbells():
    plain = ctx(equipment=["dumbbells"])
    profile = dataclasses.replace(plain.profile, body_mass_kg=70.0)
    plan = recommend(dataclasses.replace(plain, profile=profile))
    weighted = [e for e in exercises(plan) if e.load_kg]
    assert weighted
    for e in weighted:
        way = held(e.name, DUMBBELLS)
        if way == "pair":
            assert e.load_words == f"{e.load_kg / 2:g} kg per hand", e
            assert e.load_kg / 2 in DUMBBELL_SIZES
            assert "per hand" in e.load or "start near" not in e.load, e.load
        elif "backpack" not in e.load_words:
            assert e.load_words == f"{e.load_kg:g} kg" and "per hand" not in e.load
    assert any("per hand" in e.load_words for e in weighted)
    assert plan.to_dict()["sessions"][0]["exercises"][0].keys() >= {"load_kg", "load_words"}


def test_the_next_load_is_one_owned_size_up_and_said_per_hand():
    from engine.plan.loads import heavier_owned_kg

    gym, bells = frozenset({"gym"}), frozenset({"dumbbells"})
    # 20 kg in two hands (10 each) + 3.5 % rounds back to the same pair: the next pair is 12.5.
    assert heavier_owned_kg("Romanian deadlift", 20.0, 20.7, bells) == 25.0
    assert heavier_owned_kg("One-arm dumbbell row", 8.0, 8.3, bells) == 10.0
    assert heavier_owned_kg("Back squat", 40.0, 41.0, gym) == 42.5
    assert heavier_owned_kg("Goblet squat", 14.0, 16.2, bells) == 15.0
