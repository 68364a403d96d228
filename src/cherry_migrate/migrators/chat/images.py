"""Inline images (base64 ``data:`` URLs in image blocks) promoted to real ``file_entry`` files.

v1 kept generated images inside the block; v2 keeps message data small and files on disk. Each
image is decoded once, written to the run's staging folder (the engine moves it beside the target
database when the run completes) and recorded as an internal ``file_entry`` named
``migrated-image``. Undecodable data stays in the message as it was.
"""

from __future__ import annotations

import binascii
from pathlib import Path

from cherry_migrate.core.ids import new_uuid7
from cherry_migrate.migrators.chat.blocks import DATA_URL, PromotedImage
from cherry_migrate.migrators.common.data_url_images import IMAGE_EXTENSIONS

FILE_ENTRY_COLUMNS = ("id", "origin", "name", "ext", "size", "created_at", "updated_at")
PROMOTED_IMAGE_NAME = "migrated-image"

_SIGNATURES: tuple[tuple[bytes, int, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "png", "image/png"),
    (b"\xff\xd8\xff", 0, "jpg", "image/jpeg"),
    (b"GIF8", 0, "gif", "image/gif"),
    (b"WEBP", 8, "webp", "image/webp"),
    (b"BM", 0, "bmp", "image/bmp"),
)


class InlineImageWriter:
    """The :class:`~cherry_migrate.migrators.chat.blocks.ImageSink` of a run.

    ``staging_dir`` receives the files; ``files_dir`` is where they will live once the run is
    committed (the part URLs point there). File-entry rows collect in :attr:`pending_rows` until the
    caller inserts them with the messages that reference them.
    """

    def __init__(self, staging_dir: Path, files_dir: Path) -> None:
        self._staging_dir = staging_dir
        self._files_dir = files_dir
        self.timestamp_ms = 0
        """Creation time given to the next entries (the message's)."""
        self.pending_rows: list[tuple[object, ...]] = []
        self.promoted = 0
        self.undecodable = 0
        self._recent_ids: set[str] = set()

    def promote(self, data: str, media_type: str | None) -> PromotedImage | None:
        match = DATA_URL.match(data)
        if match is not None:
            media_type = match.group(1).lower() or media_type
            payload = data[match.end() :]
        else:
            payload = data
        try:
            content = binascii.a2b_base64(payload)
        except (binascii.Error, ValueError):
            content = b""
        if not content:
            self.undecodable += 1
            return None
        ext, media_type = _image_type(content, media_type)
        entry_id = new_uuid7(self.timestamp_ms or None)
        filename = f"{entry_id}.{ext}"
        self._staging_dir.mkdir(parents=True, exist_ok=True)
        (self._staging_dir / filename).write_bytes(content)
        self.pending_rows.append(
            (
                entry_id,
                "internal",
                PROMOTED_IMAGE_NAME,
                ext,
                len(content),
                self.timestamp_ms,
                self.timestamp_ms,
            )
        )
        self.promoted += 1
        self._recent_ids.add(entry_id)
        return PromotedImage(entry_id, f"file://{self._files_dir / filename}", media_type)

    def take_rows(self) -> list[tuple[object, ...]]:
        rows, self.pending_rows = self.pending_rows, []
        return rows

    def take_promoted_ids(self) -> set[str]:
        """Ids of the entries created since the last call (the current message's images)."""
        ids, self._recent_ids = self._recent_ids, set()
        return ids


def _image_type(content: bytes, declared: str | None) -> tuple[str, str]:
    """Extension and media type: the bytes' signature when recognised, else the declared type."""
    for signature, offset, signed_ext, signed_type in _SIGNATURES:
        if content[offset : offset + len(signature)] == signature:
            return signed_ext, signed_type
    media_type = (declared or "").lower()
    ext = IMAGE_EXTENSIONS.get(media_type)
    if ext is not None:
        return ext, media_type
    return "bin", media_type or "application/octet-stream"
