"""Finding the v1 data folder on fake home folders of each platform."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cherry_migrate.core.errors import SourceNotFoundError
from cherry_migrate.sources.profile.locate import (
    Environment,
    default_user_data_dir,
    find_profile,
    has_v1_data,
    recorded_locations,
)
from tests.profile.synthetic import write_version_log


def make_v1_folder(folder: Path, version: str = "1.9.12", mtime: float | None = None) -> Path:
    folder.mkdir(parents=True)
    log = write_version_log(folder, version)
    if mtime is not None:
        os.utime(log, (mtime, mtime))
    return folder


def record(home: Path, app_data_path: object) -> None:
    config = home / ".cherrystudio" / "config" / "config.json"
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"appDataPath": app_data_path}), encoding="utf-8")


@pytest.mark.parametrize(
    ("platform", "env", "relative"),
    [
        ("linux", {}, ".config/CherryStudio"),
        ("linux", {"XDG_CONFIG_HOME": "{home}/xdg"}, "xdg/CherryStudio"),
        ("linux", {"XDG_CONFIG_HOME": "relative/ignored"}, ".config/CherryStudio"),
        ("darwin", {}, "Library/Application Support/CherryStudio"),
        ("win32", {"APPDATA": "{home}/AppData/Roaming"}, "AppData/Roaming/CherryStudio"),
        ("win32", {}, "AppData/Roaming/CherryStudio"),
    ],
)
def test_the_default_location_of_each_platform_is_found(
    tmp_path: Path, platform: str, env: dict[str, str], relative: str
) -> None:
    environment = Environment(platform, tmp_path, {k: v.format(home=tmp_path) for k, v in env.items()})
    assert default_user_data_dir(environment) == tmp_path / relative
    make_v1_folder(tmp_path / relative)
    located = find_profile(environment)
    assert (located.path, located.how, located.notices) == (tmp_path / relative, "default location", ())


def test_a_custom_location_recorded_as_a_string_wins_over_the_default(tmp_path: Path) -> None:
    default = make_v1_folder(tmp_path / ".config" / "CherryStudio", mtime=2_000_000_000)
    custom = make_v1_folder(tmp_path / "big-disk" / "cherry", mtime=1_000_000_000)
    record(tmp_path, str(custom))
    located = find_profile(Environment("linux", tmp_path))
    assert located.path == custom and "appDataPath" in located.how
    (notice,) = located.notices
    assert notice.startswith(f"{default} also holds Cherry Studio v1 data") and "--from-profile DIR" in notice


def test_an_unreachable_recorded_location_is_refused_with_what_to_do(tmp_path: Path) -> None:
    make_v1_folder(tmp_path / ".config" / "CherryStudio")
    record(tmp_path, str(tmp_path / "unplugged" / "cherry"))
    with pytest.raises(SourceNotFoundError, match="cannot be reached") as raised:
        find_profile(Environment("linux", tmp_path))
    assert "--from-profile DIR" in str(raised.value) and str(tmp_path / "unplugged") in str(raised.value)


def test_a_recorded_location_without_v1_data_falls_back_to_the_default(tmp_path: Path) -> None:
    default = make_v1_folder(tmp_path / ".config" / "CherryStudio")
    empty = tmp_path / "empty"
    empty.mkdir()
    record(tmp_path, str(empty))
    located = find_profile(Environment("linux", tmp_path))
    assert located.path == default
    assert any("holds no Cherry Studio v1 data" in n for n in located.notices)


def test_of_several_installations_the_most_recently_used_is_picked(tmp_path: Path) -> None:
    setup = make_v1_folder(tmp_path / "setup-data", mtime=1_000_000_000)
    portable = make_v1_folder(tmp_path / "portable" / "data", mtime=1_500_000_000)
    record(
        tmp_path,
        [
            {"executablePath": "C:/Program Files/Cherry Studio/Cherry Studio.exe", "dataPath": str(setup)},
            {"executablePath": "D:/cherry-studio-portable.exe", "dataPath": str(portable)},
            {"executablePath": "E:/gone.exe", "dataPath": str(tmp_path / "gone")},
            {"executablePath": "E:/broken.exe"},
        ],
    )
    located = find_profile(Environment("linux", tmp_path))
    assert located.path == portable
    notices = "\n".join(located.notices)
    assert f"{setup} also holds Cherry Studio v1 data" in notices
    assert f"{tmp_path / 'gone'}" in notices and "cannot be reached" in notices
    assert "1 appDataPath entry(ies) without a dataPath ignored" in notices


def test_a_folder_the_version_gate_lets_through_is_preferred_over_a_newer_too_old_one(tmp_path: Path) -> None:
    current = make_v1_folder(tmp_path / "current", "1.9.12", mtime=1_000_000_000)
    old = make_v1_folder(tmp_path / ".config" / "CherryStudio", "1.8.4", mtime=1_900_000_000)
    record(tmp_path, [{"executablePath": "a.exe", "dataPath": str(current)}])
    assert find_profile(Environment("linux", tmp_path)).path == current
    (
        current / "version.log"
    ).unlink()  # now both are blocked: the newest is picked, and the gate will say why
    (current / "config.json").write_text('{"theme": "dark"}', encoding="utf-8")
    assert find_profile(Environment("linux", tmp_path)).path == old


def test_windows_paths_are_compared_without_case(tmp_path: Path) -> None:
    appdata = tmp_path / "AppData" / "Roaming"
    recorded = make_v1_folder(appdata / "cherrystudio\\", mtime=2_000_000_000)  # one folder on Windows
    make_v1_folder(appdata / "CherryStudio", mtime=1_000_000_000)
    record(tmp_path, [{"executablePath": "x.exe", "dataPath": str(recorded)}])
    located = find_profile(Environment("win32", tmp_path, {"APPDATA": str(appdata)}))
    assert located.path == recorded and located.notices == ()
    assert len(find_profile(Environment("linux", tmp_path, {"XDG_CONFIG_HOME": str(appdata)})).notices) == 1


def test_nothing_found_lists_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError) as raised:
        find_profile(Environment("darwin", tmp_path))
    message = str(raised.value)
    assert str(tmp_path / "Library" / "Application Support" / "CherryStudio") in message
    assert "--from-profile DIR" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "cannot be read as JSON"),
        ('{"appDataPath": 42}', "appDataPath is a int"),
        ('{"other": 1}', None),
        ('{"appDataPath": "  "}', None),
    ],
)
def test_an_unusable_home_config_is_ignored_with_a_notice(
    tmp_path: Path, content: str, expected: str | None
) -> None:
    config = tmp_path / ".cherrystudio" / "config" / "config.json"
    config.parent.mkdir(parents=True)
    config.write_text(content, encoding="utf-8")
    entries, notices = recorded_locations(Environment("linux", tmp_path))
    assert entries == []
    assert len(notices) == (1 if expected else 0)
    assert all(expected in n for n in notices if expected)


def test_what_counts_as_v1_data(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    assert not has_v1_data(folder)
    (folder / "IndexedDB").mkdir()
    assert not has_v1_data(folder)
    (folder / "Local Storage").mkdir()
    assert has_v1_data(folder)
    other = tmp_path / "g"
    other.mkdir()
    (other / "config.json").write_text("{}", encoding="utf-8")
    assert not has_v1_data(other)
    (other / "config.json").write_text('{"clientId": "x"}', encoding="utf-8")
    assert has_v1_data(other)


def test_a_list_entry_without_an_executable_is_one_candidate_among_others(tmp_path: Path) -> None:
    listed = make_v1_folder(tmp_path / "listed", mtime=1_000_000_000)
    default = make_v1_folder(tmp_path / ".config" / "CherryStudio", mtime=2_000_000_000)
    record(tmp_path, [{"dataPath": str(listed)}])
    (entry,), _ = recorded_locations(Environment("linux", tmp_path))
    assert (entry.data_path, entry.executable, entry.every_installation) == (listed, None, False)
    assert find_profile(Environment("linux", tmp_path)).path == default  # used more recently
