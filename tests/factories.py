"""One-line builders of test data."""

from __future__ import annotations

import itertools

from app.auth import services
from app.extensions import db
from app.models import Organisation, OrganisationKind, Role, User

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_organisation(name: str = "Test Org", kind: str = "buyer") -> Organisation:
    organisation = Organisation(name=name, kind=OrganisationKind(kind))
    db.session.add(organisation)
    db.session.commit()
    return organisation


def make_user(
    organisation: Organisation,
    role: str = "admin",
    *,
    name: str | None = None,
    email: str | None = None,
    password: str = PASSWORD,
) -> User:
    number = next(_counter)
    user = services.create_user(
        organisation=organisation,
        name=name or f"{role.title()} {number}",
        email=email or f"{role}{number}@example.org",
        password=password,
        role=Role(role),
    )
    db.session.commit()
    return user


def signed_in(client, user: User):
    """Sign a test client in as `user` without going through the form."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def make_assessment(organisation, user=None, *, questionnaire="supplier", subject="Own operations"):
    """A draft assessment against a shipped questionnaire."""
    from app.assessments import lifecycle
    from app.content import content

    return lifecycle.create_assessment(
        organisation=organisation,
        questionnaire=content().get(questionnaire),
        subject=subject,
        period=None,
        created_by=user,
    )


def answer(
    assessment,
    question_key,
    value=None,
    *,
    user=None,
    na_reason=None,
    comment="",
    basis="",
    revision=None,
):
    """Save one answer through the same service the pages use (`revision`: the answer's stored
    revision when the caller knows it, 0 for a new one)."""
    from sqlalchemy import select

    from app.assessments.answers import AnswerInput
    from app.assessments.autosave import save_answer
    from app.extensions import db
    from app.models import Answer
    from app.scoping import Principal

    if revision is None:
        revision = db.session.scalar(
            select(Answer.revision).where(
                Answer.assessment_id == assessment.id, Answer.question_key == question_key
            )
        )
    result = save_answer(
        assessment,
        question_key,
        AnswerInput(
            value=value,
            na=na_reason is not None,
            na_reason=na_reason or "",
            comment=comment,
            basis=basis or "",
        ),
        base_revision=revision or 0,
        principal=Principal(user=user),
        progress=False,
    )
    assert result.saved, result
    return result


def best_option(questionnaire, question):
    """The highest-scoring option value of a choice question."""
    options = questionnaire.options_for(question)
    return max(options, key=lambda o: o.score).value


def worst_option(questionnaire, question):
    options = questionnaire.options_for(question)
    return min(options, key=lambda o: o.score).value


def draft_with_a_red_flag(user, questionnaire: str = "supplier", *, comment: str = ""):
    """A draft of "Harbour mill" whose first critical question has its worst answer."""
    shown = content_questionnaire(questionnaire)
    assessment = make_assessment(
        user.organisation, user, questionnaire=questionnaire, subject="Harbour mill"
    )
    critical = next(q for q in shown.questions if q.critical is not None)
    answer(assessment, critical.key, worst_option(shown, critical), user=user, comment=comment)
    return assessment


def content_questionnaire(key: str):
    """A shipped questionnaire as the running app serves it."""
    from app.content import content

    return content().get(key)


def make_contractor(
    organisation,
    user,
    name: str = "Contractor Ltd",
    *,
    questionnaire: str = "supplier",
    results_visible: bool = False,
    reference: str | None = "T-2026-01",
    plan_required: bool = False,
):
    """A contractor assessment with its first invitation link; returns it and the token."""
    from app.content import content
    from app.contractors import services

    return services.create(
        organisation,
        services.NewContractor(
            contractor_name=name,
            contact_email=f"{name.split()[0].lower()}@contractor.example",
            reference=reference,
            questionnaire=content().get(questionnaire),
            deadline=None,
            results_visible=results_visible,
            plan_required=plan_required,
        ),
        created_by=user,
    )


def store_answers(assessment, answers, user=None):
    """Store many engine answers of a new draft at once, as a copy into a new assessment does:
    checked, in one transaction, without an audit entry each. For tests that read answers
    (pages, comparisons), not those about saving them, which use `answer` or `answer_all`."""
    from app.assessments.answers import AnswerInput
    from app.assessments.copying import add_first_answers
    from app.extensions import db
    from app.scoping import Principal

    given = {
        key: AnswerInput(
            value=answer.value,
            na=answer.is_na,
            na_reason=answer.na_reason or "",
            comment=answer.comment or "",
            basis=answer.basis or "",
        )
        for key, answer in answers.items()
    }
    added = add_first_answers(assessment, given, Principal(user=user))
    assert len(added) == len(given), f"answers that do not fit: {set(given) - set(added)}"
    db.session.commit()


def answer_all(assessment, answers, user=None):
    """Save many engine answers (e.g. questionnaires.sample_answers) through the service."""
    from app.assessments.queries import stored_answers

    revisions = {key: row.revision for key, row in stored_answers(assessment).items()}
    for key, given in answers.items():
        answer(
            assessment,
            key,
            given.value,
            user=user,
            comment=given.comment or "",
            basis=given.basis or "",
            na_reason=given.na_reason if given.is_na else None,
            revision=revisions.get(key, 0),
        )
