"""Evidence through the test client: attaching documents to answers (checked on the way in),
one document for several answers, downloads only within the assessment's scope, required
documents before submitting, documents carried to next year, and deleting them."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from sqlalchemy import func, select

from app.assessments import lifecycle
from app.assessments.queries import scorecard_of
from app.audit import AuditEvent
from app.evidence.storage import LocalDiskStorage, quarantine_dir, storage
from app.extensions import db
from app.models import AuditEntry, EvidenceFile, EvidenceLink
from app.portability import organisation as organisation_data
from app.scoping import Principal
from tests import evidence_samples as samples
from tests import factories

QUESTION = "fees-policy"  # supplier, recruitment-fees theme; suggests a document
OTHER_QUESTION = "policy-commitment"
REQUIRED = "provider-contract-terms"  # requires a document; shown when labour providers are used


@pytest.fixture
def draft(admin):
    return factories.make_assessment(admin.organisation, admin)


def attach(client, assessment, content: bytes, name: str, question=QUESTION, **fields):
    data = {"file": (io.BytesIO(content), name), "title": fields.pop("title", ""), **fields}
    return client.post(
        f"/assessments/{assessment.id}/questions/{question}/evidence",
        data=data,
        content_type="multipart/form-data",
    )


def documents_of(assessment) -> list[EvidenceFile]:
    return list(
        db.session.scalars(select(EvidenceFile).where(EvidenceFile.assessment_id == assessment.id))
    )


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def flashed(client) -> str:
    with client.session_transaction() as session:
        return " ".join(message for _, message in session.get("_flashes", []))


def events(assessment, event: AuditEvent) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.assessment_id == assessment.id, AuditEntry.event == event.value
            )
        )
    )


# --- checked on the way in ---------------------------------------------------------------------


@pytest.mark.parametrize(("name", "make", "media_type"), samples.ALLOWED)
def test_each_allowed_type_is_attached_with_its_title_and_date(
    admin_client, draft, name, make, media_type
):
    content = make()
    response = attach(
        admin_client, draft, content, name, title="Our policy", document_date="2026-03-31"
    )

    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/themes/recruitment-fees#q-{QUESTION}")
    [document] = documents_of(draft)
    assert (document.media_type, document.title, str(document.document_date)) == (
        media_type,
        "Our policy",
        "2026-03-31",
    )
    assert (document.sha256, document.size) == (digest(content), len(content))
    assert [link.question_key for link in document.links] == [QUESTION]
    assert storage().open(document.sha256).read() == content
    [entry] = events(draft, AuditEvent.EVIDENCE_ATTACHED)
    assert (entry.question_key, entry.new["title"]) == (QUESTION, "Our policy")


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("policy.pdf", samples.elf, "This kind of file cannot be attached"),
        ("policy.pdf", samples.windows_exe, "This kind of file cannot be attached"),
        ("policy.pdf", samples.html, "Web pages and scripts cannot be attached"),
        ("policy.pdf", lambda: b"", "The file is empty"),
        ("contract.docx", samples.zip_bomb, "zip bomb"),
    ],
    ids=["renamed-linux-program", "renamed-windows-program", "html-as-pdf", "empty", "zip-bomb"],
)
def test_a_dangerous_or_empty_file_is_refused_with_a_message_and_nothing_stored(
    admin_client, draft, name, make, words
):
    content = make()
    response = attach(admin_client, draft, content, name)

    assert response.status_code == 303
    assert words in flashed(admin_client)
    assert documents_of(draft) == []
    assert not storage().exists(digest(content))
    assert events(draft, AuditEvent.EVIDENCE_ATTACHED) == []


@pytest.mark.parametrize("over", [10, 200 * 1024], ids=["just-over", "far-over"])
def test_a_file_over_the_limit_is_refused_with_the_limit_named(
    app, admin_client, draft, monkeypatch, over
):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_FILE_BYTES", 4096)
    content = samples.pdf() + b"%" * (4096 + over)

    response = attach(admin_client, draft, content, "big.pdf")

    assert response.status_code == 303
    assert "larger than 4.0 KB" in flashed(admin_client)
    assert documents_of(draft) == [] and not storage().exists(digest(content))


def test_a_too_large_upload_to_someone_elses_assessment_says_nothing_of_it(
    app, other_client, draft, monkeypatch
):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_FILE_BYTES", 4096)

    response = attach(other_client, draft, b"%PDF" + b"x" * 200_000, "big.pdf")

    assert response.status_code == 404


def test_an_assessment_holds_documents_up_to_its_limit(app, admin_client, draft, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_ASSESSMENT_BYTES", len(samples.pdf()) + 100)
    assert attach(admin_client, draft, samples.pdf(), "a.pdf").status_code == 303

    attach(admin_client, draft, samples.pdf("Agency contract"), "b.pdf", question=OTHER_QUESTION)

    assert "would pass" in flashed(admin_client)
    assert len(documents_of(draft)) == 1


def test_names_are_cleaned_and_take_the_extension_of_the_content(admin_client, draft):
    attach(admin_client, draft, samples.pdf(), "../../etc/Политика\t<2026>\x07.exe")

    [document] = documents_of(draft)
    assert document.filename == "Политика 2026.pdf"
    assert document.title == "Политика 2026"


def test_the_virus_scanner_quarantines_an_infected_file_and_says_so(
    app, admin_client, draft, monkeypatch
):
    monkeypatch.setitem(app.config, "EVIDENCE_SCANNER", lambda stream: "Eicar-Test-Signature")
    content = samples.pdf("infected")

    attach(admin_client, draft, content, "policy.pdf")

    assert "Eicar-Test-Signature" in flashed(admin_client)
    assert documents_of(draft) == [] and not storage().exists(digest(content))
    assert LocalDiskStorage(quarantine_dir()).exists(digest(content))
    [entry] = events(draft, AuditEvent.EVIDENCE_QUARANTINED)
    assert entry.new["finding"] == "Eicar-Test-Signature"


def test_a_clean_file_passes_the_scanner(app, admin_client, draft, monkeypatch):
    scanned = []
    monkeypatch.setitem(app.config, "EVIDENCE_SCANNER", lambda stream: scanned.append(1))

    attach(admin_client, draft, samples.pdf("clean"), "policy.pdf")

    assert scanned == [1] and len(documents_of(draft)) == 1


def test_clamd_is_asked_over_its_socket(tmp_path):
    """The INSTREAM conversation with a stand-in clamd on a Unix socket."""
    import socket
    import struct
    import threading

    from app.evidence.scanner import ClamdScanner

    path = str(tmp_path / "clamd.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(2)
    received = []

    def serve():
        for reply in (b"stream: OK\0", b"stream: Eicar-Test-Signature FOUND\0"):
            connection, _ = server.accept()
            with connection, connection.makefile("rb") as stream:
                assert stream.read(10) == b"zINSTREAM\0"
                data = b""
                while size := struct.unpack("!L", stream.read(4))[0]:
                    data += stream.read(size)
                received.append(data)
                connection.sendall(reply)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    scan = ClamdScanner(socket_path=path)

    assert scan(io.BytesIO(b"clean")) is None
    assert scan(io.BytesIO(b"X5O!P%@AP")) == "Eicar-Test-Signature"
    assert received == [b"clean", b"X5O!P%@AP"]
    thread.join(5)
    server.close()


# --- one document, several answers -----------------------------------------------------------


def test_a_file_attached_to_two_answers_is_stored_once(admin_client, draft):
    content = samples.pdf("Recruitment fee policy, stored once")
    attach(admin_client, draft, content, "policy.pdf")
    attach(admin_client, draft, content, "policy-again.pdf", question=OTHER_QUESTION)

    [document] = documents_of(draft)
    assert sorted(link.question_key for link in document.links) == sorted(
        [OTHER_QUESTION, QUESTION]
    )
    assert [name for name in storage().names() if name == digest(content)] == [digest(content)]


def test_a_document_of_the_library_is_linked_to_another_answer_without_uploading(
    admin_client, draft
):
    attach(admin_client, draft, samples.docx(b"<w:document>agency</w:document>"), "c.docx")
    [document] = documents_of(draft)
    page = admin_client.get(f"/assessments/{draft.id}/themes/governance").get_data(as_text=True)
    assert f'<option value="{document.id}">' in page

    response = admin_client.post(
        f"/assessments/{draft.id}/questions/{OTHER_QUESTION}/evidence/link",
        data={"evidence_id": str(document.id)},
    )

    assert response.status_code == 303
    db.session.refresh(document)
    assert sorted(link.question_key for link in document.links) == sorted(
        [OTHER_QUESTION, QUESTION]
    )
    library = admin_client.get(f"/assessments/{draft.id}/documents").get_data(as_text=True)
    assert library.count(f'/evidence/{document.id}"') == 1


def test_removing_a_document_from_one_answer_keeps_it_for_the_other(admin_client, draft):
    content = samples.pdf("two answers")
    attach(admin_client, draft, content, "p.pdf")
    attach(admin_client, draft, content, "p.pdf", question=OTHER_QUESTION)
    [document] = documents_of(draft)

    admin_client.post(f"/assessments/{draft.id}/questions/{QUESTION}/evidence/{document.id}/remove")
    db.session.refresh(document)
    assert [link.question_key for link in document.links] == [OTHER_QUESTION]
    assert storage().exists(document.sha256)

    admin_client.post(
        f"/assessments/{draft.id}/questions/{OTHER_QUESTION}/evidence/{document.id}/remove"
    )
    assert documents_of(draft) == [] and not storage().exists(digest(content))
    assert len(events(draft, AuditEvent.EVIDENCE_REMOVED)) == 2


def test_removing_a_document_from_the_library_takes_it_off_every_answer(admin_client, draft):
    content = samples.pdf("library")
    attach(admin_client, draft, content, "p.pdf")
    attach(admin_client, draft, content, "p.pdf", question=OTHER_QUESTION)
    [document] = documents_of(draft)
    url = f"/assessments/{draft.id}/evidence/{document.id}/delete"

    response = admin_client.post(url)

    assert response.status_code == 303 and response.location.endswith("/documents")
    assert documents_of(draft) == [] and not storage().exists(digest(content))
    removed = events(draft, AuditEvent.EVIDENCE_REMOVED)
    assert sorted(entry.question_key for entry in removed) == sorted([QUESTION, OTHER_QUESTION])
    assert "removed from this assessment" in flashed(admin_client)
    assert admin_client.post(url).status_code == 404


def test_documents_cannot_change_once_submitted(admin, admin_client, draft):
    attach(admin_client, draft, samples.pdf("frozen"), "p.pdf")
    [document] = documents_of(draft)
    lifecycle.submit(draft, Principal(user=admin))

    admin_client.post(f"/assessments/{draft.id}/questions/{QUESTION}/evidence/{document.id}/remove")
    attach(admin_client, draft, samples.pdf("late"), "late.pdf")

    assert "submitted" in flashed(admin_client)
    assert [d.id for d in documents_of(draft)] == [document.id]
    page = admin_client.get(f"/assessments/{draft.id}/themes/recruitment-fees")
    assert b"ev-attach-" not in page.data and document.title.encode() in page.data


@pytest.mark.parametrize(
    "bad",
    ["", "abc", "99999999999999", "-1"],
)
def test_linking_nonsense_never_fails_the_server(admin_client, draft, bad):
    response = admin_client.post(
        f"/assessments/{draft.id}/questions/{QUESTION}/evidence/link", data={"evidence_id": bad}
    )
    assert response.status_code in (303, 404)


def test_a_bad_date_or_no_file_is_refused_in_words(admin_client, draft):
    attach(admin_client, draft, samples.pdf(), "p.pdf", document_date="31/02/2026")
    assert "year-month-day" in flashed(admin_client)
    admin_client.post(
        f"/assessments/{draft.id}/questions/{QUESTION}/evidence", data={"title": "no file"}
    )
    assert "Choose a file" in flashed(admin_client)
    assert (
        admin_client.post(f"/assessments/{draft.id}/questions/no-such-question/evidence")
    ).status_code == 404
    assert documents_of(draft) == []


# --- downloads ---------------------------------------------------------------------------------


def test_the_owner_downloads_a_document_as_an_attachment_never_inline(admin_client, draft):
    content = samples.html().replace(b"<!DOCTYPE html>", b"plain: ")  # text that mentions HTML
    attach(admin_client, draft, content, "notes.txt", title="Notes")
    [document] = documents_of(draft)

    response = admin_client.get(f"/assessments/{draft.id}/evidence/{document.id}")

    assert response.status_code == 200 and response.data == content
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "notes.txt" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "text/plain"
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_no_one_outside_the_assessment_downloads_its_documents(
    app, admin, admin_client, other_client, draft
):
    attach(admin_client, draft, samples.pdf("private"), "private.pdf")
    [document] = documents_of(draft)
    path = f"/assessments/{draft.id}/evidence/{document.id}"
    # Another organisation.
    assert other_client.get(path).status_code == 404
    # A contractor with the link to another assessment of the same buyer.
    contractor, token = factories.make_contractor(admin.organisation, admin, "Beta Works")
    by_link = app.test_client()
    by_link.get(f"/invitation/{token}")
    assert by_link.get(path).status_code == 404
    # The right document under another assessment's address, and by its hash.
    assert admin_client.get(f"/assessments/{contractor.assessment_id}/evidence/{document.id}")
    assert (
        admin_client.get(f"/assessments/{contractor.assessment_id}/evidence/{document.id}")
    ).status_code == 404
    assert (
        admin_client.get(f"/assessments/{draft.id}/evidence/{document.sha256}").status_code == 404
    )
    # Signed out: to the sign-in page, nothing of the file.
    anonymous = app.test_client().get(path)
    assert anonymous.status_code == 302 and b"%PDF" not in anonymous.data


def test_a_contractor_downloads_its_own_documents_and_the_buyer_who_invited_it_too(
    app, admin, admin_client
):
    contractor, token = factories.make_contractor(admin.organisation, admin, "Gamma Build")
    assessment = contractor.assessment
    by_link = app.test_client()
    by_link.get(f"/invitation/{token}")
    assert attach(by_link, assessment, samples.pdf("contractor"), "c.pdf").status_code == 303
    [document] = documents_of(assessment)
    assert document.uploaded_by_label == "Gamma Build" or document.uploaded_by_label
    path = f"/assessments/{assessment.id}/evidence/{document.id}"

    assert by_link.get(path).status_code == 200
    assert admin_client.get(path).status_code == 200
    # Another contractor's link opens nothing of it.
    _, other_token = factories.make_contractor(admin.organisation, admin, "Delta Build")
    other = app.test_client()
    other.get(f"/invitation/{other_token}")
    assert other.get(path).status_code == 404


def test_a_workshop_team_attaches_nothing_and_downloads_nothing(app, admin, admin_client, draft):
    from tests.web.test_workshops import join, open_workshop, team_named

    attach(admin_client, draft, samples.pdf("not for teams"), "p.pdf")
    [document] = documents_of(draft)
    workshop = open_workshop(admin_client)
    team = join(app, workshop.join_code, "Team Blue")
    own = team_named("Team Blue").assessment_id
    questionnaire = factories.content_questionnaire("workshop-exercise")
    theme = questionnaire.themes[0].key

    assert team.get(f"/assessments/{draft.id}/evidence/{document.id}").status_code == 404
    assert team.get(f"/assessments/{own}/evidence/{document.id}").status_code == 404
    page = team.get(f"/assessments/{own}/themes/{theme}")
    assert page.status_code == 200 and b"ev-attach-" not in page.data
    key = questionnaire.questions_in(theme)[0].key
    refused = attach(team, team_named("Team Blue").assessment, samples.pdf(), "p.pdf", question=key)
    assert refused.status_code == 404


# --- the answer, the score and submitting ------------------------------------------------------


def test_a_top_answer_on_records_counts_in_full_once_a_document_is_attached(
    admin, admin_client, draft
):
    supplier = factories.content_questionnaire("supplier")
    key = "board-oversight"  # asks how the answer is known
    top = factories.best_option(supplier, supplier.question(key))
    factories.answer(draft, key, top, user=admin, basis="records")
    assert scorecard_of(draft).questions[key].evidence_missing

    attach(admin_client, draft, samples.pdf("board minutes"), "minutes.pdf", question=key)

    result = scorecard_of(draft).questions[key]
    assert (result.score, result.downgraded) == (100, False)


def test_required_evidence_blocks_submission_naming_the_question(admin, admin_client, draft):
    supplier = factories.content_questionnaire("supplier")
    factories.answer(draft, "uses-labour-providers", "yes", user=admin)
    factories.answer(draft, REQUIRED, ["no-fees", "contracts"], user=admin)
    text = supplier.question(REQUIRED).text.strip()

    page = admin_client.get(f"/assessments/{draft.id}/submit").get_data(as_text=True)
    assert "needs a document" in page and text in page
    refused = admin_client.post(f"/assessments/{draft.id}/submit")
    assert refused.status_code == 422 and text in refused.get_data(as_text=True)
    db.session.refresh(draft)
    assert draft.is_draft

    attach(admin_client, draft, samples.pdf("agency contract"), "agency.pdf", question=REQUIRED)
    assert admin_client.post(f"/assessments/{draft.id}/submit").status_code == 302
    db.session.refresh(draft)
    assert not draft.is_draft


def test_a_required_document_is_not_asked_for_a_question_that_does_not_apply(admin, draft):
    factories.answer(draft, "uses-labour-providers", "no", user=admin)

    assert lifecycle.missing_evidence(draft) == []


def test_the_history_names_the_document_and_the_question(admin_client, draft):
    attach(admin_client, draft, samples.pdf("history"), "p.pdf", title="Fee policy 2026")

    page = admin_client.get(f"/assessments/{draft.id}/history").get_data(as_text=True)
    assert "Document attached" in page and "Fee policy 2026" in page


# --- next year and shared responses ---------------------------------------------------------


def test_next_years_assessment_carries_the_same_files_until_confirmed(admin, admin_client, draft):
    supplier = factories.content_questionnaire("supplier")
    factories.answer(draft, QUESTION, factories.best_option(supplier, supplier.question(QUESTION)))
    content = samples.pdf("carried")
    attach(admin_client, draft, content, "p.pdf", title="Fee policy")
    lifecycle.submit(draft, Principal(user=admin))
    blobs = sorted(storage().names())

    successor = lifecycle.start_next(draft, Principal(user=admin))

    [carried] = documents_of(successor)
    assert (carried.sha256, carried.carried_from_id) == (digest(content), draft.id)
    assert [link.question_key for link in carried.links] == [QUESTION]
    assert sorted(storage().names()) == blobs
    page = admin_client.get(f"/assessments/{successor.id}/themes/recruitment-fees")
    assert "From the earlier assessment" in page.get_data(as_text=True)

    admin_client.post(
        f"/assessments/{successor.id}/evidence/{carried.id}/confirm",
        data={"question_key": QUESTION},
    )
    db.session.refresh(carried)
    assert carried.carried_from_id is None
    page = admin_client.get(f"/assessments/{successor.id}/themes/recruitment-fees")
    assert "From the earlier assessment" not in page.get_data(as_text=True)


def test_a_reused_response_brings_its_documents_as_the_same_files(admin, admin_client):
    source = factories.make_assessment(admin.organisation, admin, subject="Last tender")
    factories.answer(source, QUESTION, "written", user=admin)
    attach(admin_client, source, samples.pdf("shared"), "p.pdf")
    target = factories.make_assessment(admin.organisation, admin, subject="This tender")
    from app.assessments.copying import copy_answers

    copy_answers(source, target, Principal(user=admin), as_typed=True)
    db.session.commit()

    [carried] = documents_of(target)
    [original] = documents_of(source)
    assert carried.id != original.id and carried.sha256 == original.sha256
    assert carried.carried_from_id == source.id


# --- deleting ------------------------------------------------------------------------------------


def test_deleting_an_organisation_removes_its_documents_and_the_files_no_one_else_uses(
    admin, admin_client, other_admin, other_client
):
    own = factories.make_assessment(admin.organisation, admin)
    theirs = factories.make_assessment(other_admin.organisation, other_admin)
    shared, private = samples.pdf("same in both"), samples.pdf("only ours")
    attach(admin_client, own, shared, "s.pdf")
    attach(admin_client, own, private, "p.pdf", question=OTHER_QUESTION)
    attach(other_client, theirs, shared, "s.pdf")

    own_id, theirs_id = own.id, theirs.id

    organisation_data.delete_organisation(admin.organisation, admin.organisation.name)

    links = select(func.count()).select_from(EvidenceLink)
    assert db.session.scalar(links.where(EvidenceLink.assessment_id == own_id)) == 0
    assert db.session.scalar(links.where(EvidenceLink.assessment_id == theirs_id)) == 1
    assert not storage().exists(digest(private))
    assert storage().exists(digest(shared))


def test_the_orphans_command_lists_and_removes_files_no_document_names(
    app, admin_client, draft, runner
):
    attach(admin_client, draft, samples.pdf("kept"), "k.pdf")
    orphan = samples.pdf("left behind by a crash")
    storage().save(digest(orphan), [orphan])

    listed = runner.invoke(args=["evidence", "orphans"])
    assert digest(orphan) in listed.output and storage().exists(digest(orphan))

    removed = runner.invoke(args=["evidence", "orphans", "--delete"])
    assert removed.exit_code == 0, removed.output
    assert not storage().exists(digest(orphan))
    assert storage().exists(documents_of(draft)[0].sha256)
    assert re.search(r"\d+ orphaned evidence file\(s\) deleted", removed.output)
