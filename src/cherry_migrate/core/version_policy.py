"""Which v1 versions may be migrated straight to v2 (upstream's ``core/versionPolicy.ts``).

Cherry Studio v1 appends one line per launch to ``version.log`` in its data folder::

    version|os|environment|packaged|mode|timestamp

The previous version is the latest valid line (read backwards) whose version differs from the version
being migrated to. Rules, in order (latest upstream constants):

1. no previous version and no version.log → ``no_version_log``;
2. previous version < :data:`V1_REQUIRED_VERSION` → ``v1_too_old``;
3. previous version < :data:`V2_GATEWAY_VERSION` and the (coerced) current version is at or past
   :data:`V2_DIRECT_MIGRATION_CEILING` → ``v2_gateway_skipped`` (every 2.0.x is a valid first target);
4. otherwise pass (also when the log exists but holds no different version: a retry).

Our choice for rule 1: upstream reads the live data folder, where a missing version.log means the
folder is not a v1 profile it knows. An export folder is put together by a person (or a support
engineer) and may legitimately lack the file, so for export folders a missing log is a *notice* on the
introduction screen, not a block (``require_version_log=False``). A source read from a real v1 data
folder should pass ``require_version_log=True`` and block as upstream does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import total_ordering
from pathlib import Path

V1_REQUIRED_VERSION = "1.9.12"
V2_GATEWAY_VERSION = "2.0.0"
V2_GATEWAY_LABEL = "2.0.x"
V2_DIRECT_MIGRATION_CEILING = "2.1.0"
CURRENT_APP_VERSION = "2.0.0"
"""The v2 version this tool migrates to (the schema and status record it writes)."""

VERSION_LOG_FIELDS = 6

_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)
_COERCE = re.compile(r"(?<!\d)(\d{1,16})(?:\.(\d{1,16}))?(?:\.(\d{1,16}))?(?!\d)")


@total_ordering
@dataclass(frozen=True)
class SemVer:
    """A semantic version with semver 2.0 precedence (build metadata is ignored)."""

    major: int
    minor: int
    patch: int
    prerelease: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> SemVer | None:
        """The version, or None when ``text`` is not strictly valid semver (no leading ``v``)."""
        match = _SEMVER.match(text.strip())
        if match is None:
            return None
        pre = tuple(match.group(4).split(".")) if match.group(4) else ()
        return cls(int(match.group(1)), int(match.group(2)), int(match.group(3)), pre)

    @classmethod
    def coerce(cls, text: str) -> SemVer | None:
        """Like ``semver.coerce``: the first ``X[.Y[.Z]]`` in the text, prerelease dropped
        (``2.0.0-alpha`` → 2.0.0, ``v2.1`` → 2.1.0)."""
        match = _COERCE.search(text)
        if match is None:
            return None
        return cls(int(match.group(1)), int(match.group(2) or 0), int(match.group(3) or 0))

    def _key(self) -> tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]:
        # A release sorts after all its prereleases; numeric identifiers sort before alphanumeric ones.
        pre = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in self.prerelease)
        return (self.major, self.minor, self.patch, 0 if self.prerelease else 1, pre)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, SemVer):
            return NotImplemented
        return self._key() < other._key()

    def __str__(self) -> str:
        base = f"{self.major}.{self.minor}.{self.patch}"
        return f"{base}-{'.'.join(self.prerelease)}" if self.prerelease else base


@dataclass(frozen=True)
class VersionLogEntry:
    version: str
    os: str
    environment: str
    packaged: str
    mode: str
    timestamp: str


def parse_version_log_line(line: str) -> VersionLogEntry | None:
    """One ``version|os|environment|packaged|mode|timestamp`` line; None when it has not exactly six
    fields or the version is not valid semver."""
    fields = line.strip().split("|")
    if len(fields) != VERSION_LOG_FIELDS or SemVer.parse(fields[0]) is None:
        return None
    return VersionLogEntry(*(f.strip() for f in fields))


class LogState(StrEnum):
    PARSED = "parsed"
    MISSING = "missing"
    READ_FAILED = "read_failed"


@dataclass(frozen=True)
class VersionLogFacts:
    """What reading version.log found (bounded facts only, safe for diagnostics)."""

    state: LogState
    lines: int = 0
    valid_lines: int = 0
    previous_version: str | None = None


def previous_version_from_lines(lines: list[str], current: str) -> str | None:
    """Scanning backwards, the latest valid entry whose version differs from ``current``."""
    current_version = SemVer.parse(current)
    for line in reversed(lines):
        entry = parse_version_log_line(line)
        if entry is None:
            continue
        if current_version is None or SemVer.parse(entry.version) != current_version:
            return entry.version
    return None


def read_version_log(path: Path | None, current: str = CURRENT_APP_VERSION) -> VersionLogFacts:
    """Read version.log (None or a missing file → ``missing``; an unreadable one → ``read_failed``)."""
    if path is None or not path.is_file():
        return VersionLogFacts(LogState.MISSING)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return VersionLogFacts(LogState.READ_FAILED)
    lines = [line for line in text.splitlines() if line.strip()]
    valid = sum(1 for line in lines if parse_version_log_line(line) is not None)
    return VersionLogFacts(LogState.PARSED, len(lines), valid, previous_version_from_lines(lines, current))


class BlockReason(StrEnum):
    NO_VERSION_LOG = "no_version_log"
    V1_TOO_OLD = "v1_too_old"
    V2_GATEWAY_SKIPPED = "v2_gateway_skipped"


@dataclass(frozen=True)
class VersionCheck:
    """``outcome`` is ``pass`` or ``block``; a block carries ``reason`` and ``details``. ``notices``
    hold reason codes that did not block (a missing log in an export folder) to show to the user."""

    outcome: str
    reason: BlockReason | None = None
    details: dict[str, str] = field(default_factory=dict)
    previous_version: str | None = None
    notices: tuple[BlockReason, ...] = ()

    @property
    def blocked(self) -> bool:
        return self.outcome == "block"


def check_version(
    previous_version: str | None,
    version_log_exists: bool,
    current_version: str = CURRENT_APP_VERSION,
    *,
    require_version_log: bool = True,
) -> VersionCheck:
    """Apply the rules of the module docstring."""
    if previous_version is None:
        if not version_log_exists:
            details = {"requiredVersion": V1_REQUIRED_VERSION}
            if require_version_log:
                return VersionCheck("block", BlockReason.NO_VERSION_LOG, details)
            return VersionCheck("pass", details=details, notices=(BlockReason.NO_VERSION_LOG,))
        return VersionCheck("pass")
    previous = SemVer.parse(previous_version)
    required = SemVer.parse(V1_REQUIRED_VERSION)
    assert required is not None
    if previous is None or previous < required:
        return VersionCheck(
            "block",
            BlockReason.V1_TOO_OLD,
            {"previousVersion": previous_version, "requiredVersion": V1_REQUIRED_VERSION},
            previous_version,
        )
    gateway = SemVer.parse(V2_GATEWAY_VERSION)
    ceiling = SemVer.parse(V2_DIRECT_MIGRATION_CEILING)
    current = SemVer.coerce(current_version)
    assert gateway is not None and ceiling is not None
    if previous < gateway and current is not None and current >= ceiling:
        return VersionCheck(
            "block",
            BlockReason.V2_GATEWAY_SKIPPED,
            {
                "previousVersion": previous_version,
                "currentVersion": str(current),
                "gatewayVersion": V2_GATEWAY_LABEL,
            },
            previous_version,
        )
    return VersionCheck("pass", previous_version=previous_version)


def evaluate_version(
    version_log: Path | None,
    current_version: str = CURRENT_APP_VERSION,
    *,
    require_version_log: bool = True,
) -> tuple[VersionCheck, VersionLogFacts]:
    """The single assembler: read version.log, then apply the rules."""
    facts = read_version_log(version_log, current_version)
    check = check_version(
        facts.previous_version,
        facts.state is not LogState.MISSING,
        current_version,
        require_version_log=require_version_log,
    )
    return check, facts


EXPLANATIONS: dict[BlockReason, dict[str, str]] = {
    BlockReason.NO_VERSION_LOG: {
        "en": (
            "No version.log was found, so the Cherry Studio version that last used this data is "
            "unknown. Migration needs data from Cherry Studio {requiredVersion} or newer. If you are "
            "not sure, install Cherry Studio {requiredVersion}, open it once with this data, then "
            "export again."
        ),
        "zh-CN": (
            "未找到 version.log，无法确定最后使用这些数据的 Cherry Studio 版本。迁移需要 Cherry Studio "
            "{requiredVersion} 或更高版本的数据。如不确定，请先安装 Cherry Studio {requiredVersion}，"
            "用它打开一次这些数据，然后重新导出。"
        ),
    },
    BlockReason.V1_TOO_OLD: {
        "en": (
            "This data was last used with Cherry Studio {previousVersion}. Migration needs version "
            "{requiredVersion} or newer. Install Cherry Studio {requiredVersion} (v1), open it once so "
            "it upgrades your data, then run the migration again."
        ),
        "zh-CN": (
            "这些数据最后由 Cherry Studio {previousVersion} 使用。迁移需要 {requiredVersion} 或更高版本。"
            "请先安装 Cherry Studio {requiredVersion}（v1），打开一次以升级数据，然后重新运行迁移。"
        ),
    },
    BlockReason.V2_GATEWAY_SKIPPED: {
        "en": (
            "This data comes from Cherry Studio {previousVersion} (v1). It must first be migrated by "
            "Cherry Studio {gatewayVersion} before it can be used with {currentVersion}. Install "
            "Cherry Studio {gatewayVersion}, let it migrate your data, then upgrade."
        ),
        "zh-CN": (
            "这些数据来自 Cherry Studio {previousVersion}（v1），必须先由 Cherry Studio {gatewayVersion} "
            "完成迁移，才能在 {currentVersion} 中使用。请先安装 Cherry Studio {gatewayVersion} 完成迁移，"
            "然后再升级。"
        ),
    },
}


def explain(reason: BlockReason, details: dict[str, str], language: str = "en") -> str:
    """Plain-language explanation with what to do, in ``en`` or ``zh-CN`` (other values → English)."""
    templates = EXPLANATIONS[reason]
    template = templates.get(language, templates["en"])
    return template.format_map(_Defaulting(details))


class _Defaulting(dict[str, str]):
    """Leaves a missing placeholder visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
