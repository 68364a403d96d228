"""The user avatar: v1 keeps it as a ``data:`` URL in the Dexie settings table, v2 as a file entry
referenced by ``file:<id>`` in ``app.user.avatar``.

The image bytes are written as they are, with the extension of their MIME type: no transcoding, so no
image library and no quality loss. The file goes to the run's staging folder; the engine moves it next
to the target database when the run completes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cherry_migrate.migrators.common.data_url_images import (
    FILE_ENTRY_COLUMNS,
    BadDataUrlError,
    is_data_url,
    read_image_data_url,
)

__all__ = ["FILE_ENTRY_COLUMNS", "AvatarImage", "BadDataUrlError", "decode_image_data_url", "is_data_url"]

AVATAR_FILE_NAME = "avatar"


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


def decode_image_data_url(url: str) -> tuple[bytes, str]:
    """The bytes and file extension of an image ``data:`` URL (base64 or percent-encoded)."""
    image = read_image_data_url(url)
    return image.data, image.ext


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
