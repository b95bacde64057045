"""The main pages, checked as people with assistive technology and phones meet them: axe-core
finds no serious or critical violation, and no page is wider than a 390 px phone screen."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

import questionnaires as engine
from app.assessments import lifecycle
from app.content import content
from app.extensions import db
from app.scoping import Principal
from app.workshops import participation
from app.workshops import services as workshops
from tests import factories

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SERIOUS = {"serious", "critical"}


def _data(live_server) -> dict:
    """A public buyer with a submitted self-assessment, two contractors and a workshop."""
    with live_server.app.app_context():
        supplier = content().get("supplier")
        buyer_org = factories.make_organisation("Riverside Procurement Office")
        buyer = factories.make_user(buyer_org, "admin", email="rita@riverside.example")
        own = factories.make_assessment(buyer_org, buyer, subject="Riverside buying practice")
        factories.store_answers(own, engine.sample_answers(supplier, seed=5, red_flags=2))
        lifecycle.submit(own, Principal(user=buyer), require_evidence=False)
        contractors = []
        for n, name in enumerate(("Northwind Cleaning", "Bayview Catering Services Ltd")):
            contractor, _token = factories.make_contractor(buyer_org, buyer, name)
            contractor.reference = "RIV-2026-CONTRACT-0042-LOT-7"
            factories.store_answers(
                contractor.assessment, engine.sample_answers(supplier, seed=n, red_flags=n)
            )
            lifecycle.submit(contractor.assessment, Principal(label=name), require_evidence=False)
            contractors.append(contractor.assessment_id)
        workshop = workshops.create_workshop(
            user=buyer,
            title="Buyers' training",
            questionnaire=content().get("workshop-exercise"),
            case_text=None,
            reveal_at_end=True,
        )
        participation.join(workshop.join_code, "Team Harbour")
        data = {
            "email": buyer.email,
            "own": own.id,
            "theme": supplier.themes[0].key,
            "contractors": contractors,
            "workshop": workshop.id,
        }
        db.session.remove()
        return data


def _pages(data) -> tuple[list[str], list[str]]:
    """The pages anyone sees, and the pages a signed-in buyer sees."""
    own = data["own"]
    ids = "&".join(f"ids={i}" for i in data["contractors"])
    public = ["/", "/library/", "/register", "/join"]
    signed_in = [
        "/dashboard",
        f"/assessments/{own}/themes/{data['theme']}",
        f"/assessments/{own}/results",
        f"/assessments/{own}/report",
        f"/assessments/{own}/action-plan",
        "/contractors/",
        f"/contractors/{data['contractors'][0]}",
        f"/contractors/compare?{ids}",
        f"/workshops/{data['workshop']}",
    ]
    return public, signed_in


def _check(page, url: str, axe: Axe, found: list[str]) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(url)
    results = axe.run(page)
    for violation in results.response["violations"]:
        if violation["impact"] in SERIOUS:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"{url}: {violation['id']} ({violation['impact']}) at {targets}")
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        wide = page.evaluate(
            """() => {
                 const wide = (e) => e.getBoundingClientRect().right > window.innerWidth + 1;
                 return [...document.querySelectorAll('body *')]
                   .filter(e => wide(e) && !wide(e.parentElement))
                   .slice(0, 3).map(e => e.tagName + '.' + e.getAttribute('class'));
               }"""
        )
        found.append(f"{url}: {width} px wide on a 390 px phone, e.g. {wide}")


def test_the_main_pages_have_no_serious_accessibility_problem_and_fit_a_phone(live_server, page):
    data = _data(live_server)
    public, signed_in = _pages(data)
    # Thirteen pages, two sizes each: on a busy machine one page can take longer than usual.
    page.set_default_navigation_timeout(60_000)
    axe = Axe()
    found: list[str] = []
    for path in public:
        _check(page, live_server.url + path, axe, found)
    # A form sent with errors comes back with the focus on the summary of what is wrong.
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#error-summary")).to_be_focused()
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("Email address").fill(data["email"])
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")
    for path in signed_in:
        _check(page, live_server.url + path, axe, found)
    assert not found, "\n".join(found)

    # On a phone the menu folds away behind its button.
    menu = page.locator("#main-nav")
    expect(menu).to_be_hidden()
    page.get_by_role("button", name="Show the menu").click()
    expect(menu.get_by_role("link", name="Contractors")).to_be_visible()
