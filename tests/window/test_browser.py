"""End to end: the real server (uvicorn in a thread) driven through Debian's chromium by Playwright.

Each screen is photographed at the window's size (900×620) into ``docs/screenshots/<screen>.png``.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import orjson
import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, ViewportSize, expect, sync_playwright

from cherry_migrate.core.engine import MigrationEngine
from cherry_migrate.core.status import read_status_from_db
from cherry_migrate.sampledata import generate_export
from cherry_migrate.window.server import WindowServer
from cherry_migrate.window.session import MigrationSession

from .conftest import copy_demo, make_session, wait_for

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WINDOW: ViewportSize = {"width": 900, "height": 620}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LARGE_MESSAGES = 60_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"
    ),
]


EXAMPLE_PATHS = """(pairs) => {
    const fix = (text) => pairs.reduce((acc, [from, to]) => acc.split(from).join(to), text);
    const saved = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        saved.push([node, "nodeValue", node.nodeValue]);
        node.nodeValue = fix(node.nodeValue);
    }
    for (const input of document.querySelectorAll("input")) {
        saved.push([input, "value", input.value]);
        input.value = fix(input.value);
    }
    window.__restorePaths = () => { for (const [el, prop, value] of saved) el[prop] = value; };
}"""


def shot(window: Window, name: str) -> None:
    """Photograph the page; the paths of this test run are shown as example paths meanwhile, so the
    committed images do not depend on the machine that made them."""
    pairs = {
        str(window.session.target.parent): "~/Cherry Studio v2",
        str(window.session.sources.root): "~/Cherry Studio v1 export",
    }
    page = window.page
    page.evaluate(EXAMPLE_PATHS, sorted(pairs.items(), key=lambda pair: -len(pair[0])))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    page.evaluate("window.__restorePaths()")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def large_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated export with 60k messages (about 140 MB)."""
    root = tmp_path_factory.mktemp("large") / "export"
    generate_export(root, seed=60, messages=LARGE_MESSAGES)
    return root


@pytest.fixture
def long_run(large_profile: Path) -> Path:
    """The large profile, when migrating it takes several seconds (its chats make the bulk)."""
    if not any(m.id == "chat" for m in MigrationEngine().migrators):
        pytest.skip("the chat migrator is not registered yet, so even a large profile migrates in a blink")
    return large_profile


@dataclass
class Window:
    session: MigrationSession
    server: WindowServer
    thread: threading.Thread
    context: BrowserContext
    page: Page

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.server.token}"}

    def screen(self, name: str) -> Locator:
        return self.page.locator(f'[data-screen="{name}"]')


@pytest.fixture
def open_window(browser: Browser, tmp_path: Path) -> Iterator[Callable[..., Window]]:
    opened: list[Window] = []

    def open_(source: Path | None = None, *, target: Path | None = None, locale: str = "en-US") -> Window:
        session = make_session(source, target or tmp_path / "out" / "v2.sqlite", wait_for_inventory=False)
        server = WindowServer(session)
        thread = server.start()
        context = browser.new_context(viewport=WINDOW, locale=locale)
        page = context.new_page()
        page.goto(server.url)
        window = Window(session, server, thread, context, page)
        opened.append(window)
        return window

    yield open_
    for window in opened:
        window.context.close()
        window.session.shutdown(cancel=True)
        window.server.stop()
        window.thread.join(10)


@dataclass
class EventRecorder:
    """Reads /api/events in a thread, as a second page would, and keeps every snapshot."""

    window: Window
    snapshots: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        wait_for(lambda: self.snapshots)

    def _read(self) -> None:
        with httpx.stream(
            "GET", f"{self.window.server.origin}/api/events", headers=self.window.auth, timeout=None
        ) as stream:
            for line in stream.iter_lines():
                if line.startswith("data: ") and line != "data: {}":
                    self.snapshots.append(orjson.loads(line[6:]))
                if self.snapshots and self.snapshots[-1].get("closing"):
                    return


def to_int(text: str) -> int:
    return int(text.replace(",", "").strip())


def start_migration(window: Window) -> None:
    page = window.page
    expect(window.screen("introduction")).to_be_visible()
    page.click("#btn-next")
    page.click("#btn-backup-skip")
    expect(window.screen("backup-ready")).to_be_visible()
    page.click("#btn-start")


