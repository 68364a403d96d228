"""The migration window: a local web app (``cherry-migrate window``) that walks a user through the
version check, introduction, backup, migration and completion or recovery.

Modules, one job each:

* ``session``: the state machine (stages, one engine run at a time, progress history);
* ``events``: fan-out of state snapshots from worker threads to Server-Sent-Event streams;
* ``backup``: the ZIP of the legacy data folder, with byte progress;
* ``diagnostics``: the support bundle, without secrets or message contents;
* ``logbuffer``: the ring buffer of recent log lines the bundle includes;
* ``language``: the English and Simplified Chinese catalogs (``i18n/``) and the language choice;
* ``security``: token, Host and Origin checks in front of ``/api/``;
* ``app``: the FastAPI app factory (the HTTP API and the static page);
* ``server``: launching uvicorn on 127.0.0.1 and opening a browser or a native window.
"""
