"""The window's parts on their own: backup writer, diagnostics nets, languages, catalogs, events."""

from __future__ import annotations

import asyncio
import logging
import re
import zipfile
from datetime import date
from importlib import resources
from pathlib import Path

import orjson
import pytest

from cherry_migrate.core.cancel import CancelToken
from cherry_migrate.core.errors import MigrationCancelledError
from cherry_migrate.core.redaction import MASK, SecretRegistry
from cherry_migrate.sources.resolve import open_sources
from cherry_migrate.window import backup
from cherry_migrate.window.diagnostics import TEXT_REMOVED, Sanitizer, collect_secrets
from cherry_migrate.window.events import EventBroker
from cherry_migrate.window.language import LANGUAGES, catalog, from_accept_language, normalize
from cherry_migrate.window.logbuffer import RingBufferHandler

# ---- backup ---------------------------------------------------------------------------------------


def make_folder(root: Path) -> Path:
    (root / "Data" / "Files").mkdir(parents=True)
    (root / "Data" / "Files" / "a.bin").write_bytes(b"x" * 3_000_000)
    (root / "config.json").write_text("{}", encoding="utf-8")
    (root / "loop").symlink_to(root)
    return root


def test_backup_writes_every_file_with_byte_progress(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "legacy")
    seen: list[backup.BackupProgress] = []
    destination = backup.check_destination(tmp_path / "out", root)
    assert destination.name == "out.zip"
    result = backup.write_backup(root, destination, source_description="test", on_progress=seen.append)
    assert (result.files, result.bytes, result.skipped_links) == (2, 3_000_002, 1)
    assert seen[0].bytes_done == 0 and seen[-1].percent == 100
    assert [p.bytes_done for p in seen] == sorted(p.bytes_done for p in seen)
    with zipfile.ZipFile(destination) as archive:
        assert sorted(archive.namelist()) == [
            "cherry-migrate-backup.json",
            "legacy/Data/Files/a.bin",
            "legacy/config.json",
        ]
        assert archive.read("legacy/Data/Files/a.bin") == b"x" * 3_000_000


def test_cancelled_backup_leaves_no_file(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "legacy")
    token = CancelToken()
    destination = tmp_path / "backup.zip"

    def cancel_midway(progress: backup.BackupProgress) -> None:
        if progress.bytes_done > 0:
            token.cancel()

    with pytest.raises(MigrationCancelledError):
        backup.write_backup(
            root, destination, source_description="t", cancel=token, on_progress=cancel_midway
        )
    assert list(tmp_path.glob("backup.zip*")) == []


@pytest.mark.parametrize("inside", ["backup.zip", "Data/Files/backup.zip", "Data/../x.zip"])
def test_backup_refuses_the_legacy_folder(tmp_path: Path, inside: str) -> None:
    root = make_folder(tmp_path / "legacy")
    with pytest.raises(backup.BackupError, match="inside the legacy data folder"):
        backup.check_destination(root / inside, root)


def test_backup_destination_checks(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "legacy")
    with pytest.raises(backup.BackupError, match="full path"):
        backup.check_destination(Path("relative.zip"), root)
    with pytest.raises(backup.BackupError, match="does not exist"):
        backup.check_destination(tmp_path / "missing" / "b.zip", root)
    (tmp_path / "dir.zip").mkdir()
    with pytest.raises(backup.BackupError, match="is a folder"):
        backup.check_destination(tmp_path / "dir.zip", root)


def test_default_backup_path_never_replaces_a_backup(tmp_path: Path) -> None:
    day = date(2026, 7, 1)
    first = backup.default_backup_path(tmp_path, day)
    assert first.name == "cherry-studio-migration-backup-2026-07-01.zip"
    first.touch()
    assert backup.default_backup_path(tmp_path, day).name == "cherry-studio-migration-backup-2026-07-01-2.zip"


def test_throttled_progress_keeps_the_final_update() -> None:
    seen: list[backup.BackupProgress] = []
    throttle = backup.ThrottledProgress(seen.append, interval=3600)
    for done in range(0, 11):
        throttle(backup.BackupProgress(done, 10, 0 if done < 10 else 1, 1))
    assert [p.bytes_done for p in seen] == [0, 10]


# ---- diagnostics nets ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "key sk-abc123DEF456ghi789 was refused",
        "token ghp_0123456789abcdefABCD",
        "Authorization: Bearer abc.def.ghi-1234567",
        "api_key=abcd1234efgh",
        '"password": "correct horse"',
        "aws AKIAABCDEFGHIJKLMNOP",
        "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTYifQ.SflKxwRJSMeKKF2QT4fwpM",
        "https://alice:s3cr3t@example.com/v1",
        "google AIzaSyA1234567890abcdefghijklmnopq",
    ],
)
def test_secret_patterns(text: str) -> None:
    sanitizer = Sanitizer(SecretRegistry(), None)
    cleaned = sanitizer.final_check(sanitizer.text(text))
    assert MASK in cleaned
    for fragment in (
        "abc123DEF",
        "0123456789abcdef",
        "abcd1234efgh",
        "correct horse",
        "ABCDEFGHIJKLMNOP",
        "s3cr3t",
    ):
        assert fragment not in cleaned


def test_masked_values_are_not_masked_again() -> None:
    sanitizer = Sanitizer(SecretRegistry(), None)
    text = sanitizer.text('{"password": "x y", "token": "«redacted»"}')
    assert text == '{"password": «redacted», "token": "«redacted»"}'
    assert sanitizer.removed["pattern:keyValueAssignments"] == 1