def test_happy_path_on_the_demo_profile(open_window: Callable[..., Window]) -> None:
    window = open_window()
    page = window.page
    recorder = EventRecorder(window)
    expect(window.screen("introduction")).to_be_visible()
    expect(page.locator("#inventory-counts")).to_be_visible()
    expect(page.locator("#introduction-title")).to_be_focused()
    shot(window, "introduction")

    page.click("#btn-next")
    expect(window.screen("backup")).to_be_visible()
    shot(window, "backup")
    page.click("#btn-backup-create")
    expect(window.screen("backup-ready")).to_be_visible()
    backup = Path(window.session.snapshot()["backup"]["path"])
    assert backup.is_file() and backup.parent == window.session.target.parent
    shot(window, "backup-ready")

    page.click("#btn-start")
    expect(window.screen("completed")).to_be_visible(timeout=60_000)
    shot(window, "completed")
    page.locator('td[data-col="skipped"] summary').first.click()
    page.locator("#summary-table td:last-child summary").first.click()
    page.locator("#summary-table").scroll_into_view_if_needed()
    shot(window, "completed-details")

    wait_for(lambda: recorder.snapshots[-1]["stage"] == "completed")
    running = [s for s in recorder.snapshots if s["stage"] == "migration" and s["progress"]]
    assert running, "no progress event was seen"
    percents = [s["progress"]["overallProgress"] for s in running]
    assert percents == sorted(percents)
    assert {m["status"] for s in running for m in s["progress"]["migrators"]} >= {"running", "completed"}

    result = window.session.snapshot()["result"]
    assert result["migrators"]
    for migrator in result["migrators"]:
        row = page.locator(f'tr[data-migrator="{migrator["migratorId"]}"]')
        assert to_int(row.locator('td[data-col="written"]').inner_text()) == migrator["written"]
        skipped = row.locator('td[data-col="skipped"]')
        assert to_int(skipped.get_attribute("data-count") or "") == migrator["skipped"]
        assert skipped.inner_text().startswith(f"{migrator['skipped']:,}")
    assert to_int(page.locator("#stat-items").inner_text()) == sum(m["written"] for m in result["migrators"])

    ledgers = {m["migratorId"]: m["ledger"] for m in result["migrators"]}
    with sqlite3.connect(window.session.target) as db:
        count = lambda table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: E731
        assert count("mcp_server") == ledgers["mcp_server"]["redux:mcp.servers"]["written"]
        assert count("translate_history") == ledgers["translate"]["dexie:translate_history"]["written"]
        assert count("preference") >= sum(k["written"] for k in ledgers["preferences"].values())
        if "chat" in ledgers:
            assert count("topic") >= ledgers["chat"]["dexie:topics"]["written"]

    page.click("#btn-finish")
    expect(window.screen("closed")).to_be_visible()
    window.thread.join(10)
    assert not window.thread.is_alive()


def test_failing_run_then_retry_after_fixing_the_file(
    open_window: Callable[..., Window], tmp_path: Path
) -> None:
    profile = copy_demo(tmp_path / "profile")
    mcp = profile / "redux_export" / "mcp.json"
    original = mcp.read_bytes()
    mcp.write_text('{"servers": [', encoding="utf-8")
    window = open_window(profile)
    page = window.page
    start_migration(window)
    expect(window.screen("error")).to_be_visible(timeout=60_000)
    expect(page.locator("#error-message")).to_contain_text("mcp.json")
    expect(page.locator("#steps li.failed")).to_have_count(1)
    page.click("#btn-diagnostics")
    expect(page.locator("#diagnostics-saved")).to_contain_text(".zip")
    assert Path(window.session.snapshot()["diagnosticsPath"]).is_file()
    shot(window, "error")

    mcp.write_bytes(original)
    page.click("#btn-retry")
    expect(window.screen("completed")).to_be_visible(timeout=60_000)


