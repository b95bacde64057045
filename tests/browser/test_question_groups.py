"""A screen reader names each question's answers by the question: in Chromium's accessibility
tree every question of a theme page is a group whose name is the question's text."""

from __future__ import annotations

from playwright.sync_api import expect

from app.content import content
from tests import factories


def test_each_question_is_a_group_named_by_its_text(live_server, page):
    with live_server.app.app_context():
        supplier = content().get("supplier")
        # A theme with choices, several answers and a number: each kind of answer control.
        theme = next(t for t in supplier.themes if t.key == "monitoring")
        questions = supplier.questions_in(theme.key)
        organisation = factories.make_organisation("Lakeside Foods Ltd", kind="company")
        user = factories.make_user(organisation, "admin", email="lena@lakeside.example")
        assessment_id = factories.make_assessment(organisation, user).id
    assert {q.type for q in questions} >= {"multiple", "number", "maturity"}

    page.goto(live_server.url + "/sign-in")
    page.get_by_label("Email address").fill("lena@lakeside.example")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/assessments/{assessment_id}/themes/{theme.key}")

    for number, question in enumerate(questions, 1):
        group = page.get_by_role("group", name=f"{number}. {question.text}", exact=True)
        expect(group).to_have_count(1)
        # The group is the one that holds the question's answer: its options are inside it.
        if question.type == "number":
            expect(group.get_by_role("spinbutton")).to_have_count(1)
        else:
            role = "checkbox" if question.type == "multiple" else "radio"
            for option in supplier.options_for(question):
                expect(group.get_by_role(role, name=option.label, exact=True)).to_have_count(1)
        # And no second group repeats the question's name around the same answers.
        expect(page.get_by_role("group", name=question.text)).to_have_count(1)
