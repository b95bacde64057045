"""CSRF, cookies, security headers, production settings and error pages."""

from __future__ import annotations

import pytest

from app import create_app
from config import DEFAULT_SECRET_KEY, ProductionConfig


@pytest.mark.parametrize("app_settings", [{"WTF_CSRF_ENABLED": True}])
@pytest.mark.parametrize("path", ["/sign-in", "/register", "/sign-out", "/colleagues/invite"])
def test_a_post_without_csrf_token_is_rejected_with_400(admin_client, path, app_settings):
    response = admin_client.post(path, data={"email": "x@example.org", "password": "whatever!!"})
    assert response.status_code == 400
    assert b"security token" in response.data


@pytest.mark.parametrize("app_settings", [{"WTF_CSRF_ENABLED": True}])
def test_a_json_write_without_csrf_token_is_rejected_with_400(client, app_settings):
    response = client.post("/sign-in", json={"email": "x@example.org"})
    assert response.status_code == 400


@pytest.mark.parametrize("app_settings", [{"WTF_CSRF_ENABLED": True}])
def test_a_post_with_the_csrf_token_of_the_page_is_accepted(client, admin, app_settings):
    page = client.get("/sign-in").get_data(as_text=True)
    marker = 'name="csrf_token" type="hidden" value="'
    start = page.index(marker) + len(marker)
    token = page[start : page.index('"', start)]
    response = client.post(
        "/sign-in",
        data={"csrf_token": token, "email": admin.email, "password": "correct horse battery"},
    )
    assert response.status_code == 302


def test_security_headers_are_set(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script(client):
    html = client.get("/sign-in").get_data(as_text=True)
    for chunk in html.split("<script")[1:]:
        assert "src=" in chunk.split(">", 1)[0]


def test_session_cookie_is_httponly_and_samesite_lax(client, admin):
    response = client.post(
        "/sign-in", data={"email": admin.email, "password": "correct horse battery"}
    )
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_refuses_the_default_secret_key(monkeypatch, tmp_path):
    class Unsafe(ProductionConfig):
        SECRET_KEY = DEFAULT_SECRET_KEY
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path}/x.sqlite"

    with pytest.raises(SystemExit) as refused:
        create_app(Unsafe)
    assert "SECRET_KEY" in str(refused.value)


def test_production_refuses_a_missing_secret_key(tmp_path):
    class Missing(ProductionConfig):
        SECRET_KEY = None
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path}/x.sqlite"

    with pytest.raises(SystemExit):
        create_app(Missing)


def test_production_starts_with_a_real_secret_key(tmp_path):
    class Safe(ProductionConfig):
        SECRET_KEY = "f" * 64
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path}/x.sqlite"

    app = create_app(Safe)
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_unknown_pages_get_a_404_in_the_layout(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"Page not found" in response.data
    assert b'<html lang="en">' in response.data


def test_a_server_error_gets_the_500_page(app, client):
    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data


def test_without_ddcheck_env_a_served_app_is_production(monkeypatch):
    from config import config_from_env

    monkeypatch.delenv("DDCHECK_ENV", raising=False)
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    assert config_from_env() is ProductionConfig


def test_the_flask_command_line_defaults_to_development(monkeypatch):
    from config import DevelopmentConfig, config_from_env

    monkeypatch.delenv("DDCHECK_ENV", raising=False)
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    assert config_from_env() is DevelopmentConfig


def test_gunicorn_without_settings_refuses_to_serve_with_the_development_key(tmp_path):
    """What an operator sees who starts gunicorn with no environment at all."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("DDCHECK_ENV", "SECRET_KEY")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/x.sqlite"
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "Refusing to start in production" in result.stderr
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["gunicorn", "--bind", "0.0.0.0:8000", "wsgi:app"],
        ["gunicorn", "-b", "[::]:8000", "wsgi:app"],
        ["flask", "--app", "wsgi", "run", "--host", "0.0.0.0"],
        ["flask", "--app", "wsgi", "run", "-h", "192.168.1.20"],
    ],
)
def test_a_public_bind_with_the_development_key_refuses_to_start(monkeypatch, tmp_path, argv):
    from config import DevelopmentConfig

    class Exposed(DevelopmentConfig):
        SECRET_KEY = DEFAULT_SECRET_KEY
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path}/x.sqlite"

    monkeypatch.setattr("sys.argv", argv)
    with pytest.raises(SystemExit) as refused:
        create_app(Exposed)
    assert "development secret key" in str(refused.value)


@pytest.mark.parametrize(
    "argv",
    [
        ["gunicorn", "wsgi:app"],
        ["gunicorn", "--bind=127.0.0.1:8000", "wsgi:app"],
        ["flask", "--app", "wsgi", "run", "--host", "127.0.0.1"],
        ["flask", "--app", "wsgi", "db", "upgrade"],
    ],
)
def test_a_loopback_bind_with_the_development_key_starts(monkeypatch, tmp_path, argv):
    from config import DevelopmentConfig

    class Local(DevelopmentConfig):
        SECRET_KEY = DEFAULT_SECRET_KEY
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path}/x.sqlite"

    monkeypatch.setattr("sys.argv", argv)
    assert create_app(Local).config["ENV_NAME"] == "development"
