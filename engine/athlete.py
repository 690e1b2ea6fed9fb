"""The few facts about the runner that the load model uses, with the defaults it falls back on."""

from __future__ import annotations

from dataclasses import dataclass

# Used when the runner has not told us (an age-based HR max needs an age, which we do not ask).
DEFAULT_HR_MAX = 190.0
DEFAULT_HR_REST = 60.0
# Threshold pace for the pace-based load when a run has no heart rate [A]: 5:00 per km.
DEFAULT_THRESHOLD_PACE_S_PER_KM = 300.0


@dataclass(frozen=True, slots=True)
class Athlete:
    """Settings of one runner; None means "not given" and a documented default is used."""

    hr_max: float | None = None
    hr_rest: float | None = None
    sex: str | None = None  # "male" | "female" | None (Banister's weighting differs by sex)
    threshold_pace_s_per_km: float | None = None
    mass_kg: float | None = None  # only used to compare a power meter with the model

    def heart_rate_range(self) -> tuple[float, float, list[str]]:
        """(hr_max, hr_rest, notes about the defaults used); refuses an impossible pair."""
        notes: list[str] = []
        hr_max, hr_rest = self.hr_max, self.hr_rest
        if hr_max is None:
            hr_max = DEFAULT_HR_MAX
            notes.append(f"HR max not set: {DEFAULT_HR_MAX:.0f} bpm assumed")
        if hr_rest is None:
            hr_rest = DEFAULT_HR_REST
            notes.append(f"resting HR not set: {DEFAULT_HR_REST:.0f} bpm assumed")
        if hr_max <= hr_rest:
            notes.append(
                f"HR max {hr_max:.0f} is not above resting HR {hr_rest:.0f}: defaults used"
            )
            hr_max, hr_rest = DEFAULT_HR_MAX, DEFAULT_HR_REST
        return float(hr_max), float(hr_rest), notes

    def threshold_speed_mps(self) -> tuple[float, list[str]]:
        pace = self.threshold_pace_s_per_km
        if pace is None or pace <= 0:
            return 1000.0 / DEFAULT_THRESHOLD_PACE_S_PER_KM, [
                "threshold pace not set: 5:00/km assumed"
            ]
        return 1000.0 / pace, []
