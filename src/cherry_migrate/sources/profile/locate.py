"""Finding a Cherry Studio v1 data folder (Electron's ``userData``) on this machine.

Where v1 keeps its data:

* the default location: ``$XDG_CONFIG_HOME/CherryStudio`` (``~/.config/CherryStudio`` when the
  variable is unset or not absolute) on Linux, ``~/Library/Application Support/CherryStudio`` on
  macOS, ``%APPDATA%\\CherryStudio`` on Windows;
* a location the user chose in v1 (Settings → Data), recorded as ``appDataPath`` in the v1 home
  config ``~/.cherrystudio/config/config.json``: either one path (the string form, used by every
  installation) or ``[{executablePath, dataPath}, …]`` (one entry per installation, e.g. a setup
  and a portable build).

Upstream's app picks by its own executable path (engine-behaviour §3.2). This tool is not one of
those executables, so it applies the rules in the way a user would expect:

1. The string form is the user's explicit choice: when that folder holds v1 data it is used, even
   if the default location holds some too. When it cannot be reached (an unplugged drive) we
   refuse rather than migrate a possibly stale default folder; the message says how to choose.
   When it is reachable but holds no v1 data, the search goes on as if it were not recorded.
2. Otherwise every reachable recorded ``dataPath`` and the default location that hold v1 data are
   candidates. Candidates that pass the version gate are preferred (as upstream's B1/B2); among
   them the one used most recently wins (newest modification time of ``version.log``, ``config.json``
   and the files of the two LevelDB folders). The other candidates are named in a notice, so that a
   user can pick one with ``--from-profile DIR``.
3. No candidate: if a recorded folder cannot be reached, that is the error (it may hold the data);
   otherwise the error lists every place that was looked at.

"Holds v1 data" is upstream's ``hasV1Data``: ``version.log`` exists, or both ``IndexedDB/`` and
``Local Storage/`` exist, or ``config.json`` is a non-empty JSON object. Nothing here writes: only
``stat`` and reads of small JSON files.
"""

from __future__ import annotations

import json
import ntpath
import os
import posixpath
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cherry_migrate.core.errors import SourceNotFoundError
from cherry_migrate.core.version_policy import evaluate_version

APP_FOLDER = "CherryStudio"
LEGACY_HOME_CONFIG = Path(".cherrystudio") / "config" / "config.json"
VERSION_LOG = "version.log"
INDEXEDDB_DIR = "IndexedDB"
LOCAL_STORAGE_DIR = "Local Storage"
ELECTRON_STORE_FILE = "config.json"


@dataclass(frozen=True)
class Environment:
    """What the search depends on, so that tests can give a fake home folder and platform."""

    platform: str
    """A ``sys.platform`` value: ``linux``, ``darwin``, ``win32``."""
    home: Path
    env: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def current(cls) -> Environment:
        return cls(sys.platform, Path.home(), dict(os.environ))


@dataclass(frozen=True)
class RecordedLocation:
    """One ``appDataPath`` entry of the v1 home config."""

    data_path: Path
    executable: str | None = None
    every_installation: bool = False
    """The string form: the one folder of every installation (the user's explicit choice)."""


@dataclass(frozen=True)
class LocatedProfile:
    path: Path
    how: str
    """Why this folder: ``default location`` or the config that recorded it."""
    notices: tuple[str, ...] = ()
    """Things a user should know about the choice (other folders with v1 data, unusable entries)."""


def default_user_data_dir(environment: Environment) -> Path:
    """Electron's default ``userData`` of Cherry Studio on the environment's platform."""
    home, env = environment.home, environment.env
    if environment.platform == "win32":
        appdata = env.get("APPDATA")
        base = Path(appdata) if appdata else home / "AppData" / "Roaming"
    elif environment.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        xdg = env.get("XDG_CONFIG_HOME", "")
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".config"
    return base / APP_FOLDER


def legacy_home_config(environment: Environment) -> Path:
    return environment.home / LEGACY_HOME_CONFIG


def recorded_locations(environment: Environment) -> tuple[list[RecordedLocation], list[str]]:
    """The ``appDataPath`` entries of the v1 home config, and notices about what was unusable."""
    config_path = legacy_home_config(environment)
    if not config_path.is_file():
        return [], []
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return [], [f"{config_path} was ignored: it cannot be read as JSON ({exc})."]
    value = config.get("appDataPath") if isinstance(config, dict) else None
    if value is None:
        return [], []
    if isinstance(value, str):
        return ([RecordedLocation(Path(value), every_installation=True)], []) if value.strip() else ([], [])
    if not isinstance(value, list):
        return [], [f"{config_path}: appDataPath is a {type(value).__name__}, not a path or a list; ignored."]
    entries: list[RecordedLocation] = []
    ignored = 0
    for item in value:
        data_path = item.get("dataPath") if isinstance(item, dict) else None
        if isinstance(data_path, str) and data_path.strip():
            executable = item.get("executablePath")
            entries.append(
                RecordedLocation(Path(data_path), executable if isinstance(executable, str) else None)
            )
        else:
            ignored += 1
    notices = (
        [f"{config_path}: {ignored} appDataPath entry(ies) without a dataPath ignored."] if ignored else []
    )
    return entries, notices


