"""The splits table of an activity page, in the runner's units.

    split_table(summary, units, speed=False) -> SplitTable | None

`summary` is the stored `Activity.summary` (webapp/ingest.py): "splits" per kilometre and,
for activities imported since miles were split, "splits_mi" per mile (paces are seconds per
kilometre in both, climb in metres). A column no split has a value for is left out (the
treadmill's climb, a run without heart rate) and `notes` says why. A ride (speed=True) has
a speed per split (km/h or mph) and no grade-adjusted pace, which is a runner's measure.
"""

from __future__ import annotations

from dataclasses import dataclass

from webapp.units import METRES_PER_MILE, speed_value

NO_CLIMB = (
    "No climb per split: this file has no elevation (an indoor or treadmill session, or a "
    "device without one)."
)
NO_MILES = "Splits per kilometre: this file was imported before splits per mile."


@dataclass(frozen=True, slots=True)
class SplitRow:
    label: str  # "3", or "15 (0.25)" for a part split
    pace_s: float | None  # seconds per `SplitTable.unit`
    gap_s: float | None
    up_m: float | None
    down_m: float | None
    heart_rate: int | None
    speed: float | None = None  # km/h or mph, from the split's pace


@dataclass(frozen=True, slots=True)
class SplitTable:
    unit: str  # km | mi: the length of a split and of its paces
    rows: list[SplitRow]
    has_gap: bool
    has_climb: bool
    has_heart_rate: bool
    notes: list[str]
    speed: bool = False  # the rows are read by their speed, not their pace


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


def split_table(summary: dict, units: str, speed: bool = False) -> SplitTable | None:
    """The rows and columns to show; None when the activity has no splits."""
    notes: list[str] = []
    splits = summary.get("splits_mi") if units == "mi" else None
    unit = "mi"
    if not splits:
        if units == "mi" and summary.get("splits"):
            notes.append(NO_MILES)
        splits, unit = summary.get("splits") or [], "km"
    if not splits:
        return None
    length = METRES_PER_MILE if unit == "mi" else 1000.0
    rows = []
    for i, s in enumerate(splits, start=1):
        label = str(s.get("index") or i)
        distance = _number(s.get("distance_m")) or 0.0
        if distance and abs(distance - length) > 0.01 * length:
            label += f" ({distance / length:.2f})"
        pace, gap = _number(s.get("pace_s_per_km")), _number(s.get("gap_s_per_km"))
        hr = _number(s.get("avg_heart_rate"))
        rows.append(
            SplitRow(
                label=label,
                pace_s=pace * length / 1000.0 if pace else None,
                gap_s=gap * length / 1000.0 if gap and not speed else None,
                speed=speed_value(pace, unit) if speed else None,
                up_m=_number(s.get("elevation_gain_m")),
                down_m=_number(s.get("elevation_loss_m")),
                heart_rate=round(hr) if hr else None,
            )
        )
    has_climb = any(r.up_m is not None for r in rows)
    if not has_climb:
        notes.append(NO_CLIMB)
    return SplitTable(
        unit=unit,
        rows=rows,
        has_gap=any(r.gap_s for r in rows),
        has_climb=has_climb,
        has_heart_rate=any(r.heart_rate for r in rows),
        notes=notes,
        speed=speed,
    )
