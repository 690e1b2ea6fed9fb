"""Per-day load sums: a runner's runs added up by local day, and the state and trend from them.

In: LoadRecords (engine.state) and the runner's time zone. Out: one `DayLoad` per local day with
runs, and `state_from_days` / `series_from_days`, which give what engine.state's
`compute_state` / `daily_series` give from the runs themselves, reading days instead of runs.

What a day keeps per muscle is enough for the exact closed forms of engine.state: the total
stimulus (acute and chronic are daily averages), and sums weighted by exp(end - midnight) so that
short fatigue (tau 1 d), two-compartment damage (tau 1.5 d) and repeated-bout protection
(tau 30 d; `protection_sum` keeps the day's largest weighted dose, since protection is the
largest comparable earlier dose, not a sum) can be decayed from the day's local midnight instead
of from each run's end. The
repeated-bout dose of each run is fixed when its day is built (from the protection left by the
days before), as engine.state does run by run.

The calendar is the runner's: a day is a local date (days since 1970-01-01), its `anchor` that
date's local midnight (days since the epoch, UTC). For a UTC runner this is engine.state's UTC
day exactly. A day counts once its last run has ended (engine.state counts each run at its own
end: the two differ only between the ends of two runs of one day).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

import numpy as np

from engine.muscles import ALL_MUSCLES
from engine.state import (
    ACUTE_DAYS,
    CHRONIC_DAYS,
    DAMAGE_TAU_DAYS,
    DAY_S,
    FATIGUE_DAYS,
    FATIGUE_TAU_DAYS,
    FITNESS_DAYS,
    PROTECTION_TAU_DAYS,
    REFERENCE_DAMAGE,
    REFERENCE_PEAK_D2,
    DailySeries,
    LoadRecord,
    MuscleState,
    State,
    banister_lambda,
    earlier_protection,
    ewma_days,
    novelty_dose,
    series_lambdas,
    williams_lambda,
)

EPOCH = date(1970, 1, 1)
# Per muscle, in this order: total stimulus, raw damage, sum load*e^(u/tau_f),
# sum dose*e^(u/tau_d), sum dose*(u/tau_d)*e^(u/tau_d), sum damage*e^(u/tau_p); u = end - anchor.
FIELDS = ("load", "damage", "fatigue_sum", "dose_sum", "dose_time_sum", "protection_sum")


@dataclass(frozen=True, slots=True)
class DayLoad:
    """One local day's runs, summed. `muscles`: key -> the six FIELDS (stimulus units)."""

    day: int  # local date, days since 1970-01-01
    anchor: float  # its local midnight, days since the epoch (UTC)
    last_end: float  # when its last run ended, days since the epoch
    runs: int
    systemic: float  # summed systemic load (TRIMP or pace-based)
    muscles: dict[str, tuple[float, ...]]

    @property
    def date(self) -> date:
        return EPOCH + timedelta(days=self.day)


def local_calendar(zone: tzinfo) -> Callable[[datetime], tuple[int, float]]:
    """moment -> (its local date as days since 1970-01-01, that date's midnight in days)."""

    def day_of(moment: datetime) -> tuple[int, float]:
        local = _utc(moment).astimezone(zone).date()
        return (local - EPOCH).days, midnight(local, zone)

    return day_of


