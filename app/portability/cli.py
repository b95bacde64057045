"""Command-line commands: `flask backup create|restore FILE`."""

from __future__ import annotations

import click
from flask import Flask

from app.portability import backup


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_group)


@click.group("backup")
def backup_group():
    """Backups of the whole database, and restoring one."""


@backup_group.command("create")
@click.argument("file", type=click.Path(dir_okay=False))
def create(file):
    """Write a backup archive of the database to FILE (a .tar.gz)."""
    try:
        manifest = backup.create_backup(file)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Wrote {file}: {backup.describe(manifest)}.")


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
    if result.migrated_to:
        click.echo(f"The database schema is now at {result.migrated_to}.")
