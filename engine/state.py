"""How the runs add up over weeks: per-muscle acute and chronic load, fatigue and damage.

Works from stored per-activity totals (`LoadRecord`), never from time series, and in closed
form (exact exponentials), so that five years of history cost a few milliseconds.

- Acute (7 d) and chronic (42 d) load per muscle are daily exponentially weighted averages
  with Williams et al.'s weight 2 / (N + 1); their ratio is only ever shown as a trend.
- Short fatigue decays with a 1-day time constant [A].
- Damage goes through two compartments with tau = 1.5 d, so that it peaks about 36 h after
  the run and is mostly gone by day 7; its input is reduced by the repeated-bout effect,
  which only comparable earlier doses give.
- Systemic fitness (42 d) and fatigue (7 d) follow the TrainingPeaks convention 1 / N;
  form = fitness - fatigue.

Every muscle key of engine.muscles is tracked: runs only load the leg muscles, but records of
other sessions (e.g. logged strength work) may carry core and upper-body loads.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from engine.muscles import ALL_MUSCLES
from engine.stimulus import Stimulus, steady_stimulus

ACUTE_DAYS = 7
CHRONIC_DAYS = 42
FATIGUE_TAU_DAYS = 1.0  # [A]
DAMAGE_TAU_DAYS = 1.5
PROTECTION_TAU_DAYS = 30.0  # memory of the repeated-bout effect [A]
NOVELTY_FLOOR = 0.2  # a fully accustomed muscle still takes 20 % of the damage [A]
FITNESS_DAYS = 42
FATIGUE_DAYS = 7
REFERENCE_RUN = {"speed_mps": 3.0, "grade": -0.10, "duration_s": 1800.0}
DAY_S = 86400.0


def williams_lambda(n_days: float) -> float:
    """Williams et al. 2017: an N-day exponentially weighted average weighs today 2 / (N + 1)."""
    return 2.0 / (n_days + 1.0)


def banister_lambda(n_days: float) -> float:
    """TrainingPeaks' CTL/ATL: today weighs 1 / N."""
    return 1.0 / n_days


def _reference_damage() -> float:
    """Quadriceps damage input of the reference run: 30 min at -10 % and 3 m/s, unaccustomed."""
    ref = steady_stimulus(
        REFERENCE_RUN["speed_mps"], REFERENCE_RUN["grade"], REFERENCE_RUN["duration_s"]
    )
    return ref.muscles["quadriceps"].damage


# R_ref (the scale of the protection shown) and of normalised damage for every muscle:
# Dn = 1 is the peak damage the quadriceps reach after the reference run.
REFERENCE_DAMAGE = _reference_damage()
REFERENCE_PEAK_D2 = REFERENCE_DAMAGE / math.e  # a single dose X peaks at X/e after tau


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class LoadRecord:
    """One activity as the state needs it: when, how long, and per muscle (total, damage)."""

    start_time: datetime
    duration_s: float
    muscles: Mapping[str, tuple[float, float]]
    systemic_load: float = 0.0

    @property
    def end_time(self) -> datetime:
        return _utc(self.start_time) + timedelta(seconds=max(self.duration_s or 0.0, 0.0))

    @classmethod
    def from_stimulus(
        cls, start_time: datetime, duration_s: float, stimulus: Mapping[str, Any] | Stimulus
    ) -> LoadRecord:
        """From a stored stimulus (Stimulus.to_dict()) or a Stimulus."""
        if isinstance(stimulus, Stimulus):
            muscles = {k: (m.total, m.damage) for k, m in stimulus.muscles.items()}
            systemic = stimulus.systemic_load
        else:  # read the two numbers per muscle straight from the stored dict
            muscles = {
                k: (float(m.get("total") or 0.0), float(m.get("damage") or 0.0))
                for k, m in (stimulus.get("muscles") or {}).items()
            }
            systemic = float(stimulus.get("systemic_load") or 0.0)
        return cls(
            start_time=_utc(start_time),
            duration_s=float(duration_s or 0.0),
            muscles=muscles,
            systemic_load=systemic,
        )