def midnight(day: date, zone: tzinfo) -> float:
    """The start of `day` in `zone`, in days since the epoch."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC).timestamp() / DAY_S


def build_days(
    records: Sequence[LoadRecord],
    zone: tzinfo,
    before: Sequence[DayLoad] | DayTable = (),
    carry: Carry | None = None,
) -> list[DayLoad]:
    """The DayLoads of `records` (the runs of some days, every run of each), sorted by day.

    `before`: the stored days before them (and `carry`, what the days before those carry),
    whose protection sets the first doses (exactly as if those days' runs were given too).
    """
    if not records:
        return []
    muscles = ALL_MUSCLES
    day_of = local_calendar(zone)
    starts = [_utc(r.start_time) for r in records]
    end = np.array([s.timestamp() / DAY_S for s in starts])
    end += np.array([max(r.duration_s or 0.0, 0.0) for r in records]) / DAY_S
    order = np.argsort(end, kind="stable")
    zero = (0.0, 0.0)
    pairs = np.array([[records[i].muscles.get(k, zero) for k in muscles] for i in order], float)
    pairs = pairs.reshape(len(records), len(muscles), 2)
    end = end[order]
    load, damage = pairs[:, :, 0], pairs[:, :, 1]
    protection = np.maximum(earlier_protection(end, damage), _protection_from(before, end))
    if carry is not None:
        decay = np.exp(-(end - carry.anchor) / PROTECTION_TAU_DAYS)
        protection = np.maximum(protection, decay[:, None] * np.array(carry.sums)[None, :, 3])
    dose = novelty_dose(damage, protection)
    calendar = [day_of(starts[i]) for i in order]
    days: dict[int, list[int]] = {}
    for row, (day, _) in enumerate(calendar):
        days.setdefault(day, []).append(row)
    anchors = {day: anchor for day, anchor in calendar}
    out = []
    for day in sorted(days):
        rows = np.array(days[day])
        u = end[rows, None] - anchors[day]
        e_dmg = np.exp(u / DAMAGE_TAU_DAYS)
        sums = np.stack(
            [
                load[rows].sum(axis=0),
                damage[rows].sum(axis=0),
                (load[rows] * np.exp(u / FATIGUE_TAU_DAYS)).sum(axis=0),
                (dose[rows] * e_dmg).sum(axis=0),
                (dose[rows] * (u / DAMAGE_TAU_DAYS) * e_dmg).sum(axis=0),
                (damage[rows] * np.exp(u / PROTECTION_TAU_DAYS)).max(axis=0),
            ],
            axis=1,
        )
        out.append(
            DayLoad(
                day=day,
                anchor=anchors[day],
                last_end=float(end[rows].max()),
                runs=len(rows),
                systemic=float(sum(records[i].systemic_load or 0.0 for i in order[rows])),
                muscles={
                    k: tuple(float(v) for v in sums[j])
                    for j, k in enumerate(muscles)
                    if sums[j].any()
                },
            )
        )
    return out


def _protection_from(before: Sequence[DayLoad] | DayTable, end: np.ndarray) -> np.ndarray:
    """P at each of `end` (days) left by earlier days: max_d P_d exp(-(t - anchor_d)/30)."""
    table = DayTable.of(before)
    return decayed_max(table.fields[:, :, 5], table.anchor, end)


def decayed_max(peaks: np.ndarray, anchors: np.ndarray, at: np.ndarray) -> np.ndarray:
    """max_d peaks_d exp(-(t - anchor_d)/PROTECTION_TAU_DAYS) at each t of `at` (days):
    repeated-bout protection is the largest comparable dose, not a sum (engine.state)."""
    if not anchors.size:
        return np.zeros((at.shape[0], len(ALL_MUSCLES)))
    decay = np.exp(-(at[:, None] - anchors[None, :]) / PROTECTION_TAU_DAYS)
    return (decay[:, :, None] * peaks[None, :, :]).max(axis=1)


@dataclass(frozen=True, slots=True, eq=False)
class DayTable:
    """Days as arrays, sorted by day: what the state and the series read (`of` builds it from
    DayLoads; webapp.daily_loads builds it straight from its rows)."""

    day: np.ndarray  # int local dates
    anchor: np.ndarray
    last_end: np.ndarray
    runs: np.ndarray
    systemic: np.ndarray
    fields: np.ndarray  # days x muscles x FIELDS

    def where(self, mask: np.ndarray) -> DayTable:
        """The days where `mask` (a boolean array over the days) is true."""
        return DayTable(
            self.day[mask], self.anchor[mask], self.last_end[mask], self.runs[mask],
            self.systemic[mask], self.fields[mask],
        )  # fmt: skip

    def week_load(self, first: int, last: int) -> np.ndarray:
        """Total stimulus per muscle (ALL_MUSCLES order) of the days `first`..`last`."""
        mask = (self.day >= first) & (self.day <= last)
        return self.fields[mask, :, 0].sum(axis=0)

    @classmethod
    def of(cls, days: Sequence[DayLoad] | DayTable, until: float = math.inf) -> DayTable:
        """The days (DayLoads or a table) whose runs had all ended by `until` (days)."""
        if isinstance(days, DayTable):
            return days.where(days.last_end <= until)
        kept = sorted((d for d in days if d.last_end <= until), key=lambda d: d.day)
        fields = np.zeros((len(kept), len(ALL_MUSCLES), len(FIELDS)))
        index = {k: j for j, k in enumerate(ALL_MUSCLES)}
        for i, d in enumerate(kept):
            for key, values in d.muscles.items():
                fields[i, index[key]] = values
        return cls(
            day=np.array([d.day for d in kept], dtype=float),
            anchor=np.array([d.anchor for d in kept], dtype=float),
            last_end=np.array([d.last_end for d in kept], dtype=float),
            runs=np.array([d.runs for d in kept], dtype=float),
            systemic=np.array([d.systemic for d in kept], dtype=float),
            fields=fields,
        )


def _ewma(values: np.ndarray, days: np.ndarray, today: int, lam: float) -> np.ndarray:
    if values.shape[0] == 0:
        return np.zeros(values.shape[1:])
    return (lam * (1.0 - lam) ** (today - days)) @ values


def _damage(t: DayTable, at: float) -> np.ndarray:
    """D2 at time `at` (days) per muscle, from the days that ended by then."""
    since = (at - t.anchor) / DAMAGE_TAU_DAYS
    decay = np.exp(-since)
    return (decay * since) @ t.fields[:, :, 3] - decay @ t.fields[:, :, 4]


@dataclass(frozen=True, slots=True)
class Carry:
    """The state every day before `day` carries into it (incremental state: a week reads the
    days from `day` on, and this, instead of the whole history).

    Per muscle (ALL_MUSCLES order): the acute and chronic averages at the end of the day before,
    and the four time sums of FIELDS re-anchored to `anchor` (that day's local midnight).
    """

    day: int
    anchor: float
    last_end: float  # the last carried run ended (the carry holds from then on)
    first_day: int  # the first day with a run, for the history's length
    runs: int
    fitness: float
    fatigue: float
    acute: tuple[float, ...]
    chronic: tuple[float, ...]
    sums: tuple[tuple[float, ...], ...]  # per muscle: fatigue, dose, dose_time, protection

    def to_dict(self) -> dict:
        return {f: getattr(self, f) for f in self.__slots__}

    @classmethod
    def from_dict(cls, data: dict) -> Carry:
        return cls(**{**data, "sums": tuple(tuple(v) for v in data["sums"])})


def carry_into(days: Sequence[DayLoad] | DayTable, day: int, anchor: float) -> Carry | None:
    """The Carry of the days before `day` (local date number; `anchor` its midnight), or None
    when there are none."""
    t = DayTable.of(days)
    t = t.where(t.day < day)
    if not t.day.size:
        return None
    load, sys = t.fields[:, :, 0], t.systemic[:, None]
    back = day - 1
    delta = anchor - t.anchor
    e_dmg = np.exp(-delta / DAMAGE_TAU_DAYS)[:, None]
    f = t.fields
    sums = np.stack(
        [
            np.exp(-delta / FATIGUE_TAU_DAYS) @ f[:, :, 2],
            (e_dmg * f[:, :, 3]).sum(axis=0),
            (e_dmg * (f[:, :, 4] - (delta / DAMAGE_TAU_DAYS)[:, None] * f[:, :, 3])).sum(axis=0),
            decayed_max(f[:, :, 5], t.anchor, np.array([anchor]))[0],
        ],
        axis=1,
    )
    return Carry(
        day=day,
        anchor=anchor,
        last_end=float(t.last_end.max()),
        first_day=int(t.day[0]),
        runs=int(t.runs.sum()),
        fitness=float(_ewma(sys, t.day, back, banister_lambda(FITNESS_DAYS))[0]),
        fatigue=float(_ewma(sys, t.day, back, banister_lambda(FATIGUE_DAYS))[0]),
        acute=tuple(_ewma(load, t.day, back, williams_lambda(ACUTE_DAYS)).tolist()),
        chronic=tuple(_ewma(load, t.day, back, williams_lambda(CHRONIC_DAYS)).tolist()),
        sums=tuple(tuple(row) for row in sums.tolist()),
    )


def state_from_days(
    days: Sequence[DayLoad] | DayTable, as_of: datetime, zone: tzinfo, carry: Carry | None = None
) -> State:
    """engine.state.compute_state at `as_of`, from the days whose runs had all ended by then
    (and what `carry` brings from the days before it: then `days` start on carry.day)."""
    as_of = _utc(as_of)
    t_now = as_of.timestamp() / DAY_S
    t = DayTable.of(days, t_now)
    today = (as_of.astimezone(zone).date() - EPOCH).days
    load = t.fields[:, :, 0]
    acute = _ewma(load, t.day, today, williams_lambda(ACUTE_DAYS))
    chronic = _ewma(load, t.day, today, williams_lambda(CHRONIC_DAYS))
    fatigue = np.exp(-(t_now - t.anchor) / FATIGUE_TAU_DAYS) @ t.fields[:, :, 2]
    d2 = _damage(t, t_now)
    protection = decayed_max(t.fields[:, :, 5], t.anchor, np.array([t_now]))[0]
    sys = t.systemic[:, None]
    fitness = float(_ewma(sys, t.day, today, banister_lambda(FITNESS_DAYS))[0])
    sys_fatigue = float(_ewma(sys, t.day, today, banister_lambda(FATIGUE_DAYS))[0])
    runs = int(t.runs.sum())
    if carry is not None and carry.last_end <= t_now:
        gap = today - carry.day + 1  # days from the carry's evening to today's
        since = t_now - carry.anchor
        sums = np.array(carry.sums)
        acute = acute + (1 - williams_lambda(ACUTE_DAYS)) ** gap * np.array(carry.acute)
        chronic = chronic + (1 - williams_lambda(CHRONIC_DAYS)) ** gap * np.array(carry.chronic)
        fatigue = fatigue + np.exp(-since / FATIGUE_TAU_DAYS) * sums[:, 0]
        s = since / DAMAGE_TAU_DAYS
        d2 = d2 + np.exp(-s) * (s * sums[:, 1] - sums[:, 2])
        protection = np.maximum(protection, np.exp(-since / PROTECTION_TAU_DAYS) * sums[:, 3])
        fitness += (1 - banister_lambda(FITNESS_DAYS)) ** gap * carry.fitness
        sys_fatigue += (1 - banister_lambda(FATIGUE_DAYS)) ** gap * carry.fatigue
        runs += carry.runs
    return State(
        as_of=as_of,
        muscles={
            key: MuscleState(
                acute=float(acute[k]),
                chronic=float(chronic[k]),
                fatigue=float(fatigue[k]),
                damage=float(d2[k]),
                damage_normalised=float(d2[k] / REFERENCE_PEAK_D2),
                protection=float(protection[k] / REFERENCE_DAMAGE),
            )
            for k, key in enumerate(ALL_MUSCLES)
        },
        fitness=fitness,
        fatigue=sys_fatigue,
        form=fitness - sys_fatigue,
        activities=runs,
    )


def series_from_days(
    days: Sequence[DayLoad] | DayTable, start: date, end: date, zone: tzinfo
) -> DailySeries:
    """engine.state.daily_series from `start` to `end` (local dates), at each local day's end."""
    if end < start:
        raise ValueError("the series must end on or after its start")
    n_days = (end - start).days + 1
    first = (start - EPOCH).days
    ends = np.array([midnight(start + timedelta(days=i + 1), zone) for i in range(n_days)])
    t = DayTable.of(days, float(ends[-1]))
    m = len(ALL_MUSCLES)
    lam = series_lambdas(m)
    load = t.fields[:, :, 0]
    columns = np.hstack([load, load, t.systemic[:, None], t.systemic[:, None]])
    before = t.day < first
    initial = (lam * (1.0 - lam) ** (first - 1 - t.day[before, None]) * columns[before]).sum(0)
    daily = np.zeros((n_days, columns.shape[1]))
    np.add.at(daily, (t.day[~before] - first).astype(int), columns[~before])
    out = ewma_days(daily, lam, initial)
    damage = np.zeros((n_days, m))
    recent = t.last_end > ends[0] - 61.0  # older doses weigh under 1e-15 by then
    for i, at in enumerate(ends):
        ended = recent & (t.last_end <= at)
        damage[i] = _damage(t.where(ended), float(at)) / REFERENCE_PEAK_D2
    return DailySeries(
        days=[start + timedelta(days=i) for i in range(n_days)],
        acute={k: out[:, i] for i, k in enumerate(ALL_MUSCLES)},
        chronic={k: out[:, m + i] for i, k in enumerate(ALL_MUSCLES)},
        damage_normalised={k: damage[:, i] for i, k in enumerate(ALL_MUSCLES)},
        fitness=out[:, 2 * m],
        fatigue=out[:, 2 * m + 1],
    )


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
