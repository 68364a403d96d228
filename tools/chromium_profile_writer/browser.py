"""Run the writer page in Debian's Chromium, with a kept profile, and serve it the data.

The page is opened from ``file://`` so that its origin is ``file://`` and IndexedDB lands in
``IndexedDB/file__0.indexeddb.leveldb``, exactly as for Cherry Studio's packaged renderer. The
data does not travel in a URL: a local HTTP server (loopback, any free port) serves a folder and
the page ``fetch``es from it; ``Access-Control-Allow-Origin: *`` lets the ``file://`` page read
the responses.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import ConsoleMessage, sync_playwright

TOOL_DIR = Path(__file__).resolve().parent
PAGE = TOOL_DIR / "page.html"
DEXIE = TOOL_DIR / "node_modules" / "dexie" / "dist" / "dexie.js"
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Where Chromium keeps the storage of its default profile inside the user-data-dir.
STORAGE_DIRS = (Path("Default") / "IndexedDB", Path("Default") / "Local Storage")
_NOT_DATA = {"LOCK", "LOG", "LOG.old"}


def ensure_dexie() -> None:
    """Install the pinned Dexie (``npm ci``) if the tool folder does not have it yet."""
    if DEXIE.is_file():
        return
    if shutil.which("npm") is None:
        raise RuntimeError(f"{DEXIE} is missing and npm is not installed: run `npm ci` in {TOOL_DIR}")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=TOOL_DIR, check=True)


class _Handler(SimpleHTTPRequestHandler):
    """Static files with a CORS header; quiet."""

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on the loopback interface; yields the base URL (ending in ``/``)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def run_page(
    user_data_dir: Path,
    function: str,
    options: dict[str, Any],
    *,
    chromium: Path = DEFAULT_CHROMIUM,
    log: Callable[[str], None] | None = None,
) -> Any:
    """One browser session: open the page, await ``window[function](options)``, close cleanly.

    Closing the browser (not killing it) lets Chromium finish its LevelDB writes and commit
    pending localStorage changes before the profile is copied.
    """
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(user_data_dir), executable_path=str(chromium), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            if log is not None:
                page.on("console", lambda message: _forward(message, log))
            page.goto(PAGE.as_uri())
            return page.evaluate(f"options => window.{function}(options)", options)
        finally:
            context.close()


def _forward(message: ConsoleMessage, log: Callable[[str], None]) -> None:
    log(f"page: {message.text}")


def copy_storage(user_data_dir: Path, out_dir: Path) -> None:
    """Copy the profile's ``IndexedDB/`` and ``Local Storage/`` into ``out_dir``, minus LOCK and LOGs."""
    for relative in STORAGE_DIRS:
        source = user_data_dir / relative
        if not source.is_dir():
            raise RuntimeError(f"Chromium wrote no {relative} under {user_data_dir}")
        target = out_dir / relative.name
        shutil.copytree(source, target, ignore=lambda _, names: _NOT_DATA & set(names))
        for path in [target, *target.rglob("*")]:  # Chromium creates them private to the user
            path.chmod(0o755 if path.is_dir() else 0o644)
