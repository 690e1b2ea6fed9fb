"""Bounds on what one uploaded file may make Legday compute: every one checked before allocating.

A hostile or damaged file must cost bounded time and memory whatever it claims (issue 13). Each
array or loop whose size comes from the file is bounded by one of the constants below, checked
*before* the allocation it would size:

- XML (GPX, TCX): `prescan_xml` reads the document once with a streaming expat parser (no tree,
  no recursion) and refuses nesting deeper than MAX_XML_DEPTH, more than MAX_XML_ELEMENTS
  elements, more than MAX_SAMPLES track points (MAX_GPX_POINTS for GPX), and any DTD, before
  gpxpy or ElementTree build a tree (gpxpy copies <extensions> recursively: 200,000 nested
  elements crash the process). For text (GPX) the three counts are first bounded by counting
  its "<" at C speed; expat then counts element by element only when that cannot prove them.
- samples: a FIT file with more than MAX_SAMPLES records is refused while it is decoded;
- sessions: more than MAX_ACTIVITIES_PER_FILE activities (TCX <Activity>, FIT sessions) in one
  file is refused;
- span: `check_span` refuses an activity longer than MAX_DURATION_S, or one whose distance no
  one covers in its time (average over MAX_AVG_SPEED_MPS): both size later work (the engine's
  one-second grid, the kilometre splits);
- splits: `split_length_m` lengthens the splits so that there are never more than MAX_SPLITS;
- the engine's per-second grid has at most MAX_GRID_POINTS points (`grid_step_s`): beyond
  that the grid is decimated (a longer step), never enlarged.

The per-format byte limits (`importers.MAX_BYTES`) are MAX_FIT_BYTES, MAX_GPX_BYTES and
MAX_TCX_BYTES here; the GPX one is set by gpxpy's memory (about 12 MB of RAM per MB of GPX, as
it builds a full tree and a Python object per point).

Errors: FileTooLarge (over a size or count limit), CorruptFile (malformed XML, a DTD, a span
no activity has). Plain Python: no framework imports.
"""

from __future__ import annotations

import math
from xml.parsers import expat

import numpy as np

from importers.errors import CorruptFile, FileTooLarge

MAX_DURATION_S = 7 * 86_400.0
"""Longest single activity (elapsed, first to last sample), seconds: a week-long ultra."""

MAX_AVG_SPEED_MPS = 100.0
"""Fastest average speed over a whole activity, m/s (360 km/h: faster than any human-powered
sport, and than most cars a forgotten watch rides in)."""

DISTANCE_SLACK_M = 1_000.0
"""Distance allowed on top of MAX_AVG_SPEED_MPS x elapsed (a GPS jump on a very short file)."""

MAX_SAMPLES = 400_000
"""Most samples (FIT records, GPX/TCX track points) per file: 4.6 days at one per second, a
week at the 2 s a watch writes in its long-battery modes. Sizes every per-sample array."""

MAX_GPX_POINTS = 150_000
"""Most track points in one GPX file (41 hours at one a second, 5 days at one every 3 s): gpxpy
costs ~1.3 KB of memory per point (two tree elements and a GPXTrackPoint), so 150,000 points
stay under 300 MB where MAX_SAMPLES of them would not."""

MAX_ACTIVITIES_PER_FILE = 100
"""Most activities one file may hold (TCX <Activity> elements, FIT sessions with samples)."""

MAX_SPLITS = 1_000
"""Most splits per activity; a longer activity gets longer splits (2 km, 3 km...)."""

MAX_GRID_POINTS = 200_000
"""Most points in the engine's per-second grid (55 h at 1 s); a longer activity is laid on a
coarser grid (decimated) rather than a larger one."""

MAX_XML_DEPTH = 100
"""Deepest element nesting in a GPX or TCX file (real files nest under 10 deep)."""

MAX_XML_ELEMENTS = 800_000
"""Most XML elements in one GPX or TCX file: about 22 hours of TCX recorded every second (ten
elements a point), 30 hours of GPX with heart rate and cadence. An element costs ~230 bytes in
a TCX tree and ~190 in gpxpy's (its tree, then a deep copy of <extensions>), so 800,000 of them
(3 MB of `<a/>`) stay under 300 MB with the process's own 90 MB."""