def reference_record(start_time: datetime) -> LoadRecord:
    """The reference descent as a record: after it, quadriceps Dn peaks at 1.0 (at ~36 h)."""
    duration = REFERENCE_RUN["duration_s"]
    stim = steady_stimulus(REFERENCE_RUN["speed_mps"], REFERENCE_RUN["grade"], duration)
    return LoadRecord.from_stimulus(start_time, duration, stim)


@dataclass(frozen=True, slots=True)
class MuscleState:
    acute: float
    chronic: float
    fatigue: float
    damage: float  # D2, in the stimulus' damage units
    damage_normalised: float  # Dn: D2 / the quadriceps' peak D2 after the reference run
    protection: float = 0.0  # repeated-bout memory: largest recent dose (decayed) / R_ref

    @property
    def acute_chronic_ratio(self) -> float | None:
        """A trend indicator only (the ratio predicts little on its own)."""
        return self.acute / self.chronic if self.chronic > 1e-9 else None

    def to_dict(self) -> dict[str, float | None]:
        return {
            "acute": self.acute,
            "chronic": self.chronic,
            "fatigue": self.fatigue,
            "damage": self.damage,
            "damage_normalised": self.damage_normalised,
            "protection": self.protection,
            "acute_chronic_ratio": self.acute_chronic_ratio,
        }


@dataclass(frozen=True, slots=True)
class State:
    as_of: datetime
    muscles: dict[str, MuscleState]
    fitness: float
    fatigue: float
    form: float
    activities: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "activities": self.activities,
            "muscles": {k: m.to_dict() for k, m in self.muscles.items()},
            "fitness": self.fitness,
            "fatigue": self.fatigue,
            "form": self.form,
        }


@dataclass(frozen=True, slots=True, eq=False)
class _History:
    """Records as arrays, sorted by end time (days since the epoch)."""

    end_day: np.ndarray  # float days
    start_day: np.ndarray  # integer UTC calendar days the activities started on
    load: np.ndarray  # n x muscles, total stimulus
    dose: np.ndarray  # n x muscles, damage after the repeated-bout effect (N x dmg)
    damage: np.ndarray  # n x muscles, raw damage input
    systemic: np.ndarray  # n


def _days(moment: datetime) -> float:
    return _utc(moment).timestamp() / DAY_S


def _history(records: Sequence[LoadRecord], muscles: Sequence[str], until: float) -> _History:
    """The records that ended by `until` (days since the epoch), as arrays."""
    zero = (0.0, 0.0)
    start = np.array([_utc(r.start_time).timestamp() for r in records], dtype=float) / DAY_S
    end = start + np.array([max(r.duration_s or 0.0, 0.0) for r in records], dtype=float) / DAY_S
    pairs = np.array([[r.muscles.get(k, zero) for k in muscles] for r in records], dtype=float)
    pairs = pairs.reshape(len(records), len(muscles), 2)
    systemic = np.array([r.systemic_load or 0.0 for r in records], dtype=float)
    keep = np.flatnonzero(end <= until)
    order = keep[np.argsort(end[keep], kind="stable")]
    damage = pairs[order, :, 1]
    return _History(
        end_day=end[order],
        start_day=np.floor(start[order]),
        load=pairs[order, :, 0],
        dose=_doses(end[order], damage),
        damage=damage,
        systemic=systemic[order],
    )


def _protection(end: np.ndarray, damage: np.ndarray, at: np.ndarray) -> np.ndarray:
    """P at each time of `at`: the largest earlier dose, decayed, max_j dmg_j exp(-(t - t_j)/30).

    Only records that ended strictly before each time count. Computed in logs, with one
    running maximum, so that years of records cost one pass.
    """
    if end.shape[0] == 0:
        return np.zeros((at.shape[0], damage.shape[1]))
    with np.errstate(divide="ignore"):
        weighted = np.log(np.maximum(damage, 0.0)) + (end - end[0])[:, None] / PROTECTION_TAU_DAYS
    best = np.maximum.accumulate(weighted, axis=0)
    k = np.searchsorted(end, at, side="left")  # records ending before each time
    prior = np.where((k > 0)[:, None], best[np.maximum(k - 1, 0)], -np.inf)
    return np.exp(prior - (at - end[0])[:, None] / PROTECTION_TAU_DAYS)


