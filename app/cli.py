"""Command-line commands: `flask --app wsgi <command>`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from sqlalchemy import select

from app import demo
from app.auth import services
from app.extensions import db
from app.models import Organisation, OrganisationKind, Role, User


def init_app(app: Flask) -> None:
    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo)
    app.cli.add_command(questionnaires_group)
    app.cli.add_command(report_group)
    app.cli.add_command(users_group)


@click.group("questionnaires")
def questionnaires_group():
    """Questionnaire and resource-catalogue files."""


@questionnaires_group.command("check")
@click.argument("paths", nargs=-1, type=click.Path())
def check_questionnaires(paths):
    """Check questionnaire folders or files (default: the ones the app uses).

    Prints one line per file (translations: missing and orphan texts per language), then any
    warnings (incomplete content, glossary variants: exit 0), or every problem (file, item, what is
    wrong; a translation that carries structure) and exits 1.
    """
    from flask import current_app

    import questionnaires as engine

    if not paths:
        paths = (current_app.config.get("QUESTIONNAIRES_DIR") or str(engine.SHIPPED_DIR),)
    report = engine.check_paths(paths)
    for line in report.lines:
        click.echo(line)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if report.warnings:
        click.echo(f"{len(report.warnings)} warning(s).", err=True)
    if not report.ok:
        for problem in report.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(report.problems)} problem(s) found.", err=True)
        raise SystemExit(1)


@click.command("create-user")
@click.option("--email", required=True, help="Sign-in address of the new user.")
@click.option("--name", required=True, help="The user's full name.")
@click.option(
    "--organisation",
    "organisation_name",
    required=True,
    help="Organisation name; created if it does not exist.",
)
@click.option(
    "--kind",
    type=click.Choice([k.value for k in OrganisationKind]),
    default=OrganisationKind.COMPANY.value,
    show_default=True,
    help="Kind of a newly created organisation.",
)
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.ADMIN.value,
    show_default=True,
)
@click.password_option(help="The password (asked for when not given).")
def create_user(email, name, organisation_name, kind, role, password):
    """Create a user (and, if needed, its organisation) without the web form."""
    if User.email_taken(email):
        raise click.ClickException(f"A user with the address {email} exists already.")
    from app.auth import passwords

    with current_app.test_request_context():  # the message is a translated string
        problem = passwords.problem(password, user_inputs=[name, organisation_name])
    if problem:
        raise click.ClickException(problem)
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.name == organisation_name)
    )
    if organisation is None:
        organisation = Organisation(name=organisation_name, kind=OrganisationKind(kind))
        db.session.add(organisation)
    services.create_user(
        organisation=organisation, name=name, email=email, password=password, role=Role(role)
    )
    db.session.commit()
    click.echo(f"Created {role} {email} in {organisation.name}.")


@click.group("users")
def users_group():
    """People of an organisation: list them, change a role, disable, remove."""


def _user_by_email(email: str) -> User:
    user = User.by_email(email)
    if user is None or user.removed_at is not None:
        raise click.ClickException(f"There is no user with the address {email}.")
    return user


def _colleague_change(action, *args) -> None:
    from app.colleagues import services as colleagues

    with current_app.test_request_context():  # messages are translated strings
        try:
            action(*args, colleagues.COMMAND_LINE)
        except colleagues.ColleagueChangeRefused as refused:
            db.session.rollback()
            raise click.ClickException(str(refused)) from None


@users_group.command("list")
@click.option("--organisation", "organisation_name", help="Only this organisation.")
def list_users(organisation_name):
    """List users: address, name, role, state and organisation."""
    stmt = select(User).join(User.organisation).where(User.removed_at.is_(None))
    if organisation_name:
        stmt = stmt.where(Organisation.name == organisation_name)
    for user in db.session.scalars(stmt.order_by(Organisation.name, User.email)):
        state = "disabled" if user.disabled_at else "active"
        click.echo(
            f"{user.email}\t{user.name}\t{user.role.value}\t{state}\t{user.organisation.name}"
        )


@users_group.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([r.value for r in Role]))
def set_role(email, role):
    """Give the user with address EMAIL another ROLE (their sessions end)."""
    from app.colleagues import services as colleagues

    user = _user_by_email(email)
    _colleague_change(colleagues.set_role, user, Role(role))
    click.echo(f"{email} is now {role}.")


@users_group.command("disable")
@click.argument("email")
def disable_user(email):
    """Stop the user with address EMAIL signing in (their sessions end)."""
    from app.colleagues import services as colleagues

    _colleague_change(colleagues.disable, _user_by_email(email))
    click.echo(f"{email} is disabled.")


@users_group.command("enable")
@click.argument("email")
def enable_user(email):
    """Let a disabled user sign in again."""
    from app.colleagues import services as colleagues

    _colleague_change(colleagues.enable, _user_by_email(email))
    click.echo(f"{email} is enabled.")


@users_group.command("remove")
@click.argument("email")
def remove_user(email):
    """Remove the user with address EMAIL; answers and history keep the name."""
    from app.colleagues import services as colleagues

    _colleague_change(colleagues.remove, _user_by_email(email))
    click.echo(f"{email} is removed.")


@click.command("seed-demo")
def seed_demo():
    """Add the demo organisations and users (does nothing if they exist already)."""
    created = demo.seed()
    click.echo("Demo data created." if created else "Demo data exists already.")
    click.echo(demo.credentials_text())


@click.group("report")
def report_group():
    """Gap reports as PDF files."""


@report_group.command("render")
@click.argument("assessment_id", type=int)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The PDF file to write."
)
def render_report(assessment_id, output):
    """Write the gap report of assessment ASSESSMENT_ID to a PDF file."""
    from flask import current_app

    from app.assessments import reporting
    from app.models import Assessment
    from app.report_jobs import service

    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        raise click.ClickException(f"There is no assessment {assessment_id}.")
    # The report's words and dates follow a locale, which Flask-Babel reads from a request.
    with current_app.test_request_context():
        document = reporting.report_of(assessment)
        path = service.render_now(
            service.assessment_owner(assessment.id), service.gap_report_recipe(document)
        )
    with open(path, "rb") as source, open(output, "wb") as target:
        target.write(source.read())
    click.echo(
        f"Wrote the report of assessment {assessment_id} ({assessment.subject}) to {output}."
    )


@report_group.command("sample")
@click.argument("questionnaire_key")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The PDF file to write."
)
@click.option("--seed", default=0, show_default=True, help="Seed of the generated answers.")
@click.option("--draft", is_flag=True, help="Render it as a draft (with the watermark).")
def sample_report(questionnaire_key, output, seed, draft):
    """Write a gap report for generated answers with typical gaps to a PDF file."""
    from flask import current_app

    from app.content import content
    from app.models import utc_today
    from app.report_jobs import layout
    from reports import model, render

    questionnaire = content().get(questionnaire_key)
    if questionnaire is None:
        known = ", ".join(sorted(content().questionnaires))
        raise click.ClickException(
            f"There is no questionnaire {questionnaire_key!r}; the app has: {known}."
        )
    with current_app.test_request_context():
        document = model.sample_report(
            questionnaire,
            content().match,
            report_date=utc_today(),
            seed=seed,
            status=model.DRAFT if draft else model.SUBMITTED,
            language=layout.report_language(),
        )
        pdf = render.render_pdf(layout.environment(), document)
    with open(output, "wb") as target:
        target.write(pdf)
    click.echo(f"Wrote a sample report of {questionnaire.title} to {output}.")
