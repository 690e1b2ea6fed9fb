"""Session mode: one strength session as a list of sets to tick off, with the rest between them.

A plain function of a planned session (engine Plan.to_dict()'s session, with the runner's
swaps applied); templates/week/session.html draws it and static/js/session.js runs it.
"""

from __future__ import annotations

import re

DEFAULT_REST_S = 90  # when the prescription does not say
REST = re.compile(r"rest (\d+(?:\.\d+)?) ?(s|min)\b")


def rest_seconds(load: str | None) -> int:
    """Seconds of rest between sets from a prescription's text ("...; rest 2 min" -> 120)."""
    found = REST.search(load or "")
    if not found:
        return DEFAULT_REST_S
    value, unit = float(found.group(1)), found.group(2)
    return round(value * 60 if unit == "min" else value)


def steps(session: dict) -> list[dict]:
    """Per exercise: {"name", "sets", "amount" ("8 reps" or "30 s"), "seconds" (a timed hold,
    else None), "load" (the prescription's words), "weight" ("10 kg per hand", or ""),
    "pair_with" (the exercise in whose rests it is done, or None), "how_to" ({"steps",
    "cue"...}), "rest_s", "why"}. Sets are at least 1."""
    out = []
    for ex in session.get("exercises", []):
        seconds = ex.get("seconds")
        out.append(
            {
                "name": ex["name"],
                "sets": max(1, int(ex.get("sets") or 1)),
                "amount": f"{seconds} s" if seconds else f"{ex.get('reps', '')} reps",
                "seconds": int(seconds) if seconds else None,
                "load": ex.get("load") or "",
                "weight": ex.get("load_words") or "",
                "pair_with": ex.get("pair_with"),
                "how_to": ex.get("how_to") or {},
                "rest_s": rest_seconds(ex.get("load")),
                "why": ex.get("why") or "",
            }
        )
    return out
