"""The exercise catalogue: contents, equipment filtering and swap alternatives."""

import pytest

from engine import catalogue
from engine.muscles import ALL_MUSCLES


def test_catalogue_has_enough_well_formed_exercises():
    exercises = catalogue.exercises()
    assert len(exercises) >= 40
    for e in exercises:
        assert e.category in catalogue.CATEGORIES
        assert e.load_type in catalogue.LOAD_TYPES
        assert e.dose in ("reps", "seconds")
        assert set(e.muscles) <= set(ALL_MUSCLES)
        assert set(e.equipment) <= set(catalogue.EQUIPMENT)
        assert len(e.how_to) > 40


@pytest.mark.parametrize(
    "name",
    [
        # the seed article's examples
        "Back squat",
        "Romanian deadlift",
        "Step-up",
        "Glute bridge",
        "Standing calf raise",
        "Tibialis raise against a wall",
        "Single-leg balance with stride swing",
        # the evidence-based ones of the model doc
        "Nordic hamstring curl",
        "Side-lying hip abduction",
        "Pallof press",
        "Plank",
        "Side plank",
        "Push-up",
        "Inverted row",
        "Split squat",
        "Wall sit",
        "Pogo jumps",
    ],
)
def test_catalogue_covers_the_seed_and_the_evidence(name):
    assert catalogue.get(name).name == name


def test_every_planner_slot_has_a_bodyweight_option():
    for purpose in catalogue.purposes():
        options = catalogue.for_purpose(purpose, ["none"])
        assert options, purpose
        assert all("none" in e.equipment for e in options)


def test_regressions_and_progressions_name_real_exercises():
    for e in catalogue.exercises():
        for other in e.regressions + e.progressions:
            assert catalogue.get(other).name != e.name


def test_alternatives_share_the_purpose_and_fit_the_equipment():
    alts = catalogue.alternatives("Romanian deadlift", ["none"])
    names = [e.name for e in alts]
    assert "Romanian deadlift" not in names
    assert "Single-leg Romanian deadlift" in names and "Glute bridge" in names
    assert "Trap-bar deadlift" not in names  # needs a gym
    assert all(e.purpose == "hip_extension" and "none" in e.equipment for e in alts)

    with_gym = [e.name for e in catalogue.alternatives("romanian deadlift", ["gym"])]
    assert "Trap-bar deadlift" in with_gym and "Hip thrust" in with_gym


def test_gym_implies_dumbbells_and_band_and_bodyweight_is_always_there():
    have = catalogue.normalise_equipment(["gym"])
    assert {"none", "dumbbells", "kettlebell", "band", "gym"} == have
    assert catalogue.get("Pallof press").fits(["gym"])
    assert not catalogue.get("Pallof press").fits(["dumbbells"])
    assert [e.name for e in catalogue.alternatives("Pallof press", [])] == ["Bird dog"]


def test_bad_names_and_equipment_are_refused_clearly():
    with pytest.raises(KeyError, match="Squat jumps"):
        catalogue.get("Squat jumps")
    with pytest.raises(ValueError, match="unknown equipment 'barbell'"):
        catalogue.alternatives("Plank", ["barbell"])


def test_every_exercise_has_a_how_to_card_and_a_drawing_path():
    for e in catalogue.exercises():
        card = e.how_to_card()
        assert 3 <= len(card["steps"]) <= 4, e.name
        assert all(s.strip() and s[0].isupper() for s in card["steps"]), e.name
        assert card["cue"].strip() and card["fault"].strip(), e.name
        assert e.drawing == f"img/exercises/{e.slug}.svg"
        assert e.slug and " " not in e.slug and e.slug == e.slug.lower()
    assert len({e.slug for e in catalogue.exercises()}) == len(catalogue.exercises())


def test_hip_flexor_strength_work_is_in_the_catalogue():
    options = catalogue.for_purpose("hip_flexor", ["none"])
    assert options and all("hip_flexors" in e.primary for e in options)
    with_band = catalogue.for_purpose("hip_flexor", ["band"])
    assert with_band[0].name == "Standing knee drive with a band"


def test_every_exercise_has_its_drawing_served_locally():
    from pathlib import Path
    from xml.etree import ElementTree

    static = Path(__file__).resolve().parents[2] / "static"
    for e in catalogue.exercises():
        path = static / e.drawing
        assert path.is_file(), f"{path} missing: run scripts/make_exercise_drawings.py"
        root = ElementTree.fromstring(path.read_text(encoding="utf-8"))
        ns = "{http://www.w3.org/2000/svg}"
        assert root.get("role") == "img" and root.find(f"{ns}title").text == e.name
        assert "http" not in path.read_text(encoding="utf-8").replace(ns[1:-1], "")
        assert path.stat().st_size < 2000
