"""`Server-Timing: app;dur=<ms>` on every response when SERVER_TIMING is on (the bench reads it)."""

from __future__ import annotations

import time

from flask import Flask, g


def init_app(app: Flask) -> None:
    if not app.config.get("SERVER_TIMING"):
        return

    @app.before_request
    def _start_clock() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _stop_clock(response):
        started = g.get("request_started")
        if started is not None:
            elapsed_ms = (time.perf_counter() - started) * 1000
            response.headers["Server-Timing"] = f"app;dur={elapsed_ms:.2f}"
        return response
