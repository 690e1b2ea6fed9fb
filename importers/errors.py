"""One error family for every file a runner can upload; messages are for the runner."""

from __future__ import annotations


class ActivityFileError(ValueError):
    """A file Legday cannot import. `str(error)` is a sentence a runner understands."""

    def __init__(self, message: str, *, filename: str | None = None) -> None:
        super().__init__(message)
        self.filename = filename


class UnsupportedFormat(ActivityFileError):
    """Not a FIT, GPX, TCX, .gz or .zip file."""


class CorruptFile(ActivityFileError):
    """The file is damaged: cut off, bit-flipped, malformed XML."""


class NoActivityData(ActivityFileError):
    """The file is valid but holds nothing to import (no records, no track)."""


class FileTooLarge(ActivityFileError):
    """Over a size, member-count or compression-ratio limit."""