def test_cancel_during_a_large_run(
    open_window: Callable[..., Window], long_run: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "v2.sqlite"
    target.parent.mkdir()
    assert MigrationEngine([]).use_defaults(target).success
    before = digest(target)
    window = open_window(long_run, target=target)
    page = window.page
    start_migration(window)
    expect(window.screen("migration")).to_be_visible()
    expect(page.locator("#migrator-list li.completed").first).to_be_visible(timeout=30_000)

    # Closing asks first; "Continue migration" keeps the run going.
    page.click("#close-button")
    dialog = page.locator('dialog[data-dialog="close"]')
    expect(dialog).to_be_visible()
    expect(page.locator("#btn-close-continue")).to_be_focused()
    shot(window, "close-dialog")
    page.click("#btn-close-continue")
    expect(dialog).to_be_hidden()
    assert window.session.busy == "migration"

    # Leaving the page asks too (beforeunload); staying keeps the run going.
    with page.expect_event("dialog") as prompt:
        page.close(run_before_unload=True)
    assert prompt.value.type == "beforeunload"
    prompt.value.dismiss()
    assert not page.is_closed()

    # A reload in the middle of the run reattaches to it.
    page.on("dialog", lambda d: d.accept())
    page.reload()
    expect(window.screen("migration")).to_be_visible()
    expect(page.locator("#migrator-list li").first).to_be_visible()
    shot(window, "migration")

    page.click("#btn-cancel")
    expect(window.screen("error")).to_be_visible(timeout=30_000)
    expect(page.locator("#error-title")).to_have_text("Migration cancelled")
    state = window.session.snapshot()
    assert state["cancelled"] is True and state["result"]["outcome"] == "cancelled"
    assert digest(target) == before
    assert sorted(p.name for p in target.parent.iterdir() if p.name.startswith(".v2.sqlite.")) == [
        ".v2.sqlite.lock"
    ]


def test_close_confirmation_cancel_and_quit(open_window: Callable[..., Window], long_run: Path) -> None:
    window = open_window(long_run)
    page = window.page
    start_migration(window)
    expect(window.screen("migration")).to_be_visible()
    page.click("#close-button")
    page.click("#btn-close-quit")
    expect(window.screen("closed")).to_be_visible(timeout=30_000)
    expect(page.locator("#main")).to_contain_text("cancelled")
    window.thread.join(10)
    assert not window.thread.is_alive()
    assert not window.session.target.exists()


def test_backup_progress_and_cancel(open_window: Callable[..., Window], large_profile: Path) -> None:
    window = open_window(large_profile)
    page = window.page
    expect(window.screen("introduction")).to_be_visible()
    page.click("#btn-next")
    page.click("#btn-backup-create")
    expect(window.screen("backup-progress")).to_be_visible()
    expect(page.locator("#backup-bar")).not_to_have_attribute("aria-valuenow", "0")
    shot(window, "backup-progress")
    page.click("#btn-backup-cancel")
    expect(page.locator("#backup-status")).to_have_text("The backup was cancelled; no file was left behind.")
    assert not list(window.session.target.parent.glob("*.zip*"))
    assert window.session.snapshot()["stage"] == "backup_required"


def test_use_defaults(open_window: Callable[..., Window]) -> None:
    window = open_window()
    page = window.page
    expect(window.screen("introduction")).to_be_visible()
    page.click("#btn-use-defaults")
    confirm = page.locator("#btn-skip-confirm")
    expect(confirm).to_be_disabled()
    shot(window, "use-defaults-dialog")
    page.check("#skip-understood")
    expect(confirm).to_be_enabled()
    confirm.click()
    expect(window.screen("completed")).to_be_visible()
    expect(page.locator("#completed-title")).to_have_text("Cherry Studio v2 will start with default settings")
    status = read_status_from_db(window.session.target)
    assert status is not None and status["status"] == "completed" and status["skipped"] is True
    with sqlite3.connect(window.session.target) as db:
        assert db.execute("SELECT count(*) FROM mcp_server").fetchone()[0] == 0


def test_requests_without_token_or_from_another_origin_are_rejected(
    open_window: Callable[..., Window],
) -> None:
    window = open_window()
    page = window.page
    expect(window.screen("introduction")).to_be_visible()
    assert page.evaluate("fetch('/api/state').then(r => r.status)") == 401
    assert page.evaluate("fetch('/api/proceed', {method: 'POST'}).then(r => r.status)") == 401

    foreign = window.context.new_page()
    foreign.route(
        "http://evil.example/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>another site</p>"),
    )
    foreign.goto("http://evil.example/")
    outcome = foreign.evaluate(
        """async ([origin, token]) => {
            try {
                const r = await fetch(origin + '/api/proceed',
                                      {method: 'POST', headers: {Authorization: 'Bearer ' + token}});
                return 'status ' + r.status;
            } catch (e) { return 'blocked'; }
        }""",
        [window.server.origin, window.server.token],
    )
    assert outcome in ("blocked", "status 403")
    foreign.evaluate(
        "origin => fetch(origin + '/api/proceed', {method: 'POST', mode: 'no-cors'}).catch(() => null)",
        window.server.origin,
    )
    response = window.context.request.post(
        f"{window.server.origin}/api/proceed", headers={**window.auth, "Origin": "http://evil.example"}
    )
    assert response.status == 403
    assert window.session.snapshot()["stage"] == "introduction"


def test_language_switch_to_chinese_and_keyboard_use(open_window: Callable[..., Window]) -> None:
    window = open_window()
    page = window.page
    expect(page.locator("#introduction-title")).to_have_text("Move your data to Cherry Studio v2")
    page.select_option("#language", "zh-CN")
    expect(page.locator("#introduction-title")).to_have_text("将数据迁移到 Cherry Studio v2")
    assert page.get_attribute("html", "lang") == "zh-CN"
    expect(page.locator("#btn-next")).to_have_text("下一步：备份")
    shot(window, "introduction-zh")
    page.reload()
    expect(page.locator("#introduction-title")).to_have_text("将数据迁移到 Cherry Studio v2")

    page.focus("#btn-next")
    page.keyboard.press("Enter")
    expect(window.screen("backup")).to_be_visible()
    expect(page.locator("#backup-title")).to_be_focused()
    for _ in range(10):
        if page.evaluate("document.activeElement.id") == "btn-backup-skip":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(window.screen("backup-ready")).to_be_visible()
    expect(page.locator("#btn-start")).to_have_text("开始迁移")


def test_blocked_version_explains_what_to_do(open_window: Callable[..., Window], tmp_path: Path) -> None:
    profile = copy_demo(tmp_path / "profile")
    (profile / "version.log").write_text("1.9.3|win32|production|true|normal|2025-05-07T09:00:00.000Z\n")
    window = open_window(profile)
    page = window.page
    expect(window.screen("version")).to_be_visible()
    expect(page.locator("#version-explanation")).to_contain_text("1.9.12")
    expect(page.locator("#version-explanation")).to_contain_text("1.9.3")
    assert page.locator("#rail").is_hidden()
    shot(window, "version")
