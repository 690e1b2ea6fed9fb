"""Shared fixtures: the app on SQLite or PostgreSQL (`--db`), clients, a live server, Chromium."""

from __future__ import annotations

import os
import re
import shutil
import threading
import uuid
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# The real SMTP server fixture `smtp_server` (aiosmtpd on a free local port).
pytest_plugins = ["tests.smtp"]

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the repository; LEGDAY_SHARED points elsewhere (or, to try, at nothing).
SHARED = Path(os.environ.get("LEGDAY_SHARED") or ROOT.parent / "shared")
SHARED_ACTIVITIES = SHARED / "fixtures" / "activities"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("LEGDAY_CHROMIUM", "/usr/bin/chromium")
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}


# CI explores the same examples every run (a failure there is reproducible, not luck);
# a developer's run explores new ones each time.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def pytest_addoption(parser):
    parser.addoption(
        "--db",
        choices=("sqlite", "postgresql"),
        default=os.environ.get("LEGDAY_TEST_DB", "sqlite"),
        help="database the webapp tests run on (PostgreSQL gets a database of its own)",
    )


def pytest_report_header(config):
    return f"legday database: {config.getoption('--db')}"


# --- real device files in ../shared -------------------------------------------------------


# CI always has ../shared: there a missing copy, or a skipped `shared` test, fails the run.
SHARED_MISSING = f"real device files not found at {SHARED_ACTIVITIES} (../shared is absent)"


def _ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def _shared_present() -> bool:
    return (SHARED_ACTIVITIES / "MANIFEST.tsv").exists()


