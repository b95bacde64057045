"""The ddcheck web application: `create_app()` builds and wires a Flask app."""

from __future__ import annotations

import os
from collections.abc import Mapping

from flask import Blueprint, Flask

from app import startup
from config import DEFAULT_SECRET_KEY, Config, config_from_env


def create_app(config: type[Config] | Mapping | None = None) -> Flask:
    """Build the application.

    `config` is a configuration class, or a mapping of settings applied on top of the class
    named by DDCHECK_ENV; without it, the class named by DDCHECK_ENV is used as it is.
    """
    app = Flask(__name__, instance_relative_config=True)
    if isinstance(config, type):
        app.config.from_object(config)
    else:
        app.config.from_object(config_from_env())
        if config:
            app.config.update(config)

    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        path = os.path.join(app.instance_path, "ddcheck.sqlite")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    _refuse_unsafe_production(app)

    from app import limits

    limits.init_app(app)
    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Only as many X-Forwarded-For hops as there are proxies of ours are believed.
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)
    _init_extensions(app)
    _register_blueprints(app)

    from app import (
        action_plans,
        assessments,
        cli,
        content,
        contractors,
        errors,
        formatting,
        handovers,
        operations,
        portability,
        report_jobs,
        security,
        static_files,
    )

    content.init_app(app)
    formatting.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    static_files.init_app(app)
    operations.init_app(app)
    cli.init_app(app)
    assessments.init_app(app)
    action_plans.init_app(app)
    handovers.init_app(app)
    contractors.init_app(app)
    portability.init_app(app)
    report_jobs.init_app(app)
    return app


_SET_A_KEY = (
    "set the SECRET_KEY environment variable to a long random value "
    '(for example: python -c "import secrets; print(secrets.token_hex(32))").'
)


def _refuse_unsafe_production(app: Flask) -> None:
    """Never serve with the public development key where others can reach the app."""
    if app.config.get("ENV_NAME") == "testing":
        return
    key = app.config.get("SECRET_KEY")
    if app.config.get("ENV_NAME") == "production":
        if not key or key == DEFAULT_SECRET_KEY or len(key) < 16:
            raise SystemExit(
                "Refusing to start in production (the default outside `flask run`; "
                "DDCHECK_ENV=development for local use): " + _SET_A_KEY
            )
        return
    exposed = [address for address in startup.bind_addresses() if not startup.is_loopback(address)]
    if (not key or key == DEFAULT_SECRET_KEY) and exposed:
        raise SystemExit(
            f"Refusing to listen on {', '.join(exposed)} with the development secret key: anyone "
            "could forge a session. Bind to 127.0.0.1, or " + _SET_A_KEY
        )


def _init_extensions(app: Flask) -> None:
    from flask_babel import get_locale
    from flask_babel import lazy_gettext as _l

    from app import i18n, models
    from app.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=os.path.join(os.path.dirname(__file__), "migrations"),
        render_as_batch=True,
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    bootstrap.init_app(app)
    limiter.init_app(app)
    from app.auth import throttle

    throttle.init_app(app)

    from app.auth import sessions

    login_manager.init_app(app)
    sessions.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["ORGANISATION_KIND_LABELS"] = models.ORGANISATION_KIND_LABELS
    app.jinja_env.globals["ROLE_LABELS"] = models.ROLE_LABELS


def _register_blueprints(app: Flask) -> None:
    from app import i18n

    i18n.init_app(app)
    from app.action_plans import bp as action_plans_bp
    from app.assessments import bp as assessments_bp
    from app.auth import bp as auth_bp
    from app.colleagues import bp as colleagues_bp
    from app.contractors import bp as contractors_bp
    from app.evidence import bp as evidence_bp
    from app.handovers import bp as handovers_bp
    from app.legacy import bp as legacy_bp
    from app.library import bp as library_bp
    from app.main import bp as main_bp
    from app.portability import bp as portability_bp
    from app.workshops import bp as workshops_bp
    from app.workshops import init_app as init_workshops
    from reports import render as report_render

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(colleagues_bp)
    app.register_blueprint(assessments_bp)
    app.register_blueprint(action_plans_bp)
    app.register_blueprint(handovers_bp)
    app.register_blueprint(library_bp)
    app.register_blueprint(contractors_bp)
    app.register_blueprint(evidence_bp)
    app.register_blueprint(workshops_bp)
    app.register_blueprint(portability_bp)
    app.register_blueprint(legacy_bp)
    init_workshops(app)
    # The report's stylesheet, shared by the preview page and the PDF, lives beside its template.
    app.register_blueprint(
        Blueprint(
            "report_assets",
            __name__,
            static_folder=str(report_render.STATIC_DIR),
            static_url_path="/static/report",
        )
    )
