"""NoteMigrator on hand-built ``note`` slices, with and without a notes folder on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cherry_migrate.migrators.note.migrator import EXPANDED_KIND, STARRED_KIND, NoteMigrator
from cherry_migrate.migrators.note.paths import relative_to_root
from tests.conftest import FIXED_NOW_MS
from tests.migrators.harness import counts, run_phases, skips, table

ORIGINAL = "/Users/demo/Library/Application Support/CherryStudio/Data/Notes"


def note_rows(ctx: Any) -> list[tuple[str, str, int, int]]:
    rows = table(ctx.db, "SELECT * FROM note ORDER BY path")
    for row in rows:
        assert row["created_at"] == row["updated_at"] == FIXED_NOW_MS
        assert len(row["id"]) == 36
    return [(r["root_path"], r["path"], r["is_starred"], r["is_expanded"]) for r in rows]


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    """A legacy data folder whose ``Data/Notes`` holds a.md, sub/b.md and a symlink leading out."""
    root = tmp_path / "profile"
    notes = root / "Data" / "Notes"
    (notes / "sub").mkdir(parents=True)
    (notes / "a.md").write_text("# A")
    (notes / "sub" / "b.md").write_text("# B")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.md").write_text("not a note")
    (notes / "link").symlink_to(outside, target_is_directory=True)
    return root


def test_state_checked_against_the_profile_notes_folder(make_context: Any, profile: Path) -> None:
    note = {
        "notesPath": ORIGINAL + "/",
        "starredPaths": [
            f"{ORIGINAL}/a.md",
            f"  {ORIGINAL}/sub/b.md  ",
            "/etc/passwd",
            f"{ORIGINAL}/../../secret.md",
            f"{ORIGINAL}/gone.md",
            f"{ORIGINAL}/link/secret.md",
            "   ",
            42,
            f"{ORIGINAL}/a.md",
        ],
        "expandedPaths": [f"{ORIGINAL}/sub", f"{ORIGINAL}/a.md"],
        "activeFilePath": f"{ORIGINAL}/a.md",
    }
    ctx = make_context(redux={"note": note}, legacy_root=profile)
    migrator = NoteMigrator()
    result = run_phases(migrator, ctx)

    root = ORIGINAL + "/"
    assert note_rows(ctx) == [
        (root, f"{ORIGINAL}/a.md", 1, 1),
        (root, f"{ORIGINAL}/sub", 0, 1),
        (root, f"{ORIGINAL}/sub/b.md", 1, 0),
    ]
    assert skips(migrator, STARRED_KIND) == {
        "outside_notes_folder": ["/etc/passwd", f"{ORIGINAL}/../../secret.md"],
        "note_not_found": [f"{ORIGINAL}/gone.md"],
        "outside_legacy_folder": [f"{ORIGINAL}/link/secret.md"],
        "invalid_path": ["#6", "#7"],
        "duplicate_path": [f"{ORIGINAL}/a.md"],
    }
    assert counts(migrator, STARRED_KIND) == (9, 2, 7)
    assert counts(migrator, EXPANDED_KIND) == (2, 2, 0)
    assert result.prepared.item_count == 11
    assert result.executed.processed_count == 3
    stats = result.validated.stats
    assert (stats.source_count, stats.target_count, stats.skipped_count) == (10, 3, 7)
    assert result.executed.warnings == []


def test_notes_path_inside_the_legacy_folder_is_used_as_is(make_context: Any, tmp_path: Path) -> None:
    root = tmp_path / "profile"
    custom = root / "MyNotes"
    custom.mkdir(parents=True)
    (custom / "x.md").write_text("x")
    note = {"notesPath": str(custom), "starredPaths": [str(custom / "x.md"), str(custom / "y.md")]}
    ctx = make_context(redux={"note": note}, legacy_root=root)
    migrator = NoteMigrator()
    run_phases(migrator, ctx)

    assert note_rows(ctx) == [(str(custom), str(custom / "x.md"), 1, 0)]
    assert skips(migrator, STARRED_KIND) == {"note_not_found": [str(custom / "y.md")]}


def test_without_a_notes_folder_state_is_kept_unchecked(make_context: Any) -> None:
    note = {
        "notesPath": "C:\\Users\\me\\Notes",
        "starredPaths": ["c:\\users\\me\\notes\\Plan.md", "D:\\other\\x.md"],
        "expandedPaths": ["C:\\Users\\me\\Notes\\Work"],
    }
    ctx = make_context(redux={"note": note})
    migrator = NoteMigrator()
    result = run_phases(migrator, ctx)

    assert note_rows(ctx) == [
        ("C:/Users/me/Notes", "C:/Users/me/Notes/Work", 0, 1),
        ("C:/Users/me/Notes", "c:/users/me/notes/Plan.md", 1, 0),
    ]
    assert skips(migrator, STARRED_KIND) == {"outside_notes_folder": ["D:/other/x.md"]}
    assert result.executed.warnings == [
        "The notes folder is not part of the legacy data; note state was kept without checking the files."
    ]


def test_empty_notes_path_skips_every_entry(make_context: Any) -> None:
    note = {"notesPath": "", "starredPaths": ["/n/a.md"], "expandedPaths": ["/n/a.md", "/n/b"]}
    ctx = make_context(redux={"note": note})
    migrator = NoteMigrator()
    result = run_phases(migrator, ctx)

    assert note_rows(ctx) == []
    assert skips(migrator, STARRED_KIND) == {"notes_path_empty": ["/n/a.md"]}
    assert skips(migrator, EXPANDED_KIND) == {"notes_path_empty": ["/n/a.md", "/n/b"]}
    assert result.executed.warnings == [
        "The note slice has no notesPath; starred and expanded state was not migrated."
    ]


def test_malformed_slices(make_context: Any) -> None:
    ctx = make_context(redux={"note": {"notesPath": "/n", "starredPaths": "/n/a.md", "expandedPaths": None}})
    migrator = NoteMigrator()
    result = run_phases(migrator, ctx)
    assert note_rows(ctx) == []
    assert skips(migrator, STARRED_KIND) == {"not_a_list": [STARRED_KIND]}
    assert result.prepared.item_count == 1

    for state in (None, ["not", "an", "object"]):
        ctx = make_context(redux={"note": state} if state is not None else {})
        migrator = NoteMigrator()
        result = run_phases(migrator, ctx)
        assert note_rows(ctx) == []
        assert migrator.ledger.total_read == 0


@pytest.mark.parametrize(
    ("path", "root", "expected"),
    [
        ("/a/b/c.md", "/a/b", "c.md"),
        ("/a/b", "/a/b/", ""),
        ("/a/bc/d.md", "/a/b", None),
        ("/a/b/../c.md", "/a/b", None),
        ("/a/b/./x/../y.md", "/a/b", "y.md"),
        ("C:/Notes/A.md", "c:/notes", "A.md"),
        ("/Notes/A.md", "/notes", None),
        ("relative/x.md", "/a", None),
    ],
)
def test_relative_to_root(path: str, root: str, expected: str | None) -> None:
    assert relative_to_root(path, root) == expected
