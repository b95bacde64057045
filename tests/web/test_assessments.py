"""The self-assessment journey through the test client: start, answer with autosave and the
plain form, conflicts between tabs, the audit trail, submit, reopen, next year's copy, results."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.content import content
from app.extensions import db
from app.models import Answer, Assessment, AssessmentStatus, AuditEntry
from tests import factories


@pytest.fixture
def supplier(app):
    return content().get("supplier")


@pytest.fixture
def assessment(admin, supplier):
    return factories.make_assessment(admin.organisation, admin)


def choice_questions(questionnaire, *, critical=None, allow_na=None, conditional=False):
    found = []
    for q in questionnaire.questions:
        if q.type not in ("maturity", "yes-partly-no"):
            continue
        if critical is not None and bool(q.critical) != critical:
            continue
        if allow_na is not None and q.allow_na != allow_na:
            continue
        if (q.show_if is not None) != conditional:
            continue
        found.append(q)
    return found


def save(client, assessment, key, value=None, revision=0, **extra):
    return client.post(
        f"/assessments/{assessment.id}/answers/{key}",
        json={"value": value, "revision": revision, **extra},
    )


def test_an_assessor_starts_an_assessment_against_the_current_questionnaire(
    assessor_client, assessor, supplier
):
    response = assessor_client.post(
        "/assessments/new",
        data={"questionnaire": "supplier", "subject": "Harbour plant", "period": "2026"},
    )
    assert response.status_code == 302
    assessment = db.session.scalar(select(Assessment))
    assert assessment.subject == "Harbour plant"
    assert assessment.organisation_id == assessor.organisation_id
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.questionnaire_version.content_hash == supplier.content_hash
    assert assessment.questionnaire_version.version == supplier.version
    page = assessor_client.get(response.headers["Location"])
    assert b"Harbour plant" in page.data


def test_starting_with_an_unknown_questionnaire_reshows_the_form(assessor_client):
    response = assessor_client.post(
        "/assessments/new", data={"questionnaire": "nope", "subject": "X"}
    )
    assert response.status_code == 200
    assert b"Not a valid choice" in response.data
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 0


def test_a_viewer_reads_but_cannot_start_or_answer(viewer_client, assessment, supplier):
    assert viewer_client.get("/assessments/new").status_code == 403
    question = choice_questions(supplier)[0]
    response = save(
        viewer_client, assessment, question.key, factories.best_option(supplier, question)
    )
    assert response.status_code == 403
    assert viewer_client.get(f"/assessments/{assessment.id}/results").status_code == 200
    page = viewer_client.get(f"/assessments/{assessment.id}/themes/{question.theme}")
    assert b"can read these answers but not change them" in page.data


def test_autosave_saves_one_answer_and_reports_progress(admin_client, assessment, supplier):
    question = choice_questions(supplier)[0]
    value = factories.best_option(supplier, question)
    response = save(admin_client, assessment, question.key, value, comment="Policy of 2025")
    assert response.status_code == 200
    body = response.get_json()
    assert body["revision"] == 1
    assert body["progress"]["themes"][question.theme]["answered"] == 1
    # Only questions with a condition can be hidden, and only they are reported.
    assert question.key not in body["visible"]
    stored = db.session.scalar(select(Answer).where(Answer.question_key == question.key))
    assert stored.value == value
    assert stored.comment == "Policy of 2025"
    # Reloading the page shows the saved answer and its revision.
    page = admin_client.get(f"/assessments/{assessment.id}/themes/{question.theme}").get_data(
        as_text=True
    )
    assert f'data-question="{question.key}"' in page
    assert 'data-revision="1"' in page
    assert "Policy of 2025" in page


def test_a_save_based_on_an_older_revision_is_refused_and_nothing_is_overwritten(
    admin_client, assessment, supplier
):
    question = choice_questions(supplier)[0]
    options = supplier.options_for(question)
    first, second = options[0].value, options[-1].value
    assert save(admin_client, assessment, question.key, first, 0).status_code == 200
    # A second tab still holds revision 0.
    response = save(admin_client, assessment, question.key, second, 0)
    assert response.status_code == 409
    body = response.get_json()
    assert body["current"]["value"] == first
    assert body["revision"] == 1
    stored = db.session.scalar(select(Answer).where(Answer.question_key == question.key))
    assert stored.value == first
    assert stored.revision == 1


@pytest.mark.parametrize(
    "payload",
    [
        {"value": "not-an-option"},
        {"value": ["a", "b"]},
        {"value": {"nested": True}},
        {"value": True},
        {"value": None, "na": True, "na_reason": ""},
        {"value": "x", "comment": 5},
    ],
)
def test_an_invalid_answer_gets_a_clear_message(admin_client, assessment, supplier, payload):
    question = choice_questions(supplier, allow_na=False)[0]
    response = admin_client.post(
        f"/assessments/{assessment.id}/answers/{question.key}", json={"revision": 0, **payload}
    )
    assert response.status_code == 422
    assert response.get_json()["message"]
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_not_applicable_needs_a_reason_and_is_only_allowed_where_the_question_says(
    admin_client, assessment, supplier
):
    allowed = choice_questions(supplier, allow_na=True)
    if allowed:
        question = allowed[0]
        response = save(admin_client, assessment, question.key, None, na=True, na_reason="")
        assert response.status_code == 422
        response = save(
            admin_client,
            assessment,
            question.key,
            None,
            na=True,
            na_reason="We use no recruitment agencies at all.",
        )
        assert response.status_code == 200
        stored = db.session.scalar(select(Answer).where(Answer.question_key == question.key))
        assert stored.na_reason == "We use no recruitment agencies at all."
        assert stored.value is None
    refused = choice_questions(supplier, allow_na=False)[0]
    response = save(admin_client, assessment, refused.key, None, na=True, na_reason="Because")
    assert response.status_code == 422


def test_unknown_questions_and_non_json_bodies_are_clear_errors(admin_client, assessment):
    assert save(admin_client, assessment, "no-such-question", "x").status_code == 404
    response = admin_client.post(
        f"/assessments/{assessment.id}/answers/whatever",
        data="not json",
        content_type="application/json",
    )
    assert response.status_code in (400, 404)


def test_a_conditional_question_appears_when_the_earlier_answer_calls_for_it(
    admin_client, assessment, supplier
):
    conditional = next(q for q in supplier.questions if q.show_if is not None)
    trigger = supplier.question(conditional.show_if.question)
    shown_by = conditional.show_if.any_of[0]
    hidden_by = next(
        o.value for o in supplier.options_for(trigger) if o.value not in conditional.show_if.any_of
    )
    value = [hidden_by] if trigger.type == "multiple" else hidden_by
    body = save(admin_client, assessment, trigger.key, value).get_json()
    assert body["visible"][conditional.key] is False
    value = [shown_by] if trigger.type == "multiple" else shown_by
    body = save(admin_client, assessment, trigger.key, value, revision=1).get_json()
    assert body["visible"][conditional.key] is True
    page = admin_client.get(f"/assessments/{assessment.id}/themes/{conditional.theme}").get_data(
        as_text=True
    )
    start = page.index(f'id="q-{conditional.key}"')
    assert " hidden" not in page[start : page.index(">", start)]


def test_the_plain_form_saves_a_whole_theme_without_javascript(admin_client, assessment, supplier):
    theme = supplier.themes[0]
    questions = [
        q for q in supplier.questions_in(theme.key) if q.type in ("maturity", "yes-partly-no")
    ]
    data = {}
    for q in questions:
        data[f"{q.key}__value"] = factories.best_option(supplier, q)
        data[f"{q.key}__revision"] = "0"
        data[f"{q.key}__comment"] = "noted"
    data["go"] = "next"
    response = admin_client.post(f"/assessments/{assessment.id}/themes/{theme.key}", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/themes/{supplier.themes[1].key}")
    saved = {a.question_key for a in db.session.scalars(select(Answer))}
    assert {q.key for q in questions} <= saved


def test_the_plain_form_reports_a_conflict_instead_of_overwriting(
    admin_client, assessment, supplier, admin
):
    question = choice_questions(supplier)[0]
    options = supplier.options_for(question)
    factories.answer(assessment, question.key, options[0].value, user=admin)
    response = admin_client.post(
        f"/assessments/{assessment.id}/themes/{question.theme}",
        data={f"{question.key}__value": options[-1].value, f"{question.key}__revision": "0"},
    )
    assert response.status_code == 200
    assert b"Someone else changed this answer" in response.data
    stored = db.session.scalar(select(Answer).where(Answer.question_key == question.key))
    assert stored.value == options[0].value


def test_every_change_is_in_the_history_with_who_and_old_and_new(
    admin_client, assessment, supplier, admin
):
    question = choice_questions(supplier)[0]
    options = supplier.options_for(question)
    save(admin_client, assessment, question.key, options[0].value, 0)
    save(admin_client, assessment, question.key, options[-1].value, 1)
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.event == "answer").order_by(AuditEntry.id)
    ).all()
    assert [e.new["value"] for e in entries] == [options[0].value, options[-1].value]
    assert entries[1].old["value"] == options[0].value
    assert entries[1].actor_id == admin.id
    page = admin_client.get(f"/assessments/{assessment.id}/history").get_data(as_text=True)
    assert question.text in page
    assert options[0].label in page and options[-1].label in page
    assert admin.name in page


def test_submit_lists_what_is_unanswered_then_freezes_the_answers(
    admin_client, assessment, supplier
):
    question = choice_questions(supplier)[0]
    save(admin_client, assessment, question.key, factories.best_option(supplier, question))
    page = admin_client.get(f"/assessments/{assessment.id}/submit").get_data(as_text=True)
    other = choice_questions(supplier)[1]
    assert other.text in page
    assert "Submit anyway" in page
    response = admin_client.post(f"/assessments/{assessment.id}/submit")
    assert response.status_code == 302
    db.session.refresh(assessment)
    assert assessment.status == AssessmentStatus.SUBMITTED
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.event == "submitted"))
    assert entry.new["content_hash"] == supplier.content_hash
    # Frozen: neither autosave nor the plain form changes anything now.
    response = save(admin_client, assessment, other.key, factories.best_option(supplier, other))
    assert response.status_code == 409
    response = admin_client.post(
        f"/assessments/{assessment.id}/themes/{other.theme}",
        data={f"{other.key}__value": factories.best_option(supplier, other)},
    )
    assert response.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 1


def test_only_an_admin_reopens_a_submitted_assessment_and_it_is_recorded(
    admin_client, assessor_client, assessment
):
    admin_client.post(f"/assessments/{assessment.id}/submit")
    assert assessor_client.post(f"/assessments/{assessment.id}/reopen").status_code == 403
    assert admin_client.post(f"/assessments/{assessment.id}/reopen").status_code == 302
    db.session.refresh(assessment)
    assert assessment.status == AssessmentStatus.DRAFT
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.event == "reopened"))


def test_next_years_assessment_starts_with_the_previous_answers_and_shows_the_change(
    admin_client, assessment, supplier, admin
):
    questions = choice_questions(supplier)[:3]
    for q in questions:
        factories.answer(assessment, q.key, factories.worst_option(supplier, q), user=admin)
    admin_client.post(f"/assessments/{assessment.id}/submit")
    response = admin_client.post(f"/assessments/{assessment.id}/next")
    assert response.status_code == 302
    successor = db.session.scalar(select(Assessment).where(Assessment.previous_id == assessment.id))
    assert successor.is_draft
    assert successor.subject == assessment.subject
    copied = {
        a.question_key: a.value
        for a in db.session.scalars(select(Answer).where(Answer.assessment_id == successor.id))
    }
    assert copied == {q.key: factories.worst_option(supplier, q) for q in questions}
    # Improve one answer: the results compare against the submitted assessment.
    factories.answer(
        successor, questions[0].key, factories.best_option(supplier, questions[0]), user=admin
    )
    page = admin_client.get(f"/assessments/{successor.id}/results").get_data(as_text=True)
    assert "Compared with the assessment submitted on" in page
    assert "+" in page


def test_results_show_red_flags_first_then_gaps_with_actions_and_resources(
    admin_client, assessment, supplier, admin
):
    critical = choice_questions(supplier, critical=True)[0]
    factories.answer(
        assessment, critical.key, factories.worst_option(supplier, critical), user=admin
    )
    plain = choice_questions(supplier, critical=False)[0]
    factories.answer(assessment, plain.key, factories.worst_option(supplier, plain), user=admin)
    page = admin_client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert critical.critical.red_flag in page
    assert page.index(critical.critical.red_flag) < page.index(plain.action)
    assert critical.action in page
    assert "<svg" in page and "Scores by theme" in page
    # The summary figures and the chart lead; the red-flag cards follow them.
    assert (
        page.index("data-overall-score")
        < page.index("<svg")
        < page.index(critical.critical.red_flag)
    )
    assert "Guidance" in page  # matched resources
    assert "No information" in page  # unanswered questions


def test_a_draft_with_no_answer_does_not_offer_a_report(admin_client, assessment):
    page = admin_client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert "data-no-report" in page
    assert f"/assessments/{assessment.id}/report" not in page


def test_the_list_filters_by_status_and_questionnaire(admin_client, admin, assessment):
    submitted = factories.make_assessment(admin.organisation, admin, subject="Plant B")
    admin_client.post(f"/assessments/{submitted.id}/submit")
    factories.make_assessment(admin.organisation, admin, questionnaire="buyer", subject="Buying")
    page = admin_client.get("/assessments/?status=submitted").get_data(as_text=True)
    assert "Plant B" in page and "Own operations" not in page
    page = admin_client.get("/assessments/?questionnaire=buyer").get_data(as_text=True)
    assert "Buying" in page and "Plant B" not in page
    page = admin_client.get("/assessments/?status=bogus&questionnaire=bogus").get_data(as_text=True)
    assert "Own operations" in page


ROUTES = [
    ("get", "/assessments/{id}"),
    ("get", "/assessments/{id}/themes/{theme}"),
    ("post", "/assessments/{id}/themes/{theme}"),
    ("post", "/assessments/{id}/answers/{question}"),
    ("get", "/assessments/{id}/history"),
    ("get", "/assessments/{id}/submit"),
    ("post", "/assessments/{id}/submit"),
    ("post", "/assessments/{id}/reopen"),
    ("post", "/assessments/{id}/next"),
    ("get", "/assessments/{id}/results"),
]


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_another_organisations_assessment_is_a_404_on_every_route(
    other_client, assessment, supplier, method, route
):
    question = supplier.questions[0]
    path = route.format(id=assessment.id, theme=question.theme, question=question.key)
    kwargs = {"json": {"value": "x", "revision": 0}} if "answers" in route else {}
    response = getattr(other_client, method)(path, **kwargs)
    assert response.status_code == 404
    db.session.refresh(assessment)
    assert assessment.status == AssessmentStatus.DRAFT
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_another_organisations_assessments_are_not_listed(other_client, assessment):
    assert b"Own operations" not in other_client.get("/assessments/").data
    assert b"Own operations" not in other_client.get("/dashboard").data


def _one_question_per_type(questionnaire):
    found = {}
    for question in questionnaire.questions:
        found.setdefault((question.type, question.allow_na), question)
    return list(found.values())


def test_hostile_answers_get_a_clear_refusal_never_a_500(admin_client, assessment, supplier):
    from tests.web.test_no_input_breaks_a_page import HOSTILE_VALUES

    payloads = [*HOSTILE_VALUES, ["x", None], [1, 2], {"a": 1}, 1e308, -1e308, 10**30, True]
    for question in _one_question_per_type(supplier):
        url = f"/assessments/{assessment.id}/answers/{question.key}"
        for value in payloads:
            for body in (
                {"value": value, "revision": 0},
                {"value": None, "na": True, "na_reason": value, "revision": 0},
                {"value": value, "comment": value, "revision": value},
            ):
                response = admin_client.post(url, json=body)
                assert response.status_code < 500, (question.key, repr(value)[:40])
                assert response.status_code == 200 or response.get_json().get("error")
            form = {
                f"{question.key}__value": value if isinstance(value, str) else repr(value),
                f"{question.key}__revision": value if isinstance(value, str) else "0",
                f"{question.key}__na": "y",
                f"{question.key}__na_reason": value if isinstance(value, str) else "",
            }
            response = admin_client.post(
                f"/assessments/{assessment.id}/themes/{question.theme}", data=form
            )
            assert response.status_code < 500, (question.key, repr(value)[:40])


def test_assessments_can_be_told_apart_by_subject_and_period(admin_client, admin, supplier):
    from app.assessments.lifecycle import next_period

    assert next_period("2025") == "2026"
    assert next_period("FY 2025/26") == "FY 2026/27"
    assert next_period("spring audit") is None

    draft = factories.make_assessment(admin.organisation, admin, subject="Plant A")
    saved = admin_client.post(
        f"/assessments/{draft.id}/details", data={"subject": "Plant A, Leeds", "period": "2025"}
    )
    assert saved.status_code == 302
    db.session.refresh(draft)
    assert (draft.subject, draft.period) == ("Plant A, Leeds", "2025")
    refused = admin_client.post(f"/assessments/{draft.id}/details", data={"subject": ""})
    assert refused.status_code == 422 and "Please correct the following" in refused.get_data(
        as_text=True
    )
    dashboard = admin_client.get("/dashboard").get_data(as_text=True)
    assert "Plant A, Leeds" in dashboard and "· 2025" in dashboard

    question = choice_questions(supplier, critical=False)[0]
    factories.answer(draft, question.key, factories.worst_option(supplier, question), user=admin)
    admin_client.post(f"/assessments/{draft.id}/submit")
    assert (
        admin_client.post(f"/assessments/{draft.id}/details", data={"subject": "X"}).status_code
        == 409
    )
    admin_client.post(f"/assessments/{draft.id}/next")
    successor = db.session.scalar(select(Assessment).where(Assessment.previous_id == draft.id))
    assert successor.period == "2026"  # proposed, and editable while a draft
    results = admin_client.get(f"/assessments/{successor.id}/results").get_data(as_text=True)
    compared = results.split("data-compared-with", 1)[1].split("</p>", 1)[0]
    assert "Plant A, Leeds · 2025" in compared

    # An assessment of a later period is never "previous", whenever it was submitted.
    admin_client.post(
        f"/assessments/{successor.id}/details", data={"subject": "Plant A, Leeds", "period": "2024"}
    )
    results = admin_client.get(f"/assessments/{successor.id}/results").get_data(as_text=True)
    assert "data-compared-with" not in results
