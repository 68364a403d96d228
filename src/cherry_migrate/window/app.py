"""The HTTP side of the window: the API (our counterpart of upstream's IPC channels, §4.1) and the page.

| endpoint | upstream channel | effect |
| --- | --- | --- |
| GET  /api/state | get-progress, get-last-error | the full snapshot (``MigrationSession.snapshot``) |
| GET  /api/events | migration:progress | Server-Sent Events: the snapshot now, then at every change |
| POST /api/language | (language select) | ``{"language": "en" \\| "zh-CN"}`` |
| POST /api/proceed | proceed-to-backup | introduction → backup |
| POST /api/back | return-to-introduction / -backup-choice | one step back |
| POST /api/backup | show-backup-dialog | ``{"path": optional .zip path}``: start the backup |
| POST /api/backup/skip | backup-completed | "I already have a backup" |
| POST /api/start | start-migration | run the migration (409 while one runs) |
| POST /api/retry | retry | run again after an error |
| POST /api/cancel | (ours) | cancel the running migration or backup |
| POST /api/use-defaults | skip-migration | start v2 empty (409 while something runs) |
| POST /api/diagnostics | save-diagnostic-bundle | write the ZIP, return its path |
| POST /api/close-request | close-window | ``{"needsConfirmation": bool}`` |
| POST /api/close-cancel | cancel-close | the user chose to continue |
| POST /api/finish | restart | after completion: stop the server |
| POST /api/shutdown | confirm-quit | ``{"cancel": bool}``: stop (cancelling a run needs ``cancel``) |
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from importlib import resources
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel
from starlette.background import BackgroundTask

from cherry_migrate.window.language import LANGUAGES, catalog, from_accept_language
from cherry_migrate.window.security import AccessPolicy, GuardMiddleware
from cherry_migrate.window.session import MigrationSession, SessionError

KEEPALIVE_SECONDS = 15.0
STATIC_FILES = {
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
}


class BackupRequest(BaseModel):
    path: str | None = None


class LanguageRequest(BaseModel):
    language: str


class ShutdownRequest(BaseModel):
    cancel: bool = False


def _static(name: str) -> bytes:
    return resources.files(__package__).joinpath("static", name).read_bytes()


def _json(data: Any, status: int = 200, background: BackgroundTask | None = None) -> Response:
    return Response(orjson.dumps(data), status, media_type="application/json", background=background)


def _sse(event: dict[str, Any]) -> str:
    return f"id: {event['seq']}\nevent: state\ndata: {orjson.dumps(event).decode()}\n\n"


def create_app(
    session: MigrationSession, policy: AccessPolicy, *, on_shutdown: Callable[[], None] = lambda: None
) -> FastAPI:
    """``on_shutdown`` is called after the response to /api/finish or /api/shutdown has been sent."""
    app = FastAPI(title="cherry-migrate window", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(GuardMiddleware, policy=policy)

    @app.exception_handler(SessionError)
    async def session_error(request: Request, exc: SessionError) -> JSONResponse:
        return JSONResponse({"error": exc.code, "message": exc.message}, exc.status)

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        return Response(_static("index.html"), media_type="text/html; charset=utf-8")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in STATIC_FILES:
            return _json({"error": "not_found", "message": "No such file."}, 404)
        return Response(_static(name), media_type=STATIC_FILES[name])

    @app.get("/i18n/{name}", include_in_schema=False)
    def messages(name: str) -> Response:
        language = name.removesuffix(".json")
        if language not in LANGUAGES:
            return _json({"error": "not_found", "message": "No such language."}, 404)
        return _json(catalog(language))

    @app.get("/api/state")
    def state(request: Request) -> Response:
        session.suggest_language(from_accept_language(request.headers.get("accept-language")))
        return _json(session.snapshot())

    @app.get("/api/events")
    async def events(request: Request) -> StreamingResponse:
        session.suggest_language(from_accept_language(request.headers.get("accept-language")))
        # Subscribe before taking the snapshot, so no change falls between the two (the page drops
        # events older than what it has by their ``seq``).
        subscription = session.broker.subscribe()

        async def stream() -> AsyncIterator[str]:
            try:
                yield _sse(session.snapshot())
                while True:
                    got, event = await subscription.next(KEEPALIVE_SECONDS)
                    if not got:
                        if await request.is_disconnected():
                            return
                        yield ": keepalive\n\n"
                    elif event is None:
                        yield "event: end\ndata: {}\n\n"
                        return
                    else:
                        yield _sse(event)
            finally:
                session.broker.unsubscribe(subscription)

        return StreamingResponse(
            stream(), media_type="text/event-stream", headers={"X-Accel-Buffering": "no"}
        )

    @app.post("/api/language")
    def language(body: LanguageRequest) -> Response:
        return _json(session.set_language(body.language))

    @app.post("/api/proceed")
    def proceed() -> Response:
        return _json(session.proceed())

    @app.post("/api/back")
    def back() -> Response:
        return _json(session.back())

    @app.post("/api/backup")
    def backup(body: BackupRequest | None = None) -> Response:
        return _json(session.start_backup(body.path if body else None), 202)

    @app.post("/api/backup/skip")
    def skip_backup() -> Response:
        return _json(session.skip_backup())

    @app.post("/api/start")
    def start() -> Response:
        return _json(session.start(), 202)

    @app.post("/api/retry")
    def retry() -> Response:
        return _json(session.retry(), 202)

    @app.post("/api/cancel")
    def cancel() -> Response:
        return _json(session.cancel(), 202)

    @app.post("/api/use-defaults")
    def use_defaults() -> Response:
        return _json(session.use_defaults())

    @app.post("/api/diagnostics")
    def save_diagnostics() -> Response:
        return _json(session.save_diagnostics())

    @app.post("/api/close-request")
    def close_request() -> Response:
        return _json(session.close_request())

    @app.post("/api/close-cancel")
    def close_cancel() -> Response:
        session.dismiss_close()
        return _json({"ok": True})

    @app.post("/api/finish")
    def finish() -> Response:
        return _json(session.finish(), background=BackgroundTask(on_shutdown))

    @app.post("/api/shutdown")
    def shutdown(body: ShutdownRequest | None = None) -> Response:
        snapshot = session.shutdown(cancel=bool(body and body.cancel))
        return _json(snapshot, background=BackgroundTask(on_shutdown))

    return app
