"""`flask evidence orphans [--delete]`: blobs in storage that no document names."""

from __future__ import annotations

import click

from app.evidence import bp, services


@bp.cli.command("orphans")
@click.option("--delete", "remove", is_flag=True, help="Remove them (otherwise only list them).")
def orphans(remove: bool) -> None:
    """List the stored evidence files that no document uses; with --delete, remove them."""
    found = services.orphans()
    for name in found:
        click.echo(name)
    if remove:
        # Checked again against the rows just before each goes: an upload may have named one.
        gone = services.delete_unused_blobs(found)
        click.echo(f"{len(gone)} orphaned evidence file(s) deleted.")
    else:
        click.echo(f"{len(found)} orphaned evidence file(s); --delete removes them.")
