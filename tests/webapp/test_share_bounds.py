"""`/share` for logged-out browsers stores files for the login that follows: bounded in all (the
oldest dropped first) and per address (files and MB a day), not a free file store."""

from __future__ import annotations

from sqlalchemy import select

from tests.webapp.test_pwa import gpx_run, pending_shares, share_post
from webapp import ratelimit
from webapp.db import new_session
from webapp.models import PendingShare


def _names(app) -> list[str]:
    with new_session(app) as db:
        return list(db.scalars(select(PendingShare.filename).order_by(PendingShare.id)))


def test_the_store_is_bounded_in_files_and_the_oldest_go_first(app):
    app.config["PENDING_SHARE_GLOBAL_FILES"] = 5
    for i in range(8):  # eight browsers without a cookie, from eight addresses
        client = app.test_client()
        response = share_post(
            client, [(f"run-{i}.gpx", gpx_run())], environ_base={"REMOTE_ADDR": f"192.0.2.{i}"}
        )
        assert response.status_code == 303
    assert _names(app) == [f"run-{i}.gpx" for i in range(3, 8)]


def test_the_store_is_bounded_in_bytes(app):
    app.config["PENDING_SHARE_GLOBAL_MB"] = 1
    blob = b"\0" * (300 * 1024)
    for i in range(6):
        client = app.test_client()
        share_post(client, [(f"big-{i}.fit", blob)], environ_base={"REMOTE_ADDR": f"192.0.2.{i}"})
    # 1 MB holds three of the 300 KB files: the three newest.
    assert _names(app) == ["big-3.fit", "big-4.fit", "big-5.fit"]


def test_one_address_gets_a_daily_allowance_of_files(app):
    statuses = []
    for _ in range(ratelimit.SHARE_FILES_PER_DAY // 3 + 1):
        client = app.test_client()  # a fresh cookie each time does not help
        files = [(f"run-{i}.gpx", gpx_run()) for i in range(3)]
        statuses.append(share_post(client, files).status_code)
    assert statuses[:-1] == [303] * (len(statuses) - 1)
    assert statuses[-1] == 429
    assert pending_shares(app) <= ratelimit.SHARE_FILES_PER_DAY
    # Another address still may.
    elsewhere = {"REMOTE_ADDR": "192.0.2.99"}
    other = share_post(app.test_client(), [("x.gpx", gpx_run())], environ_base=elsewhere)
    assert other.status_code == 303


def test_a_logged_in_runner_is_not_counted(app, client, auth):
    auth.register()
    for _ in range(ratelimit.SHARE_FILES_PER_DAY // 20 + 1):
        files = [(f"run-{i}.gpx", gpx_run()) for i in range(20)]
        assert share_post(client, files).status_code == 200
