""".gz files and .zip archives (a whole bulk export), opened within limits.

A zip is read member by member: only one member's bytes are in memory at a time, and each
read is capped, so a member that lies about its size cannot blow up memory. Limits: number of
members, uncompressed bytes per member and in total, and the compression ratio (a zip bomb
expands hundreds of times; real activity files 3-20 times).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from importers.errors import CorruptFile, FileTooLarge


@dataclass(frozen=True, slots=True)
class Limits:
    max_members: int = 20_000
    max_member_bytes: int = 64 * 1024 * 1024
    max_total_bytes: int = 4 * 1024 * 1024 * 1024
    max_ratio: float = 200.0


LIMITS = Limits()


def is_gzip(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


def is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def gunzip(data: bytes, filename: str | None, limits: Limits = LIMITS) -> bytes:
    """The content of a .gz file, refused past `max_member_bytes` or `max_ratio`."""
    cap = min(limits.max_member_bytes, int(max(len(data), 1) * limits.max_ratio))
    out = io.BytesIO()
    rest = data
    try:
        # concatenated gzip members are legal; read them all within the same cap
        while rest:
            d = zlib.decompressobj(wbits=31)
            out.write(d.decompress(rest, cap + 1 - out.tell()))
            if out.tell() > cap:
                break
            if not d.eof:
                raise CorruptFile(
                    "This .gz file is cut off: was the upload interrupted?", filename=filename
                )
            rest = d.unused_data
            if rest[:2] != b"\x1f\x8b":
                break
    except zlib.error as exc:
        raise CorruptFile(
            "This .gz file is damaged and cannot be unpacked.", filename=filename
        ) from exc
    if out.tell() > cap:
        raise FileTooLarge(_too_large(cap, limits, "This .gz file"), filename=filename)
    return out.getvalue()


def _too_large(cap: int, limits: Limits, what: str) -> str:
    if cap < limits.max_member_bytes:
        return (
            f"{what} unpacks to over {limits.max_ratio:.0f} times its size, which no activity "
            "file does; it was not opened."
        )
    return f"{what} unpacks to more than {limits.max_member_bytes // 2**20} MB; it was not opened."


@dataclass(frozen=True, slots=True)
class Member:
    """One file of an archive: its name, its bytes as stored in the archive, and the count of
    files the archive holds (folders not counted), known before the first member is read."""

    name: str
    data: bytes | None  # None when `error` or `skipped` is set
    error: Exception | None = None
    total: int = 1
    skipped: str | None = None  # why it was not read (`wanted` said no)


def _broken(name: str, message: str, cause: Exception, total: int) -> Member:
    err = CorruptFile(message, filename=name)
    err.__cause__ = cause
    return Member(name, None, err, total)


def open_zip(data: bytes | BinaryIO, filename: str | None) -> zipfile.ZipFile:
    """The archive opened (not yet read) from its bytes or a seekable binary file (a big
    upload spooled to disk, read member by member, never whole); CorruptFile when it cannot be."""
    try:
        return zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
    except Exception as exc:  # BadZipFile, NotImplementedError('zip file version'), EOFError...
        raise CorruptFile(
            "This .zip archive is damaged or incomplete and cannot be opened.", filename=filename
        ) from exc


def iter_zip(
    data: bytes | BinaryIO | zipfile.ZipFile,
    filename: str | None,
    limits: Limits = LIMITS,
    wanted: Callable[[str], bool] | None = None,
) -> Iterator[Member]:
    """Each file of the archive (folders skipped), read one at a time within the limits.

    The one place a zip is opened on the way in: the importers read each member's bytes from
    here, and the web app stores and counts them from the same Members (`Member.total`).
    `data`: the archive's bytes, a seekable binary file, or a ZipFile the caller opened with
    `open_zip` (to read an index member first).
    A member whose name `wanted` refuses is yielded as skipped ("not an activity file")
    without being read, so no size limit applies to it (Apple Health's export.xml, photos).

    Raises CorruptFile for an unreadable archive and FileTooLarge when the member count or the
    total size is over the limit (before or during reading); a member over its own limits is
    yielded with an error instead.
    """
    if isinstance(data, zipfile.ZipFile):  # opened by the caller, who closes it
        yield from _members(data, filename, limits, wanted)
        return
    with open_zip(data, filename) as zf:
        yield from _members(zf, filename, limits, wanted)


def _members(
    zf: zipfile.ZipFile,
    filename: str | None,
    limits: Limits,
    wanted: Callable[[str], bool] | None,
) -> Iterator[Member]:
    infos = [i for i in zf.infolist() if not i.is_dir()]
    if len(infos) > limits.max_members:
        raise FileTooLarge(
            f"This archive holds {len(infos):,} files; Legday opens at most "
            f"{limits.max_members:,} at a time. Split it into smaller archives.",
            filename=filename,
        )
    total = 0
    for info in infos:
        if wanted is not None and not wanted(info.filename):
            yield Member(info.filename, None, total=len(infos), skipped="not an activity file")
            continue
        cap = min(limits.max_member_bytes, limits.max_total_bytes - total)
        cap = min(cap, int(max(info.compress_size, 1) * limits.max_ratio))
        try:
            with zf.open(info) as fh:
                content = fh.read(cap + 1)
        except (NotImplementedError, RuntimeError) as exc:  # method, version, password
            yield _broken(
                info.filename,
                "This file inside the archive is encrypted or uses a compression method "
                "Legday cannot unpack.",
                exc,
                len(infos),
            )
            continue
        except Exception as exc:  # BadZipFile (bad CRC), zlib.error, EOFError...
            yield _broken(
                info.filename,
                "This file inside the archive is damaged and cannot be unpacked.",
                exc,
                len(infos),
            )
            continue
        total += min(len(content), cap)
        if len(content) > cap:
            if total >= limits.max_total_bytes:
                raise FileTooLarge(
                    f"This archive unpacks to more than {limits.max_total_bytes // 2**30} GB;"
                    " split it into smaller archives.",
                    filename=filename,
                )
            yield Member(
                info.filename,
                None,
                FileTooLarge(_too_large(cap, limits, "This file"), filename=info.filename),
                len(infos),
            )
            continue
        yield Member(info.filename, content, None, len(infos))
