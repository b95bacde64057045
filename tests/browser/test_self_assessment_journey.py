"""A company registers, answers the supplier questionnaire over two themes with autosave,
meets a conflict between two tabs without losing an answer, submits and reads its results."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Answer
from tests.browser.conftest import served_questionnaire
from tests.browser.registration import register


def _radio_questions(questionnaire, theme_key):
    return [
        q
        for q in questionnaire.questions_in(theme_key)
        if q.type in ("maturity", "yes-partly-no", "choice") and q.show_if is None
    ]


def _choose(page, question, option):
    # The page shown must have loaded: answering.js, at the end of the body, saves only the
    # changes made once it listens.
    page.wait_for_load_state()
    fieldset = page.locator(f"#q-{question.key}")
    fieldset.locator(f"input[type=radio][value='{option.value}']").check()
    return fieldset


def _stored(live_server, key):
    with live_server.app.app_context():
        return db.session.scalar(select(Answer).where(Answer.question_key == key))


def test_a_company_answers_with_autosave_submits_and_reads_its_results(live_server, page, context):
    supplier = served_questionnaire(live_server, "supplier")
    first, second = supplier.themes[0], supplier.themes[1]
    q1, q2 = _radio_questions(supplier, first.key)[:2]
    q3 = _radio_questions(supplier, second.key)[0]

    page.goto(live_server.url + "/register")
    register(
        page,
        live_server,
        organisation="Lakeside Foods Ltd",
        kind="company",
        name="Lena Compliance",
        email="lena@lakeside.example",
    )

    page.get_by_role("link", name="Start an assessment").first.click()
    page.get_by_label("Questionnaire").select_option("supplier")
    page.get_by_label("What is assessed").fill("Lakeside bakery plant")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lakeside bakery plant")
    page.get_by_role("link", name="Continue answering").click()
    page.wait_for_url("**/themes/*")  # loaded: answering.js listens before an answer changes
    expect(page.get_by_role("heading", level=2, name=first.title)).to_be_visible()

    # Autosave: each answer is saved on its own as soon as it changes.
    best1 = max(q1.choices, key=lambda o: o.score)
    expect(_choose(page, q1, best1).locator(".save-status")).to_have_text("Saved")
    low2 = min(q2.choices, key=lambda o: o.score)
    expect(_choose(page, q2, low2).locator(".save-status")).to_have_text("Saved")
    expect(page.locator("[data-progress='theme:" + first.key + "']").first).to_contain_text("2 of")

    # The plain form submit saves and moves on to the next theme.
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=2, name=second.title)).to_be_visible()
    mid3 = sorted(q3.choices, key=lambda o: o.score)[1]
    expect(_choose(page, q3, mid3).locator(".save-status")).to_have_text("Saved")

    # Reloading loses nothing that was confirmed as saved.
    page.reload()
    expect(page.locator(f"#q-{q3.key} input[value='{mid3.value}']")).to_be_checked()
    page.get_by_role("link", name=first.title).first.click()
    expect(page.locator(f"#q-{q1.key} input[value='{best1.value}']")).to_be_checked()
    expect(page.locator(f"#q-{q2.key} input[value='{low2.value}']")).to_be_checked()

    # Two tabs edit the same answer: the second save is refused visibly, nothing is lost.
    other_tab = context.new_page()
    other_tab.goto(page.url)
    low1 = min(q1.choices, key=lambda o: o.score)
    expect(_choose(page, q1, low1).locator(".save-status")).to_have_text("Saved")
    middle1 = sorted(q1.choices, key=lambda o: o.score)[1]
    conflict = _choose(other_tab, q1, middle1).locator(".conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("changed in another window")
    assert _stored(live_server, q1.key).value == low1.value
    conflict.get_by_role("button", name="Reload the page").click()
    expect(other_tab.locator(f"#q-{q1.key} input[value='{low1.value}']")).to_be_checked()
    other_tab.close()

    # Submit with unanswered questions, then read the results.
    page.get_by_role("link", name="Overview").click()
    page.get_by_role("link", name="Submit", exact=True).click()
    expect(page.get_by_text(re.compile("questions have no answer yet"))).to_be_visible()
    page.get_by_role("button", name="Submit anyway").click()
    expect(page.get_by_text("The assessment is submitted.")).to_be_visible()
    expect(page.get_by_role("heading", name="Scores by theme")).to_be_visible()
    expect(page.locator("figure.chart-figure svg")).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text(first.title)
    expect(page.locator("article.gap").first).to_be_visible()
    expect(page.get_by_role("heading", name="No information")).to_be_visible()