def earlier_protection(end: np.ndarray, damage: np.ndarray) -> np.ndarray:
    """P per record and muscle: the largest dose of the records that ended before it, decayed
    (records sorted by end time, in days); see `_protection`."""
    return _protection(end, damage, end)


def _doses(end: np.ndarray, damage: np.ndarray) -> np.ndarray:
    """N x dmg for every record, N from comparable earlier doses (repeated-bout effect).

    N = 0.2 + 0.8 exp(-2 P / dmg), where P is the largest earlier dose, decayed with a 30-day
    time constant: a bout protects against one of its own size or smaller (Byrnes 1985;
    Nosaka et al. 2001), and many small doses do not add up to protection against a big one.
    Repeating the same bout gives Byrnes' pattern (N = 0.50 after 3 weeks, 0.69 after 6).
    """
    return novelty_dose(damage, earlier_protection(end, damage))


def novelty_dose(damage: np.ndarray, protection: np.ndarray) -> np.ndarray:
    """The damage a bout does after the repeated-bout effect: N x dmg with
    N = NOVELTY_FLOOR + (1 - NOVELTY_FLOOR) exp(-2 P / dmg), from 1 (novel) down to the floor
    (a bout no bigger than a recent one)."""
    ratio = protection / np.maximum(damage, 1e-12)
    novelty = NOVELTY_FLOOR + (1 - NOVELTY_FLOOR) * np.exp(-2.0 * ratio)
    return novelty * damage


def _ewma_at(values: np.ndarray, days: np.ndarray, today: int, lam: float) -> np.ndarray:
    """Daily EWMA on day `today` of loads summed per day (closed form)."""
    if values.shape[0] == 0:
        return np.zeros(values.shape[1:])
    weights = lam * (1.0 - lam) ** (today - days)
    return weights @ values


def _damage_at(h: _History, t: float) -> tuple[np.ndarray, np.ndarray]:
    """(D1, D2) at time t (days) from the doses before it (exact two-compartment solution)."""
    elapsed = (t - h.end_day) / DAMAGE_TAU_DAYS
    decay = np.exp(-elapsed)
    return decay @ h.dose, (elapsed * decay) @ h.dose


def compute_state(records: Sequence[LoadRecord], as_of: datetime) -> State:
    """Per-muscle and systemic state at `as_of` from the records that ended by then."""
    as_of = _utc(as_of)
    muscles = ALL_MUSCLES
    t = _days(as_of)
    h = _history(records, muscles, t)
    today = math.floor(t)
    acute = _ewma_at(h.load, h.start_day, today, williams_lambda(ACUTE_DAYS))
    chronic = _ewma_at(h.load, h.start_day, today, williams_lambda(CHRONIC_DAYS))
    fatigue = np.exp(-(t - h.end_day) / FATIGUE_TAU_DAYS) @ h.load
    _, d2 = _damage_at(h, t)
    protection = _protection(h.end_day, h.damage, np.array([t]))[0] / REFERENCE_DAMAGE
    sys = h.systemic[:, None]
    fitness = float(_ewma_at(sys, h.start_day, today, banister_lambda(FITNESS_DAYS))[0])
    sys_fatigue = float(_ewma_at(sys, h.start_day, today, banister_lambda(FATIGUE_DAYS))[0])
    return State(
        as_of=as_of,
        muscles={
            key: MuscleState(
                acute=float(acute[k]),
                chronic=float(chronic[k]),
                fatigue=float(fatigue[k]),
                damage=float(d2[k]),
                damage_normalised=float(d2[k] / REFERENCE_PEAK_D2),
                protection=float(protection[k]),
            )
            for k, key in enumerate(muscles)
        },
        fitness=fitness,
        fatigue=sys_fatigue,
        form=fitness - sys_fatigue,
        activities=int(h.end_day.shape[0]),
    )


