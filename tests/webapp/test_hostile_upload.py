"""Hostile files through the upload API (issue 13): a clear 4xx, nothing stored, and the server
still answers afterwards. The files are the kinds in ../shared/fixtures/hostile, made small here.
"""

from __future__ import annotations

import io
import json
import urllib.request
import uuid

import pytest

from tests.importers.samples import make_track, tcx_text
from tests.webapp.factories import add_account, bearer

GPX = (
    '<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="t" '
    'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>{}</trkseg>'
    "</trk></gpx>"
)


def _nested_gpx() -> bytes:
    deep = "<a>" * 5000 + "</a>" * 5000
    point = f'<trkpt lat="46" lon="7"><time>2025-02-01T07:00:00Z</time><extensions>{deep}'
    return GPX.format(point + "</extensions></trkpt>").encode()


def _twenty_years_gpx() -> bytes:
    points = (
        '<trkpt lat="46" lon="7"><time>2000-01-01T00:00:00Z</time></trkpt>'
        '<trkpt lat="46.01" lon="7"><time>2020-01-01T00:00:00Z</time></trkpt>'
    )
    return GPX.format(points).encode()


def _far_tcx() -> bytes:
    text = tcx_text(make_track(seconds=2), laps=1)
    last = text.rfind("<DistanceMeters>")
    end = text.find("</DistanceMeters>", last)
    return (text[:last] + "<DistanceMeters>1000000000" + text[end:]).encode()


HOSTILE = [
    ("nested.gpx", _nested_gpx, "nests its elements more than 100 deep"),
    ("twenty-years.gpx", _twenty_years_gpx, "lasts 20 years"),
    ("far.tcx", _far_tcx, "1,000,000 km in 2 s"),
]


@pytest.fixture
def account(app):
    return add_account(app)


@pytest.mark.parametrize(("name", "make", "says"), HOSTILE)
def test_a_hostile_file_is_a_clear_422_and_nothing_is_stored(client, account, name, make, says):
    response = client.post(
        "/api/v1/activities",
        data={"file": [(io.BytesIO(make()), name)]},
        headers=bearer(account.token),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert says in body["error"] and name in body["error"]
    assert [r["status"] for r in body["results"]] == ["refused"]
    after = client.get("/api/v1/activities", headers=bearer(account.token))
    assert after.status_code == 200 and after.get_json()["total"] == 0


def test_the_live_server_answers_after_a_hostile_upload(app, live_server):
    account = add_account(app)
    boundary = uuid.uuid4().hex
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="n.gpx"\r\n'
        "Content-Type: application/gpx+xml\r\n\r\n"
    ).encode() + _nested_gpx() + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    headers.update(bearer(account.token))
    post = urllib.request.Request(
        f"{live_server}/api/v1/activities", data=body, headers=headers, method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(post, timeout=30)
    assert refused.value.code == 422
    assert "more than 100 deep" in json.loads(refused.value.read())["error"]
    get = urllib.request.Request(f"{live_server}/api/v1/activities", headers=bearer(account.token))
    with urllib.request.urlopen(get, timeout=30) as answer:
        assert answer.status == 200 and json.loads(answer.read())["total"] == 0
