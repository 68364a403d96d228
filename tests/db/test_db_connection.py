"""open_target_db: pragmas, schema, wrapped errors; foreign-key checks; transactions."""

from __future__ import annotations

import os
import pickle
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from cherry_migrate.db.connection import FkViolation, foreign_key_violations, open_target_db, transaction
from cherry_migrate.db.errors import TargetDatabaseError
from cherry_migrate.db.schema import CURRENT_SCHEMA_VERSION
from cherry_migrate.db.transaction import atomic

NOBODY = 65534


@contextmanager
def without_root() -> Iterator[None]:
    """Drop root's permission override for the block (directory modes mean nothing to root).

    Only the effective ids change, so the saved root id lets us switch back afterwards.
    """
    if os.geteuid() != 0:
        yield
        return
    try:
        os.setegid(NOBODY)
        os.seteuid(NOBODY)
    except PermissionError:
        os.setegid(0)
        pytest.skip("running as root without the right to switch user ids")
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def read_only_dir() -> Iterator[Path]:
    """A directory that becomes read-only for its owner and everyone else (``make_read_only``).

    Made outside pytest's base directory: that one is private to root, and without root the
    path to the database could not even be traversed.
    """
    with tempfile.TemporaryDirectory(prefix="cherry-migrate-ro-") as name:
        directory = Path(name)
        directory.chmod(0o755)
        yield directory
        directory.chmod(0o755)


def make_read_only(directory: Path) -> None:
    for child in directory.iterdir():
        child.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    directory.chmod(0o555)


def test_opens_a_new_database_ready_for_a_bulk_run(tmp_path: Path) -> None:
    conn = open_target_db(tmp_path / "target.sqlite")
    assert conn.isolation_level is None
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
    assert conn.execute("PRAGMA foreign_keys").fetchone() == (0,)
    assert conn.execute("PRAGMA temp_store").fetchone() == (1,)  # FILE
    assert conn.execute("PRAGMA cache_size").fetchone() == (-65536,)
    assert conn.execute("SELECT max(version) FROM schema_migrations").fetchone() == (CURRENT_SCHEMA_VERSION,)
    assert not conn.in_transaction
    conn.close()


def test_reopening_keeps_data_and_applies_nothing(tmp_path: Path) -> None:
    path = tmp_path / "target.sqlite"
    conn = open_target_db(path)
    conn.execute("INSERT INTO tag (id, name, created_at, updated_at) VALUES ('t', 'x', 1, 1)")
    conn.close()
    conn = open_target_db(path)
    assert conn.execute("SELECT name FROM tag").fetchall() == [("x",)]
    assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone() == (CURRENT_SCHEMA_VERSION,)
    conn.close()


def test_new_database_in_a_read_only_directory(read_only_dir: Path) -> None:
    path = read_only_dir / "target.sqlite"
    make_read_only(read_only_dir)
    with without_root(), pytest.raises(TargetDatabaseError) as caught:
        open_target_db(path)
    error = caught.value
    assert error.stage == "open"
    assert error.path == path
    assert f"Cannot open the target database '{path}'" in str(error)
    assert "SQLITE_CANTOPEN" in str(error)
    assert isinstance(error.__cause__, sqlite3.OperationalError)
    assert not path.exists()


def test_existing_database_in_a_read_only_directory_fails_at_wal(read_only_dir: Path) -> None:
    path = read_only_dir / "target.sqlite"
    path.write_bytes(b"")  # an empty file is a valid, empty database
    make_read_only(read_only_dir)
    with without_root(), pytest.raises(TargetDatabaseError) as caught:
        open_target_db(path)
    assert caught.value.stage == "wal"
    assert caught.value.sqlite_error_name is not None
    assert caught.value.sqlite_error_name.startswith("SQLITE_READONLY")
    assert f"Cannot switch the target database to write-ahead logging '{path}'" in str(caught.value)
    assert "read-only" in str(caught.value)
    assert path.stat().st_size == 0  # nothing was written, not even the schema bookkeeping


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("this is not an SQLite database, just some text that is long enough " * 20)
    with pytest.raises(TargetDatabaseError) as caught:
        open_target_db(path)
    assert caught.value.stage == "open"
    assert str(path) in str(caught.value)
    assert "SQLITE_NOTADB" in str(caught.value)
    assert "not an SQLite database" in str(caught.value)


def test_missing_parent_directory(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "target.sqlite"
    with pytest.raises(TargetDatabaseError, match="Cannot open the target database") as caught:
        open_target_db(path)
    assert caught.value.stage == "open"
    assert str(path) in str(caught.value)


def test_schema_failure_is_reported_and_rolled_back(tmp_path: Path) -> None:
    path = tmp_path / "foreign.sqlite"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE tag (something_else text)")
    other.commit()
    other.close()
    with pytest.raises(TargetDatabaseError) as caught:
        open_target_db(path)
    assert caught.value.stage == "schema"
    assert "table `tag` already exists" in str(caught.value)
    other = sqlite3.connect(path)
    assert other.execute("SELECT name FROM sqlite_master").fetchall() == [("tag",)]
    other.close()


def test_error_survives_pickling(tmp_path: Path) -> None:
    error = TargetDatabaseError("wal", tmp_path / "x.sqlite", sqlite3.OperationalError("disk I/O error"))
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.stage, copy.path, str(copy)) == (error.stage, error.path, str(error))


