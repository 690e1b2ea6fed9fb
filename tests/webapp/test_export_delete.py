import io
import json
import zipfile
from datetime import UTC, datetime

from sqlalchemy import func, select

from tests.webapp.factories import add_account, add_activity, bearer, gpx_text
from webapp import daily_loads
from webapp.db import new_session
from webapp.models import (
    Base,
    EmailSend,
    ImportJob,
    ImportJobFile,
    ImportUpload,
    PlanAdjustment,
    RunnerProfile,
    SorenessCheckIn,
    StrengthLog,
    User,
    WeekPlan,
)


def login(auth, account):
    return auth.login(account.email, account.password)


def test_export_holds_every_original_file_and_the_summaries(app, client, auth):
    me = add_account(app)
    other = add_account(app, "other@example.com")
    first = datetime(2026, 11, 2, 7, tzinfo=UTC)
    second = datetime(2026, 11, 4, 18, tzinfo=UTC)
    ids = [add_activity(app, me.id, "Easy run", first), add_activity(app, me.id, "Tempo", second)]
    add_activity(app, other.id, "Not mine")
    login(auth, me)

    response = client.get("/settings/export")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.is_streamed

    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.testzip() is None
    names = sorted(archive.namelist())
    originals = [n for n in names if n.startswith("originals/")]
    assert len(originals) == 2 and "activities.json" in names
    assert archive.read(next(n for n in originals if n.endswith("easy-run.gpx"))) == (
        gpx_text("Easy run", first).encode()
    )

    data = json.loads(archive.read("activities.json"))
    assert data["email"] == me.email
    assert [a["id"] for a in data["activities"]] == ids
    tempo = data["activities"][1]
    assert tempo["name"] == "Tempo" and tempo["distance_m"] == 120.0
    assert tempo["stimulus"]["muscles"]["quadriceps"]["total"] == 2.0
    assert tempo["original_file"] in originals
    assert "Not mine" not in archive.read("activities.json").decode()


def test_export_of_an_empty_account_is_a_valid_zip(app, client, auth):
    login(auth, add_account(app))
    archive = zipfile.ZipFile(io.BytesIO(client.get("/settings/export").data))
    assert archive.namelist() == ["activities.json", "training.json"]
    assert json.loads(archive.read("activities.json"))["activities"] == []
    training = json.loads(archive.read("training.json"))
    assert training["profile"] is None
    assert training["soreness_checkins"] == training["strength_logs"] == []


def test_export_holds_the_profile_check_ins_and_strength_sessions(app, client, auth):
    me = add_account(app)
    other = add_account(app, "other@example.com")
    fill_every_table(app, me.id)
    with app.app_context():
        session = new_session()
        day = datetime(2026, 11, 5, tzinfo=UTC).date()
        session.add(SorenessCheckIn(user_id=me.id, day=day, level="very_sore"))
        session.add(RunnerProfile(user_id=other.id, profile_minutes=75, profile_goal="hills"))
        session.add(SorenessCheckIn(user_id=other.id, day=day, level="fresh"))
        session.get(User, me.id).equipment = ["dumbbells"]
        session.commit()
        session.close()
    login(auth, me)

    archive = zipfile.ZipFile(io.BytesIO(client.get("/settings/export").data))
    training = json.loads(archive.read("training.json"))
    assert training["format"] == "legday-training-1"
    profile = training["profile"]
    assert profile["minutes"] == 30 and profile["goal"] is None  # as given: the rest is inferred
    assert profile["equipment"] == ["dumbbells"]
    assert [(c["day"], c["level"]) for c in training["soreness_checkins"]] == [
        ("2026-11-03", "a_bit_sore"),
        ("2026-11-05", "very_sore"),
    ]
    (log,) = training["strength_logs"]
    assert (log["week"], log["session_index"], log["status"]) == ("2026-W45", 0, "done")


def test_export_needs_a_login(client):
    assert client.get("/settings/export").status_code == 302


