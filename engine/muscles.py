"""Muscle keys: stable identifiers used by the load engine, the recommender and storage."""

from __future__ import annotations

# Leg muscles the load model estimates, in the order the model doc's tables use.
LEG_MUSCLES: tuple[str, ...] = (
    "quadriceps",
    "glute_max",
    "glute_med",
    "hamstrings",
    "calves",
    "tibialis_anterior",
    "hip_flexors",
    "adductors",
)

# Not loaded by the running model, but trained by the recommender.
OTHER_MUSCLES: tuple[str, ...] = ("core", "upper_push", "upper_pull", "arms")

ALL_MUSCLES: tuple[str, ...] = LEG_MUSCLES + OTHER_MUSCLES

LABELS: dict[str, str] = {
    "quadriceps": "Quadriceps",
    "glute_max": "Glute max",
    "glute_med": "Glute med (hip abductors)",
    "hamstrings": "Hamstrings",
    "calves": "Calves",
    "tibialis_anterior": "Shins (tibialis anterior)",
    "hip_flexors": "Hip flexors",
    "adductors": "Adductors",
    "core": "Core",
    "upper_push": "Upper body (push)",
    "upper_pull": "Upper body (pull)",
    "arms": "Arms",
}
