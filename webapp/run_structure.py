"""The run's structure as the activity page's strip: engine.structure's segments as SVG boxes.

In: a stored stimulus dict (Stimulus.to_dict(), whose "structure" is Structure.to_dict()).
Out: `structure_strip` -> None (nothing to show) or {"run_type": label, "hard_day": bool,
"reps": int, "boxes": [{"kind", "x", "width", "title"}] (x and width in % of the moving time,
for SVG attributes: the page's CSP allows no inline styles), "legend": [{"kind", "label",
"seconds", "count"}] (kinds present, in the strip's order of first appearance)}.
"""

from __future__ import annotations

KIND_LABELS = {
    "warm-up": "Warm-up",
    "rep": "Rep",
    "recovery": "Recovery",
    "walk": "Walk",
    "stride": "Stride",
    "steady": "Steady running",
    "cool-down": "Cool-down",
}
RUN_TYPE_LABELS = {
    "easy": "Easy run",
    "long": "Long run",
    "tempo": "Tempo run",
    "intervals": "Intervals",
    "sprints": "Sprints",
    "hills": "Hills",
    "race": "Race effort",
    "walk": "Walk",
    "hike": "Hike",
}


def structure_strip(stimulus: dict | None) -> dict | None:
    """The strip of one activity, or None without a structure of at least one segment."""
    structure = (stimulus or {}).get("structure") or {}
    segments = [s for s in structure.get("segments") or [] if _span(s) > 0]
    if not segments:
        return None
    start = min(float(s["start_s"]) for s in segments)
    total = max(float(s["end_s"]) for s in segments) - start
    if total <= 0:
        return None
    boxes, legend = [], {}
    for seg in segments:
        kind = str(seg.get("kind") or "steady")
        seconds = _span(seg)
        label = KIND_LABELS.get(kind, kind.capitalize())
        boxes.append(
            {
                "kind": kind if kind in KIND_LABELS else "steady",
                "x": round((float(seg["start_s"]) - start) / total * 100, 3),
                "width": round(seconds / total * 100, 3),
                "title": f"{label}: {_clock(seconds)}, {float(seg.get('distance_m') or 0):.0f} m",
            }
        )
        entry = legend.setdefault(
            kind, {"kind": boxes[-1]["kind"], "label": label, "seconds": 0.0, "count": 0}
        )
        entry["seconds"] += seconds
        entry["count"] += 1
    run_type = structure.get("run_type") or ""
    return {
        "run_type": RUN_TYPE_LABELS.get(run_type, run_type.capitalize()),
        "hard_day": bool(structure.get("hard_day")),
        "reps": int(structure.get("reps") or 0),
        "boxes": boxes,
        "legend": list(legend.values()),
    }


def _span(seg: dict) -> float:
    try:
        return max(0.0, float(seg["end_s"]) - float(seg["start_s"]))
    except (KeyError, TypeError, ValueError):
        return 0.0


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"
