"""Command-line commands: `flask backup create|restore FILE`."""

from __future__ import annotations

import click
from flask import Flask

from app.portability import backup


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_group)
    app.cli.add_command(organisation_group)


@click.group("backup")
def backup_group():
    """Backups of the whole database, and restoring one."""


@backup_group.command("create")
@click.argument("file", type=click.Path(dir_okay=False))
def create(file):
    """Write a backup archive of the database and the evidence files to FILE (a .tar.gz)."""
    try:
        manifest = backup.create_backup(file)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Wrote {file}: {backup.describe(manifest)}.")
    warning = backup.evidence_problems(manifest)
    if warning:
        click.echo(warning)


@backup_group.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
def restore(file, yes):
    """Replace the database with the backup in FILE, then run the migrations forward.

    Stop the app first. The archive is checked completely before anything changes.
    """
    if not yes:
        click.confirm(
            "This replaces every row of the database with the backup. Continue?", abort=True
        )
    try:
        result = backup.restore_backup(file)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {file}: {backup.describe(result.manifest)}.")
    if result.manifest.get("evidence") is not None:
        click.echo(
            f"{result.evidence_written} evidence file(s) written to the evidence storage "
            "(the others were there already)."
        )
    warning = backup.evidence_problems(result.manifest)
    if warning:
        click.echo(warning)
    if result.migrated_to:
        click.echo(f"The database schema is now at {result.migrated_to}.")


@click.group("organisation")
def organisation_group():
    """An organisation's data: export it, or delete it with everything it owns."""


def _organisation(organisation_id: int):
    from app.extensions import db
    from app.models import Organisation

    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise click.ClickException(f"There is no organisation {organisation_id}.")
    return organisation


@organisation_group.command("export")
@click.argument("organisation_id", type=int)
@click.argument("file", type=click.Path(dir_okay=False))
def export_organisation(organisation_id, file):
    """Write everything of organisation ORGANISATION_ID to FILE (a ZIP)."""
    from flask import current_app

    from app.portability import organisation as organisations

    organisation = _organisation(organisation_id)
    # The action plans' words follow a locale, which Flask-Babel reads from a request.
    with current_app.test_request_context(), open(file, "wb") as out:
        for chunk in organisations.export_zip(organisation):
            out.write(chunk)
    click.echo(f"Wrote the data of organisation {organisation_id} to {file}.")


@organisation_group.command("delete")
@click.argument("organisation_id", type=int)
@click.option(
    "--name",
    "confirmation",
    prompt="Type the organisation's name to confirm",
    help="The organisation's name, to confirm.",
)
def delete_organisation(organisation_id, confirmation):
    """Delete organisation ORGANISATION_ID: its people, assessments, invitations it issued and
    workshops. What other organisations own is kept."""
    from app.portability import organisation as organisations

    organisation = _organisation(organisation_id)
    try:
        result = organisations.delete_organisation(organisation, confirmation)
    except organisations.NameMismatch as error:
        raise click.ClickException(
            "That is not the organisation's name: nothing was deleted."
        ) from error
    counts = ", ".join(f"{n} {t}" for t, n in sorted(result.deleted.items()))
    click.echo(f"Deleted organisation {organisation_id}: {counts}.")
