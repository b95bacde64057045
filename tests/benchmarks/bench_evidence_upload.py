"""Evidence upload throughput: a 10 MB document attached to an answer, end to end.

Each upload goes through the whole path a browser's plain form takes (the multipart parse, the
CSRF check, the sha256, the type check from the content, the per-assessment limit, the write to
the evidence folder by rename, the rows and the audit entry), one request after another through
the WSGI test client on an SQLite file. A PDF is checked by its first bytes; a DOCX of the same
size is also inflated member by member for the zip-bomb check, so it shows what that costs. A
bare route that reads the same multipart upload and throws it away gives the floor. Every upload
has new content (a document already in the library is linked, not stored, and that is measured
apart). Medians of several rounds; MB is 10^6 bytes.
"""

from __future__ import annotations

import io
import os
import re
import statistics
import tempfile
import time
import zipfile

SIZE = 10 * 1024 * 1024
ROUNDS = 5
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _pdf(seed: int) -> bytes:
    # Random bytes: incompressible, like a scanned document, and new content every time.
    return b"%PDF-1.7\n%" + seed.to_bytes(4, "big") + os.urandom(SIZE - 16) + b"\n%%EOF\n"


def _docx(seed: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<w:document>{seed}</w:document>")
        archive.writestr("word/media/image1.png", os.urandom(SIZE - 4096))
    return buffer.getvalue()


def run():
    from app.extensions import csrf, db
    from tests.conftest import make_test_app
    from tests.factories import make_assessment, make_organisation, make_user, signed_in

    folder = tempfile.mkdtemp(prefix="ddcheck-bench-")
    app = make_test_app(
        f"sqlite:///{folder}/bench.sqlite",
        WTF_CSRF_ENABLED=True,
        EVIDENCE_DIR=f"{folder}/evidence",
        EVIDENCE_MAX_ASSESSMENT_BYTES=10 * 1024**3,
    )

    @app.post("/bench/upload")
    def bare_upload():
        from flask import request

        request.max_content_length = 2 * SIZE
        upload = request.files["file"]
        while upload.stream.read(1 << 20):
            pass
        return {"ok": True}

    csrf.exempt(bare_upload)
    context = app.app_context()
    context.push()
    db.create_all()
    organisation = make_organisation("Bench Org", "company")
    user = make_user(organisation, "admin")
    assessment = make_assessment(organisation, user)
    client = signed_in(app.test_client(), user)
    page = client.get(f"/assessments/{assessment.id}/themes/recruitment-fees")
    token = TOKEN.search(page.get_data(as_text=True)).group(1)
    path = f"/assessments/{assessment.id}/questions/fees-policy/evidence"

    def post(url: str, content: bytes, name: str) -> float:
        data = {"csrf_token": token, "title": name, "file": (io.BytesIO(content), name)}
        started = time.perf_counter()
        response = client.post(url, data=data, content_type="multipart/form-data")
        elapsed = time.perf_counter() - started
        assert response.status_code in (200, 303), response.status_code
        return elapsed

    def rate(seconds: list[float], size: int) -> str:
        median = statistics.median(seconds)
        return f"{size / median / 1e6:6.1f} MB/s ({median * 1000:5.0f} ms per file)"

    bare, pdf, docx, again = [], [], [], []
    for round_ in range(ROUNDS):
        content = _pdf(round_)
        bare.append(post("/bench/upload", content, "bare.pdf"))
        pdf.append(post(path, content, f"policy-{round_}.pdf"))
        again.append(post(path.replace("fees-policy", "policy-commitment"), content, "same.pdf"))
        docx.append(post(path, _docx(round_), f"contract-{round_}.docx"))
    from app.models import EvidenceFile

    stored = db.session.query(EvidenceFile).count()
    assert stored == 2 * ROUNDS, stored
    yield f"bare multipart upload (the floor): {rate(bare, SIZE)}"
    yield f"10 MB PDF attached:               {rate(pdf, SIZE)}"
    yield f"10 MB DOCX attached (inflated):   {rate(docx, SIZE)}"
    yield f"same PDF on a 2nd answer (linked, not stored again): {rate(again, SIZE)}"
    yield f"{stored} documents stored, one file each; {ROUNDS} rounds, medians"
    context.pop()
