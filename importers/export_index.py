"""Strava's bulk export names each activity's type and title in `activities.csv`.

    read_index(zip_bytes, limits) -> {member path: (sport or None, name or None)}
    apply_index(activity, entry) -> Activity

Columns used: `Filename` (e.g. `activities/1001.tcx.gz`), `Activity Type` (Run, Ride, Walk...)
and `Activity Name`. Precedence for the sport: the file's own explicit sport, then the CSV,
then a guess from the speed. The CSV's name replaces the file's (it is the account's current
title). A CSV that cannot be read is ignored: it never stops an import.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile

from importers import archive
from importers.activity import Activity
from importers.sports import word_sport

INDEX_NAME = "activities.csv"
MAX_INDEX_BYTES = 16 * 2**20


def _is_index(name: str) -> bool:
    return name.rsplit("/", 1)[-1].lower() == INDEX_NAME and name.count("/") <= 1


def read_index(
    zf: zipfile.ZipFile, limits: archive.Limits
) -> dict[str, tuple[str | None, str | None]]:
    """The export's activities.csv as {member path: (Legday sport, activity name)}; {} when
    there is none or it cannot be read."""
    small = dataclasses.replace(
        limits, max_member_bytes=min(limits.max_member_bytes, MAX_INDEX_BYTES)
    )
    try:
        members = [m for m in archive.iter_zip(zf, None, small, _is_index) if m.data]
    except Exception:  # an archive over its limits says so when its members are read
        return {}
    out: dict[str, tuple[str | None, str | None]] = {}
    for member in members:
        base = member.name.rsplit("/", 1)[0] + "/" if "/" in member.name else ""
        text = member.data.decode("utf-8-sig", errors="replace")  # type: ignore[union-attr]
        for row in csv.DictReader(io.StringIO(text)):
            path = (row.get("Filename") or "").strip()
            if path:
                sport = word_sport(row.get("Activity Type"))
                name = (row.get("Activity Name") or "").strip() or None
                out[base + path] = (sport, name)
    return out


def apply_index(activity: Activity, entry: tuple[str | None, str | None] | None) -> Activity:
    """The activity with the CSV's sport (unless the file named one) and name."""
    if entry is None:
        return activity
    sport, name = entry
    changes: dict = {}
    if name:
        changes["name"] = name
    if sport and activity.sport_from != "file" and sport != activity.sport:
        changes["sport"] = sport
        changes["sport_from"] = "csv"
        changes["warnings"] = tuple(
            w for w in activity.warnings if not w.startswith("The file does not say")
        ) + (f"The sport ({sport}) comes from the export's activities.csv.",)
    return dataclasses.replace(activity, **changes) if changes else activity