def pytest_collection_modifyitems(config, items):
    """Under CI, refuse to start when shared-data tests were collected but ../shared is absent."""
    if _ci() and not _shared_present() and any(i.get_closest_marker("shared") for i in items):
        raise pytest.UsageError(
            f"CI is set and {SHARED_MISSING}: the shared-data tests must run in CI. "
            "Check out the shared data beside the repository (../shared/fixtures)."
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI, a skipped `shared` test is a failure (an expected failure stays one)."""
    outcome = yield
    report = outcome.get_result()
    if (
        _ci()
        and report.skipped
        and not hasattr(report, "wasxfail")
        and item.get_closest_marker("shared")
    ):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"CI: shared-data test skipped, which CI does not allow: {reason}"


@pytest.fixture(scope="session")
def shared_activities() -> Path:
    """The real device files; skipped with a reason on a clone without ../shared (CI: fails)."""
    if not _shared_present():
        if _ci():
            pytest.fail(f"CI: {SHARED_MISSING}")
        pytest.skip(SHARED_MISSING)
    return SHARED_ACTIVITIES


# --- database --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def database(request, tmp_path_factory):
    """A migrated database for the session: ("sqlite", template file) or ("postgresql", url)."""
    from webapp import db

    kind = request.config.getoption("--db")
    if kind == "sqlite":
        template = tmp_path_factory.mktemp("db") / "template.db"
        db.upgrade(f"sqlite:///{template}")
        yield kind, template
        return
    from tests import pg

    state, why = pg.probe()
    if state == "no-database":
        pg.create_admin_database()
    elif state != "ready":
        pytest.fail(f"--db=postgresql but no server answers at {pg.ADMIN_URL} ({why})")
    url, name = pg.create_database()
    db.upgrade(url)
    yield kind, url
    engine = db.make_engine(url)
    engine.dispose()
    pg.drop_database(name)


def _empty_postgresql(app) -> None:
    from sqlalchemy import text

    from webapp.models import Base

    engine = app.extensions["legday.engine"]
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def app_config(database, tmp_path) -> dict:
    kind, where = database
    if kind == "sqlite":
        path = tmp_path / "legday.db"
        shutil.copyfile(where, path)
        url = f"sqlite:///{path}"
    else:
        url = where
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": url,
        "AUTO_MIGRATE": False,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "REDIS_URL": None,
        "SMTP_URL": None,
        # Rate-limit counters of this app alone (tests that switch to Redis share the server).
        "RATELIMIT_KEY_PREFIX": f"legday-test-{uuid.uuid4().hex}",
        # Tests never ask a public tile server; test_journey serves tiles from a local folder.
        "TILE_URL": "",
    }


@pytest.fixture(autouse=True)
def _dispose_engines(monkeypatch):
    """Every engine a test makes (the `app` fixture's, an app a test builds for itself, a
    migration check) is disposed when the test ends: no pooled connection is left for the
    garbage collector to close in some later test."""
    from webapp import db

    made = []
    real = db.make_engine

    def tracked(url: str):
        engine = real(url)
        made.append(engine)
        return engine

    monkeypatch.setattr(db, "make_engine", tracked)
    yield
    for engine in made:
        engine.dispose()


@pytest.fixture
def app(app_config, database):
    from webapp import create_app

    app = create_app(app_config)
    yield app
    if database[0] == "postgresql":
        _empty_postgresql(app)
    else:
        app.extensions["legday.engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def set_csrf(client) -> str:
    """Put a known CSRF secret in the client's session; return the token a page would carry.

    Flask-WTF keeps the raw secret in the session and puts it, signed, in forms and headers.
    """
    from itsdangerous import URLSafeTimedSerializer

    with client.session_transaction() as session:
        raw = session.setdefault("csrf_token", "test-csrf-token")
    serializer = URLSafeTimedSerializer(client.application.secret_key, salt="wtf-csrf-token")
    return serializer.dumps(raw)


class AuthActions:
    """Register and log in through the real forms (flaskr's helper, with CSRF)."""

    def __init__(self, client):
        self._client = client

    def register(self, email="runner@example.com", password="correct horse"):
        token = set_csrf(self._client)
        return self._client.post(
            "/auth/register", data={"email": email, "password": password, "csrf_token": token}
        )

    def login(self, email="runner@example.com", password="correct horse"):
        token = set_csrf(self._client)
        return self._client.post(
            "/auth/login", data={"email": email, "password": password, "csrf_token": token}
        )

    def logout(self):
        token = set_csrf(self._client)
        return self._client.post("/auth/logout", data={"csrf_token": token})

    def post(self, url, **kwargs):
        """POST with the CSRF header a page would send."""
        headers = dict(kwargs.pop("headers", {}) or {})
        headers.setdefault("X-CSRF-Token", set_csrf(self._client))
        return self._client.post(url, headers=headers, **kwargs)


@pytest.fixture
def auth(client):
    return AuthActions(client)


def csrf_from_html(html: str) -> str:
    # Hand-written fields put value right after name; WTForms' `form.csrf_token` puts
    # type="hidden" between them.
    match = re.search(r'name="csrf_token"[^>]*? value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


# --- a live server and Chromium -------------------------------------------------------------


@pytest.fixture
def live_server(app):
    """The app served on 127.0.0.1 on a free port, in a thread; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def playwright_instance():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def phone(browser):
    """A fresh phone-sized browser context (390x844, touch)."""
    context = browser.new_context(**PHONE)
    yield context
    context.close()


@pytest.fixture
def page(phone):
    page = phone.new_page()
    yield page
    _let_the_worker_install(page)
    page.close()


# A worker still installing is fetching the shell (icons, CSS): closing the page then drops
# those downloads mid-response and the test server leaves their files open.
_WORKER_SETTLED = """async () => {
  if (!("serviceWorker" in navigator)) return;
  const reg = await navigator.serviceWorker.getRegistration();
  if (!reg || !(reg.installing || reg.waiting)) return;
  await Promise.race([navigator.serviceWorker.ready, new Promise((r) => setTimeout(r, 10000))]);
}"""


def _let_the_worker_install(page) -> None:
    try:
        page.evaluate(_WORKER_SETTLED)
    except Exception:  # the page navigated away, crashed or was closed by the test itself
        pass


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/artifacts/screenshots for people to look at."""
    out = ARTIFACTS / "screenshots" / f"{name}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out), full_page=True)
    return out


def has_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def inject_axe(page) -> None:
    """Load axe-core into the page through DevTools: an injected <script> tag would be refused
    by the Content-Security-Policy (and counted as a violation), this is not."""
    axe = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    page.evaluate(axe.read_text(encoding="utf-8") + "\n;void 0")


def csp_violations(page) -> list[str]:
    """Start collecting the page's Content-Security-Policy console errors; returns the list
    that grows as the page runs (Chromium logs each refusal as "Refused to ...")."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: found.append(f"{page.url}: {message.text}")
        if "Content Security Policy" in message.text
        else None,
    )
    return found


def axe_violations(page) -> list[dict]:
    """Run axe-core (from npm, injected) and return its violations (id, impact, targets)."""
    inject_axe(page)
    return page.evaluate(
        """async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']}))
            .violations.map(v => ({id: v.id, impact: v.impact,
                                   targets: v.nodes.map(n => n.target.join(' '))}))"""
    )
