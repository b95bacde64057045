"""Every main page is valid HTML, as the Nu Html Checker (the W3C validator) reads it.

The pages are rendered with the demo data through the test client, with CSRF on so that the
hidden token fields are there as in production, written to a temporary folder and checked in
ONE run of the checker: the JVM takes seconds to start, so the pages go in one call.

The checker is `vnu.jar` from the npm package `vnu-jar`, which `make install` puts in
`node_modules/`; it runs with the system's Java (`default-jre-headless` in `.ci/run`).
Nothing is fetched at run time. Outside CI a missing Java or jar skips the test; with
CI=true it fails.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from unittest import mock
from urllib.parse import unquote, urlparse

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app import demo
from app.content import content
from app.evidence import services as evidence
from app.extensions import db
from app.models import Assessment, ContractorAssessment, User, Workshop
from app.report_jobs import service as report_service
from app.scoping import Principal
from app.workshops import participation
from app.workshops import services as workshops
from tests import factories, mailbox

ROOT = Path(__file__).resolve().parents[2]
DEMO_BUYER = "buyer@demo.ddcheck.test"
VNU_JAR = Path(os.environ.get("VNU_JAR") or ROOT / "node_modules/vnu-jar/build/dist/vnu.jar")


@pytest.fixture
def app_settings() -> dict:
    # The CSRF fields are part of the markup: a page with several forms must still be valid.
    return {"WTF_CSRF_ENABLED": True}


def checker_command() -> list[str]:
    """`java -jar vnu.jar`, or skip (fail under CI) naming what is missing."""
    java = shutil.which("java")
    missing = []
    if java is None:
        missing.append("java (apt-get install default-jre-headless)")
    if not VNU_JAR.is_file():
        missing.append(f"{VNU_JAR} (make install puts the npm package vnu-jar there)")
    if missing:
        reason = "the Nu Html Checker needs " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    # The client compiler alone starts the JVM in a third of the CPU time for a short run like
    # this one; it needs a larger thread stack for the checker's schema (vnu asks for 512k+).
    return [java, "-Xss2m", "-XX:TieredStopAtLevel=1", "-jar", str(VNU_JAR)]


def csrf_token(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    for tag in re.findall(r"<input\b[^>]*>", html):
        if 'name="csrf_token"' in tag:
            return re.search(r'value="([^"]+)"', tag).group(1)
    raise AssertionError(f"no CSRF token on {path}")


def by_email(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def contractor_named(name: str) -> ContractorAssessment:
    return db.session.scalar(
        select(ContractorAssessment).where(ContractorAssessment.contractor_name == name)
    )


class Pages:
    """Collects the pages to check: a name a person recognises, and the HTML as served."""

    def __init__(self):
        self.html: dict[str, str] = {}

    def get(self, client, name: str, path: str, status: int = 200):
        response = client.get(path, follow_redirects=True)
        assert response.status_code == status, f"{name} ({path}): {response.status_code}"
        self.add(name, path, response)
        return response

    def post(self, client, name: str, path: str, data: dict, status: int = 200):
        data = {"csrf_token": csrf_token(client, path), **data}
        response = client.post(path, data=data, follow_redirects=True)
        assert response.status_code == status, f"{name} (POST {path}): {response.status_code}"
        self.add(name, f"POST {path}", response)
        return response

    def add(self, name: str, path: str, response):
        assert response.mimetype == "text/html", f"{name} ({path}) is {response.mimetype}"
        self.html[f"{name} ({path})"] = response.get_data(as_text=True)


def render_every_main_page(app) -> dict[str, str]:
    demo.seed()
    pages = Pages()
    supplier = content().get("supplier")

    visitor = app.test_client()
    pages.get(visitor, "landing page", "/")
    pages.get(visitor, "library", "/library/")
    pages.get(visitor, "library search", "/library/?q=recruitment+fees")
    resource = content().catalogue.resources[0]
    pages.get(visitor, "a resource", f"/library/{resource.key}")
    pages.get(visitor, "registration", "/register")
    pages.post(visitor, "registration without an address", "/register", {}, status=200)
    pages.post(visitor, "registration: check your inbox", "/register", {"email": "n@x.example"})
    pages.get(visitor, "registration, second step", mailbox.registration_link(app, "n@x.example"))
    pages.post(visitor, "registration without a choice", "/register/confirm", {}, status=200)
    pages.get(visitor, "registration link changed", "/register/confirm/x", status=404)
    pages.get(visitor, "sign-in", "/sign-in")
    pages.get(visitor, "forgot your password", "/forgot-password")
    pages.post(
        visitor, "password reset: check your inbox", "/forgot-password", {"email": DEMO_BUYER}
    )
    reset = [p for p in mailbox.links(mailbox.last(app, DEMO_BUYER)) if "/reset-password/" in p]
    pages.get(visitor, "choose a new password", reset[0])
    pages.post(visitor, "new password too short", "/reset-password", {"password": "x"})
    pages.get(visitor, "reset link expired or used", "/reset-password/x", status=404)
    pages.get(visitor, "join a workshop", "/join")
    pages.get(visitor, "page not found", "/no-such-page", status=404)

    # A company: its dashboard, last year's submitted assessment and this year's draft.
    company = factories.signed_in(app.test_client(), by_email("company@demo.ddcheck.test"))
    company_user = by_email("company@demo.ddcheck.test")
    own = db.session.scalars(
        select(Assessment)
        .where(Assessment.organisation_id == company_user.organisation_id)
        .order_by(Assessment.id)
    ).all()
    submitted, draft = own[0], own[-1]
    first_theme, last_theme = supplier.themes[0].key, supplier.themes[-1].key
    first_question = supplier.questions_in(first_theme)[0].key
    pages.get(company, "dashboard of a company", "/dashboard")
    pages.get(
        company,
        "registration link while signed in",
        mailbox.registration_link(app, "n@x.example"),
    )
    pages.get(company, "assessment list", "/assessments/")
    pages.get(company, "new assessment", "/assessments/new")
    pages.get(company, "assessment overview", f"/assessments/{draft.id}")
    pages.get(company, "theme page", f"/assessments/{draft.id}/themes/{first_theme}")
    pages.get(company, "theme page, unanswered", f"/assessments/{draft.id}/themes/{last_theme}")
    pages.get(company, "theme page, submitted", f"/assessments/{submitted.id}/themes/{first_theme}")
    # Documents: one attached on the draft (listed beside its answer and in the library), one
    # required and missing (the submit page names the question).
    evidence.attach_upload(
        draft,
        "fees-policy",
        FileStorage(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "fee-policy.pdf"),
        "Recruitment fee policy",
        None,
        Principal(user=company_user),
    )
    factories.answer(draft, "uses-labour-providers", "yes", user=company_user)
    factories.answer(draft, "provider-contract-terms", ["no-fees"], user=company_user)
    pages.get(
        company, "theme page with documents", f"/assessments/{draft.id}/themes/recruitment-fees"
    )
    pages.get(company, "documents", f"/assessments/{draft.id}/documents")
    pages.get(company, "submit", f"/assessments/{draft.id}/submit")
    pages.get(company, "results", f"/assessments/{submitted.id}/results")
    pages.get(company, "results of a draft", f"/assessments/{draft.id}/results")
    pages.get(company, "history", f"/assessments/{submitted.id}/history")
    pages.get(company, "gap report page", f"/assessments/{submitted.id}/report")
    plan = pages.get(company, "action plan", f"/assessments/{submitted.id}/action-plan")
    respond = re.search(rf'"(/assessments/{submitted.id}/action-plan/[^/"]+)"', plan.get_data(True))
    if respond:  # a page of its own per recommendation, where the plan links to one
        pages.get(company, "respond to a recommendation", respond.group(1))
    # A PDF that a worker prepares: waiting for it, ready, and a failed render.
    report_pdf = f"/assessments/{submitted.id}/report.pdf"
    key = "0" * 64
    for name, outcome, path, status in (
        (
            "report being prepared",
            report_service.Waiting(drawing=False, ahead=2, key=key),
            report_pdf,
            202,
        ),
        (
            "report ready",
            report_service.Ready(Path("unused.pdf"), key),
            f"{report_pdf}?wait=1",
            200,
        ),
        ("report that failed", report_service.Failed(key), report_pdf, 503),
    ):
        with mock.patch.object(report_service, "obtain", return_value=outcome):
            pages.get(company, name, path, status=status)
    pages.get(
        company, "ask a colleague", f"/assessments/{draft.id}/questions/{first_question}/hand-over"
    )
    pages.get(company, "questions waiting for you", "/assessments/waiting-for-me")
    pages.get(company, "team", "/colleagues/")
    pages.get(company, "invite a colleague", "/colleagues/invite")
    response = pages.post(
        company,
        "colleague invitation link",
        "/colleagues/invite",
        {"name": "Nia New", "email": "nia@harbour.example", "role": "assessor"},
    )
    link = re.search(r"https?://[^\s\"<]*/accept-invitation/[^\s\"<]+", response.get_data(True))
    pages.get(app.test_client(), "accept an invitation", urlparse(link.group(0)).path)
    pages.get(company, "account", "/account")
    pages.get(company, "change password", "/account/password")

    # A public buyer: its contractors, a review, the comparison and a new invitation link.
    buyer_user = by_email("buyer@demo.ddcheck.test")
    buyer = factories.signed_in(app.test_client(), buyer_user)
    pages.get(buyer, "dashboard of a public buyer", "/dashboard")
    pages.get(buyer, "contractor list", "/contractors/")
    pages.get(buyer, "invite a contractor", "/contractors/new")
    for name, _ref, state, _level, _flags in demo.DEMO_CONTRACTORS:
        contractor = contractor_named(name)
        label = "review" if state == "submitted" else f"contractor page, {state}"
        pages.get(buyer, label, f"/contractors/{contractor.assessment_id}")
    # The review with documents beside the answers: one not supporting its answer, one not
    # checked yet, and the check form sent without its note.
    from tests.web.test_evidence_review import attach, mark_not_supporting

    reviewed = next(c for c in demo.DEMO_CONTRACTORS if c[2] == "submitted")
    assessment = contractor_named(reviewed[0]).assessment
    first_key, second_key = (q.key for q in content().get("supplier").questions[:2])
    attach(assessment, first_key, b"%PDF-1.4 policy", "Recruitment fee policy", carried=None)
    attach(assessment, second_key, b"%PDF-1.4 contract", "Agency contract")
    mark_not_supporting(assessment, first_key, "The policy allows a placement fee.")
    review = f"/contractors/{assessment.id}"
    pages.get(buyer, "review with evidence", review)
    response = buyer.post(
        f"{review}/evidence-check/{second_key}",
        data={
            "csrf_token": csrf_token(buyer, review),
            f"evidence-{second_key}-check": "not-supporting",
        },
    )
    assert response.status_code == 422
    pages.add("evidence check without its note", f"POST {review}/evidence-check", response)
    ids = "&".join(f"ids={contractor_named(c[0]).assessment_id}" for c in demo.DEMO_CONTRACTORS)
    pages.get(buyer, "comparison", f"/contractors/compare?{ids}")
    response = pages.post(
        buyer,
        "contractor's invitation link",
        "/contractors/new",
        {
            "contractor_name": "Lakeside Catering",
            "contact_email": "office@lakeside.example",
            "reference": "NB-2026-044",
            "questionnaire": "supplier",
        },
    )
    link = re.search(r"https?://[^\s\"<]*/invitation/[^\s\"<]+", response.get_data(True))

    # The contractor, through its link and without an account.
    contractor = app.test_client()
    pages.get(contractor, "contractor's start page", unquote(urlparse(link.group(0)).path))
    lakeside = contractor_named("Lakeside Catering").assessment_id
    pages.get(
        contractor, "contractor's theme page", f"/assessments/{lakeside}/themes/{first_theme}"
    )
    pages.get(contractor, "contractor's submit page", f"/assessments/{lakeside}/submit")

    # A training provider: workshops, the board and projector, and a team that joined.
    facilitator_user = by_email("facilitator@demo.ddcheck.test")
    facilitator = factories.signed_in(app.test_client(), facilitator_user)
    closed = db.session.scalar(select(Workshop).where(Workshop.title == demo.DEMO_WORKSHOP_TITLE))
    live = workshops.create_workshop(
        user=facilitator_user,
        title="Live session",
        questionnaire=content().get(workshops.DEFAULT_QUESTIONNAIRE),
        case_text=None,
        reveal_at_end=True,
    )
    team = participation.join(live.join_code, "Team Pier")
    pages.get(facilitator, "dashboard of a training provider", "/dashboard")
    pages.get(facilitator, "workshop list", "/workshops/")
    pages.get(facilitator, "open a workshop", "/workshops/new")
    pages.get(facilitator, "board of a closed workshop", f"/workshops/{closed.id}")
    pages.get(facilitator, "board of a live workshop", f"/workshops/{live.id}")
    pages.get(facilitator, "projector", f"/workshops/{live.id}/projector")
    pages.get(visitor, "join with a code", f"/join/{live.join_code}")
    participant = app.test_client()
    with participant.session_transaction() as session:
        session[participation.SESSION_KEY] = team.id
    exercise = content().get(workshops.DEFAULT_QUESTIONNAIRE)
    pages.get(participant, "team page", "/workshops/team")
    pages.get(
        participant,
        "team's theme page",
        f"/assessments/{team.assessment_id}/themes/{exercise.themes[0].key}",
    )
    return pages.html


def run_checker(files: list[Path]) -> list[dict]:
    """The checker's error messages for these files, in one JVM."""
    command = [*checker_command(), "--errors-only", "--format", "json", "--stdout"]
    result = subprocess.run(
        [*command, *map(str, files)], capture_output=True, text=True, timeout=600
    )
    try:
        return json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"the checker gave no report (exit {result.returncode}): {result.stderr}")


def test_every_main_page_is_valid_html(app, tmp_path):
    checker_command()  # skip before rendering when the checker is not installed
    pages = render_every_main_page(app)
    files = {}
    for number, (name, html) in enumerate(pages.items(), 1):
        path = tmp_path / f"page-{number:02d}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = name

    messages = run_checker([tmp_path / f for f in files])

    # The checker only warns about several h1 elements; a page has exactly one, its title.
    problems = [
        f"{name}: {count} h1 elements, one expected"
        for name, html in pages.items()
        if (count := len(re.findall(r"<h1[\s>]", html))) != 1
    ]
    for message in messages:
        page = files.get(Path(urlparse(message.get("url", "")).path).name, "(no page)")
        where = f"line {message['lastLine']}: " if "lastLine" in message else ""
        extract = f"\n      {message['extract'].strip()!r}" if message.get("extract") else ""
        problems.append(f"{page}: {where}{message['message']}{extract}")
    assert not problems, f"{len(problems)} HTML errors:\n" + "\n".join(problems)