MAX_GPX_BYTES = 16 * 2**20
"""Largest GPX file (gpxpy's tree costs ~12 bytes of memory per byte of GPX): 16 MB is about
19 hours at one point per second with heart rate and cadence, 48 hours without."""

MAX_FIT_BYTES = 16 * 2**20
"""Largest FIT file: a week recorded every second is ~15 MB. fitdecode reads ~1.5 s of CPU per
MB of records (measured on the shared test machine), so this bounds a FIT's time too."""

MAX_TCX_BYTES = 32 * 2**20
"""Largest TCX file (MAX_XML_ELEMENTS usually refuses a big one first)."""

_POINT_TAGS = ("trkpt", "Trackpoint")
_CHUNK = 1 << 20


class _Refused(Exception):
    """Raised inside the expat handlers to stop the scan at once."""


def prescan_xml(doc: bytes | str, kind: str, filename: str | None) -> None:
    """Scan an XML document without building it; raise before a tree is built if it is hostile.

    `doc` must be exactly what the real parser will be given (bytes for TCX, the decoded text
    for GPX), so that both see the same elements. Raises CorruptFile (malformed XML, a DTD),
    FileTooLarge (deeper than MAX_XML_DEPTH, more than MAX_XML_ELEMENTS elements, more than
    MAX_SAMPLES track points, or MAX_GPX_POINTS in a GPX). Memory: one chunk of the document
    (and, for text, arrays of one integer per "<"); time: linear in its size.

    Text (GPX) is first measured at C speed (`_within_limits`): when that proves every bound,
    expat only checks that the document is well-formed and has no DTD, with no Python call per
    element; otherwise (and for bytes) expat counts every element, as the refusal needs. The
    same fault gives the same error either way. The well-formedness check is part of the
    bound: gpxpy deletes the first ` xmlns="..."` of the text before it parses it, and on a
    malformed text that deletion could close what was open (end tags inside it) and nest far
    deeper; from a well-formed text it can only remove.
    """
    max_points = min(MAX_SAMPLES, MAX_GPX_POINTS) if kind == "GPX" else MAX_SAMPLES
    counted = isinstance(doc, str) and _within_limits(doc, max_points)
    parser = expat.ParserCreate()
    depth = elements = points = 0

    def start(name: str, _attrs: object) -> None:
        nonlocal depth, elements, points
        depth += 1
        elements += 1
        if depth > MAX_XML_DEPTH:
            raise _Refused(
                f"This {kind} file nests its elements more than {MAX_XML_DEPTH} deep, which no "
                "watch or app writes; Legday refuses it for safety."
            )
        if name.endswith(_POINT_TAGS):
            points += 1
            if points > max_points:
                raise _Refused(_too_many_samples(kind, max_points))
        if elements > MAX_XML_ELEMENTS:
            raise _Refused(
                f"This {kind} file holds over {MAX_XML_ELEMENTS:,} XML elements; Legday reads "
                "files up to that size (22 hours recorded every second); export a FIT file instead."
            )

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1

    def dtd(*_args: object) -> None:
        raise _Refused("dtd")

    if not counted:
        parser.StartElementHandler = start
        parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = dtd
    parser.EntityDeclHandler = dtd
    try:
        for i in range(_content_start(doc), len(doc), _CHUNK):
            parser.Parse(doc[i : i + _CHUNK], False)
        parser.Parse(b"" if isinstance(doc, bytes) else "", True)
    except _Refused as exc:
        if str(exc) == "dtd":
            raise CorruptFile(
                f"This {kind} file declares a DTD or XML entities, which Legday does not accept "
                "for safety; export it again from your watch or app.",
                filename=filename,
            ) from None
        raise FileTooLarge(str(exc), filename=filename) from None
    except expat.ExpatError as exc:
        raise CorruptFile(
            f"This {kind} file is not well-formed XML (line {exc.lineno:,}); it may be cut off "
            "or damaged.",
            filename=filename,
        ) from None
    except (LookupError, ValueError) as exc:  # an unknown declared encoding
        raise CorruptFile(
            f"This {kind} file declares a text encoding that does not exist; it may be damaged.",
            filename=filename,
        ) from exc


_LT, _GT, _SLASH, _BANG, _QUESTION = b"<>/!?"
_SECTION_ENDS = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"))
_MAX_SECTIONS = 10_000


