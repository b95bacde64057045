"""A supplier answers honestly in Chromium: "we don't know" on fees at its suppliers, a
management statement as the basis of an "implemented" answer, an N/A with the reason "n/a"
that is refused next to the field, and then a verdict held at Developing on the results page
and on the cover of its gap report.

The shipped supplier questionnaire allows no free N/A (its questions that may not apply are
gated by an earlier answer), so the journey runs on a copy of the shipped content in which
one non-critical question, `related-costs-covered`, allows N/A."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

import questionnaires as engine
from app.extensions import db
from app.models import Answer, Assessment
from questionnaires.yamlfile import read_yaml
from tests import factories
from tests.browser.conftest import serving
from tests.browser.registration import register
from tests.engine.builders import write_yaml
from tests.web.test_capped_verdicts import best_except

UNSURE = "fees-supply-chain"  # fees at suppliers and labour providers, with "don't know"
BASIS = "recruitment-checks"  # a maturity question that asks how the answer is known
NA = "related-costs-covered"  # made to allow N/A in this copy of the content


@pytest.fixture
def content_folder(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(engine.SHIPPED_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__*"))
    raw = read_yaml(folder / "supplier.yaml")
    next(q for q in raw["questions"] if q["key"] == NA)["allow_na"] = True
    write_yaml(folder / "supplier.yaml", raw)
    return str(folder)


@pytest.fixture
def live_server(database_url, content_folder):
    with serving(database_url, QUESTIONNAIRES_DIR=content_folder) as server:
        yield server


@pytest.fixture
def page(context):
    """A page that fails the test on any browser error but the refused saves it expects (the
    browser logs every 422 answer of the server as an error)."""
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            errors.append(m.text) if m.type == "error" and "status of 422" not in m.text else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    assert not errors, f"the browser reported errors: {errors}"


def _stored(live_server, key):
    with live_server.app.app_context():
        return db.session.scalar(select(Answer).where(Answer.question_key == key))


def _fill_the_rest(live_server, questionnaire):
    """Every other question answered at its best, as a mature organisation would."""
    with live_server.app.app_context():
        assessment = db.session.scalar(select(Assessment))
        answers = best_except(questionnaire, ())
        for key in (UNSURE, BASIS, NA):
            answers.pop(key)
        factories.answer_all(assessment, answers)
        return assessment.id


def test_a_supplier_answers_honestly_and_finds_its_verdict_held(live_server, page):
    from app.content import content

    with live_server.app.app_context():
        supplier = content().get("supplier")
    theme = supplier.question(UNSURE).theme
    assert supplier.question(BASIS).theme == theme and supplier.question(NA).theme == theme

    page.goto(live_server.url + "/register")
    register(
        page,
        live_server,
        organisation="Northfield Metals Ltd",
        kind="company",
        name="Omar Sourcing",
        email="omar@northfield.example",
    )
    page.get_by_role("link", name="Start an assessment").first.click()
    page.get_by_label("Questionnaire").select_option("supplier")
    page.get_by_label("What is assessed").fill("Northfield foundry")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northfield foundry")
    assessment_id = _fill_the_rest(live_server, supplier)

    page.goto(f"{live_server.url}/assessments/{assessment_id}/themes/{theme}")

    # "We don't know" about fees at suppliers is an answer of its own.
    unsure = page.locator(f"#q-{UNSURE}")
    unsure.get_by_label("We don't know / no data").check()
    expect(unsure.locator(".save-status")).to_have_text("Saved")
    assert _stored(live_server, UNSURE).value == engine.DONT_KNOW

    # "Implemented", known from a management statement only.
    basis = page.locator(f"#q-{BASIS}")
    basis.get_by_label("Implemented across the organisation").check()
    expect(basis.locator(".save-status")).to_have_text("Saved")
    basis.get_by_role("group", name="How do you know?").get_by_label("Management statement").check()
    expect(basis.locator(".save-status")).to_have_text("Saved")
    stored = _stored(live_server, BASIS)
    assert (stored.value, stored.basis) == ("implemented", "statement")

    # "n/a" is no reason: refused, with the message next to the reason.
    na = page.locator(f"#q-{NA}")
    na.get_by_label("Not applicable").check()
    na.get_by_label("Why it does not apply").fill("n/a")
    na.get_by_label("Why it does not apply").blur()
    error = na.locator("[data-error-for=na_reason]")
    expect(error).to_be_visible()
    expect(error).to_contain_text("does not say why")
    expect(na.locator(".save-status")).to_have_text("Not saved")
    assert _stored(live_server, NA) is None

    # The results page holds the verdict at Developing and says why.
    page.get_by_role("link", name="Results").first.click()
    expect(page.locator("[data-overall-score]")).to_contain_text("49")
    expect(page.locator("[data-overall-band]")).to_have_text("Developing")
    expect(page.locator("[data-verdict-note]")).to_have_text("Held at Developing: 1 red flag")

    # So does the cover of the gap report.
    page.get_by_role("link", name="Read the gap report").click()
    cover = page.locator("header.cover")
    expect(cover.locator(".band-name")).to_have_text("Developing")
    expect(cover.locator(".verdict-note")).to_have_text("Held at Developing: 1 red flag")
