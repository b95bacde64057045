"""Demo data: one organisation of each kind with documented users (see README), a submitted
and a draft self-assessment for the demo company, a closed workshop of the training centre
with a few teams, and three contractor assessments of the public buyer in different states."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

import questionnaires as engine
from app.auth import services
from app.extensions import db
from app.models import (
    Assessment,
    AssessmentKind,
    Organisation,
    OrganisationKind,
    Role,
    User,
    Workshop,
    utcnow,
)

DEMO_PASSWORD = "ddcheck-demo"

DEMO_ORGANISATIONS = [
    (
        "City of Northbridge Procurement Office",
        OrganisationKind.BUYER,
        [("Ana Buyer", "buyer@demo.ddcheck.test", Role.ADMIN)],
    ),
    (
        "Harbour Textiles Ltd",
        OrganisationKind.COMPANY,
        [
            ("Carla Company", "company@demo.ddcheck.test", Role.ADMIN),
            ("Sam Assessor", "assessor@demo.ddcheck.test", Role.ASSESSOR),
            ("Vic Viewer", "viewer@demo.ddcheck.test", Role.VIEWER),
        ],
    ),
    (
        "Fair Work Training Centre",
        OrganisationKind.TRAINING_PROVIDER,
        [("Fay Facilitator", "facilitator@demo.ddcheck.test", Role.ADMIN)],
    ),
]


def seed() -> bool:
    """Create what is missing of the demo data; returns False when all of it exists already."""
    created = _seed_organisations()
    created = _seed_self_assessments() or created
    created = _seed_workshop() or created
    created = _seed_contractors() or created
    return created


def _seed_organisations() -> bool:
    if User.email_taken(DEMO_ORGANISATIONS[0][2][0][1]):
        return False
    for org_name, kind, users in DEMO_ORGANISATIONS:
        organisation = Organisation(name=org_name, kind=kind)
        db.session.add(organisation)
        for name, email, role in users:
            services.create_user(
                organisation=organisation,
                name=name,
                email=email,
                password=DEMO_PASSWORD,
                role=role,
            )
    db.session.commit()
    return True


DEMO_SUBJECT = "Harbour Textiles, own operations and first-tier suppliers"


def _seed_self_assessments() -> bool:
    """Last year's submitted supplier self-assessment and this year's draft copied from it."""
    from app.assessments import lifecycle
    from app.content import content
    from app.scoping import Principal

    company_admin = db.session.scalar(
        select(User).where(User.email == DEMO_ORGANISATIONS[1][2][0][1])
    )
    questionnaire = content().get("supplier")
    if company_admin is None or questionnaire is None:
        return False
    has_any = db.session.scalar(
        select(Assessment.id).where(Assessment.organisation_id == company_admin.organisation_id)
    )
    if has_any:
        return False
    principal = Principal(user=company_admin)
    last_year = lifecycle.create_assessment(
        organisation=company_admin.organisation,
        questionnaire=questionnaire,
        subject=DEMO_SUBJECT,
        period="2025",
        created_by=company_admin,
    )
    _answer_all(
        last_year,
        engine.sample_answers(questionnaire, seed=2025, level=0.4, red_flags=2),
        principal,
    )
    lifecycle.submit(last_year, principal, require_evidence=False)
    last_year.submitted_at = last_year.created_at = utcnow() - timedelta(days=340)
    db.session.commit()
    _plan_some_actions(last_year, principal)

    this_year = lifecycle.start_next(last_year, principal)
    this_year.period = "2026"
    better = engine.sample_answers(questionnaire, seed=2026, level=0.7, red_flags=0)
    first_themes = {theme.key for theme in questionnaire.themes[:4]}
    _answer_all(
        this_year,
        {k: a for k, a in better.items() if questionnaire.question(k).theme in first_themes},
        principal,
    )
    db.session.commit()
    return True


# The public buyer's contractors: (name, reference, state, sample level, red flags).
DEMO_CONTRACTORS = [
    ("Riverside Facility Services", "NB-2026-031 cleaning", "invited", 0.0, 0),
    ("Eastgate Construction", "NB-2026-017 school extension", "in progress", 0.6, 0),
    ("Meridian Garments", "NB-2026-009 staff uniforms", "submitted", 0.35, 2),
]


def _seed_contractors() -> bool:
    """Three contractor assessments of the public buyer: invited, in progress, submitted."""
    from app.assessments import lifecycle
    from app.content import content
    from app.contractors import services as contractors
    from app.scoping import Principal

    buyer = db.session.scalar(select(User).where(User.email == DEMO_ORGANISATIONS[0][2][0][1]))
    questionnaire = content().get("supplier")
    if buyer is None or questionnaire is None:
        return False
    has_any = db.session.scalar(
        select(Assessment.id).where(
            Assessment.organisation_id == buyer.organisation_id,
            Assessment.kind == AssessmentKind.CONTRACTOR,
        )
    )
    if has_any:
        return False
    today = utcnow().date()
    for n, (name, reference, state, level, red_flags) in enumerate(DEMO_CONTRACTORS):
        # The links' tokens are not kept: the buyer reissues the link to get a working one.
        contractor, _token = contractors.create(
            buyer.organisation,
            contractors.NewContractor(
                contractor_name=name,
                contact_email=f"compliance@{name.split()[0].lower()}.example",
                reference=reference,
                questionnaire=questionnaire,
                deadline=today + timedelta(days=14 + 7 * n),
                results_visible=state == "submitted",
            ),
            created_by=buyer,
        )
        if state == "invited":
            continue
        contractor.opened_at = utcnow()
        principal = Principal(label=name)
        answers = engine.sample_answers(
            questionnaire, seed=100 + n, level=level, red_flags=red_flags
        )
        if state == "in progress":
            first_themes = {theme.key for theme in questionnaire.themes[:3]}
            answers = {
                k: a for k, a in answers.items() if questionnaire.question(k).theme in first_themes
            }
        _answer_all(contractor.assessment, answers, principal)
        if state == "submitted":
            lifecycle.submit(contractor.assessment, principal, require_evidence=False)
    db.session.commit()
    return True


def _plan_some_actions(assessment, principal) -> None:
    """Last year's action plan: red flags accepted, one action done, the rest still open."""
    from app.action_plans import services as plans
    from app.models import ActionResponse, utc_today

    owner = principal.user
    for index, row in enumerate(plans.plan_of(assessment)[:5]):
        plans.respond(
            assessment,
            row,
            response=ActionResponse.ACCEPTED,
            action=row.gap.action,
            owner=owner,
            due_on=utc_today() + timedelta(days=30 * (index + 1) - 60),
            decline_reason="",
            principal=principal,
        )
        if index == 0:
            plans.mark_done(
                assessment,
                plans.plan_of(assessment)[0],
                note="Done with the two agencies concerned; see the file on the shared drive.",
                principal=principal,
            )