def test_final_check_keeps_json_valid() -> None:
    secrets = SecretRegistry()
    secrets.add("hunter2hunter2")
    sanitizer = Sanitizer(secrets, None)
    document = '{"note": "password: \\"hunter2hunter2\\" sk-abcdefgh12345678", "apiKey": "«redacted»"}'
    checked = sanitizer.final_check(document)
    assert orjson.loads(checked) == {"note": f'password: "{MASK}" {MASK}', "apiKey": MASK}
    assert sanitizer.removed["finalCheck"] >= 1


def test_sanitizer_keeps_ordinary_text() -> None:
    sanitizer = Sanitizer(SecretRegistry(), Path("/home/alice"))
    text = "settings 'maxTokens' had a value v2 rejects on assistants: 'default' (see /home/alice/x.json)"
    assert sanitizer.text(text) == text.replace("/home/alice", "~")
    assert sanitizer.removed["homeFolder"] == 1


def test_long_quoted_text_is_removed_but_apostrophes_are_not() -> None:
    sanitizer = Sanitizer(SecretRegistry(), None)
    long_text = "word " * 30
    assert sanitizer.text(f'block "{long_text}" broke') == f'block "{TEXT_REMOVED}" broke'
    assert sanitizer.text(f"block '{long_text}' broke") == f"block '{TEXT_REMOVED}' broke"
    sentence = "the migrator didn't finish because " + "the file " * 12 + "wasn't readable"
    assert sanitizer.text(sentence) == sentence


def test_data_scrubs_secret_keys_and_counts() -> None:
    sanitizer = Sanitizer(SecretRegistry(), None)
    cleaned = sanitizer.data({"providers": [{"apiKey": "abc", "name": "x"}], "token": "t0k3n"})
    assert cleaned == {"providers": [{"apiKey": MASK, "name": "x"}], "token": MASK}
    assert sanitizer.removed["valuesUnderSecretKeys"] == 2


def test_collected_secrets_are_values_not_records() -> None:
    registry = collect_secrets(open_sources(demo=True))
    text = "sk-demo-566bf9d7c55a45f8d1a6e55e9b9b1325 image office pastel"
    assert registry.redact(text) == f"{MASK} image office pastel"


# ---- languages and catalogs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("zh-CN", "zh-CN"),
        ("zh_TW", "zh-CN"),
        ("zh-Hant-HK", "zh-CN"),
        ("en-US", "en"),
        ("EN", "en"),
        ("ja", None),
    ],
)
def test_normalize(tag: str, expected: str | None) -> None:
    assert normalize(tag) == expected


def test_accept_language() -> None:
    assert from_accept_language("fr-FR, zh-CN;q=0.9, en;q=0.8") == "zh-CN"
    assert from_accept_language("en;q=0.4, zh;q=0.6") == "zh-CN"
    assert from_accept_language("de, fr") is None
    assert from_accept_language("zh;q=0, en") == "en"
    assert from_accept_language(None) is None


def _keys(data: dict, prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for key, value in data.items():
        path = f"{prefix}{key}"
        keys |= _keys(value, f"{path}.") if isinstance(value, dict) else {path}
    return keys


def test_catalogs_have_the_same_keys_and_placeholders() -> None:
    english, chinese = catalog("en"), catalog("zh-CN")
    assert _keys(english) == _keys(chinese)
    for key in _keys(english):
        en_text = _lookup(english, key)
        zh_text = _lookup(chinese, key)
        assert set(re.findall(r"\{\{(\w+)\}\}", en_text)) == set(re.findall(r"\{\{(\w+)\}\}", zh_text)), key


def _lookup(data: dict, key: str) -> str:
    node: object = data
    for part in key.split("."):
        assert isinstance(node, dict)
        node = node[part]
    assert isinstance(node, str)
    return node


def test_every_key_the_page_uses_exists() -> None:
    script = resources.files("cherry_migrate.window").joinpath("static", "app.js").read_text(encoding="utf-8")
    used = set(re.findall(r"\bt\(\"([a-z_.]+)\"", script))
    used |= {f"status.{s}" for s in ("pending", "running", "completed", "failed")}
    used |= {f"steps.{s}" for s in ("introduction", "backup", "migration", "completed")}
    assert used, "no keys found"
    known = _keys(catalog("en"))
    assert used <= known, used - known
    assert set(LANGUAGES) == {"en", "zh-CN"}


# ---- events and log buffer ------------------------------------------------------------------------


def test_broker_delivers_and_ends_streams() -> None:
    async def scenario() -> list[tuple[bool, dict | None]]:
        broker = EventBroker()
        subscription = broker.subscribe()
        broker.publish({"seq": 1})
        broker.publish({"seq": 2})
        broker.close()
        received = [await subscription.next(1) for _ in range(3)]
        late = broker.subscribe()
        received.append(await late.next(1))
        return received

    assert asyncio.run(scenario()) == [(True, {"seq": 1}), (True, {"seq": 2}), (True, None), (True, None)]


def test_slow_reader_keeps_the_newest_snapshots() -> None:
    async def scenario() -> list[int]:
        broker = EventBroker()
        subscription = broker.subscribe()
        for seq in range(200):
            broker.publish({"seq": seq})
        await asyncio.sleep(0)
        seqs: list[int] = []
        while True:
            got, event = await subscription.next(0.05)
            if not got or event is None:
                return seqs
            seqs.append(event["seq"])

    seqs = asyncio.run(scenario())
    assert seqs[-1] == 199 and len(seqs) <= 64


def test_ring_buffer_keeps_the_newest_lines() -> None:
    handler = RingBufferHandler(capacity=3)
    logger = logging.getLogger("cherry_migrate.test.ring")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        for n in range(5):
            logger.info("line %d", n)
    finally:
        logger.removeHandler(handler)
    assert [line.rsplit(": ", 1)[1] for line in handler.lines()] == ["line 2", "line 3", "line 4"]
