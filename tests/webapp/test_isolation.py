"""Another runner can see nothing of yours, on every route, including routes added later.

The test walks `app.url_map`: every route whose URL names one of the owner's objects must
answer 404 to another user (for every method, pages and API alike) and leave the object as it
was; every other route, the list pages included, must not show anything of the owner's.
A route with an argument this test does not know fails it until the argument is added below.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select

from tests.conftest import AuthActions, set_csrf
from tests.webapp.factories import PASSWORD, add_account, bearer
from tests.webapp.files import recent_start, run_fit
from webapp.db import new_session
from webapp.models import Activity, ApiToken, ImportJob, OriginalFile

MARK = "zq7secret"  # in every name the owner gives; must never reach the other user

# URL arguments that name one of the owner's rows: argument -> key of `owner_objects`.
OWNED = {
    "activity_id": "activity",
    "job_id": "job",
    "token_id": "token",
    "file_id": "file",
}
# Arguments that name no row of anyone's: each user gets their own week, session number...
NOT_OWNED = {
    "week": "a week label: each user sees their own week",
    "index": "a session number within the requesting user's own week",
    "year": "a calendar year: each user sees only their own weeks in it",
    "filename": "static files",
    "token": "a signed password-reset link, valid only for the account it was sent to",
}
SKIP_LIST_CHECK = {"static", "auth.logout", "pwa.favicon"}  # the icon: bytes, no text


@pytest.fixture
def owner_objects(app):
    """The owner's account with an imported activity, its file, an import job and a token."""
    owner = add_account(app, "owner@example.com", token_name=f"{MARK} token")
    client = app.test_client()
    start = recent_start(1)
    data = {"file": [(io.BytesIO(run_fit(start)), f"{MARK}-run.fit")]}
    response = client.post(
        "/api/v1/activities",
        data=data,
        headers=bearer(owner.token),
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        session = new_session()
        activity = session.scalar(select(Activity).where(Activity.user_id == owner.id))
        activity.name = f"{MARK} hill session"
        job = ImportJob(user_id=owner.id, filename=f"{MARK}-export.zip", status="running")
        session.add(job)
        session.commit()
        year, number, _ = start.isocalendar()
        objects = {
            "owner": owner,
            "activity": activity.id,
            "file": activity.original_file_id,
            "job": job.id,
            "token": session.scalar(select(ApiToken.id).where(ApiToken.user_id == owner.id)),
            "week": f"{year}-W{number:02d}",
        }
        session.close()
    return objects


def fill(rule, objects) -> dict:
    values, unknown = {}, []
    for name in rule.arguments:
        if name in OWNED:
            values[name] = objects[OWNED[name]]
        elif name == "week":
            values[name] = objects["week"]
        elif name == "index":
            values[name] = 0
        elif name in NOT_OWNED:
            values[name] = 2026 if name == "year" else "x"
        else:
            unknown.append(name)
    assert not unknown, (
        f"{rule.rule} takes {unknown}: add the argument to OWNED (with a row of the owner's in "
        "owner_objects) or to NOT_OWNED (saying why no other user's row can be reached by it)"
    )
    return values


def request_as(client, token, rule, url, method, htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    if rule.rule.startswith("/api/"):
        headers |= bearer(token)
    elif method != "GET":
        headers["X-CSRF-Token"] = set_csrf(client)
    return client.open(url, method=method, headers=headers)


def shown_text(response) -> str:
    """What a response shows: its text, or for a zip, the names and contents of its members."""
    if response.mimetype == "application/zip":
        archive = zipfile.ZipFile(io.BytesIO(response.data))
        return "\n".join(
            name + "\n" + archive.read(name).decode("utf-8", "replace")
            for name in archive.namelist()
        )
    return response.get_data(as_text=True)


def methods(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def owner_rows(app, objects) -> dict:
    with app.app_context():
        session = new_session()
        token = session.get(ApiToken, objects["token"])
        rows = {
            "activity": session.get(Activity, objects["activity"]) is not None,
            "file": session.get(OriginalFile, objects["file"]) is not None,
            "job": session.get(ImportJob, objects["job"]) is not None,
            "token_live": token.revoked_at is None,
        }
        session.close()
    return rows


def test_every_route_with_an_id_is_404_for_another_user(app, owner_objects):
    other = add_account(app, "other@example.com")
    client = app.test_client()
    AuthActions(client).login(other.email, PASSWORD)
    before = owner_rows(app, owner_objects)
    assert all(before.values())

    checked = []
    with app.test_request_context():
        rules = list(app.url_map.iter_rules())
    for rule in rules:
        if not rule.arguments or rule.endpoint == "static":
            continue
        values = fill(rule, owner_objects)
        url = rule.build(values, append_unknown=False)[1]
        for method in methods(rule):
            for htmx in (False, True):
                response = request_as(client, other.token, rule, url, method, htmx)
                where = f"{method} {url} (HTMX: {htmx})"
                if rule.arguments & OWNED.keys():
                    assert response.status_code == 404, where
                    checked.append((rule.endpoint, method))
                else:
                    assert response.status_code < 500, where
                assert MARK not in shown_text(response), where
    assert owner_rows(app, owner_objects) == before  # nothing was deleted or revoked

    # The routes really were reached: the owner gets each of these pages.
    assert {e for e, _ in checked} >= {
        "activities.show",
        "activities.delete",
        "api.get_activity",
        "api.delete_activity",
        "upload.job",
        "account.revoke_api_token",
    }
    owner_client = app.test_client()
    AuthActions(owner_client).login("owner@example.com", PASSWORD)
    for rule in rules:
        if rule.arguments & OWNED.keys() and "GET" in rule.methods:
            url = rule.build(fill(rule, owner_objects), append_unknown=False)[1]
            response = request_as(owner_client, owner_objects["owner"].token, rule, url, "GET")
            assert response.status_code == 200, f"owner GET {url}"


def test_list_pages_show_nothing_of_another_user(app, owner_objects):
    other = add_account(app, "other@example.com")
    client, owner_client = app.test_client(), app.test_client()
    AuthActions(client).login(other.email, PASSWORD)
    AuthActions(owner_client).login("owner@example.com", PASSWORD)
    owner_sees = set()
    for rule in app.url_map.iter_rules():
        if rule.arguments or "GET" not in rule.methods or rule.endpoint in SKIP_LIST_CHECK:
            continue
        url = rule.build({}, append_unknown=False)[1]
        response = request_as(client, other.token, rule, url, "GET")
        assert response.status_code < 500, url
        assert MARK not in shown_text(response), f"GET {url} shows the owner's data"
        mine = request_as(owner_client, owner_objects["owner"].token, rule, url, "GET")
        if MARK in shown_text(mine):
            owner_sees.add(rule.endpoint)
    # The same pages do show the owner's own data, so the check above can fail.
    assert owner_sees >= {
        "activities.index",
        "api.list_activities",
        "account.tokens",
        "account.export",
        "settings.index",
        "upload.index",
    }, owner_sees


def test_a_new_route_with_an_unknown_argument_fails_the_walk(app):
    app.add_url_rule("/gizmos/<int:gizmo_id>", "gizmo", lambda gizmo_id: str(gizmo_id))
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "gizmo")
    with pytest.raises(AssertionError, match="takes \\['gizmo_id'\\]"):
        fill(rule, {})
