"""Rules for one Dexie ``files`` row (legacy-sources.md §1.3) → one internal ``file_entry`` row
(migrators.md §3.10; CHECKs in target-schema.md §4.2).

Paths in legacy rows are data written on the user's machine, possibly another OS (``C:\\…``): they are
only compared as text here, never opened.
"""

from __future__ import annotations

import re

from cherry_migrate.migrators.common.coerce import nonblank_str

FILE_ENTRY_COLUMNS = ("id", "origin", "name", "ext", "size", "created_at", "updated_at")

MAX_NAME_LENGTH = 255
_SEPARATORS = re.compile(r"[\\/]")


class InvalidExtError(ValueError):
    """The extension cannot be a single, bare path suffix."""


def normalize_ext(raw: object) -> str | None:
    """v1's ``.pdf`` → ``pdf``; empty → None. Trailing dots/spaces (ignored by file systems) are dropped.

    Raises :class:`InvalidExtError` for a non-string or an extension that could not be a path suffix
    (separators, NUL, a second leading dot).
    """
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise InvalidExtError(raw)
    if not raw.strip():
        return None
    ext = (raw[1:] if raw.startswith(".") else raw).rstrip(". \t")
    if not ext:
        return None
    if "\0" in ext or _SEPARATORS.search(ext) or ext.startswith(".") or not ext.strip():
        raise InvalidExtError(raw)
    return ext


def is_safe_name(name: str) -> bool:
    """Usable as a display name and as one path segment."""
    return (
        0 < len(name) <= MAX_NAME_LENGTH
        and "\0" not in name
        and not _SEPARATORS.search(name)
        and name not in (".", "..")
        and bool(name.strip())
    )


def _basename(path: str) -> str:
    """Last segment, with either separator (rows may come from another OS)."""
    return _SEPARATORS.split(path)[-1] or path


def _strip_ext(name: str) -> str:
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


def display_name(record: dict[str, object], file_id: str) -> tuple[str, bool]:
    """The entry's name without extension, and whether it had to be degraded.

    Chain: ``origin_name`` (else ``name``) without its extension → its last path segment, trimmed →
    the row id. The name never names a physical file (those are ``{id}.{ext}``), so degrading is safe.
    """
    source = nonblank_str(record.get("origin_name")) or nonblank_str(record.get("name")) or ""
    raw = _strip_ext(source)
    if is_safe_name(raw):
        return raw, False
    sanitized = _strip_ext(_basename(source)).strip()
    if is_safe_name(sanitized):
        return sanitized, True
    return file_id, True


def normalize_dir(path: str) -> str:
    """A comparison key for a directory path of any OS: ``/`` separators, no trailing one, case-folded."""
    return re.sub(r"/+", "/", path.replace("\\", "/")).rstrip("/").casefold()


def recorded_dir(path: str) -> str:
    """The comparison key of the directory a recorded file path names."""
    return normalize_dir(path).rpartition("/")[0]


def is_files_dir(key: str) -> bool:
    """Whether a directory key is a v1 ``{userData}/Data/Files`` folder."""
    return key.endswith("/data/files") or key == "data/files"


def storage_names(record: dict[str, object], file_id: str, ext: str | None) -> list[str]:
    """Names the physical file may have in ``Data/Files``: the row's ``name`` (normally ``{id}{ext}``),
    then ``{id}.{ext}`` built from the row, for rows whose ``name`` was mangled."""
    names = []
    name = nonblank_str(record.get("name"))
    if name:
        names.append(name)
    built = f"{file_id}.{ext}" if ext else file_id
    if built not in names:
        names.append(built)
    return names
