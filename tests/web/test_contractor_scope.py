"""Who may see what: an invitation link opens exactly its one assessment, for answering and
reading it, and nothing else of the buyer's organisation; another buyer sees none of it.

Every route of the app's URL map is tried, so routes added later are covered automatically.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ContractorInvitation
from tests import factories

# Pages anyone may open, signed in or not: they must still show nothing of the organisation.
PUBLIC_ENDPOINTS = (
    "main.index",
    "library.",
    "auth.",
    "contractors.open_invitation",
    # A workshop's join pages, and a team's own page (for whoever joined a workshop).
    "workshops.join",
    "workshops.team",
    # Health checks for the load balancer: they say only whether the app and database answer.
    "operations.",
    "main.favicon",  # the icon: a redirect to the static file
)
# What the contractor may do with its own assessment.
CONTRACTOR_ENDPOINTS = {
    "assessments.overview",
    "assessments.theme",
    "assessments.history",
    "assessments.submit",
    "assessments.save_answer",
    "contractors.invitation_home",
    # Its answers as a portable file (to keep, or to answer with), and the workbook to answer
    # offline.
    "portability.export_assessment",
    "portability.invitation_file",
    "portability.invitation_upload",
    "portability.assessment_workbook",
    "portability.upload_workbook",
    # The documents behind its answers: its library, attaching, linking and removing them,
    # and all of them as one ZIP.
    "evidence.documents",
    "evidence.attach",
    "evidence.link",
    "evidence.unlink",
    "evidence.remove",
    "evidence.confirm",
    "assessments.evidence_zip_download",
}
# Its results too, but only where the buyer shares them.
RESULT_ENDPOINTS = {"assessments.results", "assessments.report", "assessments.report_pdf"}
SECRETS = ("Hidden Other Contractor", "Own Operations Secret", "Second Buyer Contractor")


@pytest.fixture
def world(app, client, admin, other_admin):
    granted, token = factories.make_contractor(admin.organisation, admin, "Granted Contractor")
    other, _ = factories.make_contractor(admin.organisation, admin, "Hidden Other Contractor")
    own = factories.make_assessment(admin.organisation, admin, subject="Own Operations Secret")
    second, _ = factories.make_contractor(
        other_admin.organisation, other_admin, "Second Buyer Contractor"
    )
    assert client.get(f"/invitation/{token}").status_code == 302
    supplier = factories.content_questionnaire("supplier")
    return {
        "granted": granted.assessment_id,
        "others": [other.assessment_id, own.id, second.assessment_id],
        "theme_key": supplier.themes[0].key,
        "question_key": supplier.questions[0].key,
    }


def _rules(app, method: str):
    # Old addresses (legacy.*) only redirect, to pages checked here under their own rules.
    skipped = ("static", "bootstrap", "legacy.")
    for rule in app.url_map.iter_rules():
        if method in rule.methods and not rule.endpoint.startswith(skipped):
            yield rule


def _path(rule, world, assessment_id):
    values = {}
    for argument in rule.arguments:
        if argument == "assessment_id":
            values[argument] = assessment_id
        elif argument in world:
            values[argument] = world[argument]
        elif argument == "token":
            values[argument] = "x" * 43
        else:
            converter = rule._converters[argument].__class__.__name__
            values[argument] = 1 if "Integer" in converter else "x"
    path = rule.build(values)[1]
    if rule.endpoint.startswith("contractors.compare"):
        path += f"?ids={assessment_id}"
    return path


def _closed(response, own: int | None = None) -> bool:
    """Refused: a 404, a refusal, or a redirect to sign in (or, for the link's own
    assessment, back to its overview: for example its action plan before it is submitted)."""
    if response.status_code == 302:
        location = response.headers["Location"]
        return "/sign-in" in location or (own is not None and location == f"/assessments/{own}")
    return response.status_code in (401, 403, 404, 405)


def test_a_link_opens_its_own_assessment_pages(app, client, world):
    for rule in _rules(app, "GET"):
        if rule.endpoint in CONTRACTOR_ENDPOINTS:
            response = client.get(_path(rule, world, world["granted"]))
            assert response.status_code == 200, rule.rule


def test_results_are_shown_to_the_link_only_if_the_buyer_shares_them(app, client, world):
    from app.models import ContractorAssessment

    paths = [
        _path(rule, world, world["granted"])
        for rule in _rules(app, "GET")
        if rule.endpoint in RESULT_ENDPOINTS
    ]
    assert len(paths) == len(RESULT_ENDPOINTS)
    for path in paths:
        assert client.get(path).status_code == 404, path
    overview = client.get(_path_of(app, "assessments.overview", world)).get_data(as_text=True)
    assert "See the results" not in overview and ">Results<" not in overview

    contractor = db.session.scalar(
        select(ContractorAssessment).where(ContractorAssessment.assessment_id == world["granted"])
    )
    contractor.results_visible = True
    db.session.commit()
    for path in paths:
        assert client.get(path).status_code == 200, path
    overview = client.get(_path_of(app, "assessments.overview", world)).get_data(as_text=True)
    assert "See the results" in overview


def _path_of(app, endpoint, world):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    return _path(rule, world, world["granted"])


def test_a_link_opens_nothing_else_of_the_buyer(app, client, world):
    checked = 0
    for rule in _rules(app, "GET"):
        public = rule.endpoint.startswith(PUBLIC_ENDPOINTS)
        targets = world["others"] if "assessment_id" in rule.arguments else [None]
        if "assessment_id" in rule.arguments and rule.endpoint not in CONTRACTOR_ENDPOINTS:
            targets = [world["granted"], *targets]  # the buyer's pages about it stay closed too
        for target in targets:
            response = client.get(_path(rule, world, target))
            body = response.get_data(as_text=True)
            assert response.status_code < 500, rule.rule
            assert not any(secret in body for secret in SECRETS), rule.rule
            if not public and (target is not None or rule.endpoint not in CONTRACTOR_ENDPOINTS):
                assert _closed(response, own=world["granted"]), (rule.rule, target)
            checked += 1
    assert checked > 30


def test_a_link_changes_nothing_but_its_own_answers(app, client, world):
    for rule in _rules(app, "POST"):
        if "assessment_id" not in rule.arguments:
            continue
        targets = list(world["others"])
        if rule.endpoint not in CONTRACTOR_ENDPOINTS:
            targets.append(world["granted"])
        for target in targets:
            response = client.post(_path(rule, world, target), data={})
            assert _closed(response, own=world["granted"]), (rule.rule, target)
    # The buyer's actions on the granted assessment (revoke, new link, review) did not happen.
    invitations = db.session.scalars(select(ContractorInvitation)).all()
    assert all(invitation.revoked_at is None for invitation in invitations)


def test_another_buyer_reaches_none_of_the_contractor_assessments(app, other_client, world):
    for method in ("GET", "POST"):
        for rule in _rules(app, method):
            if "assessment_id" not in rule.arguments:
                continue
            path = _path(rule, world, world["granted"])
            response = other_client.open(path, method=method, data={})
            assert response.status_code in (403, 404, 405), (method, rule.rule)
            assert "Granted Contractor" not in response.get_data(as_text=True)
