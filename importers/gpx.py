"""GPX 1.0 and 1.1 (Strava, Garmin Connect, Apple Watch, phone apps) read with gpxpy.

gpxpy is forced onto the standard-library XML backend (it would pick lxml when installed, which
is slower here), and a defusedxml pre-check refuses DTDs and entities before gpxpy sees the file.
Every track and segment of the file makes one activity; a new segment is a pause (no distance
or moving time is counted across it). A route or a track without times cannot be counted and
is refused with a message that says so.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as stdlib_et
from datetime import UTC, datetime

import gpxpy
import gpxpy.gpx
import gpxpy.parser
import numpy as np
from gpxpy.gpxfield import SimpleTZ

from importers.activity import Activity, Series
from importers.errors import CorruptFile, NoActivityData
from importers.limits import prescan_xml
from importers.sports import counts_steps, word_sport
from importers.summary import cumulative_distance, moving_mask_from_gaps, summarise
from importers.xmlsafe import decode_text, local, refuse_dtd

gpxpy.parser.mod_etree = stdlib_et  # private switch: never lxml (see house-style.md)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC).replace(tzinfo=None)  # naive, for naive arithmetic
_HR_TAGS = frozenset({"hr", "heartrate", "heart_rate"})
_CAD_TAGS = frozenset({"cad", "cadence", "runcadence"})
_POWER_TAGS = frozenset({"power", "watts"})


def parse(data: bytes, filename: str | None = None) -> list[Activity]:
    refuse_dtd(data, "GPX", filename)
    text = decode_text(data)
    prescan_xml(text, "GPX", filename)  # depth, size and DTD, before gpxpy builds a tree
    if _XMLNS_WITHOUT_VALUE.search(text):
        # gpxpy scans from every "xmlns" to the next "=" with a regular expression: thousands
        # of them with no "=" after would take it hours (quadratic), so refuse them first
        raise CorruptFile(
            "This GPX file is malformed (a namespace declaration without a value).",
            filename=filename,
        )
    warnings = []
    try:
        doc = gpxpy.parse(text)
    except Exception as exc:  # gpxpy raises GPXXMLSyntaxException, GPXException, ValueError...
        doc = None
        repaired, missing = _declare_prefixes(text)
        if missing:
            try:
                doc = gpxpy.parse(repaired)
            except Exception:  # still broken: report the original fault below
                doc = None
            else:
                warnings.append(
                    f"This GPX file uses namespace prefixes it never declares "
                    f"({', '.join(missing)}); Legday read it anyway."
                )
        if doc is None:
            raise CorruptFile(
                "This GPX file is not valid GPX and cannot be read (the XML is malformed); "
                "export it again from your app.",
                filename=filename,
            ) from exc
    return [_activity(doc, filename, warnings)]


_XMLNS_WITHOUT_VALUE = re.compile(r"\sxmlns[^=]{200}")
_PREFIX_USE = re.compile(r"</?([A-Za-z_][\w.-]*):[A-Za-z_]")
_PREFIX_DECL = re.compile(r"xmlns:([A-Za-z_][\w.-]*)\s*=")
_GPX_START = re.compile(r"<gpx\b")


def _declare_prefixes(text: str) -> tuple[str, list[str]]:
    """The text with a placeholder declaration for each element prefix used but never declared
    (mapstogpx writes gpxdata: elements without xmlns:gpxdata), and the prefixes added."""
    missing = sorted(set(_PREFIX_USE.findall(text)) - set(_PREFIX_DECL.findall(text)) - {"xml"})
    m = _GPX_START.search(text)
    if not missing or m is None:
        return text, []
    decls = "".join(f' xmlns:{p}="urn:legday:undeclared:{p}"' for p in missing)
    return text[: m.end()] + decls + text[m.end() :], missing


def _activity(doc: gpxpy.gpx.GPX, filename: str | None, warnings: list[str]) -> Activity:
    ts: list = []
    lat: list = []
    lon: list = []
    ele: list = []
    hr: list = []
    cad: list = []
    power: list = []
    brk: list = []
    untimed = 0
    words: list[str] = []
    names: list[str] = []
    tag_kind: dict[object, str] = {}
    for track in doc.tracks:
        if track.type:
            words.append(track.type)
        if track.name:
            names.append(track.name)
        for segment in track.segments:
            first = True
            for p in segment.points:
                t = p.time
                if t is None:
                    untimed += 1
                    continue
                ts.append(_unix(t))
                lat.append(p.latitude)
                lon.append(p.longitude)
                ele.append(p.elevation)
                h = c = w = None
                for ext in p.extensions:
                    for el in ext.iter():
                        kind = tag_kind.get(el.tag)
                        if kind is None:
                            kind = tag_kind[el.tag] = _tag_kind(el.tag)
                        if kind == "hr":
                            h = _number(el.text)
                        elif kind == "cad":
                            c = _number(el.text)
                        elif kind == "power":
                            w = _number(el.text)
                hr.append(h)
                cad.append(c)
                power.append(w)
                brk.append(first)
                first = False
    if untimed > len(ts):
        ts = []  # a few stray times on a route do not make it an activity
    if not ts:
        has_points = untimed > 0 or any(r.points for r in doc.routes) or doc.waypoints
        if has_points:
            raise NoActivityData(
                "This GPX file is a route or a track without times, so it cannot be counted "
                "as an activity. Upload the recorded activity instead.",
                filename=filename,
            )
        raise NoActivityData("This GPX file holds no track points.", filename=filename)
    if untimed:
        warnings.append(f"{untimed:,} track points without a time were left out.")

    t = np.asarray(ts, dtype=float)
    order = None
    if np.any(np.diff(t) < 0):
        order = np.argsort(t, kind="stable")
        t = t[order]
        warnings.append("The track points were out of time order and have been sorted.")

    def col(values: list, keep_if_any: bool = True) -> np.ndarray | None:
        arr = np.array([np.nan if v is None else v for v in values], dtype=float)
        if order is not None:
            arr = arr[order]
        if np.isnan(arr).all():
            return None
        return arr

    breaks = np.asarray(brk, dtype=bool)
    if order is not None:
        breaks = breaks[order]
    breaks[0] = False
    la, lo = col(lat), col(lon)
    dist = cumulative_distance(la, lo, breaks, t) if la is not None and lo is not None else None

    sport = word_sport(words[0]) if words else None
    if sport is None:
        sport = _guess_sport(t, dist, breaks)
        warnings.append(
            f"The file does not say which sport this is; taken as {sport} from the pace."
        )
    cadence = col(cad)
    if cadence is not None and counts_steps(sport) and np.nanmedian(cadence) < 130:
        cadence = cadence * 2.0  # Garmin's gpxtpx:cad is strides (one foot) per minute
    series = Series(
        time_s=t - t[0],
        lat=la,
        lon=lo,
        altitude_m=col(ele),
        distance_m=dist,
        heart_rate=col(hr),
        cadence_spm=cadence,
        power_w=col(power),
        moving=moving_mask_from_gaps(t, breaks),
    )
    return summarise(
        sport=sport,
        start_time=datetime.fromtimestamp(t[0], tz=UTC),
        series=series,
        source_format="gpx",
        name=names[0] if names else (doc.name or None),
        device=doc.creator or None,
        source_name=filename,
        warnings=warnings,
    )


def _tag_kind(tag: object) -> str:
    name = local(tag).lower()
    if name in _HR_TAGS:
        return "hr"
    if name in _CAD_TAGS:
        return "cad"
    if name in _POWER_TAGS:
        return "power"
    return ""


def _unix(t: datetime) -> float:
    """Unix seconds of a gpxpy time (its SimpleTZ offset read directly: utcoffset() is slow)."""
    tz = t.tzinfo
    if tz is None:
        offset = 0.0
    elif type(tz) is SimpleTZ:
        offset = tz.offset * 60.0
    else:
        offset = tz.utcoffset(t).total_seconds()
    return (t.replace(tzinfo=None) - _EPOCH).total_seconds() - offset


def _number(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _guess_sport(t: np.ndarray, dist: np.ndarray | None, breaks: np.ndarray) -> str:
    """Running unless the moving pace says walking or cycling (files that name no sport)."""
    if dist is None or t.shape[0] < 2:
        return "running"
    moving = moving_mask_from_gaps(t, breaks)
    secs = float(np.diff(t)[moving[1:]].sum())
    if secs <= 0:
        return "running"
    speed = (dist[-1] - dist[0]) / secs
    if speed > 7.0:
        return "cycling"
    if speed < 1.6:
        return "walking"
    return "running"
