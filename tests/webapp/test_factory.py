from sqlalchemy import inspect

from webapp import create_app


def test_config_overrides_environment(app):
    assert app.testing
    assert app.config["SECRET_KEY"] == "test-secret"


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("LEGDAY_INSTANCE", str(tmp_path / "inst"))
    app = create_app()
    try:
        assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'inst' / 'legday.db'}"
        # created and migrated on first run, no manual step
        tables = inspect(app.extensions["legday.engine"]).get_table_names()
        assert {"users", "activities", "original_files", "alembic_version"} <= set(tables)
        assert (tmp_path / "inst" / "secret_key").stat().st_mode & 0o077 == 0
    finally:
        app.extensions["legday.engine"].dispose()


def test_database_url_postgres_form_is_normalised(tmp_path, monkeypatch):
    from webapp.config import normalise_database_url

    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_home_page_renders_from_base_template(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<meta name="viewport" content="width=device-width' in html
    assert "Running builds some leg muscles" in html
    assert "/static/vendor/htmx.min.js" in html
    assert "https://" not in html.split("<body")[0], "nothing in <head> may come from a CDN"


def test_unknown_page_is_a_readable_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "We could not find that page" in response.get_data(as_text=True)
