"""Dexie ``files`` rows (legacy-sources §1.3) and the small physical files they describe."""

from __future__ import annotations

import base64
import random
import struct
import zlib
from collections import Counter
from typing import Any

from .ids import BASE_TIME_MS, DAY_MS, IdFactory, iso
from .output import ExportWriter
from .texts import note_markdown

# The v1 userData folder the profile pretends to come from. Rows keep absolute paths under it, as v1
# wrote them; the export folder itself plays the role of this folder (Data/Files, Data/Notes).
LEGACY_USER_DATA = "/Users/demo/Library/Application Support/CherryStudio"
FILES_DIR = "Data/Files"

FileRow = dict[str, Any]


def png_bytes(rng: random.Random, size: int = 8) -> bytes:
    """A valid ``size``×``size`` RGB PNG with a random solid colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    colour = bytes(rng.getrandbits(8) for _ in range(3))
    raw = b"".join(b"\x00" + colour * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def png_data_url(rng: random.Random) -> str:
    return "data:image/png;base64," + base64.b64encode(png_bytes(rng)).decode()


def _pdf_bytes(text: str) -> bytes:
    """A one-page PDF with correct cross-reference offsets."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _wav_bytes(rng: random.Random) -> bytes:
    samples = bytes(128 + rng.randint(-20, 20) for _ in range(800))
    header = struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF",
        36 + len(samples),
        b"WAVE",
        b"fmt ",
        16,
        1,
        1,
        8000,
        8000,
        1,
        8,
        b"data",
        len(samples),
    )
    return header + samples


# (origin name stem, ext, FileTypes value); cycled through when creating rows.
_KINDS = (
    ("screenshot", ".png", "image"),
    ("report-q3", ".pdf", "document"),
    ("notes", ".md", "text"),
    ("photo", ".png", "image"),
    ("meeting", ".txt", "text"),
    ("voice-memo", ".wav", "audio"),
    ("contract", ".pdf", "document"),
    ("data", ".json", "text"),
    ("diagram", ".png", "image"),
    ("archive", ".zip", "other"),
)


class FileStore:
    """Creates the ``files`` rows, writes their bytes, and counts references for the ``count`` field."""

    def __init__(self, rng: random.Random, ids: IdFactory, writer: ExportWriter) -> None:
        self._rng = rng
        self._ids = ids
        self._writer = writer
        self.rows: list[FileRow] = []
        self.images: list[FileRow] = []
        self.documents: list[FileRow] = []
        self._refs: Counter[str] = Counter()
        self.missing_id = ""  # a row whose physical file does not exist

    def create(self, count: int) -> None:
        """Create ``count`` rows and write their bytes, except for a few rows whose physical file is
        gone (manual clean-up, failed copy): the second row (a PDF, reported as the tricky case) and
        every 40th row from the eighth on."""
        for index in range(count):
            stem, ext, ftype = _KINDS[index % len(_KINDS)]
            keep = index != 1 and index % 40 != 7
            row = self._create_one(f"{stem}-{index + 1}{ext}", ext, ftype, pasted=index == 4, keep=keep)
            if index == 1:
                self.missing_id = row["id"]

    def _content(self, ext: str, origin_name: str) -> bytes:
        rng = self._rng
        if ext == ".png":
            return png_bytes(rng)
        if ext == ".pdf":
            return _pdf_bytes(f"Demo document {origin_name}")
        if ext == ".wav":
            return _wav_bytes(rng)
        if ext == ".json":
            return b'{"rows":[1,2,3],"source":"demo"}\n'
        if ext == ".zip":
            return b"PK\x05\x06" + b"\x00" * 18  # an empty zip archive
        return note_markdown(rng, origin_name).encode()

    def _create_one(self, origin_name: str, ext: str, ftype: str, *, pasted: bool, keep: bool) -> FileRow:
        file_id = self._ids.uuid4()
        name = f"{file_id}{ext}"
        data = self._content(ext, origin_name)
        created = BASE_TIME_MS - self._rng.randint(1, 90) * DAY_MS + self._rng.randint(0, DAY_MS - 1)
        row: FileRow = {
            "id": file_id,
            "name": name,
            "origin_name": "pasted_text.txt" if pasted else origin_name,
            "path": f"{LEGACY_USER_DATA}/{FILES_DIR}/{name}",
            "size": len(data),
            "ext": ext,
            "type": ftype,
            "created_at": iso(created),
            "count": 1,
        }
        if ftype in ("text", "document"):
            row["tokens"] = len(data) // 4
        if pasted:
            row["isPastedText"] = True
            row["pastedTextContent"] = data.decode()
        if ftype == "document" and self._rng.random() < 0.5:
            row["purpose"] = "assistants"
        self.rows.append(row)
        (self.images if ftype == "image" else self.documents).append(row)
        if keep:
            self._writer.write_bytes(f"{FILES_DIR}/{name}", data)
        return row

    def embed(self, row: FileRow) -> FileRow:
        """A FileMetadata copy as blocks, knowledge items and paintings embed it; counts a reference."""
        self._refs[row["id"]] += 1
        return dict(row)

    def pick_image(self) -> FileRow:
        return self.embed(self._rng.choice(self.images))

    def pick_document(self) -> FileRow:
        return self.embed(self._rng.choice(self.documents))

    def write(self) -> int:
        """Write ``dexie_export/files.json`` with the final reference counts."""
        rows = sorted(self.rows, key=lambda r: r["id"])
        for row in rows:
            row["count"] = max(1, self._refs[row["id"]])
        return self._writer.write_rows("dexie_export/files.json", rows)
