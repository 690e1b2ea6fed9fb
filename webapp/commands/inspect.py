"""`legday inspect FILE... [--json]`: read activity files without a database and summarise them.

With --json, one JSON object per activity on its own line (the contract of issue 3); a file that
cannot be read prints one {"file", "error"} object, a one-line message on stderr, and the
command exits 1; an archive member that is not an activity file prints {"file", "member",
"skipped": reason} and does not change the exit status.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import click

import importers
from engine.muscles import LABELS
from engine.stimulus import Stimulus, compute_stimulus
from importers.activity import Activity


def _num(value: float | None, digits: int = 1) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


def stimulus_record(stimulus: Stimulus, is_run: bool) -> dict:
    """The load engine's keys: per-muscle `stimulus` (runs only) and `systemic_load`."""
    muscles = {
        key: {k: _num(v, 2) for k, v in load.to_dict().items()}
        for key, load in stimulus.muscles.items()
    }
    return {
        "stimulus": muscles if is_run else None,
        "systemic_load": _num(stimulus.systemic_load, 1)
        if stimulus.systemic_method != "none"
        else None,
        "systemic_method": stimulus.systemic_method,
        "stimulus_notes": list(stimulus.notes),
        "model_version": stimulus.model_version,
    }


def activity_record(activity: Activity, file: str, index: int) -> dict:
    """The JSON-safe record of one activity, as `inspect --json` prints it."""
    totals = activity.device_totals
    return {
        "file": file,
        "index": index,
        "sport": activity.sport,
        "is_run": activity.is_run,
        "start_time": activity.start_time.isoformat().replace("+00:00", "Z"),
        "elapsed_time_s": _num(activity.elapsed_time_s),
        "moving_time_s": _num(activity.moving_time_s),
        "distance_m": _num(activity.distance_m),
        "elevation_gain_m": _num(activity.elevation_gain_m),
        "elevation_loss_m": _num(activity.elevation_loss_m),
        "elevation_source": activity.elevation_source,
        "avg_pace_s_per_km": _num(activity.avg_pace_s_per_km),
        "gap_s_per_km": _num(activity.gap_s_per_km),
        "avg_heart_rate": _num(activity.avg_heart_rate),
        "max_heart_rate": _num(activity.max_heart_rate),
        "samples": len(activity.series),
        "fingerprint": activity.fingerprint,
        "device_totals": None
        if totals is None
        else {
            "distance_m": _num(totals.distance_m),
            "elevation_gain_m": _num(totals.elevation_gain_m),
            "timer_time_s": _num(totals.timer_time_s),
        },
        # extra keys (the contract welcomes them)
        "sub_sport": activity.sub_sport,
        "source_format": activity.source_format,
        "source_name": activity.source_name,
        "splits": len(activity.splits),
        "distance_source": activity.distance_source,
        "time_source": activity.time_source,
        "sport_from": activity.sport_from,
        "name": activity.name,
        "warnings": list(activity.warnings),
        **stimulus_record(compute_stimulus(activity), activity.is_run),
    }


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _human(a: Activity, file: str, index: int) -> str:
    lines = [f"{file} #{index}: {a.sport}{' (run)' if a.is_run else ''}, {a.source_format.upper()}"]
    lines.append(f"  start     {a.start_time:%Y-%m-%d %H:%M:%S} UTC")
    lines.append(
        f"  distance  {a.distance_m / 1000:.2f} km   moving {_clock(a.moving_time_s)}"
        f"   elapsed {_clock(a.elapsed_time_s)}"
    )
    if a.avg_pace_s_per_km is not None:
        gap = f"   grade-adjusted {_clock(a.gap_s_per_km)} /km" if a.gap_s_per_km else ""
        lines.append(f"  pace      {_clock(a.avg_pace_s_per_km)} /km{gap}")
    if a.elevation_gain_m is not None:
        loss = f" / -{a.elevation_loss_m:.0f} m" if a.elevation_loss_m is not None else ""
        lines.append(f"  climb     +{a.elevation_gain_m:.0f} m{loss} ({a.elevation_source})")
    if a.avg_heart_rate is not None:
        lines.append(f"  heart     avg {a.avg_heart_rate:.0f}, max {a.max_heart_rate:.0f} bpm")
    t = a.device_totals
    if t is not None and (t.distance_m is not None or t.timer_time_s is not None):
        dist = f"{t.distance_m / 1000:.2f} km" if t.distance_m is not None else "-"
        climb = f", +{t.elevation_gain_m:.0f} m" if t.elevation_gain_m is not None else ""
        lines.append(f"  device    {dist}, timer {_clock(t.timer_time_s)}{climb}")
    lines.append(f"  samples   {len(a.series):,}   fingerprint {a.fingerprint}")
    stim = compute_stimulus(a)
    if a.is_run:
        top = sorted(stim.muscles.items(), key=lambda kv: -kv[1].total)[:3]
        most = ", ".join(f"{LABELS[k].split(' (')[0].lower()} {m.total:.0f}" for k, m in top)
        lines.append(f"  legs      {stim.total:.0f} load units (most: {most})")
    if stim.systemic_method != "none":
        how = "TRIMP" if stim.systemic_method == "trimp" else "from pace"
        lines.append(f"  systemic  {stim.systemic_load:.0f} ({how})")
    lines.extend(f"  note      {w}" for w in a.warnings)
    return "\n".join(lines)


@click.command("inspect")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per activity per line.")
def inspect_command(files: tuple[str, ...], as_json: bool) -> None:
    """Read activity files (FIT, GPX, TCX, .gz, .zip) and summarise each activity."""
    failed = False
    for file in files:
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            failed = True
            _fail(file, f"cannot read the file ({exc.strerror or exc})", as_json)
            continue
        index = 0
        for result in importers.iter_load(data, Path(file).name):
            if result.error is not None:
                failed = True
                member = result.source_name if result.source_name != Path(file).name else None
                _fail(file, str(result.error), as_json, member)
                continue
            if result.skipped is not None:
                if as_json:
                    obj = {"file": file, "member": result.source_name, "skipped": result.skipped}
                    click.echo(json.dumps(obj, ensure_ascii=False))
                else:
                    click.echo(f"{file}: skipped {result.source_name}: {result.skipped}")
            for activity in result.activities:
                if as_json:
                    record = activity_record(activity, file, index)
                    click.echo(json.dumps(record, ensure_ascii=False, allow_nan=False))
                else:
                    click.echo(_human(activity, file, index))
                index += 1
    if failed:
        sys.exit(1)


def _fail(file: str, message: str, as_json: bool, member: str | None = None) -> None:
    where = f"{file} ({member})" if member else file
    click.echo(f"legday inspect: {where}: {message}", err=True)
    if as_json:
        obj = {"file": file, "error": message}
        if member:
            obj["member"] = member
        click.echo(json.dumps(obj, ensure_ascii=False))
