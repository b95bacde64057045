"""Contractor assessments: a buyer invites contractors by link, follows them, reviews their
answers and compares them. The contractor answers without an account, through the link."""

from flask import Blueprint, Flask

bp = Blueprint("contractors", __name__)

from app.contractors import views  # noqa: E402,F401  (registers the routes on bp)


def init_app(app: Flask) -> None:
    """Grant the invited assessment to whoever opened its link, choose its language, keep
    tokens out of logs, put the buyer's review into the gap report, and keep a signed-in
    contractor's submitted answers."""
    from app.assessments import lifecycle, reporting
    from app.contractors import invitations, services, sharing
    from app.i18n import context_language
    from app.scoping import register_principal_provider

    register_principal_provider(app, invitations.grant_from_session)
    context_language.register(app, invitations.invitation_language)
    reporting.reviews.register(app, services.report_review)
    lifecycle.register_submitted_listener(app, sharing.keep_copy_on_submit)
    invitations.redact_tokens_in_request_log()
