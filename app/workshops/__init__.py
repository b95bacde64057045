"""Workshops: a facilitator opens one with a join code, teams join without accounts and answer,
a live board shows the group, closing freezes the answers, the group report sums it up."""

from flask import Blueprint

bp = Blueprint("workshops", __name__)

from app.workshops import views  # noqa: E402,F401  (registers the routes on bp)


def init_app(app) -> None:
    """Let a team's signed cookie grant its one assessment (see app.scoping) and choose the
    language of its pages."""
    from app import signals
    from app.i18n import context_language
    from app.scoping import register_principal_provider
    from app.workshops import exports
    from app.workshops.participation import current_team, team_grant, team_language

    register_principal_provider(app, team_grant)
    context_language.register(app, team_language)
    signals.workshop_closed.connect(exports.prerender_group_report)
    # The layout links a participant back to their team's page.
    app.jinja_env.globals["current_workshop_team"] = current_team
    app.jinja_env.globals["workshop_case"] = workshop_case


def workshop_case(assessment) -> str | None:
    """The case a workshop team works on, for its answering pages; None for other assessments."""
    from app.workshops.participation import current_team
    from app.workshops.services import case_of

    team = current_team()
    if team is None or team.assessment_id != assessment.id:
        return None
    return case_of(team.workshop)
