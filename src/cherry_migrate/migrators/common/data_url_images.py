"""Images that v1 kept inline as ``data:`` URLs (logos, the avatar, generated pictures), promoted to files.

v2 keeps such images as internal ``file_entry`` files named ``{id}.{ext}``. Upstream transcodes them
to WebP; we keep the bytes exactly as v1 stored them (no quality loss, no image library), with the
extension of their own MIME type. New files go to ``paths.staging_files_dir``; the engine moves them
next to the target only when the run completes.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

from cherry_migrate.core.ids import new_uuid4

IMAGE_EXTENSIONS: dict[str, str] = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/jpg": "jpg",
    "image/pjpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/svg+xml": "svg",
    "image/avif": "avif",
    "image/bmp": "bmp",
    "image/x-icon": "ico",
    "image/vnd.microsoft.icon": "ico",
    "image/heic": "heic",
    "image/tiff": "tiff",
}
"""The image types a v1 image (logo, avatar, generated picture) could be, with the extension v2 gets."""

FILE_ENTRY_COLUMNS = (
    "id",
    "origin",
    "name",
    "ext",
    "size",
    "content_hash",
    "external_path",
    "cleanup_policy",
    "created_at",
    "updated_at",
    "deleted_at",
)

_DATA_URL = re.compile(
    r"^data:(?P<mime>[^;,]*)(?P<params>(?:;[^;,]*)*),(?P<payload>.*)$", re.DOTALL | re.IGNORECASE
)


def is_data_url(value: object) -> bool:
    return isinstance(value, str) and value[:5].lower() == "data:"


@dataclass(frozen=True)
class InlineImage:
    mime: str
    ext: str
    data: bytes


class BadDataUrlError(ValueError):
    """A ``data:`` URL that does not hold a readable image. The message never quotes the data."""


def read_image_data_url(value: str) -> InlineImage:
    """The image a ``data:`` URL holds (base64, padded or not, or percent-encoded)."""
    match = _DATA_URL.match(value.strip())
    if match is None:
        raise BadDataUrlError("the data URL has no comma before its data")
    mime = match.group("mime").strip().lower()
    ext = IMAGE_EXTENSIONS.get(mime)
    if ext is None:
        raise BadDataUrlError("the data URL does not hold a supported image type")
    payload = match.group("payload")
    if any(p.strip().lower() == "base64" for p in match.group("params").split(";")):
        compact = re.sub(r"\s+", "", payload)
        try:
            data = base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise BadDataUrlError("the data URL's base64 data is malformed") from exc
    else:
        data = unquote_to_bytes(payload)
    if not data:
        raise BadDataUrlError("the data URL holds no data")
    return InlineImage(mime=mime, ext=ext, data=data)


def decode_image_data_url(value: str) -> InlineImage | None:
    """Like :func:`read_image_data_url`, but None when the URL is malformed, empty or not an image."""
    try:
        return read_image_data_url(value)
    except BadDataUrlError:
        return None


def stage_image_file(staging_dir: Path, image: InlineImage, name: str, now_ms: int) -> dict[str, Any]:
    """Write ``image`` as ``{id}.{ext}`` under ``staging_dir``; returns its ``file_entry`` row (a dict
    keyed by :data:`FILE_ENTRY_COLUMNS`). The entry is reclaimed by v2 once nothing references it."""
    file_id = new_uuid4()
    staging_dir.mkdir(parents=True, exist_ok=True)
    (staging_dir / f"{file_id}.{image.ext}").write_bytes(image.data)
    return {
        "id": file_id,
        "origin": "internal",
        "name": name,
        "ext": image.ext,
        "size": len(image.data),
        "content_hash": None,
        "external_path": None,
        "cleanup_policy": "delete_when_unreferenced",
        "created_at": now_ms,
        "updated_at": now_ms,
        "deleted_at": None,
    }