def has_v1_data(folder: Path) -> bool:
    """Upstream's ``hasV1Data``: version.log, or IndexedDB/ and Local Storage/, or a non-empty config.json."""
    if (folder / VERSION_LOG).is_file():
        return True
    if (folder / INDEXEDDB_DIR).is_dir() and (folder / LOCAL_STORAGE_DIR).is_dir():
        return True
    try:
        config = json.loads((folder / ELECTRON_STORE_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(config, dict) and bool(config)


def last_used(folder: Path) -> float:
    """Newest modification time of the files v1 writes while it runs (0 when none exist)."""
    newest = 0.0
    for path in _activity_files(folder):
        try:
            newest = max(newest, path.stat().st_mtime)
        except OSError:
            continue
    return newest


def _activity_files(folder: Path) -> Iterator[Path]:
    yield folder / VERSION_LOG
    yield folder / ELECTRON_STORE_FILE
    for leveldb in (
        folder / INDEXEDDB_DIR / "file__0.indexeddb.leveldb",
        folder / LOCAL_STORAGE_DIR / "leveldb",
    ):
        if leveldb.is_dir():
            yield from leveldb.iterdir()


def find_profile(environment: Environment | None = None) -> LocatedProfile:
    """The v1 data folder to migrate, by the rules of the module docstring.

    Raises SourceNotFoundError with what was looked at and how to choose a folder by hand.
    """
    environment = environment or Environment.current()
    default = default_user_data_dir(environment)
    entries, notices = recorded_locations(environment)
    recorded_by = f"recorded as appDataPath in {legacy_home_config(environment)}"
    unreachable = [e.data_path for e in entries if not e.data_path.is_dir()]
    if len(entries) == 1 and entries[0].every_installation:
        chosen = entries[0].data_path
        if chosen in unreachable:
            raise SourceNotFoundError(
                f"Cherry Studio v1 keeps its data in {chosen} ({recorded_by}), but that folder cannot be "
                "reached. Connect the drive it is on, or give the data folder with --from-profile DIR"
                + (f" (the default location is {default})." if default.is_dir() else ".")
            )
        if has_v1_data(chosen):
            others = (
                [] if _same_place(default, chosen, environment) or not has_v1_data(default) else [default]
            )
            return LocatedProfile(chosen, recorded_by, (*notices, *_also_found(others)))
        notices.append(f"{chosen} ({recorded_by}) holds no Cherry Studio v1 data; looked elsewhere.")
    candidates = [(e.data_path, recorded_by) for e in entries if e.data_path not in unreachable]
    candidates.append((default, "default location"))
    candidates = _distinct([c for c in candidates if has_v1_data(c[0])], environment)
    notices += [f"{path} ({recorded_by}) cannot be reached; it was not considered." for path in unreachable]
    if not candidates:
        looked = ", ".join(
            str(p) for p in _distinct_paths([default, *(e.data_path for e in entries)], environment)
        )
        hint = (
            "A recorded folder cannot be reached: connect the drive it is on."
            if unreachable
            else "If v1 kept its data elsewhere (a portable build, a custom folder), give it with "
            "--from-profile DIR."
        )
        raise SourceNotFoundError(f"No Cherry Studio v1 data folder found; looked in: {looked}. {hint}")
    path, how = _pick(candidates)
    others = [p for p, _ in candidates if p != path]
    return LocatedProfile(path, how, (*notices, *_also_found(others)))


def _same_place(a: Path, b: Path, environment: Environment) -> bool:
    """Paths compared as upstream does: normalised (trailing separators dropped), and without case on
    Windows."""

    def normal(path: Path) -> str:
        if environment.platform == "win32":
            return ntpath.normpath(str(path)).rstrip("\\").lower()
        return posixpath.normpath(str(path))

    return normal(a) == normal(b)


def _distinct(candidates: list[tuple[Path, str]], environment: Environment) -> list[tuple[Path, str]]:
    kept: list[tuple[Path, str]] = []
    for path, how in candidates:
        if not any(_same_place(path, other, environment) for other, _ in kept):
            kept.append((path, how))
    return kept


def _distinct_paths(paths: list[Path], environment: Environment) -> list[Path]:
    return [path for path, _ in _distinct([(p, "") for p in paths], environment)]


def _pick(candidates: list[tuple[Path, str]]) -> tuple[Path, str]:
    """Prefer folders the version gate lets through, then the one used most recently."""

    def passes(folder: Path) -> bool:
        check, _ = evaluate_version(folder / VERSION_LOG, require_version_log=True)
        return not check.blocked

    eligible = [c for c in candidates if passes(c[0])] or candidates
    return max(eligible, key=lambda c: last_used(c[0]))


def _also_found(folders: list[Path]) -> list[str]:
    return [
        f"{folder} also holds Cherry Studio v1 data; to migrate it instead, give it with --from-profile DIR."
        for folder in folders
    ]