@dataclass(frozen=True, slots=True, eq=False)
class DailySeries:
    """Per-day values (at the end of each UTC day) for trend charts."""

    days: list[date]
    acute: dict[str, np.ndarray]
    chronic: dict[str, np.ndarray]
    damage_normalised: dict[str, np.ndarray]
    fitness: np.ndarray
    fatigue: np.ndarray
    form: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "form", self.fitness - self.fatigue)

    def to_dict(self) -> dict[str, Any]:
        def rows(d: dict[str, np.ndarray]) -> dict[str, list[float]]:
            return {k: [float(x) for x in v] for k, v in d.items()}

        return {
            "days": [d.isoformat() for d in self.days],
            "acute": rows(self.acute),
            "chronic": rows(self.chronic),
            "damage_normalised": rows(self.damage_normalised),
            "fitness": [float(x) for x in self.fitness],
            "fatigue": [float(x) for x in self.fatigue],
            "form": [float(x) for x in self.form],
        }


def ewma_days(daily: np.ndarray, lam: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Day-by-day EWMA of each column of `daily` (column j weighs today lam[j]) from `start`."""
    out = np.empty_like(daily)
    value = start.astype(float)
    for i in range(daily.shape[0]):
        value += lam * (daily[i] - value)
        out[i] = value
    return out


def series_lambdas(m: int) -> np.ndarray:
    """Today's weight of each column of a daily series: m acute, m chronic, fitness, fatigue."""
    return np.concatenate(
        [
            np.full(m, williams_lambda(ACUTE_DAYS)),
            np.full(m, williams_lambda(CHRONIC_DAYS)),
            [banister_lambda(FITNESS_DAYS), banister_lambda(FATIGUE_DAYS)],
        ]
    )


def daily_series(records: Sequence[LoadRecord], start: date, end: date) -> DailySeries:
    """Acute, chronic and normalised damage per muscle, and fitness/fatigue, day by day."""
    if end < start:
        raise ValueError("the series must end on or after its start")
    day0 = datetime(start.year, start.month, start.day, tzinfo=UTC)
    first = math.floor(_days(day0))
    n_days = (end - start).days + 1
    h = _history(records, ALL_MUSCLES, _days(day0 + timedelta(days=n_days)))
    m = len(ALL_MUSCLES)
    lam = series_lambdas(m)
    columns = np.hstack([h.load, h.load, h.systemic[:, None], h.systemic[:, None]])
    # The averages on the day before `start`, in closed form; then day by day.
    before = h.start_day < first
    weights = lam * (1.0 - lam) ** (first - 1 - h.start_day[before, None])
    initial = (weights * columns[before]).sum(axis=0)
    daily = np.zeros((n_days, columns.shape[1]))
    idx = (h.start_day[~before] - first).astype(int)
    np.add.at(daily, idx, columns[~before])
    smooth = ewma_days(daily, lam, initial)
    acute, chronic = smooth[:, :m], smooth[:, m : 2 * m]
    fitness, fatigue = smooth[:, 2 * m], smooth[:, 2 * m + 1]
    # Damage at the end of each day, from the doses that ended by then.
    # Doses more than 60 days (40 time constants) before the first day no longer count.
    ends = _days(day0) + 1.0 + np.arange(n_days)
    recent = h.end_day > ends[0] - 60.0
    elapsed = (ends[:, None] - h.end_day[None, recent]) / DAMAGE_TAU_DAYS
    kernel = np.where(elapsed >= 0, elapsed * np.exp(-np.maximum(elapsed, 0)), 0.0)
    damage = kernel @ h.dose[recent] / REFERENCE_PEAK_D2
    return DailySeries(
        days=[start + timedelta(days=i) for i in range(n_days)],
        acute={k: acute[:, i] for i, k in enumerate(ALL_MUSCLES)},
        chronic={k: chronic[:, i] for i, k in enumerate(ALL_MUSCLES)},
        damage_normalised={k: damage[:, i] for i, k in enumerate(ALL_MUSCLES)},
        fitness=fitness,
        fatigue=fatigue,
    )
