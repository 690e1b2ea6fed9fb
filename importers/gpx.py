"""GPX 1.0 and 1.1 (Strava, Garmin Connect, Apple Watch, phone apps) read with gpxpy.

gpxpy is forced onto the standard-library XML backend (it would pick lxml when installed, which
is slower here), and an expat check of the prolog (`refuse_dtd`) and the prescan
(importers/limits.py) refuse DTDs, entities and hostile sizes before gpxpy sees the file.
The points of every track go through the plausibility pass (importers/plausibility.py), which
also splits the file into outings (tracks or gaps hours apart); a new segment or a new track
of the same outing is a pause (no distance or moving time is counted across it). Points
without a position are left out with a note; a 1.0 file with 1.1 extensions keeps them.
A route whose points carry times is read as a track when the file has no timed track; a
route or a track without times cannot be counted and is refused with a message that says so.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as stdlib_et
from datetime import UTC, datetime
from operator import attrgetter, methodcaller

import gpxpy
import gpxpy.gpx
import gpxpy.parser
import numpy as np
from gpxpy.gpxfield import SimpleTZ

from importers.activity import RUN_SPORTS, Activity, Series
from importers.devices import clean_creator
from importers.errors import CorruptFile, NoActivityData
from importers.limits import prescan_xml
from importers.plausibility import CHANNELS, Track, clean
from importers.sports import counts_steps, guess_sport, word_sport
from importers.summary import cumulative_distance, moving_mask_from_gaps, summarise
from importers.xmlsafe import as_utf8, decode_text, local, refuse_dtd, strip_prolog

gpxpy.parser.mod_etree = stdlib_et  # private switch: never lxml (see house-style.md)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC).replace(tzinfo=None)  # naive, for naive arithmetic
_HR_TAGS = frozenset({"hr", "heartrate", "heart_rate"})
_CAD_TAGS = frozenset({"cad", "cadence", "runcadence"})
_POWER_TAGS = frozenset({"power", "watts"})


def parse(data: bytes, filename: str | None = None) -> list[Activity]:
    data = strip_prolog(as_utf8(data))  # Strava's bulk export writes spaces before <?xml
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
    warnings: list[str] = []
    text = _as_11_if_extended(text)
    doc = _read(text, filename, warnings)
    if _some_point_untimed(doc):  # gpxpy drops a <time> it cannot read: tidy them, read again
        tidy = _tidy_times(text)
        if tidy is not text:
            warnings.clear()  # the same repairs are named again by this reading
            doc = _read(tidy, filename, warnings)
    return _activities(doc, filename, warnings)


def _read(text: str, filename: str | None, warnings: list[str]) -> gpxpy.gpx.GPX:
    """gpxpy's document, after the repairs that apply (named in `warnings`); refuses XML that
    stays malformed."""
    try:
        return gpxpy.parse(text)
    except Exception as exc:  # gpxpy raises GPXXMLSyntaxException, GPXException, ValueError...
        doc = _repaired(text, warnings)
        if doc is None:
            raise CorruptFile(
                "This GPX file is not valid GPX and cannot be read (the XML is malformed); "
                "export it again from your app.",
                filename=filename,
            ) from exc
        return doc


def _some_point_untimed(doc: gpxpy.gpx.GPX) -> bool:
    """Whether a track or route point has no time (stops at the first)."""
    for track in doc.tracks:
        for segment in track.segments:
            for point in segment.points:
                if point.time is None:
                    return True
    return any(p.time is None for route in doc.routes for p in route.points)


def _repaired(text: str, warnings: list[str]) -> gpxpy.gpx.GPX | None:
    """The document after the repairs that apply (undeclared prefixes, numbers written with a
    decimal comma or unreadable, points without a position), each named in `warnings`; None
    when it still cannot be read."""
    text, missing = _declare_prefixes(text)
    text, commas = _COMMA_NUMBER.subn(r"\g<1>\g<2>.\g<3>", text)
    text, unreadable = _drop_unreadable_values(text)
    text, unplaced = _drop_unplaced(text)
    if not missing and not commas and not unreadable and not unplaced:
        return None
    try:
        doc = gpxpy.parse(text)
    except Exception:  # still broken: the caller reports the original fault
        return None
    if missing:
        warnings.append(
            f"This GPX file uses namespace prefixes it never declares "
            f"({', '.join(missing)}); Legday read it anyway."
        )
    if commas:
        warnings.append(
            f"{commas:,} numbers in this GPX file are written with a decimal comma; Legday read "
            "them anyway."
        )
    if unreadable:
        warnings.append(f"{unreadable:,} unreadable values (not numbers) were left out.")
    if unplaced:
        warnings.append(
            f"{unplaced:,} track points without a position (recorded before the GPS had a fix, "
            "or unreadable) were left out."
        )
    return doc


# a point's coordinates or a number element of GPX written as "45,123" (a program that wrote
# numbers in its user's locale); not in extensions, where a comma may separate values
_NUMBER_TAGS = "ele|magvar|geoidheight|hdop|vdop|pdop|ageofdgpsdata|course|speed"
_COMMA_NUMBER = re.compile(
    rf"""(\b(?:lat|lon)\s*=\s*["']\s*|<(?:{_NUMBER_TAGS})>\s*)(-?\d+),(\d+)(?=\s*["'<])"""
)
_NUMBER_ELEMENT = re.compile(rf"<({_NUMBER_TAGS}|sat|dgpsid)>([^<]*)</\1\s*>")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _drop_unreadable_values(text: str) -> tuple[str, int]:
    """The text without the GPX number elements (<ele>, <hdop>...) that hold no number, which
    gpxpy refuses the whole file for, and how many there were; an empty one stays (gpxpy
    reads it as none)."""
    dropped = 0

    def keep(m: re.Match) -> str:
        nonlocal dropped
        value = m.group(2).strip()
        if not value or _is_number(value):
            return m.group(0)
        dropped += 1
        return ""

    return _NUMBER_ELEMENT.sub(keep, text), dropped


_TRKPT = re.compile(r"<trkpt\b([^>]*?)(/>|>.*?</trkpt\s*>)", re.S)
_LAT_LON = (
    re.compile(r"""\blat\s*=\s*(["'])([^"']*)\1"""),
    re.compile(r"""\blon\s*=\s*(["'])([^"']*)\1"""),
)


def _drop_unplaced(text: str) -> tuple[str, int]:
    """The text without the <trkpt> elements that lack lat or lon or whose lat or lon is not a
    number, and how many there were."""
    dropped = 0

    def keep(m: re.Match) -> str:
        nonlocal dropped
        found = [p.search(m.group(1)) for p in _LAT_LON]
        if all(f is not None and _is_number(f.group(2)) for f in found):
            return m.group(0)
        dropped += 1
        return ""

    return _TRKPT.sub(keep, text), dropped


_VERSION_10 = re.compile(r"(<gpx\b[^>]*?\bversion\s*=\s*[\"'])1\.0([\"'])")


def _as_11_if_extended(text: str) -> str:
    """A GPX that says version 1.0 but carries 1.1 <extensions> (TrackPointExtension heart
    rate and cadence) is read as 1.1: gpxpy drops extensions for 1.0."""
    if "<extensions" not in text:
        return text
    return _VERSION_10.sub(r"\g<1>1.1\g<2>", text, count=1)


# a <time> whose text gpxpy's pattern refuses, so that it drops the time: spaces or line breaks
# around it (a pretty-printed file), a lower-case "z"; written to start with its literal
_UNTIDY_TIME = re.compile(r"<time>(?:\s|[^<]*?(?:z|\s)</time>)")
_TIME_TEXT = re.compile(r"<time>\s*([^<]*?)\s*</time>")


def _tidy_times(text: str) -> str:
    """The text with every <time> trimmed and in upper case ("2024-05-01T07:00:00Z"), when
    one of them needs it (else the text itself)."""
    if _UNTIDY_TIME.search(text) is None:
        return text
    return _TIME_TEXT.sub(lambda m: f"<time>{m.group(1).upper()}</time>", text)


# r"\sxmlns[^=]{200}", written to start with its literal so that the search skips to each "xmlns"
# instead of trying every character of the file
_XMLNS_WITHOUT_VALUE = re.compile(r"xmlns(?<=\sxmlns)[^=]{200}")
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


def _activities(doc: gpxpy.gpx.GPX, filename: str | None, warnings: list[str]) -> list[Activity]:
    """One Activity per outing: every track's points through the plausibility pass."""
    paths = _recorded(doc)
    words = [tr.type for tr in paths if tr.type]
    names = [tr.name for tr in paths if tr.name]
    track, untimed = _collect(paths)
    if paths is doc.routes:
        warnings.append(
            "This GPX file holds the recording as a route with times instead of a track; "
            "Legday read the route."
        )
    if untimed > track.t.shape[0]:
        track = _collect_nothing()  # a few stray times on a route do not make it an activity
    if not track.t.shape[0]:
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
    said = word_sport(words[0]) if words else None
    outings = clean(track, running=said is None or said in RUN_SPORTS)
    out = []
    for i, piece in enumerate(outings):
        name = names[min(i, len(names) - 1)] if names else (doc.name or None)
        out.append(_activity(piece, said, name, doc.creator, filename, warnings, i))
    return out


def _collect_nothing() -> Track:
    empty = np.zeros(0)
    return Track(empty, {k: empty for k in CHANNELS}, np.zeros(0, dtype=bool))


def _recorded(doc: gpxpy.gpx.GPX) -> list:
    """The tracks; the routes instead when no track point has a time but route points do (some
    apps and converters write a recorded activity as a <rte> whose points carry times)."""
    if any(p.time is not None for tr in doc.tracks for seg in tr.segments for p in seg.points):
        return doc.tracks
    if any(p.time is not None for r in doc.routes for p in r.points):
        return doc.routes
    return doc.tracks


def _points_of(path: gpxpy.gpx.GPXTrack | gpxpy.gpx.GPXRoute) -> list[list]:
    """The point lists of a track's segments, or of a route (one list)."""
    if isinstance(path, gpxpy.gpx.GPXRoute):
        return [path.points]
    return [segment.points for segment in path.segments]


def _collect(paths: list) -> tuple[Track, int]:
    """Every timed point of every track or route (file order) and the count of points without
    time."""
    times: list[datetime] = []
    cols: dict[str, list] = {k: [] for k in ("lat", "lon", "alt", "hr", "cad", "power")}
    brk: list[bool] = []
    new_trk: list[bool] = []
    untimed = 0
    tag_kind: dict[object, str] = {}
    for track in paths:
        first_of_track = True
        for points in _points_of(track):
            timed = [p for p in points if p.time is not None]
            untimed += len(points) - len(timed)
            if not timed:
                continue
            times += map(_TIME, timed)
            cols["lat"] += map(_LATITUDE, timed)
            cols["lon"] += map(_LONGITUDE, timed)
            cols["alt"] += map(_ELEVATION, timed)
            _extension_values(timed, tag_kind, cols["hr"], cols["cad"], cols["power"])
            brk.append(True)
            brk += [False] * (len(timed) - 1)
            new_trk.append(first_of_track)
            new_trk += [False] * (len(timed) - 1)
            first_of_track = False
    n = len(times)
    arrays = {  # numpy turns None into NaN
        k: np.array(cols[k], dtype=float) if k in cols else np.full(n, np.nan) for k in CHANNELS
    }
    breaks = np.asarray(brk, dtype=bool)
    tracks = np.asarray(new_trk, dtype=bool)
    if n:
        breaks[0] = tracks[0] = False
    return Track(_unix_times(times), arrays, breaks, tracks), untimed


_TIME = attrgetter("time")
_LATITUDE = attrgetter("latitude")
_LONGITUDE = attrgetter("longitude")
_ELEVATION = attrgetter("elevation")


def _extension_values(
    points: list[gpxpy.gpx.GPXTrackPoint],
    tag_kind: dict[object, str],
    hr: list[float | None],
    cad: list[float | None],
    power: list[float | None],
) -> None:
    """Append each point's heart rate, cadence and power (None when it has none): the last
    element of that kind among its extensions, in document order."""
    for p in points:
        h = c = w = None
        for ext in p.extensions:
            for el in ext.iter():
                kind = tag_kind.get(el.tag)
                if kind is None:
                    kind = tag_kind[el.tag] = _tag_kind(el.tag)
                if kind:
                    if kind == "hr":
                        h = _number(el.text)
                    elif kind == "cad":
                        c = _number(el.text)
                    else:
                        w = _number(el.text)
        hr.append(h)
        cad.append(c)
        power.append(w)


def _activity(
    piece: Track,
    said: str | None,
    name: str | None,
    creator: str | None,
    filename: str | None,
    warnings: list[str],
    index: int,
) -> Activity:
    t = piece.t

    col = piece.channel

    breaks = piece.breaks
    la, lo = col("lat"), col("lon")
    dist = cumulative_distance(la, lo, breaks, t) if la is not None and lo is not None else None
    notes = [*warnings, *piece.notes]
    sport, sport_from = said, "file"
    if sport is None:
        sport, sport_from = guess_sport(t, dist, moving_mask_from_gaps(t, breaks)), "guess"
        notes.append(f"The file does not say which sport this is; taken as {sport} from the pace.")
    cadence = col("cad")
    if cadence is not None and counts_steps(sport) and np.nanmedian(cadence) < 130:
        cadence = cadence * 2.0  # Garmin's gpxtpx:cad is strides (one foot) per minute
    series = Series(
        time_s=t - t[0],
        lat=la,
        lon=lo,
        altitude_m=col("alt"),
        distance_m=dist,
        heart_rate=col("hr"),
        cadence_spm=cadence,
        power_w=col("power"),
        moving=moving_mask_from_gaps(t, breaks),
    )
    return summarise(
        sport=sport,
        start_time=datetime.fromtimestamp(t[0], tz=UTC),
        series=series,
        source_format="gpx",
        name=name,
        device=clean_creator(creator),
        index=index,
        source_name=filename,
        warnings=notes,
        sport_from=sport_from,
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


_EPOCH_ORDINAL = _EPOCH.toordinal()
_DAY_FIELDS = tuple(attrgetter(f) for f in ("hour", "minute", "second", "microsecond"))


def _unix_times(times: list[datetime]) -> np.ndarray:
    """`_unix` of every time, as an array: computed on numpy columns of the datetimes' fields
    when they share one kind of zone (gpxpy's SimpleTZ, or none), with the same integer
    microseconds and the same float operations, so the figures are the same to the bit."""
    n = len(times)
    zones = list(map(_TZINFO, times))
    kinds = set(map(type, zones))
    if kinds == {SimpleTZ}:
        offset = np.fromiter(map(_OFFSET, zones), dtype=np.int64, count=n) * 60.0
    elif kinds == {type(None)}:
        offset = 0.0
    else:
        return np.asarray([_unix(t) for t in times], dtype=float)
    days = np.fromiter(map(_TOORDINAL, times), dtype=np.int64, count=n) - _EPOCH_ORDINAL
    h, m, s, us = (np.fromiter(map(f, times), dtype=np.int64, count=n) for f in _DAY_FIELDS)
    micros = ((days * 86_400 + h * 3_600 + m * 60 + s) * 1_000_000) + us
    if n and np.abs(micros).max() >= 2**53:  # not exact as a float: as timedelta does it
        return np.asarray([_unix(t) for t in times], dtype=float)
    return micros / 1e6 - offset


_TZINFO = attrgetter("tzinfo")
_OFFSET = attrgetter("offset")
_TOORDINAL = methodcaller("toordinal")


def _number(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None
