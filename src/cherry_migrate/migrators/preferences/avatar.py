"""The user avatar: v1 keeps it as a ``data:`` URL in the Dexie settings table, v2 as a file entry
referenced by ``file:<id>`` in ``app.user.avatar``.

The image bytes are written as they are, with the extension of their MIME type: no transcoding, so no
image library and no quality loss. The file goes to the run's staging folder; the engine moves it next
to the target database when the run completes.
"""

from __future__ import annotations

import base64
import binascii
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

IMAGE_EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/jpg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/avif": "avif",
    "image/bmp": "bmp",
    "image/svg+xml": "svg",
    "image/x-icon": "ico",
    "image/vnd.microsoft.icon": "ico",
}
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
AVATAR_FILE_NAME = "avatar"
_WHITESPACE = re.compile(r"\s+")


class BadDataUrlError(ValueError):
    """A ``data:`` URL that does not hold a readable image. The message never quotes the data."""


@dataclass(frozen=True)
class AvatarImage:
    file_id: str
    data: bytes
    ext: str
    """Without the leading dot, as the ``file_entry.ext`` column stores it."""

    @property
    def file_name(self) -> str:
        return f"{self.file_id}.{self.ext}"

    @property
    def preference_value(self) -> str:
        return f"file:{self.file_id}"


def is_data_url(value: object) -> bool:
    return isinstance(value, str) and value[:5].lower() == "data:"


def decode_image_data_url(url: str) -> tuple[bytes, str]:
    """The bytes and file extension of an image ``data:`` URL (base64 or percent-encoded)."""
    header, comma, payload = url.partition(",")
    if not comma:
        raise BadDataUrlError("the data URL has no comma before its data")
    media_type, *parameters = header[5:].split(";")
    ext = IMAGE_EXTENSIONS.get(media_type.strip().lower())
    if ext is None:
        raise BadDataUrlError("the data URL does not hold a supported image type")
    if any(parameter.strip().lower() == "base64" for parameter in parameters):
        compact = _WHITESPACE.sub("", payload)
        try:
            data = base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
        except binascii.Error as exc:
            raise BadDataUrlError("the data URL's base64 data is malformed") from exc
    else:
        data = urllib.parse.unquote_to_bytes(payload)
    if not data:
        raise BadDataUrlError("the data URL holds no data")
    return data, ext


def write_avatar(image: AvatarImage, files_dir: Path) -> Path:
    files_dir.mkdir(parents=True, exist_ok=True)
    path = files_dir / image.file_name
    path.write_bytes(image.data)
    return path


def avatar_file_entry_row(image: AvatarImage, now_ms: int) -> tuple[object, ...]:
    """A ``file_entry`` row in :data:`FILE_ENTRY_COLUMNS` order: an internal, manually managed file."""
    return (
        image.file_id,
        "internal",
        AVATAR_FILE_NAME,
        image.ext,
        len(image.data),
        None,
        None,
        "manual",
        now_ms,
        now_ms,
        None,
    )
