"""Shared safety checks and helpers for the XML formats (GPX, TCX)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from importers.errors import CorruptFile

_DECLARED_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def strip_prolog(data: bytes) -> bytes:
    """The document without the whitespace and byte-order marks some exports write before
    `<?xml` (Strava's bulk export: spaces), which XML parsers refuse."""
    start = 0
    while True:
        if data.startswith(b"\xef\xbb\xbf", start):
            start += 3
        elif data[start : start + 1] in (b" ", b"\t", b"\r", b"\n"):
            start += 1
        else:
            return data[start:] if start else data


_WIDE_ENCODING = re.compile(
    rb"""(<\?xml[^>]*encoding\s*=\s*["'])(?:utf-?16|ucs-?2)(?:-?[bl]e)?(["'])""", re.I
)
_XML_START = frozenset(b"< \t\r\n")


def _utf16(data: bytes) -> str | None:
    """The codec of a UTF-16 document (a byte-order mark, or its first character as 16 bits:
    "<" or whitespace, one byte of it 0), else None."""
    if data[:2] == b"\xff\xfe" and data[2:4] != b"\x00\x00":  # ff fe 00 00 is UTF-32
        return "utf-16"
    if data[:2] == b"\xfe\xff":
        return "utf-16"
    if len(data) >= 2 and data[1] == 0 and data[0] in _XML_START:
        return "utf-16-le"
    if len(data) >= 2 and data[0] == 0 and data[1] in _XML_START:
        return "utf-16-be"
    return None


def as_utf8(data: bytes) -> bytes:
    """The document as UTF-8 bytes, for a document written in UTF-16 (Windows tools, .NET's
    XmlWriter) or in UTF-8 under a declaration that says UTF-16 (written through a .NET
    StringWriter): the declaration is made to say UTF-8, so that the parsers read it. Any
    other document is returned as it is."""
    codec = _utf16(data)
    if codec is not None:
        text = data.decode(codec, errors="replace").lstrip("\ufeff")
        data = text.encode("utf-8")
    m = _WIDE_ENCODING.search(data, 0, 400)
    if m is None:
        return data
    return data[: m.start()] + m.group(1) + b"UTF-8" + m.group(2) + data[m.end() :]


class _Declared(Exception):
    """Raised by the prolog check's handlers at a DTD or an entity declaration."""


class _Started(Exception):
    """Raised by the prolog check's handler at the first element: the prolog is over."""


def refuse_dtd(data: bytes, kind: str, filename: str | None) -> None:
    """Raise CorruptFile if the document declares a DTD or entities (reads only the prolog).

    expat reads the bytes as an XML parser does (the declared encoding, namespaces on, 16 KB
    at a time) and stops at the first element: a DTD and entity declarations can only come
    before it. This is what defusedxml's iterparse(forbid_dtd=True) decided up to its first
    event, without building elements in Python.
    """
    parser = expat.ParserCreate(None, "}")

    def declared(*_args: object) -> None:
        raise _Declared

    def started(*_args: object) -> None:
        raise _Started

    parser.StartDoctypeDeclHandler = declared
    parser.EntityDeclHandler = declared
    parser.UnparsedEntityDeclHandler = declared
    parser.ExternalEntityRefHandler = declared
    parser.StartElementHandler = started
    try:
        for i in range(0, len(data), _PROLOG_CHUNK):
            parser.Parse(data[i : i + _PROLOG_CHUNK], False)
        parser.Parse(b"", True)
    except _Started:
        return
    except _Declared:
        raise CorruptFile(
            f"This {kind} file declares a DTD or XML entities, which Legday does not accept "
            "for safety; export it again from your watch or app.",
            filename=filename,
        ) from None
    except expat.ExpatError as exc:
        raise CorruptFile(
            f"This {kind} file is not well-formed XML (line {exc.lineno:,}); it may be cut off "
            "or damaged.",
            filename=filename,
        ) from exc
    except (LookupError, ValueError) as exc:
        raise CorruptFile(
            f"This {kind} file declares a text encoding that does not exist; it may be damaged.",
            filename=filename,
        ) from exc


_PROLOG_CHUNK = 16 * 1024


def _where(exc: ParseError) -> str:
    pos = getattr(exc, "position", None)
    if pos:
        return f"line {pos[0]:,}"
    return "unreadable"


def where(exc: Exception) -> str:
    return _where(exc) if isinstance(exc, ParseError) else "unreadable"


def decode_text(data: bytes) -> str:
    """The document as text: UTF-8 (a BOM is dropped) or the encoding its declaration names."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    m = _DECLARED_ENCODING.search(data[:200])
    if m:
        try:
            return data.decode(m.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("latin-1")


def parse_time(text: str | None) -> float | None:
    """ISO-8601 time as Unix seconds; a time without zone is taken as UTC."""
    if not text:
        return None
    s = text.strip()
    if s.endswith("Z") or s.endswith("z"):
        s = s[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()


def local(tag: object) -> str:
    """An element's tag without its namespace."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]