DEMO_WORKSHOP_TITLE = "Buyers' training: assessing a cleaning contractor"
DEMO_TEAMS = [("Team Harbour", 0.3), ("Team Lighthouse", 0.5), ("Team Quay", 0.7)]


def _seed_workshop() -> bool:
    """A closed demo workshop of the training centre, with teams that answered the exercise."""
    from app.scoping import Principal
    from app.workshops import participation
    from app.workshops import services as workshops

    facilitator = db.session.scalar(
        select(User).where(User.email == DEMO_ORGANISATIONS[2][2][0][1])
    )
    questionnaire = content_questionnaire(workshops.DEFAULT_QUESTIONNAIRE)
    if facilitator is None or questionnaire is None:
        return False
    exists = db.session.scalar(
        select(Workshop.id).where(
            Workshop.organisation_id == facilitator.organisation_id,
            Workshop.title == DEMO_WORKSHOP_TITLE,
        )
    )
    if exists:
        return False
    workshop = workshops.create_workshop(
        user=facilitator,
        title=DEMO_WORKSHOP_TITLE,
        questionnaire=questionnaire,
        case_text=None,
        reveal_at_end=True,
    )
    for number, (name, level) in enumerate(DEMO_TEAMS):
        team = participation.join(workshop.join_code, name)
        answers = engine.sample_answers(questionnaire, seed=100 + number, level=level, red_flags=1)
        _answer_all(team.assessment, answers, Principal(label=name))
    workshops.close(workshop, Principal(user=facilitator))
    return True


def content_questionnaire(key: str):
    from app.content import content

    return content().get(key)


def _answer_all(assessment, answers, principal) -> None:
    from app.assessments.answers import AnswerInput
    from app.assessments.autosave import save_answer
    from app.assessments.queries import stored_answers

    stored = stored_answers(assessment)
    for key, answer in answers.items():
        current = stored.get(key)
        save_answer(
            assessment,
            key,
            AnswerInput(value=answer.value, comment=answer.comment or "", basis=answer.basis or ""),
            base_revision=current.revision if current else 0,
            principal=principal,
            progress=False,
        )


def credentials_text() -> str:
    """The demo sign-ins, for the terminal."""
    lines = [f"Demo sign-in (password for every demo user: {DEMO_PASSWORD}):"]
    for org_name, _kind, users in DEMO_ORGANISATIONS:
        for _name, email, role in users:
            lines.append(f"  {email:<32} {role.value:<9} {org_name}")
    return "\n".join(lines)
