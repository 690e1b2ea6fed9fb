"""Write static/img/exercises/<slug>.svg: a plain line drawing for every catalogue exercise.

Each drawing is a stick figure in the exercise's key position (one pose per movement family,
chosen by purpose and name), with a <title> (the name) and <desc> (the cue) for screen
readers. Run after adding exercises: `.venv/bin/python scripts/make_exercise_drawings.py`;
the test suite checks that every exercise has its file.
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import catalogue  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "static" / "img" / "exercises"

# A pose: head centre, then polylines (lists of x, y points) on a 120 x 90 canvas, floor y=82.
Pose = tuple[tuple[float, float], list[list[tuple[float, float]]]]

POSES: dict[str, Pose] = {
    "stand": (
        (60, 14),
        [
            [(60, 20), (60, 50)],
            [(60, 50), (54, 82)],
            [(60, 50), (66, 82)],
            [(60, 28), (50, 46)],
            [(60, 28), (70, 46)],
        ],
    ),
    "squat": (
        (56, 26),
        [
            [(58, 32), (62, 56)],
            [(62, 56), (78, 58), (74, 82)],
            [(62, 56), (50, 60), (50, 82)],
            [(58, 38), (80, 42)],
        ],
    ),
    "split": (
        (60, 18),
        [
            [(60, 24), (60, 52)],
            [(60, 52), (78, 60), (78, 82)],
            [(60, 52), (46, 70), (30, 80)],
            [(60, 32), (60, 48)],
        ],
    ),
    "hinge": (
        (30, 34),
        [[(36, 36), (66, 44)], [(66, 44), (68, 82)], [(66, 44), (98, 40)], [(42, 38), (44, 62)]],
    ),
    "bridge": (
        (16, 76),
        [[(22, 76), (56, 62)], [(56, 62), (76, 60), (82, 82)], [(22, 78), (44, 80)]],
    ),
    "calf": (
        (60, 10),
        [
            [(60, 16), (60, 46)],
            [(60, 46), (60, 76)],
            [(60, 76), (66, 82)],
            [(60, 26), (76, 34)],
            [(84, 20), (84, 82)],
        ],
    ),
    "wall": (
        (30, 30),
        [
            [(30, 36), (30, 60)],
            [(30, 60), (56, 60), (56, 82)],
            [(30, 42), (46, 50)],
            [(24, 10), (24, 82)],
        ],
    ),
    "side_lying": (
        (14, 70),
        [[(20, 72), (60, 74)], [(60, 74), (100, 56)], [(60, 74), (98, 80)], [(22, 74), (30, 82)]],
    ),
    "plank": (
        (20, 52),
        [[(26, 54), (96, 74)], [(96, 74), (100, 82)], [(30, 56), (30, 82)], [(30, 82), (40, 82)]],
    ),
    "side_plank": ((24, 36), [[(28, 42), (98, 78)], [(32, 46), (32, 82)], [(32, 44), (40, 20)]]),
    "floor_back": (
        (14, 74),
        [
            [(20, 76), (60, 76)],
            [(60, 76), (70, 56), (86, 58)],
            [(28, 76), (34, 50)],
            [(60, 76), (100, 72)],
        ],
    ),
    "all_fours": (
        (20, 40),
        [
            [(26, 44), (70, 46)],
            [(30, 46), (30, 82)],
            [(70, 46), (72, 82)],
            [(72, 82), (86, 82)],
            [(26, 44), (6, 40)],
            [(70, 46), (106, 44)],
        ],
    ),
    "push": ((20, 56), [[(26, 58), (100, 76)], [(32, 62), (28, 82)], [(100, 76), (104, 82)]]),
    "row": (
        (34, 36),
        [
            [(40, 38), (80, 46)],
            [(80, 46), (78, 82)],
            [(80, 46), (92, 82)],
            [(46, 40), (52, 56), (62, 50)],
            [(40, 40), (34, 60)],
        ],
    ),
    "pull_up": (
        (60, 22),
        [
            [(60, 28), (60, 58)],
            [(60, 58), (56, 84)],
            [(60, 58), (64, 84)],
            [(60, 32), (44, 22), (44, 6)],
            [(60, 32), (76, 22), (76, 6)],
            [(30, 6), (90, 6)],
        ],
    ),
    "balance": (
        (60, 12),
        [
            [(60, 18), (60, 48)],
            [(60, 48), (60, 82)],
            [(60, 48), (78, 56), (84, 70)],
            [(60, 26), (44, 38)],
            [(60, 26), (74, 18)],
        ],
    ),
    "jump": (
        (60, 8),
        [
            [(60, 14), (60, 42)],
            [(60, 42), (52, 56), (56, 68)],
            [(60, 42), (70, 54), (68, 68)],
            [(60, 22), (44, 10)],
            [(60, 22), (76, 10)],
            [(30, 82), (90, 82)],
        ],
    ),
    "knee_drive": (
        (60, 10),
        [
            [(60, 16), (60, 46)],
            [(60, 46), (60, 82)],
            [(60, 46), (80, 46), (80, 66)],
            [(60, 24), (48, 40)],
            [(60, 24), (74, 30)],
        ],
    ),
    "nordic": (
        (70, 34),
        [[(66, 38), (44, 66)], [(44, 66), (20, 70)], [(20, 70), (10, 62)], [(64, 42), (82, 56)]],
    ),
    "hang_knees": (
        (60, 22),
        [
            [(60, 28), (60, 54)],
            [(60, 54), (78, 54), (78, 74)],
            [(60, 32), (50, 6)],
            [(60, 32), (70, 6)],
            [(30, 6), (90, 6)],
        ],
    ),
    "carry": (
        (60, 12),
        [
            [(60, 18), (60, 48)],
            [(60, 48), (54, 82)],
            [(60, 48), (66, 82)],
            [(60, 26), (72, 48)],
            [(60, 26), (48, 44)],
            [(68, 48), (76, 58)],
        ],
    ),
    "overhead": (
        (60, 20),
        [
            [(60, 26), (60, 54)],
            [(60, 54), (54, 82)],
            [(60, 54), (66, 82)],
            [(60, 30), (48, 8)],
            [(60, 30), (72, 8)],
        ],
    ),
}

BY_PURPOSE: dict[str, str] = {
    "knee_dominant": "squat",
    "single_leg_endurance": "split",
    "hip_extension": "hinge",
    "calf": "calf",
    "calf_isometric": "calf",
    "knee_isometric": "wall",
    "quad_eccentric": "split",
    "tibialis": "wall",
    "hip_abduction": "side_lying",
    "hamstring_eccentric": "nordic",
    "core_anti_extension": "plank",
    "core_anti_rotation": "stand",
    "core_lateral": "side_plank",
    "upper_push": "push",
    "upper_pull": "row",
    "balance": "balance",
    "plyometric": "jump",
    "hip_flexor": "knee_drive",
}
BY_NAME: dict[str, str] = {
    "Bulgarian split squat": "split",
    "Split squat": "split",
    "Step-up": "split",
    "Split-squat hold": "split",
    "Hip thrust": "bridge",
    "Glute bridge": "bridge",
    "Single-leg glute bridge": "bridge",
    "Sliding leg curl": "bridge",
    "Lying psoas march": "bridge",
    "Dead bug": "floor_back",
    "Bird dog": "all_fours",
    "Banded dorsiflexion": "floor_back",
    "Heel walk": "stand",
    "Banded lateral walk": "squat",
    "Cable hip abduction": "balance",
    "Hip hike": "calf",
    "Clamshell": "side_lying",
    "Suitcase carry": "carry",
    "Overhead press": "overhead",
    "Pull-up": "pull_up",
    "Lat pulldown": "pull_up",
    "Band pull-apart": "stand",
    "Inverted row": "push",
    "Hanging knee raise": "hang_knees",
    "Kettlebell swing": "hinge",
    "Single-leg hop and stick": "balance",
    "Dumbbell bench press": "floor_back",
    "Bench press": "floor_back",
    "Band chest press": "stand",
    "Seated calf raise": "wall",
    "Tib-bar raise": "wall",
    "Tibialis raise against a wall": "calf",
}


def svg(exercise: catalogue.Exercise) -> str:
    pose = BY_NAME.get(exercise.name) or BY_PURPOSE.get(exercise.purpose, "stand")
    (hx, hy), lines = POSES[pose]
    paths = "".join(
        f'<polyline points="{" ".join(f"{x:g},{y:g}" for x, y in line)}"/>' for line in lines
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 90" width="120" height="90" '
        f'role="img" aria-labelledby="t d"><title id="t">{escape(exercise.name)}</title>'
        f'<desc id="d">{escape(exercise.cue)}</desc>'
        '<g fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" '
        f'stroke-linejoin="round"><line x1="2" y1="84" x2="118" y2="84" stroke-width="1"/>'
        f'<circle cx="{hx:g}" cy="{hy:g}" r="6"/>{paths}</g></svg>\n'
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for exercise in catalogue.exercises():
        (OUT / f"{exercise.slug}.svg").write_text(svg(exercise), encoding="utf-8")
    print(f"wrote {len(catalogue.exercises())} drawings to {OUT}")


if __name__ == "__main__":
    main()
