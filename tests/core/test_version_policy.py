"""Version policy: version.log parsing and the block rules (upstream versionPolicy.test as a checklist)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cherry_migrate.core.version_policy import (
    CURRENT_APP_VERSION,
    V1_REQUIRED_VERSION,
    BlockReason,
    LogState,
    SemVer,
    check_version,
    evaluate_version,
    explain,
    parse_version_log_line,
    previous_version_from_lines,
    read_version_log,
)


def line(version: str, stamp: str = "2025-01-01T00:00:00.000Z") -> str:
    return f"{version}|darwin|production|true|normal|{stamp}"


class TestSemVer:
    @pytest.mark.parametrize(
        ("low", "high"),
        [
            ("1.9.11", "1.9.12"),
            ("1.9.12-rc.1", "1.9.12"),
            ("1.9.12-alpha", "1.9.12-alpha.1"),
            ("1.9.12-alpha.1", "1.9.12-alpha.beta"),
            ("1.9.12-beta.2", "1.9.12-beta.11"),
            ("1.10.0", "2.0.0"),
            ("1.9.99", "1.10.0"),
        ],
    )
    def test_precedence(self, low: str, high: str) -> None:
        a, b = SemVer.parse(low), SemVer.parse(high)
        assert a is not None and b is not None
        assert a < b
        assert not b < a

    def test_build_metadata_is_ignored(self) -> None:
        assert SemVer.parse("1.9.12+build.7") == SemVer.parse("1.9.12")

    @pytest.mark.parametrize("text", ["v1.9.12", "1.9", "01.9.12", "1.9.12-", "abc", "", "1.9.12.4"])
    def test_invalid(self, text: str) -> None:
        assert SemVer.parse(text) is None

    @pytest.mark.parametrize(
        ("text", "expected"),
        [("2.0.0-alpha", "2.0.0"), ("v2.1", "2.1.0"), ("3", "3.0.0"), ("x2.0.5y", "2.0.5")],
    )
    def test_coerce(self, text: str, expected: str) -> None:
        assert str(SemVer.coerce(text)) == expected

    def test_coerce_nothing(self) -> None:
        assert SemVer.coerce("beta") is None


class TestVersionLog:
    def test_line_needs_exactly_six_fields_and_semver(self) -> None:
        entry = parse_version_log_line(line("1.9.12"))
        assert entry is not None and entry.version == "1.9.12" and entry.os == "darwin"
        assert parse_version_log_line("1.9.12|darwin|production|true|normal") is None
        assert parse_version_log_line(line("1.9.12") + "|extra") is None
        assert parse_version_log_line(line("not-a-version")) is None
        assert parse_version_log_line("") is None

    def test_scans_backwards_for_latest_different_version(self) -> None:
        lines = [line("1.8.4"), line("1.9.12"), line("2.0.0"), line("2.0.0")]
        assert previous_version_from_lines(lines, "2.0.0") == "1.9.12"

    def test_corrupt_lines_are_skipped(self) -> None:
        lines = [line("1.9.12"), "garbage", "1.9.13|linux", line("v1.9.14")]
        assert previous_version_from_lines(lines, "2.0.0") == "1.9.12"

    def test_only_current_version_gives_none(self) -> None:
        assert previous_version_from_lines([line("2.0.0")], "2.0.0") is None
        assert previous_version_from_lines([], "2.0.0") is None

    def test_read_missing_and_present(self, tmp_path: Path) -> None:
        assert read_version_log(None).state is LogState.MISSING
        assert read_version_log(tmp_path / "version.log").state is LogState.MISSING
        log = tmp_path / "version.log"
        log.write_text("\n".join([line("1.9.3"), "broken", line("1.9.12"), ""]) + "\n", encoding="utf-8")
        facts = read_version_log(log)
        assert facts.state is LogState.PARSED
        assert (facts.lines, facts.valid_lines, facts.previous_version) == (3, 2, "1.9.12")

    def test_a_directory_is_not_a_log(self, tmp_path: Path) -> None:
        folder = tmp_path / "version.log"
        folder.mkdir()
        assert read_version_log(folder).state is LogState.MISSING


class TestRules:
    def test_no_log_blocks_when_required(self) -> None:
        check = check_version(None, False)
        assert check.blocked and check.reason is BlockReason.NO_VERSION_LOG
        assert check.details == {"requiredVersion": V1_REQUIRED_VERSION}

    def test_no_log_is_a_notice_for_export_folders(self) -> None:
        check = check_version(None, False, require_version_log=False)
        assert not check.blocked
        assert check.notices == (BlockReason.NO_VERSION_LOG,)

    def test_log_without_previous_version_passes(self) -> None:
        check = check_version(None, True)
        assert not check.blocked and check.notices == ()

    @pytest.mark.parametrize("previous", ["1.9.11", "1.9.3", "1.9.12-rc.1", "0.9.0"])
    def test_too_old(self, previous: str) -> None:
        check = check_version(previous, True)
        assert check.reason is BlockReason.V1_TOO_OLD
        assert check.details == {"previousVersion": previous, "requiredVersion": "1.9.12"}

    @pytest.mark.parametrize("previous", ["1.9.12", "1.9.13", "1.10.2"])
    @pytest.mark.parametrize("current", ["2.0.0", "2.0.9", "2.0.0-alpha", "2.0.1-beta.3"])
    def test_every_2_0_x_is_a_valid_first_target(self, previous: str, current: str) -> None:
        assert not check_version(previous, True, current).blocked

    @pytest.mark.parametrize("current", ["2.1.0", "2.1.0-alpha", "2.3.4", "3.0.0"])
    def test_gateway_skipped(self, current: str) -> None:
        check = check_version("1.9.12", True, current)
        assert check.reason is BlockReason.V2_GATEWAY_SKIPPED
        assert check.details["gatewayVersion"] == "2.0.x"
        assert check.details["previousVersion"] == "1.9.12"
        assert check.details["currentVersion"] == str(SemVer.coerce(current))

    def test_v2_previous_passes_past_the_ceiling(self) -> None:
        assert not check_version("2.0.5", True, "2.2.0").blocked

    def test_too_old_wins_over_gateway(self) -> None:
        assert check_version("1.8.0", True, "2.5.0").reason is BlockReason.V1_TOO_OLD

    def test_our_target_is_2_0_0(self) -> None:
        assert CURRENT_APP_VERSION == "2.0.0"


def test_evaluate_reads_and_checks(tmp_path: Path) -> None:
    log = tmp_path / "version.log"
    log.write_text(line("1.9.5") + "\n", encoding="utf-8")
    check, facts = evaluate_version(log)
    assert check.reason is BlockReason.V1_TOO_OLD and facts.previous_version == "1.9.5"
    check, facts = evaluate_version(None, require_version_log=False)
    assert not check.blocked and facts.state is LogState.MISSING


@pytest.mark.parametrize("reason", list(BlockReason))
def test_explanations_in_both_languages(reason: BlockReason) -> None:
    details = {
        "previousVersion": "1.9.3",
        "requiredVersion": "1.9.12",
        "currentVersion": "2.1.0",
        "gatewayVersion": "2.0.x",
    }
    english, chinese = explain(reason, details, "en"), explain(reason, details, "zh-CN")
    assert "{" not in english and "{" not in chinese
    assert "Cherry Studio" in english and "Cherry Studio" in chinese
    assert english != chinese
    assert explain(reason, details, "fr") == english
    assert "1.9.12" in english or reason is BlockReason.V2_GATEWAY_SKIPPED


def test_explanation_keeps_unknown_placeholders() -> None:
    assert "{previousVersion}" in explain(BlockReason.V1_TOO_OLD, {})