def _within_limits(text: str, max_points: int) -> bool:
    """True when counting the "<" of `text` proves the bounds `prescan_xml` checks for
    whatever prefix of it expat accepts: nesting at most MAX_XML_DEPTH, at most
    MAX_XML_ELEMENTS elements and at most `max_points` track points. False when it cannot
    tell (a DOCTYPE, a malformed or unclosed section, too many "<"): the exact scan decides.

    expat parses text as its UTF-8 bytes, where markup characters are single ASCII bytes. In
    the part of a document expat accepts, text and attribute values hold no "<", so every "<"
    outside comments, CDATA sections and processing instructions (each skipped here up to its
    first terminator, as expat ends it) opens a tag: "</" an end tag, any other a start tag.
    The running count (start +1, end -1) is therefore at least the depth at every element (an
    empty element `<a/>` is counted as left open, so it can only be over), and the starts are
    the elements. Only if they are over MAX_XML_DEPTH, empty elements are told apart: a start
    tag is empty when the one ">" before the next "<" follows a "/" (a tag cannot hold a "<").
    """
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: the exact scan reports it
        return False
    b = np.frombuffer(raw, dtype=np.uint8)
    is_lt = b == _LT
    if np.count_nonzero(is_lt) > 2 * MAX_XML_ELEMENTS:  # bounds the arrays below
        return False
    lt = np.flatnonzero(is_lt)
    del is_lt
    if lt.size and lt[-1] == len(raw) - 1:
        return False
    after = b[lt + 1]
    special = lt[(after == _BANG) | (after == _QUESTION)]
    if special.size > _MAX_SECTIONS:
        return False
    starts, ends = [], []
    for p in special.tolist():
        if ends and p < ends[-1]:
            continue  # inside the previous comment, CDATA section or instruction
        for opening, closing in _SECTION_ENDS:
            if raw.startswith(opening, p):
                q = raw.find(closing, p + len(opening))
                break
        else:
            return False  # a DOCTYPE (or a stray "<!"): for the exact scan
        if q < 0:
            return False
        starts.append(p)
        ends.append(q + len(closing))
    step = (after != _SLASH).astype(np.int8)  # 1 a start tag, 0 an end tag ...
    step *= 2
    step -= 1  # ... then +1 and -1
    bounds = zip(lt.searchsorted(starts).tolist(), lt.searchsorted(ends).tolist(), strict=True)
    for first, last in bounds:
        step[first:last] = 0  # a section and what it holds
    elements = int(np.count_nonzero(step == 1))
    if elements > MAX_XML_ELEMENTS:
        return False
    if elements > max_points and _point_tags_bound(raw) > max_points:
        return False
    peak = int(np.cumsum(step, dtype=np.int32).max()) if step.size else 0
    if peak <= MAX_XML_DEPTH:
        return True
    # each empty element (`<a/>`, one "/>" each) can have raised the count by one at most
    return peak - raw.count(b"/>") <= MAX_XML_DEPTH and _depth_with_empty_elements(b, lt, step)


def _depth_with_empty_elements(b: np.ndarray, lt: np.ndarray, step: np.ndarray) -> bool:
    """True when the depth is at most MAX_XML_DEPTH with empty elements (`<a/>`) told apart.
    `b`: the document's bytes, `lt`: where its "<" are, `step`: +1 a start tag, -1 an end
    tag, 0 in a section (see `_within_limits`)."""
    gt = np.flatnonzero(b == _GT)
    first = np.searchsorted(gt, lt)  # the first ">" after each "<"
    one = np.diff(first, append=gt.size) == 1  # a single ">" before the next "<"
    closing = gt[np.minimum(first, gt.size - 1)] if gt.size else lt
    empty = (step > 0) & one & (b[np.maximum(closing - 1, 0)] == _SLASH)
    depth = np.cumsum(step - empty, dtype=np.int32) + empty  # one deeper while it lasts
    return int(depth.max()) <= MAX_XML_DEPTH


