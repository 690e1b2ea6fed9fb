"""bytes -> Activity: every running file a watch or phone produces (FIT, GPX, TCX, .gz, .zip).

    load(data, filename) -> list[Activity]       raises an ActivityFileError subclass
    iter_load(data, filename) -> Iterator[Imported]   one result per file or archive member

The format is found from the content (FIT header, gzip/zip magic, XML root element); the name
is only used to word the error when the content is something else.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from importers import archive, collector, export_index, fit, gpx, limits, tcx, xmlsafe
from importers.activity import Activity
from importers.errors import (
    ActivityFileError,
    CorruptFile,
    FileTooLarge,
    NoActivityData,
    UnsupportedFormat,
)

__all__ = [
    "Activity",
    "ActivityFileError",
    "CorruptFile",
    "FileTooLarge",
    "Imported",
    "IndexEntry",
    "NoActivityData",
    "UnsupportedFormat",
    "detect",
    "iter_load",
    "iter_members",
    "load",
    "load_member",
]

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")
# One activity file, after unpacking: far above any real recording (a 4-hour run is 0.4 MB as
# FIT, 3.3 MB as GPX) and low enough that parsing stays under 300 MB of memory and bounded in
# time (see importers.limits).
MAX_BYTES = {"fit": limits.MAX_FIT_BYTES, "gpx": limits.MAX_GPX_BYTES, "tcx": limits.MAX_TCX_BYTES}
_ROOT = re.compile(rb"<(?![?!])(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_KNOWN_BINARIES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG photo",
    b"%PDF": "a PDF document",
    b"GIF8": "a GIF image",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"BZh": "a .bz2 file",
}


@dataclass(frozen=True, slots=True)
class Imported:
    """The result for one file (or one member of an archive).

    `data` is that file's own bytes as uploaded (an archive member's bytes as stored in the
    archive, else the whole upload), so a caller keeps the original without opening the
    archive again; `total` is how many files the upload holds (an archive's members, else 1).
    """

    source_name: str
    activities: list[Activity] = field(default_factory=list)
    error: ActivityFileError | None = None
    skipped: str | None = None  # why a member was not read (not an activity file)
    data: bytes = b""
    total: int = 1


def detect(data: bytes) -> str | None:
    """'fit', 'gpx', 'tcx', 'gz', 'zip' from the content, or None."""
    if fit.is_fit(data):
        return "fit"
    if archive.is_gzip(data):
        return "gz"
    if archive.is_zip(data):
        return "zip"
    head = xmlsafe.as_utf8(data[:4096]).lstrip(b"\xef\xbb\xbf \t\r\n")  # UTF-16 too
    if head.startswith(b"<"):
        m = _ROOT.search(_COMMENT.sub(b"", head))
        if m:
            root = m.group(1)
            if root == b"gpx":
                return "gpx"
            if root == b"TrainingCenterDatabase":
                return "tcx"
    return None


def load(data: bytes, filename: str, *, limits: archive.Limits = archive.LIMITS) -> list[Activity]:
    """Every activity in the file; for an archive, every activity of every member.

    Members of an archive that are not activity files are skipped; damaged members are left
    out too when other members import (iter_load reports each one). Raises ActivityFileError.
    """
    kind = detect(data)
    if kind != "zip" and kind != "gz":
        return _load_one(data, filename, kind)
    if kind == "gz":
        inner = archive.gunzip(data, filename, limits)
        if archive.is_zip(inner):
            return _zip_all(inner, filename, limits)
        return _load_one(inner, filename, detect(inner))
    return _zip_all(data, filename, limits)


def _zip_all(data: bytes, filename: str, limits: archive.Limits) -> list[Activity]:
    activities: list[Activity] = []
    errors: list[ActivityFileError] = []
    skipped = 0
    for result in iter_load(data, filename, limits=limits):
        activities.extend(result.activities)
        if result.error is not None:
            errors.append(result.error)
        if result.skipped is not None:
            skipped += 1
    if activities:
        return activities
    if errors:
        raise errors[0]
    raise NoActivityData(
        f"This archive holds no activity files ({skipped:,} other files were skipped).",
        filename=filename,
    )


def iter_load(
    data: bytes, filename: str, *, limits: archive.Limits = archive.LIMITS
) -> Iterator[Imported]:
    """One Imported per file (per member of a .zip). Never raises ActivityFileError: a file or
    member that cannot be read comes back with `error` set; an archive over its limits ends
    the iteration with one Imported for the archive carrying the error.

    The upload is read once: a zip is opened once (archive.iter_zip) and each member's bytes
    go to one parser, once; every Imported carries its file's bytes (`data`)."""
    upload = data
    try:
        data, kind = _ungzip(data, filename, limits)
    except ActivityFileError as exc:
        yield Imported(filename, error=exc, data=upload)
        return
    if kind != "zip":
        yield dataclasses.replace(_one(data, filename, kind), data=upload)
        return
    yield from _zip_results(data, filename, limits)


def _zip_results(data: bytes, filename: str, limits: archive.Limits) -> Iterator[Imported]:
    """One Imported per member; a zip inside (Garmin's account export) is opened once, with the
    same limits; a Strava export's activities.csv names the sport and title of each file."""
    try:
        for member, entry in iter_members(data, filename, limits=limits):
            yield load_member(member, entry, limits=limits)
    except ActivityFileError as exc:
        yield Imported(filename, error=exc, data=data)


IndexEntry = tuple[str | None, str | None]  # (sport, title) from an export's activities.csv


def iter_members(
    data: bytes | BinaryIO, filename: str, *, limits: archive.Limits = archive.LIMITS
) -> Iterator[tuple[archive.Member, IndexEntry | None]]:
    """Each member of a zip to parse (unread: skipped), in order, with its export-index entry;
    a zip inside (Garmin's account export) is opened once and its members come in its place.
    `data`: the zip's bytes or a seekable binary file. The web app's process pool parses
    these one per task with `load_member`. Raises ActivityFileError when the archive itself
    cannot be opened or is over its limits (a nested one yields its error as a member)."""
    with archive.open_zip(data, filename) as zf:
        yield from _members_of(zf, filename, limits, nested=False)


def _members_of(zf, filename: str, limits: archive.Limits, nested: bool):
    index = export_index.read_index(zf, limits)
    for member in archive.iter_zip(zf, filename, limits, _wanted):
        content = member.data
        if nested or not content or not archive.is_zip(content):
            yield member, index.get(member.name)
            continue
        try:
            with archive.open_zip(content, member.name) as inner:
                yield from _members_of(inner, member.name, limits, nested=True)
        except ActivityFileError as exc:
            yield archive.Member(member.name, content, exc, member.total), None


def load_member(
    member: archive.Member,
    entry: IndexEntry | None = None,
    *,
    limits: archive.Limits = archive.LIMITS,
) -> Imported:
    """One member from `iter_members` parsed, as iter_load yields it. Never raises."""
    if member.skipped is not None:
        return Imported(member.name, skipped=member.skipped, total=member.total)
    if member.error is not None:
        error = _family(member.error, member.name)
        return Imported(member.name, error=error, total=member.total, data=member.data or b"")
    content = member.data or b""
    result = _member(member.name, content, limits)
    if entry is not None and result.activities:
        acts = [export_index.apply_index(a, entry) for a in result.activities]
        result = dataclasses.replace(result, activities=acts)
    return dataclasses.replace(result, data=content, total=member.total)


_READ_SUFFIXES = (*ACTIVITY_SUFFIXES, ".gz", ".zip")


def _wanted(name: str) -> bool:
    """Read a member named like an activity file or an archive, or with no suffix at all; never
    the resource forks macOS adds to the zips it makes (`__MACOSX/`, `._run.fit`), which are
    named like the files they belong to but hold no activity."""
    base = name.rsplit("/", 1)[-1].lower()
    if base.startswith("._") or name.startswith("__MACOSX/") or "/__MACOSX/" in name:
        return False
    return "." not in base or base.endswith(_READ_SUFFIXES)


def _ungzip(data: bytes, name: str, limits: archive.Limits) -> tuple[bytes, str | None]:
    """The content of a .gz (or the data itself) and its detected kind."""
    kind = detect(data)
    if kind == "gz":
        data = archive.gunzip(data, name, limits)
        kind = detect(data)
    return data, kind


def _member(name: str, data: bytes, limits: archive.Limits) -> Imported:
    try:
        data, kind = _ungzip(data, name, limits)
    except ActivityFileError as exc:
        return Imported(name, error=exc)
    if kind == "zip":
        return Imported(name, skipped="a zip nested more than one level deep (not opened)")
    if kind is None:
        if not _named_like_activity(name) or not data:
            return Imported(name, skipped="not an activity file")
    return _one(data, name, kind)


def _one(data: bytes, filename: str, kind: str | None) -> Imported:
    try:
        return Imported(filename, activities=_load_one(data, filename, kind))
    except ActivityFileError as exc:
        return Imported(filename, error=exc)


def _family(exc: Exception, name: str) -> ActivityFileError:
    if isinstance(exc, ActivityFileError):
        return exc
    err = CorruptFile("This file cannot be read.", filename=name)
    err.__cause__ = exc
    return err


def _load_one(data: bytes, filename: str, kind: str | None) -> list[Activity]:
    try:
        with collector.paused():
            return _parse(data, filename, kind)
    except ActivityFileError:
        raise
    except Exception as exc:  # a safety net: a damaged file must never reach the runner as a 500
        err = CorruptFile(
            "This file is damaged in a way Legday cannot read; export it again from your watch "
            "or app.",
            filename=filename,
        )
        err.internal = True  # marks a gap in the importer itself (the tests look for it)
        raise err from exc


def _parse(data: bytes, filename: str, kind: str | None) -> list[Activity]:
    if not data:
        raise NoActivityData("This file is empty: was the upload interrupted?", filename=filename)
    limit = MAX_BYTES.get(kind or "")
    if limit is not None and len(data) > limit:
        raise FileTooLarge(
            f"This {kind.upper()} file is {len(data) / 2**20:.0f} MB; Legday reads activity files "
            f"up to {limit // 2**20} MB (a 24-hour run is about 3 MB as FIT); export a FIT file "
            "or split the activity.",
            filename=filename,
        )
    if kind == "fit":
        return fit.parse(data, filename)
    if kind == "gpx":
        return gpx.parse(data, filename)
    if kind == "tcx":
        return tcx.parse(data, filename)
    if kind == "gz":  # only one level: a .gz that holds a .gz could hold itself forever
        raise UnsupportedFormat(
            "This .gz file holds another .gz file; unpack it once and upload what is inside.",
            filename=filename,
        )
    if kind == "zip":
        return load(data, filename)
    raise UnsupportedFormat(_unsupported(data, filename), filename=filename)


def _unsupported(data: bytes, filename: str) -> str:
    what = next((label for magic, label in _KNOWN_BINARIES.items() if data.startswith(magic)), None)
    name = _strip_gz(filename.lower())
    suffix = next((s for s in ACTIVITY_SUFFIXES if name.endswith(s)), None)
    if suffix is not None:
        seems = f"it looks like {what}" if what else "its content is not in that format"
        return f"This file is named {suffix} but is not a {suffix[1:].upper()} file: {seems}."
    if what:
        return f"This is {what}, not an activity file. Legday reads FIT, GPX, TCX, .gz and .zip."
    return "This is not an activity file Legday can read: upload FIT, GPX, TCX, .gz or .zip files."


def _named_like_activity(name: str) -> bool:
    n = _strip_gz(name.lower())
    return n.endswith(ACTIVITY_SUFFIXES)


def _strip_gz(name: str) -> str:
    return name[:-3] if name.lower().endswith(".gz") else name
