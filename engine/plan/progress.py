"""Per-exercise progression from the strength log: what was done last time and this time's
dose, said as "last time 3 x 8, this time 3 x 10".

The runner may log, per exercise, sets x reps (or seconds) x load; a plain "done" counts as
done as prescribed. Done: more reps (or seconds) next time, then, at the top of the range, more
load (weights) or one more set; missed: the same again. Double progression, as in most
strength programmes [A].
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from engine.plan.context import SessionLog
from engine.plan.dose import Dose

LOOKBACK_DAYS = 42
LOAD_STEP = 0.05  # 5 % more weight at the top of the rep range [A]


@dataclass(frozen=True, slots=True)
class LastTime:
    day: date
    sets: int
    amount: int
    load_kg: float | None
    done: bool


def _number(item: Mapping, *keys: str) -> float | None:
    for key in keys:
        value = item.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return float(value)
    return None


def last_time(
    logs: Sequence[SessionLog],
    name: str,
    before: date,
    prescribed_on: Callable[[date], Dose],
) -> LastTime | None:
    """The latest logged entry of exercise `name` in the LOOKBACK_DAYS before `before`.

    Numbers the runner left out are the ones prescribed then (`prescribed_on(day)`).
    """
    key = name.strip().lower()
    for log in sorted(logs, key=lambda log: log.day, reverse=True):
        if not before - timedelta(days=LOOKBACK_DAYS) <= log.day < before:
            continue
        for item in log.exercises:
            item_name = item.get("name", "") if isinstance(item, Mapping) else str(item)
            if str(item_name).strip().lower() != key:
                continue
            then = prescribed_on(log.day)
            extra = item if isinstance(item, Mapping) else {}
            sets = _number(extra, "sets")
            amount = _number(extra, "reps", "seconds")
            return LastTime(
                day=log.day,
                sets=int(sets) if sets else then.sets,
                amount=int(amount) if amount else then.amount,
                load_kg=_number(extra, "load_kg"),
                done=log.done and extra.get("done", True) is not False,
            )
    return None


def _step(dose: Dose) -> int:
    return 5 if dose.amount_range[1] > 25 else (1 if dose.amount_range[1] <= 6 else 2)


def next_dose(last: LastTime, base: Dose, weighted: bool) -> tuple[Dose, float | None]:
    """This time's dose and load (kg or None) after `last`, within `base`'s ranges."""
    (s_lo, s_hi), (a_lo, a_hi) = base.sets_range, base.amount_range
    sets = min(max(last.sets, s_lo), s_hi)
    amount = min(max(last.amount, a_lo), a_hi)
    load = last.load_kg
    if last.done:
        if amount + _step(base) <= a_hi:
            amount += _step(base)
        elif weighted and load:
            load = round(load * (1 + LOAD_STEP) * 2) / 2
            amount = a_lo
        elif sets < s_hi:
            sets += 1
    return replace(base, sets=sets, amount=amount), load


def _kg(load_kg: float) -> str:
    return f"{load_kg:g} kg"


def dose_text(
    sets: int, amount: int, unit: str, load_kg: float | None = None, kg_text=_kg
) -> str:
    """'3 x 8', '3 x 30 s' or '3 x 8 at 20 kg' (`kg_text` words the load: "10 kg per hand")."""
    text = f"{sets} x {amount}{' s' if unit == 'seconds' else ''}"
    return text + (f" at {kg_text(load_kg)}" if load_kg else "")


def progress_text(
    last: LastTime, dose: Dose, unit: str, load_kg: float | None, kg_text=_kg
) -> str:
    """'last time 3 x 8, this time 3 x 10' (or 'missed last time: 3 x 8 again')."""
    before = dose_text(last.sets, last.amount, unit, last.load_kg, kg_text)
    now = dose_text(dose.sets, dose.amount, unit, load_kg, kg_text)
    if not last.done:
        return f"missed last time: {now} again"
    return f"last time {before}, this time {now}"
