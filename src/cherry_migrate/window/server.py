"""Launching the window: uvicorn on 127.0.0.1 only, on a free port, with a token made for this launch.

The socket is bound before the app is built, so the app knows its real port for the Host and Origin
checks even when port 0 (any free port) was asked for. The URL (with the token) goes out on stdout;
then either nothing else happens (``--no-browser``: someone else opens it), the default browser opens
it, or, when pywebview is installed (extra ``native-window``), a 900×620 native window shows it.
"""

from __future__ import annotations

import importlib.util
import logging
import socket
import threading
import time
import webbrowser
from collections.abc import Callable
from typing import TextIO

import uvicorn

from cherry_migrate.window.app import create_app
from cherry_migrate.window.security import AccessPolicy, new_token
from cherry_migrate.window.session import MigrationSession

log = logging.getLogger("cherry_migrate.window")

HOST = "127.0.0.1"
WINDOW_TITLE = "Cherry Studio · Data Migration"
WINDOW_SIZE = (900, 620)
STARTUP_TIMEOUT = 10.0


class WindowServer:
    def __init__(self, session: MigrationSession, *, port: int = 0) -> None:
        self.session = session
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind((HOST, port))
        # Listening now means the printed URL works at once: early connections wait in the backlog
        # until uvicorn accepts them.
        self._socket.listen(128)
        self.port: int = self._socket.getsockname()[1]
        self.token = new_token()
        self.app = create_app(session, AccessPolicy(self.token, self.port), on_shutdown=self.stop)
        config = uvicorn.Config(
            self.app,
            log_config=None,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._on_stop: list[Callable[[], None]] = []

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def url(self) -> str:
        """The page's address with this launch's token."""
        return f"{self.origin}/?token={self.token}"

    @property
    def started(self) -> bool:
        return bool(self._server.started)

    def on_stop(self, callback: Callable[[], None]) -> None:
        self._on_stop.append(callback)

    def serve(self) -> None:
        """Serve until ``stop`` (or Ctrl-C in the main thread)."""
        self._server.run(sockets=[self._socket])

    def start(self) -> threading.Thread:
        """Serve in a background thread; returns once the server accepts connections."""
        thread = threading.Thread(target=self.serve, name="window-server", daemon=True)
        thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not self.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the window's web server did not start")
            time.sleep(0.02)
        return thread

    def stop(self) -> None:
        self.session.broker.close()
        self._server.should_exit = True
        for callback in self._on_stop:
            callback()


def native_window_available() -> bool:
    return importlib.util.find_spec("webview") is not None


def run_window(session: MigrationSession, *, port: int, open_browser: bool, out: TextIO) -> None:
    """Serve the window until the user finishes or closes it. The URL is the first line on ``out``."""
    server = WindowServer(session, port=port)
    out.write(server.url + "\n")
    out.flush()
    try:
        if open_browser and native_window_available():
            _run_native(server, session)
        else:
            if open_browser:
                threading.Thread(target=_open_browser, args=(server,), daemon=True).start()
            server.serve()
    except KeyboardInterrupt:
        log.info("Interrupted")
    finally:
        # Whatever ended the server, a running migration is cancelled and awaited: the target is then
        # exactly as it was before.
        session.shutdown(cancel=True)


def _open_browser(server: WindowServer) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    if not webbrowser.open(server.url):
        log.warning("Could not open a browser; open the address printed above.")


def _run_native(server: WindowServer, session: MigrationSession) -> None:
    import webview

    thread = server.start()
    width, height = WINDOW_SIZE
    window = webview.create_window(WINDOW_TITLE, server.url, width=width, height=height, resizable=False)
    # pywebview cancels the close when a ``closing`` handler returns False; the page then shows its
    # own "Continue migration / Cancel and quit" dialog.
    window.events.closing += session.request_close_from_window
    server.on_stop(window.destroy)
    webview.start()
    server.stop()
    thread.join(STARTUP_TIMEOUT)
