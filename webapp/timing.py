"""`Server-Timing` on every response when SERVER_TIMING is on (the bench reads it).

`app` is the wall-clock time from the first before_request hook to after_request; `cpu` is
the CPU time the request's thread used meanwhile (without waits for the GIL or other
processes), which tells a slow machine from slow code.
"""

from __future__ import annotations

import time

from flask import Flask, g


def init_app(app: Flask) -> None:
    if not app.config.get("SERVER_TIMING"):
        return

    @app.before_request
    def _start_clock() -> None:
        g.request_started = time.perf_counter()
        g.request_cpu = time.thread_time()

    @app.after_request
    def _stop_clock(response):
        started = g.get("request_started")
        if started is not None:
            elapsed_ms = (time.perf_counter() - started) * 1000
            cpu_ms = (time.thread_time() - g.request_cpu) * 1000
            response.headers["Server-Timing"] = f"app;dur={elapsed_ms:.2f}, cpu;dur={cpu_ms:.2f}"
        return response
