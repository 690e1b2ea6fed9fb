"""The FIT session message as a source of figures, and a header that lost its data size.

    session_totals(info) -> DeviceTotals                 (source "session")
    lap_totals(laps, t0, t1) -> DeviceTotals | None      (source "laps")
    from_sessions(sessions, sport_of, meta) -> list[Activity]    (records unusable)
    header_says_empty(data) -> bool

A FIT without a session message (cut off before it), or whose session has no distance, takes
the sums of its lap messages instead (a foot pod or treadmill file can hold the distance in its
laps only).
A FIT whose records all lack a valid timestamp (or that has no records) but whose session
holds the totals gives one activity per session from those totals, at an even pace, with a
note. A FIT header whose data size is 0 while records follow (the watch did not finish
writing the file) is named as such: the reader cannot tell where the records end, and the
checksum it would otherwise blame is not the fault.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from importers.activity import Activity, DeviceTotals
from importers.reconcile import even_pace_series
from importers.summary import finite_or_none, summarise

FIT_EPOCH_S = 631_065_600  # 1989-12-31T00:00:00Z in Unix seconds
FIT_CRC_BYTES = 2


def fit_seconds(value: object) -> float | None:
    """A raw FIT time (seconds since 1989-12-31 UTC, or since a device event) as Unix seconds."""
    if type(value) is int or type(value) is float:
        return FIT_EPOCH_S + float(value)  # type: ignore[arg-type]
    return None


def session_totals(info: dict) -> DeviceTotals:
    """The totals a FIT session message holds (any of them may be None)."""
    return DeviceTotals(
        distance_m=finite_or_none(info.get("total_distance")),
        elevation_gain_m=finite_or_none(info.get("total_ascent")),
        elevation_loss_m=finite_or_none(info.get("total_descent")),
        timer_time_s=finite_or_none(info.get("total_timer_time")),
        elapsed_time_s=finite_or_none(info.get("total_elapsed_time")),
        avg_heart_rate=finite_or_none(info.get("avg_heart_rate")),
        max_heart_rate=finite_or_none(info.get("max_heart_rate")),
        source="session",
    )


LAP_FIELDS = ("start_time", "total_elapsed_time", "total_timer_time", "total_distance")


def lap_totals(laps: list[dict], t0: float, t1: float) -> DeviceTotals | None:
    """The sums of the lap messages that start between t0 and t1 (Unix seconds), as the
    device's totals (source "laps"); None when no such lap has a distance or a timer."""
    distance = timer = elapsed = 0.0
    for lap in laps:
        start = fit_seconds(lap.get("start_time"))
        if start is None or not t0 - 1.0 <= start <= t1 + 1.0:
            continue
        distance += finite_or_none(lap.get("total_distance")) or 0.0
        timer += finite_or_none(lap.get("total_timer_time")) or 0.0
        elapsed += finite_or_none(lap.get("total_elapsed_time")) or 0.0
    if not distance and not timer:
        return None
    return DeviceTotals(
        distance_m=distance or None,
        timer_time_s=timer or None,
        elapsed_time_s=elapsed or None,
        source="laps",
    )


def from_sessions(
    sessions: list[dict], sport_of: Callable[[dict], str], meta: dict
) -> list[Activity]:
    """One even-pace activity per session that has a start and a duration."""
    out = []
    for info in sessions:
        totals = session_totals(info)
        duration = totals.timer_time_s or totals.elapsed_time_s
        start = fit_seconds(info.get("start_time"))
        if start is None and duration:
            end = fit_seconds(info.get("timestamp"))
            start = end - (totals.elapsed_time_s or duration) if end is not None else None
        if start is None or not duration or duration <= 0:
            continue
        out.append(
            summarise(
                sport=sport_of(info),
                start_time=datetime.fromtimestamp(start, tz=UTC),
                series=even_pace_series(duration, totals.distance_m or 0.0),
                source_format="fit",
                device_totals=totals,
                index=len(out),
                warnings=[
                    "This FIT file's records have no valid time, so the activity is made from "
                    "the session's totals at an even pace."
                ],
                even_pace=True,
                **meta,
            )
        )
    return out


def header_says_empty(data: bytes) -> bool:
    """True when the FIT header's data size is 0 although records follow it."""
    header_size = data[0] if data else 0
    return (
        len(data) > header_size + FIT_CRC_BYTES
        and header_size >= 12
        and int.from_bytes(data[4:8], "little") == 0
    )