def count_rows(app, user_id: int) -> dict[str, int]:
    """Rows per table that belong to `user_id` (the users table by id)."""
    with app.app_context():
        session = new_session()
        counts = {}
        for table in Base.metadata.sorted_tables:
            column = table.c.id if table.name == "users" else table.c.get("user_id")
            if column is None and "job_id" in table.c:  # a job's upload and files
                jobs = select(ImportJob.id).where(ImportJob.user_id == user_id)
                counts[table.name] = session.scalar(
                    select(func.count()).select_from(table).where(table.c.job_id.in_(jobs))
                )
            if column is not None:
                counts[table.name] = session.scalar(
                    select(func.count()).select_from(table).where(column == user_id)
                )
        session.close()
    return counts


def fill_every_table(app, user_id: int) -> None:
    add_activity(app, user_id, "Long run")
    with app.app_context():
        session = new_session()
        day = datetime(2026, 11, 3, tzinfo=UTC).date()
        daily_loads.refresh(session, session.get(User, user_id))  # the runner's days
        session.add_all(
            [
                ImportJob(
                    user_id=user_id,
                    filename="export.zip",
                    upload=ImportUpload(size=2, content=b"PK"),
                    files=[ImportJobFile(position=0, results=[])],
                ),
                StrengthLog(
                    user_id=user_id, week="2026-W45", session_index=0, day=day, status="done"
                ),
                PlanAdjustment(user_id=user_id, week="2026-W45", data={"swaps": {}}),
                WeekPlan(user_id=user_id, week="2026-W45", plan={"sessions": []}),
                EmailSend(user_id=user_id, week="2026-W45", status="sent"),
                RunnerProfile(user_id=user_id, profile_minutes=30),
                SorenessCheckIn(user_id=user_id, day=day, level="a_bit_sore"),
            ]
        )
        session.commit()
        session.close()


def test_delete_account_removes_everything_of_the_user_only(app, client, auth):
    me = add_account(app)
    other = add_account(app, "other@example.com")
    fill_every_table(app, me.id)
    fill_every_table(app, other.id)
    before = count_rows(app, other.id)
    # The other user has a row in every table (a new table fails here until it is filled).
    assert all(before.values()), before
    assert set(before) >= {"users", "activities", "original_files", "api_tokens", "import_jobs"}

    login(auth, me)
    response = auth.post("/settings/delete-account", data={"confirm": "RUNNER@example.com "})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    with client.session_transaction() as session:
        assert "_user_id" not in session

    assert set(count_rows(app, me.id).values()) == {0}
    assert count_rows(app, other.id) == before
    assert login(auth, me).status_code == 422
    assert client.get("/api/v1/activities", headers=bearer(me.token)).status_code == 401
    assert client.get("/api/v1/activities", headers=bearer(other.token)).status_code == 200


def test_delete_account_by_password(app, auth):
    me = add_account(app)
    login(auth, me)
    assert auth.post("/settings/delete-account", data={"confirm": me.password}).status_code == 302
    assert count_rows(app, me.id)["users"] == 0


def test_delete_account_refuses_a_wrong_confirmation(app, client, auth):
    me = add_account(app)
    add_activity(app, me.id)
    login(auth, me)
    page = client.get("/settings/delete-account")
    assert page.status_code == 200 and 'name="confirm"' in page.get_data(as_text=True)
    for typed in ("", "other@example.com", "wrong password"):
        response = auth.post("/settings/delete-account", data={"confirm": typed})
        assert response.status_code == 422
        assert "nothing was deleted" in response.get_data(as_text=True)
    counts = count_rows(app, me.id)
    assert counts["users"] == counts["activities"] == 1


def test_delete_account_needs_the_csrf_token(app, client, auth):
    me = add_account(app)
    login(auth, me)
    response = client.post("/settings/delete-account", data={"confirm": me.email})
    assert response.status_code == 400
    assert count_rows(app, me.id)["users"] == 1
