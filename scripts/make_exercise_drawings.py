"""Write static/img/exercises/<slug>.svg: a plain line drawing for every catalogue exercise.

Each drawing is a stick figure in the exercise's key position (one pose per movement family,
chosen by purpose and name), with a <title> (the name) and <desc> (the cue) for screen
readers. Run after adding exercises: `.venv/bin/python scripts/make_exercise_drawings.py`;
the test suite checks that every exercise has its file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import catalogue  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "static" / "img" / "exercises"

# A pose: head centre, then polylines (lists of x, y points) on a 120 x 90 canvas, floor y=82.
Pose = tuple[tuple[float, float], list[list[tuple[float, float]]]]

# The poses, one per movement family: head centre and polylines, in exercise_poses.json.
POSES: dict[str, Pose] = {
    name: (tuple(p["head"]), [[tuple(pt) for pt in line] for line in p["lines"]])
    for name, p in json.loads((Path(__file__).with_name("exercise_poses.json")).read_text()).items()
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
