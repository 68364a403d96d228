"""FileMigrator on hand-built Dexie ``files`` rows and a legacy ``Data/Files`` folder, real v2 target."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cherry_migrate.migrators import shared_keys
from cherry_migrate.migrators.file import FileMigrator
from cherry_migrate.migrators.mappings.file_entry import InvalidExtError, display_name, normalize_ext
from tests.conftest import FIXED_NOW_MS
from tests.migrators.harness import counts, run_phases, skips, table

NOW = FIXED_NOW_MS
WIN_DIR = r"C:\Users\me\AppData\Roaming\CherryStudio\Data\Files"
V7_ID = "01890a5d-ac96-774b-bcce-b302099a8057"
CREATED = "2024-06-11T09:00:00.000Z"
CREATED_MS = 1_718_096_400_000


def row(file_id: Any, path: Any, **extra: Any) -> dict[str, Any]:
    values = {
        "id": file_id,
        "name": f"{file_id}.txt",
        "origin_name": "notes.txt",
        "path": path,
        "size": 5,
        "ext": ".txt",
        "type": "text",
        "created_at": CREATED,
        "count": 1,
    }
    values.update(extra)
    return values


@pytest.fixture
def legacy_root(tmp_path: Path) -> Path:
    root = tmp_path / "legacy"
    files = root / "Data" / "Files"
    files.mkdir(parents=True)
    for name, size in (("f1.pdf", 10), ("f3.docx", 3), ("f6.png", 7), (f"{V7_ID}.md", 2), ("f8", 1)):
        (files / name).write_bytes(b"x" * size)
    (tmp_path / "outside.txt").write_bytes(b"outside")
    return root


def legacy_rows(root: Path) -> list[Any]:
    here = f"{root}/Data/Files"
    return [
        row(
            "f1",
            f"{here}/f1.pdf",
            name="f1.pdf",
            origin_name="report.pdf",
            size=10,
            ext=".pdf",
            tokens=3,
            purpose="assistants",
        ),
        row("f2", f"{here}/f2.txt", origin_name=r"C:\docs\plan.v2.txt"),
        row("f3", f"{WIN_DIR}\\f3.docx", name="f3.docx", ext=".docx", size=3, created_at=1_700_000_000_000),
        row("f3b", f"{WIN_DIR}\\f3b.txt", created_at="yesterday"),
        row("f4", r"D:\Other\Data\Files\f4.txt"),
        row("f5", "/tmp/elsewhere/f5.txt"),
        row("f6", f"{here}/f6.png", name="f6.png", ext=".png", size="big", created_at=None),
        row("f7", f"{here}/f7.txt", size=None),
        row("f8", f"{here}/f8", name="f8", origin_name="   .txt", ext="", size=1),
        row(V7_ID, f"{here}/{V7_ID}.md", name=f"{V7_ID}.md.md", ext="md. ", size=2),
        row("f9", f"{here}/f9.x", ext=".a/b"),
        row("f10", f"{here}/../../outside.txt", name="../../outside.txt"),
        row("f1", f"{here}/f1.pdf", name="f1.pdf"),
        row("", f"{here}/x"),
        row("f11", ""),
        row("f12", f"{here}/f12", name=None),
        "not a row",
        row("logo-1", f"{here}/logo-1.txt"),
    ]


def make(make_context: Any, legacy_root: Path | None, rows: list[Any]) -> Any:
    ctx = make_context(dexie={"files": rows}, legacy_root=legacy_root)
    ctx.db.execute(
        "INSERT INTO file_entry (id, origin, name, ext, size, created_at, updated_at) "
        "VALUES ('logo-1', 'internal', 'logo', 'png', 1, 1, 1)"
    )
    return ctx


def test_metadata() -> None:
    assert (FileMigrator.id, FileMigrator.order) == ("file", 2.7)


def test_rows_and_skips(make_context: Any, legacy_root: Path) -> None:
    ctx = make(make_context, legacy_root, legacy_rows(legacy_root))
    migrator = FileMigrator()
    result = run_phases(migrator, ctx)
    assert result.prepared.item_count == 18
    entries = table(ctx.db, "SELECT * FROM file_entry WHERE id != 'logo-1' ORDER BY rowid")
    assert [(e["id"], e["name"], e["ext"], e["size"], e["created_at"], e["updated_at"]) for e in entries] == [
        ("f1", "report", "pdf", 10, CREATED_MS, CREATED_MS),
        ("f2", "plan.v2", "txt", 5, CREATED_MS, CREATED_MS),
        ("f3", "notes", "docx", 3, 1_700_000_000_000, 1_700_000_000_000),
        ("f3b", "notes", "txt", 5, NOW, NOW),
        ("f6", "notes", "png", 7, NOW, NOW),
        ("f8", "f8", None, 1, CREATED_MS, CREATED_MS),
        (V7_ID, "notes", "md", 2, CREATED_MS, CREATED_MS),
    ]
    assert {
        (e["origin"], e["external_path"], e["content_hash"], e["deleted_at"], e["cleanup_policy"])
        for e in entries
    } == {("internal", None, None, None, "manual")}

    assert counts(migrator, "dexie:files") == (18, 7, 11)
    assert skips(migrator, "dexie:files") == {
        "orphan_file": ["f4", "f5", "f10"],
        "invalid_size": ["f7"],
        "invalid_ext": ["f9"],
        "duplicate_id": ["f1", "logo-1"],
        "missing_id": ["#13"],
        "missing_path": ["f11"],
        "missing_name": ["f12"],
        "invalid_row": ["#16"],
    }
    assert result.executed.warnings == [
        "File entry kept although its file is missing from Data/Files: 'f2', 'f3b'",
        "File name unusable as a name; a cleaned-up name or the id is used: 'f2', 'f8'",
        "File creation time unreadable; the migration time is used: 'f3b'",
        "File size unreadable in the record; measured from the file: 'f6'",
    ]
    assert ctx.shared_data[shared_keys.FILE_ENTRY_IDS] == {e["id"] for e in entries} | {"logo-1"}
    stats = result.validated.stats
    assert (stats.source_count, stats.target_count, stats.skipped_count) == (18, 7, 11)


def test_windows_row_is_skipped_when_its_file_is_absent(make_context: Any, legacy_root: Path) -> None:
    ctx = make(make_context, legacy_root, [row("w1", f"{WIN_DIR}\\w1.txt")])
    migrator = FileMigrator()
    run_phases(migrator, ctx)
    assert skips(migrator, "dexie:files") == {"orphan_file": ["w1"]}


def test_without_legacy_folder_rows_under_data_files_are_kept(make_context: Any) -> None:
    rows = [
        row("a", "/home/u/.config/CherryStudio/Data/Files/a.txt"),
        row("b", "/tmp/b.txt"),
        row("c", f"{WIN_DIR}\\c.txt", size=None),
    ]
    ctx = make(make_context, None, rows)
    migrator = FileMigrator()
    result = run_phases(migrator, ctx)
    assert [e["id"] for e in table(ctx.db, "SELECT id FROM file_entry WHERE id != 'logo-1'")] == ["a"]
    assert skips(migrator, "dexie:files") == {"orphan_file": ["b"], "invalid_size": ["c"]}
    assert result.executed.warnings == ["No legacy Data/Files folder: physical files were not checked"]


def test_missing_table(make_context: Any) -> None:
    ctx = make_context()
    migrator = FileMigrator()
    result = run_phases(migrator, ctx)
    assert result.prepared.warnings == ["No Dexie 'files' table; no files migrated"]
    assert ctx.shared_data[shared_keys.FILE_ENTRY_IDS] == set()


def test_rows_stream_in_batches(
    make_context: Any, legacy_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cherry_migrate.migrators.file.BATCH_SIZE", 2)
    here = f"{legacy_root}/Data/Files"
    ctx = make(make_context, legacy_root, [row(f"id{i}", f"{here}/id{i}.txt") for i in range(5)])
    progress: list[float] = []
    migrator = FileMigrator()
    migrator.set_progress_callback(lambda pct, _msg, _i18n: progress.append(pct))
    run_phases(migrator, ctx)
    assert progress == [40.0, 80.0, 100.0]
    assert counts(migrator, "dexie:files") == (5, 5, 0)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (".pdf", "pdf"),
        ("pdf", "pdf"),
        ("", None),
        (None, None),
        ("  ", None),
        (".md. ", "md"),
        (".", None),
        (".tar.gz", "tar.gz"),
    ],
)
def test_normalize_ext(raw: Any, expected: Any) -> None:
    assert normalize_ext(raw) == expected


@pytest.mark.parametrize("raw", [".a/b", ".a\\b", ".x\0", "..pdf", 3])
def test_normalize_ext_rejects(raw: Any) -> None:
    with pytest.raises(InvalidExtError):
        normalize_ext(raw)


def test_display_name_chain() -> None:
    assert display_name({"origin_name": "report.pdf"}, "id") == ("report", False)
    assert display_name({"origin_name": "", "name": "abc.txt"}, "id") == ("abc", False)
    assert display_name({"origin_name": "/x/y/plan.md"}, "id") == ("plan", True)
    assert display_name({"origin_name": "  .md"}, "id") == ("id", True)


def test_present_files_are_copied_for_a_target_elsewhere_and_symlinks_are_not(
    make_context, legacy_root: Path, tmp_path: Path
) -> None:
    files_dir = legacy_root / "Data" / "Files"
    (files_dir / "f9.txt").symlink_to(tmp_path / "outside.txt")
    before = {p.name: p.read_bytes() for p in files_dir.iterdir() if not p.is_symlink()}
    records = [row("f1", f"{files_dir}/f1.pdf", ext=".pdf"), row("f9", f"{files_dir}/f9.txt")]
    ctx = make_context(dexie={"files": records}, legacy_root=legacy_root)
    run_phases(FileMigrator(), ctx)
    staged = ctx.paths.staging_files_dir
    assert sorted(p.name for p in staged.iterdir()) == ["f1.pdf"]
    assert (staged / "f1.pdf").read_bytes() == before["f1.pdf"]
    assert {p.name: p.read_bytes() for p in files_dir.iterdir() if not p.is_symlink()} == before
    assert (files_dir / "f1.pdf").stat().st_nlink == 1, "copied, never hard-linked to the legacy file"


def test_nothing_is_copied_when_the_target_sits_in_the_profile(make_context, legacy_root: Path) -> None:
    records = [row("f1", f"{legacy_root}/Data/Files/f1.pdf", ext=".pdf")]
    ctx = make_context(dexie={"files": records}, legacy_root=legacy_root)
    object.__setattr__(ctx.paths, "target", legacy_root / "Data" / "cherrystudio.sqlite")
    run_phases(FileMigrator(), ctx)
    assert not ctx.paths.staging_files_dir.exists()
