"""What the body map (templates/week/_bodymap.html) shows for each muscle of a week.

The eight leg muscles carry the running load of the week view; core, arms and the upper body are
not loaded by running, so they show what this week's strength plan does for them. Each muscle
also lists the exercises of this week's sessions that train it. A plain function of the week
view; the week blueprint registers it as the template global `bodymap_regions`.
"""

from __future__ import annotations

from engine.muscles import ALL_MUSCLES, LABELS, LEG_MUSCLES

SHORT = {
    "quadriceps": "Quads",
    "glute_max": "Glute max",
    "glute_med": "Glute med",
    "hamstrings": "Hamstrings",
    "calves": "Calves",
    "tibialis_anterior": "Shins",
    "hip_flexors": "Hip flexors",
    "adductors": "Adductors",
    "core": "Core",
    "upper_push": "Chest, shoulders",
    "upper_pull": "Back",
    "arms": "Arms",
}


def _dose(ex: dict) -> str:
    amount = f"{ex['seconds']} s" if ex.get("seconds") else f"{ex.get('reps', '')}"
    return f"{ex.get('sets', 1)} × {amount}"


def regions(week) -> dict[str, dict]:
    """Per muscle key (engine.muscles.ALL_MUSCLES order): the body map's numbers and exercises.

    `week` is a webapp WeekView (muscles: list of dicts with key, label, week_load, acute,
    chronic, level 0-4, level_words, damage_level 0-2, damage_words; plan: {"sessions": [...]}).
    Each value: {"key", "label", "short", "is_leg", "level", "level_words", "damage_level",
    "damage_words", "week_load", "acute", "chronic" (Legday load units; None off the legs),
    "exercises": [{"name", "dose", "day", "session"}]}.
    """
    by_key = {m["key"]: m for m in getattr(week, "muscles", None) or []}
    sessions = (getattr(week, "plan", None) or {}).get("sessions", [])
    out: dict[str, dict] = {}
    for key in ALL_MUSCLES:
        m = by_key.get(key, {})
        out[key] = {
            "key": key,
            "label": LABELS.get(key, key),
            "short": SHORT.get(key, LABELS.get(key, key)),
            "is_leg": key in LEG_MUSCLES,
            "level": int(m.get("level", 0)),
            "level_words": m.get("level_words", "none"),
            "damage_level": int(m.get("damage_level", 0)),
            "damage_words": m.get("damage_words", ""),
            "week_load": m.get("week_load") if m else None,
            "acute": m.get("acute") if m else None,
            "chronic": m.get("chronic") if m else None,
            "exercises": [],
        }
    for index, session in enumerate(sessions):
        for ex in session.get("exercises", []):
            for key in ex.get("muscles", []):
                if key in out:
                    out[key]["exercises"].append(
                        {
                            "name": ex["name"],
                            "dose": _dose(ex),
                            "day": session["day"],
                            "session": index,
                        }
                    )
    return out
