"""A contractor attaches its recruitment-fee policy and an agency contract to two answers and
submits; the buyer opens both, marks one checked and one not supporting the answer, and returns
it; the contractor replaces the contract and submits again; the buyer downloads the evidence
ZIP and finds the documents in the annex of the gap report."""

from __future__ import annotations

import csv
import io
import zipfile

from playwright.sync_api import expect

from app.extensions import db
from tests import factories
from tests.browser.conftest import served_questionnaire
from tests.reports.pdf_text import read_pdf

POLICY_KEY = "fees-policy"
CONTRACT_KEY = "provider-contract-terms"
NOTE = "This contract lets the agency charge workers a placement fee."


def _pdf(text: str) -> bytes:
    """A small, well-formed one-page PDF carrying `text`."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _attach(them, key: str, path, title: str):
    block = them.locator(f"[data-evidence='{key}']")
    attach = block.locator("details.evidence-attach")
    if attach.get_attribute("open") is None:  # open already where a document is required
        attach.locator("summary").click()
    block.get_by_label("File").set_input_files(str(path))
    block.get_by_label("Title").fill(title)
    block.get_by_role("button", name="Attach", exact=True).click()
    expect(them.locator(f"[data-evidence='{key}'] [data-evidence-list]")).to_contain_text(title)


def _submit(them):
    them.get_by_role("link", name="Overview").click()
    them.get_by_role("link", name="Submit", exact=True).click()
    them.get_by_role("button", name="Submit anyway").click()
    expect(them.get_by_text("Your answers were submitted")).to_be_visible()


def test_attach_check_return_replace_and_take_the_evidence_away(
    live_server, browser, page, tmp_path
):
    supplier = served_questionnaire(live_server, "supplier")
    policy, contract = supplier.question(POLICY_KEY), supplier.question(CONTRACT_KEY)
    files = {
        "policy": tmp_path / "recruitment-fee-policy.pdf",
        "contract": tmp_path / "agency-contract.pdf",
        "new-contract": tmp_path / "agency-contract-2027.pdf",
    }
    files["policy"].write_bytes(_pdf("Workers pay no recruitment fee, ever."))
    files["contract"].write_bytes(_pdf("Placement fee: one month of wages."))
    files["new-contract"].write_bytes(_pdf("The agency charges workers nothing."))

    with live_server.app.app_context():
        buyer_org = factories.make_organisation("Harbour City Procurement")
        buyer = factories.make_user(buyer_org, "admin", email="pat@harbour.example")
        contractor, token = factories.make_contractor(buyer_org, buyer, "Bayview Catering")
        # The contractor's answers are given; the journey is about the documents behind them.
        factories.answer(contractor.assessment, POLICY_KEY, "implemented")
        factories.answer(contractor.assessment, CONTRACT_KEY, ["no-fees", "documents"])
        assessment_id = contractor.assessment_id
        db.session.remove()

    # The contractor opens its link and attaches a document to each answer, then submits.
    contractor_context = browser.new_context(locale="en-GB", accept_downloads=True)
    contractor_context.set_default_timeout(10_000)
    them = contractor_context.new_page()
    them.goto(f"{live_server.url}/invitation/{token}")
    them.get_by_role("link", name="Answer the questionnaire").click()
    them.goto(f"{live_server.url}/assessments/{assessment_id}/themes/{policy.theme}")
    _attach(them, POLICY_KEY, files["policy"], "Recruitment fee policy")
    them.goto(f"{live_server.url}/assessments/{assessment_id}/themes/{contract.theme}")
    _attach(them, CONTRACT_KEY, files["contract"], "Agency contract Bright Staffing")
    _submit(them)

    # The buyer opens both documents beside the answers and checks them.
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("Email address").fill("pat@harbour.example")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/contractors/{assessment_id}")
    policy_card = page.locator(f"#review-{POLICY_KEY}")
    contract_card = page.locator(f"#review-{CONTRACT_KEY}")
    for card, title in (
        (policy_card, "Recruitment fee policy"),
        (contract_card, "Agency contract Bright Staffing"),
    ):
        with page.expect_download() as opened:
            card.get_by_role("link", name=title).click()
        assert opened.value.suggested_filename.endswith(".pdf")
    policy_card.get_by_label("Evidence checked", exact=True).check()
    policy_card.get_by_role("button", name="Save the evidence check").click()
    expect(policy_card.locator("[data-evidence]")).to_have_attribute(
        "data-evidence-check", "checked"
    )
    contract_card = page.locator(f"#review-{CONTRACT_KEY}")
    contract_card.get_by_label("Evidence does not support the answer", exact=True).check()
    contract_card.get_by_label("Why the evidence does not support the answer").fill(NOTE)
    contract_card.get_by_role("button", name="Save the evidence check").click()
    contract_card = page.locator(f"#review-{CONTRACT_KEY}")
    expect(contract_card).to_have_attribute("data-marked", "clarify")
    expect(contract_card.locator("[data-evidence]")).to_have_attribute(
        "data-evidence-check", "not-supporting"
    )
    page.get_by_role("button", name="Return to the contractor").click()
    page.get_by_role("button", name="Yes, return it to the contractor").click()
    expect(page.locator(".badge[data-status]")).to_have_text("Returned")

    # The contractor reads the buyer's verdict, replaces the contract and submits again.
    them.goto(f"{live_server.url}/assessments/{assessment_id}/themes/{contract.theme}")
    expect(them.locator(f"#q-{CONTRACT_KEY} .review-note")).to_contain_text(NOTE)
    block = them.locator(f"[data-evidence='{CONTRACT_KEY}']")
    expect(block).to_contain_text("Evidence does not support the answer")
    block.get_by_role("button", name="Remove").click()
    expect(them.locator(f"[data-evidence='{CONTRACT_KEY}'] [data-evidence-list]")).to_have_count(0)
    _attach(them, CONTRACT_KEY, files["new-contract"], "Agency contract 2027")
    _submit(them)

    # The buyer sees the new document unchecked, downloads the ZIP and the gap report.
    page.reload()
    contract_card = page.locator(f"#review-{CONTRACT_KEY}")
    expect(contract_card).to_contain_text("Agency contract 2027")
    expect(contract_card).not_to_contain_text("Agency contract Bright Staffing")
    expect(contract_card.locator("[data-evidence]")).not_to_have_attribute(
        "data-evidence-check", "not-supporting"
    )
    with page.expect_download() as zipped:
        page.get_by_role("link", name="Download the evidence (ZIP)").click()
    with open(zipped.value.path(), "rb") as file:
        archive = zipfile.ZipFile(io.BytesIO(file.read()))
    manifest = list(csv.reader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    titles = [row[1] for row in manifest[1:]]
    assert titles == ["Recruitment fee policy", "Agency contract 2027"]
    assert archive.read(manifest[1][0]) == files["policy"].read_bytes()
    assert archive.read(manifest[2][0]) == files["new-contract"].read_bytes()

    # The report's address fetched as the browser would: rendering a PDF can take longer on a
    # busy machine than a click waits.
    link = page.get_by_role("link", name="Gap report (PDF)")
    response = page.request.get(live_server.url + link.get_attribute("href"), timeout=300_000)
    assert response.ok and "attachment" in response.headers["content-disposition"]
    pdf = read_pdf(response.body())
    assert (1, "Annex: Evidence") in pdf.bookmarks
    assert pdf.contains("Evidence: Recruitment fee policy (checked by the buyer)")
    assert pdf.contains("Evidence: Agency contract 2027 (not checked)")
    for row in manifest[1:]:
        assert pdf.contains(row[5])  # the document's checksum
    contractor_context.close()
