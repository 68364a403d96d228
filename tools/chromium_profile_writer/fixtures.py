"""Rebuild the committed profiles under ``tests/fixtures/chromium_profiles/``.

Usage (from the repository root; Chromium and npm needed)::

    python -m tools.chromium_profile_writer.fixtures [small] [large-value] [updated]

Each profile folder holds ``profile/`` (what the writer wrote) and ``export/`` (the rows it must
decode to). The named folders are replaced; without names all three are rebuilt:

``small``
    a generated export of 60 messages, written as is;
``large-value``
    the same with two ``main_text`` blocks made big: one with incompressible text (stored in a
    blob file) and one with repetitive text (Snappy-compressed inside LevelDB);
``updated``
    written with ``--updates``: ``export/`` holds the rows left after the second session.
"""

from __future__ import annotations

import base64
import json
import random
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from cherry_migrate.sampledata import generate_export

from .updates import dump_rows
from .write_profile import write_profile

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "chromium_profiles"
MESSAGES = 60
INCOMPRESSIBLE_BYTES = 54 * 1024  # random bytes, base64: 72 KiB of text
COMPRESSIBLE_REPEATS = 1600  # a 64-character paragraph: 100 KiB of text
_PARAGRAPH = "The same paragraph again, as a model stuck in a loop writes it. "


def add_large_values(export: Path, seed: int) -> None:
    """Give the first two ``main_text`` blocks (in key order) a big incompressible and a big
    repetitive ``content``; both values exceed Chromium's 64 KiB blob threshold."""
    path = export / "dexie_export" / "message_blocks.json"
    rows = json.loads(path.read_bytes())
    main_text = [row for row in rows if row.get("type") == "main_text"]
    noise = base64.b64encode(random.Random(seed).randbytes(INCOMPRESSIBLE_BYTES)).decode("ascii")
    main_text[0]["content"] = noise
    main_text[1]["content"] = _PARAGRAPH * COMPRESSIBLE_REPEATS
    path.write_bytes(dump_rows(rows))


def build_small(target: Path) -> None:
    generate_export(target / "export", seed=11, messages=MESSAGES)
    write_profile(target / "export", target / "profile", log=_quiet)


def build_large_value(target: Path) -> None:
    generate_export(target / "export", seed=12, messages=MESSAGES)
    add_large_values(target / "export", seed=12)
    write_profile(target / "export", target / "profile", log=_quiet)


def build_updated(target: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="chromium-profile-export-") as scratch:
        initial = Path(scratch) / "export"
        generate_export(initial, seed=13, messages=MESSAGES)
        write_profile(initial, target / "profile", updates=True, log=_quiet)


def _quiet(_: str) -> None:
    pass


BUILDERS: dict[str, Callable[[Path], None]] = {
    "small": build_small,
    "large-value": build_large_value,
    "updated": build_updated,
}


def main(argv: list[str] | None = None) -> int:
    names = (sys.argv[1:] if argv is None else argv) or list(BUILDERS)
    unknown = set(names) - set(BUILDERS)
    if unknown:
        print(f"unknown profile(s): {', '.join(sorted(unknown))}; known: {', '.join(BUILDERS)}")
        return 2
    for name in names:
        target = FIXTURES / name
        if target.exists():
            shutil.rmtree(target)
        BUILDERS[name](target)
        size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
        print(f"{name}: {size / 1024:.0f} KiB in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