def _point_tags_bound(raw: bytes) -> int:
    """At least the number of start tags whose name ends in one of _POINT_TAGS (what the exact
    scan counts). Each such name holds an occurrence of the tag that bytes.count counts (it
    skips one only for an overlapping counted one, which cannot reach back over the "<", so
    lies in the same name), not preceded by "/"; each "/" + tag is a counted one that is."""
    total = 0
    for tag in _POINT_TAGS:
        name = tag.encode()
        total += raw.count(name) - raw.count(b"/" + name)
    return total


def _content_start(doc: bytes | str) -> int:
    """Index after a leading BOM and white space: a reader that skips them (messy exports
    start with a blank line) then sees what the scan saw, and one that does not fails on them."""
    head = doc[:4096]
    if isinstance(head, bytes):
        stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    else:
        stripped = head.lstrip("\ufeff \t\r\n")
    return len(head) - len(stripped)


def _too_many_samples(kind: str, limit: int) -> str:
    return (
        f"This {kind} file holds over {limit:,} samples; Legday reads activities up to that "
        f"many ({limit / 3600:.0f} hours recorded every second). Split it into shorter "
        "activities, or export a FIT file."
    )


def check_samples(count: int, kind: str, filename: str | None) -> None:
    """Raise FileTooLarge once a file has given more than MAX_SAMPLES samples."""
    if count > MAX_SAMPLES:
        raise FileTooLarge(_too_many_samples(kind, MAX_SAMPLES), filename=filename)


def check_activity_count(count: int, kind: str, filename: str | None) -> None:
    """Raise FileTooLarge once a file holds more than MAX_ACTIVITIES_PER_FILE activities."""
    if count > MAX_ACTIVITIES_PER_FILE:
        raise FileTooLarge(
            f"This {kind} file holds over {MAX_ACTIVITIES_PER_FILE} activities; Legday reads "
            f"up to {MAX_ACTIVITIES_PER_FILE} per file.",
            filename=filename,
        )


def check_span(elapsed_s: float, distance_m: float, filename: str | None) -> None:
    """Refuse an activity no one can have done: longer than MAX_DURATION_S, or covering more
    than MAX_AVG_SPEED_MPS x its time (+ DISTANCE_SLACK_M). Raises CorruptFile."""
    if not math.isfinite(elapsed_s) or elapsed_s > MAX_DURATION_S:
        raise CorruptFile(
            f"This activity lasts {_span_words(elapsed_s)} from its first to its last sample; "
            f"Legday reads activities up to {MAX_DURATION_S / 86_400:.0f} days long. The "
            "watch's clock may have been wrong: export it again, or split it.",
            filename=filename,
        )
    limit = MAX_AVG_SPEED_MPS * max(elapsed_s, 0.0) + DISTANCE_SLACK_M
    if not math.isfinite(distance_m) or distance_m > limit:
        raise CorruptFile(
            f"This activity covers {_km(distance_m)} in {_span_words(elapsed_s)}, faster than "
            f"{MAX_AVG_SPEED_MPS * 3.6:.0f} km/h on average: its distance is damaged. Export "
            "it again from your watch or app.",
            filename=filename,
        )


def _km(metres: float) -> str:
    return f"{metres / 1000:,.0f} km" if math.isfinite(metres) else "an endless distance"


def _span_words(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "forever"
    if seconds >= 2 * 365 * 86_400:
        return f"{seconds / (365.25 * 86_400):,.0f} years"
    if seconds >= 2 * 86_400:
        return f"{seconds / 86_400:,.0f} days"
    if seconds >= 7_200:
        return f"{seconds / 3_600:,.0f} hours"
    return f"{seconds:,.0f} s"


def split_length_m(total_m: float, base_m: float = 1_000.0) -> float:
    """Split length for an activity of `total_m`: `base_m`, or a whole multiple of it so that
    there are at most MAX_SPLITS splits."""
    if not math.isfinite(total_m) or total_m <= base_m * MAX_SPLITS:
        return base_m
    return base_m * math.ceil(total_m / (base_m * MAX_SPLITS))


def grid_step_s(duration_s: float, base_s: float = 1.0) -> float:
    """Step of the engine's grid over `duration_s`: `base_s`, or longer so that the grid has at
    most MAX_GRID_POINTS points."""
    if not math.isfinite(duration_s) or duration_s <= base_s * (MAX_GRID_POINTS - 1):
        return base_s
    return duration_s / (MAX_GRID_POINTS - 1)