# --- foreign keys ---------------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = open_target_db(tmp_path / "target.sqlite")
    yield conn
    conn.close()


def add_topic(conn: sqlite3.Connection, topic_id: str, assistant_id: str | None = None) -> None:
    conn.execute(
        "INSERT INTO topic (id, assistant_id, order_key, last_activity_at, created_at, updated_at)"
        " VALUES (?, ?, 'a0', 1, 1, 1)",
        (topic_id, assistant_id),
    )


def test_clean_database_has_no_violations(db: sqlite3.Connection) -> None:
    add_topic(db, "t1")
    assert foreign_key_violations(db) == (0, [])


def test_planted_violations_are_counted_and_sampled(db: sqlite3.Connection) -> None:
    for n in range(7):
        add_topic(db, f"t{n}", assistant_id=f"missing-{n}")  # enforcement is off: rows go in
    db.execute(
        "INSERT INTO entity_tag (entity_type, entity_id, tag_id, created_at, updated_at)"
        " VALUES ('topic', 't1', 'no-such-tag', 1, 1)"
    )
    total, sample = foreign_key_violations(db)
    assert total == 8
    assert len(sample) == 5
    assert all(isinstance(v, FkViolation) for v in sample)

    total, sample = foreign_key_violations(db, "entity_tag")
    assert total == 1
    assert sample == [FkViolation(table="entity_tag", rowid=1, parent="tag", fkid=0)]
    assert str(sample[0]) == "entity_tag(rowid=1)→tag"

    total, sample = foreign_key_violations(db, "topic", limit=2)
    assert (total, [v.parent for v in sample]) == (7, ["assistant", "assistant"])


def test_keyword_table_names_are_quoted(db: sqlite3.Connection) -> None:
    db.execute(
        "INSERT INTO assistant (id, name, emoji, settings, order_key, group_id, created_at, updated_at)"
        " VALUES ('a', 'A', ':)', '{}', 'a0', NULL, 1, 1)"
    )
    assert foreign_key_violations(db, "group") == (0, [])
    assert foreign_key_violations(db, "assistant") == (0, [])


# --- transactions ---------------------------------------------------------------------------------


def count_tags(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM tag").fetchone()[0])


def add_tag(conn: sqlite3.Connection, tag_id: str) -> None:
    conn.execute("INSERT INTO tag (id, name, created_at, updated_at) VALUES (?, ?, 1, 1)", (tag_id, tag_id))


def test_transaction_commits(db: sqlite3.Connection) -> None:
    with transaction(db):
        add_tag(db, "a")
        assert db.in_transaction
    assert not db.in_transaction
    assert count_tags(db) == 1


def test_transaction_rolls_back_on_error(db: sqlite3.Connection) -> None:
    with pytest.raises(KeyError), transaction(db):
        add_tag(db, "a")
        raise KeyError("boom")
    assert not db.in_transaction
    assert count_tags(db) == 0


def test_transaction_takes_the_write_lock_at_begin(tmp_path: Path, db: sqlite3.Connection) -> None:
    other = sqlite3.connect(tmp_path / "target.sqlite", isolation_level=None, timeout=0)
    with transaction(db), pytest.raises(sqlite3.OperationalError, match="locked"):
        other.execute("BEGIN IMMEDIATE")
    other.close()


def test_transaction_does_not_nest(db: sqlite3.Connection) -> None:
    with transaction(db), pytest.raises(RuntimeError, match="atomic"), transaction(db):
        pass


def test_atomic_inside_a_transaction_undoes_only_its_block(db: sqlite3.Connection) -> None:
    with transaction(db):
        add_tag(db, "outer")
        with pytest.raises(ValueError), atomic(db):
            add_tag(db, "inner")
            raise ValueError
        assert db.in_transaction
        with atomic(db):
            add_tag(db, "kept")
    assert sorted(r[0] for r in db.execute("SELECT id FROM tag")) == ["kept", "outer"]


def test_atomic_without_a_transaction_opens_one(db: sqlite3.Connection) -> None:
    with pytest.raises(ValueError), atomic(db):
        add_tag(db, "a")
        assert db.in_transaction
        raise ValueError
    assert count_tags(db) == 0


def test_a_failed_commit_rolls_back(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA defer_foreign_keys = ON")  # violations surface at COMMIT
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"), transaction(db):
        add_topic(db, "t1", assistant_id="missing")
    assert not db.in_transaction
    assert db.execute("SELECT count(*) FROM topic").fetchone() == (0,)
