"""`legday state FILE... [--as-of ISO-DATE] [--json]`: per-muscle state from files, no database.

The files are read as one history (the same activity given twice, e.g. as GPX and as FIT, is
counted once); each run's stimulus is computed and the state is taken at --as-of (a date means
the end of that day, UTC; by default the end of the day of the latest activity).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import click

import importers
from engine.athlete import Athlete
from engine.muscles import LABELS, LEG_MUSCLES
from engine.state import LoadRecord, State, compute_state
from engine.stimulus import Stimulus, compute_stimulus
from importers.activity import Activity


@dataclass
class History:
    """Activities read from files, their stimulus, and what could not be read."""

    activities: list[tuple[str, Activity, Stimulus]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)

    @property
    def records(self) -> list[LoadRecord]:
        return [
            LoadRecord.from_stimulus(a.start_time, a.elapsed_time_s, s)
            for _, a, s in self.activities
        ]


def load_history(paths: Sequence[str], athlete: Athlete | None = None) -> History:
    """Read every file (archives included), skip repeats of one activity, compute stimuli."""
    history = History()
    seen: dict[str, str] = {}
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            history.errors.append(f"{path}: cannot read the file ({exc.strerror or exc})")
            continue
        for result in importers.iter_load(data, Path(path).name):
            if result.error is not None:
                history.errors.append(f"{path}: {result.error}")
                continue
            for activity in result.activities:
                key = activity.fingerprint
                if key in seen:
                    history.duplicates.append(f"{path}: same activity as {seen[key]}")
                    continue
                seen[key] = path
                history.activities.append((path, activity, compute_stimulus(activity, athlete)))
    history.activities.sort(key=lambda item: item[1].start_time)
    return history


def parse_as_of(value: str) -> datetime:
    """An ISO date (the end of that day, UTC) or date-time (UTC if no zone is given)."""
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day + timedelta(days=1), time(), UTC) - timedelta(
                microseconds=1
            )
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date like 2026-03-02 or a date-time like 2026-03-02T18:00"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def default_as_of(history: History) -> datetime:
    """The end of the day (UTC) of the latest activity."""
    last = max(a.start_time for _, a, _ in history.activities)
    return parse_as_of(last.astimezone(UTC).date().isoformat())


def state_report(state: State, history: History) -> dict:
    data = state.to_dict()
    data["history"] = [
        {
            "file": file,
            "start_time": a.start_time.isoformat().replace("+00:00", "Z"),
            "sport": a.sport,
            "distance_m": round(a.distance_m, 1),
            "leg_load": round(s.total, 1),
            "systemic_load": round(s.systemic_load, 1),
        }
        for file, a, s in history.activities
    ]
    data["duplicates"] = history.duplicates
    data["errors"] = history.errors
    return data


def _human(state: State, history: History) -> str:
    runs = sum(1 for _, a, _ in history.activities if a.is_run)
    lines = [
        f"State as of {state.as_of:%Y-%m-%d %H:%M} UTC from {len(history.activities)} "
        f"activities ({runs} runs)",
        "",
        f"{'muscle':<27}{'acute':>8}{'chronic':>9}{'damage (Dn)':>13}",
    ]
    for key in LEG_MUSCLES:
        m = state.muscles[key]
        lines.append(
            f"{LABELS[key]:<27}{m.acute:>8.1f}{m.chronic:>9.1f}{m.damage_normalised:>13.2f}"
        )
    lines += [
        "",
        f"fitness {state.fitness:.1f}   fatigue {state.fatigue:.1f}   form {state.form:+.1f}",
        "Acute and chronic: daily averages over 7 and 42 days (100 = 1 km on the flat at 3 m/s).",
        "Dn 1.0 = the quadriceps' peak damage after 30 min downhill at -10 %, unaccustomed.",
    ]
    lines += [f"skipped {d}" for d in history.duplicates]
    return "\n".join(lines)


@click.command("state")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--as-of", "as_of", help="ISO date (end of that day, UTC) or date-time.")
@click.option("--json", "as_json", is_flag=True, help="Print the state as one JSON object.")
@click.option("--hr-max", type=click.FloatRange(100, 250), help="Maximum heart rate (bpm).")
@click.option("--hr-rest", type=click.FloatRange(25, 120), help="Resting heart rate (bpm).")
@click.option("--sex", type=click.Choice(["male", "female"]), help="For the TRIMP weighting.")
def state_command(
    files: tuple[str, ...],
    as_of: str | None,
    as_json: bool,
    hr_max: float | None,
    hr_rest: float | None,
    sex: str | None,
) -> None:
    """Per-muscle acute and chronic load, damage, fitness and form from a history of files."""
    moment = parse_as_of(as_of) if as_of else None
    history = load_history(files, Athlete(hr_max=hr_max, hr_rest=hr_rest, sex=sex))
    for message in history.errors:
        click.echo(f"legday state: {message}", err=True)
    if not history.activities:
        click.echo("legday state: no activity could be read from the files given.", err=True)
        sys.exit(1)
    state = compute_state(history.records, moment or default_as_of(history))
    if as_json:
        click.echo(json.dumps(state_report(state, history), ensure_ascii=False, allow_nan=False))
    else:
        click.echo(_human(state, history))
    if history.errors:
        sys.exit(1)
