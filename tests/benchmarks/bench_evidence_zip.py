"""Memory of downloading the evidence ZIP of an assessment with 200 MB of documents.

Ten documents of 20 MB each (random bytes, so nothing compresses) are written to a temporary
evidence storage and attached to answers of one contractor assessment; the buyer then
downloads /assessments/<id>/evidence.zip through the Flask test client without buffering,
reading the body chunk by chunk as a browser would. The process's resident memory (RSS, from
/proc) is sampled while reading; the figure is its peak above the idle process just before the
download. Goal: flat, and under 50 MB above idle.
"""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
import tempfile
import time

DOCUMENTS = 10
DOCUMENT_BYTES = 20 * 1000 * 1000
CHUNK = 1000 * 1000
GOAL_MB = 50


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def _blob(store, seed: int) -> str:
    """A 20 MB blob of random bytes, written chunk by chunk (never whole in memory)."""
    digest = hashlib.sha256()
    folder = tempfile.mkdtemp(prefix="ddcheck-bench-blob-")
    path = os.path.join(folder, "blob")
    with open(path, "wb") as out:
        for _ in range(DOCUMENT_BYTES // CHUNK):
            chunk = os.urandom(CHUNK)
            digest.update(chunk)
            out.write(chunk)
    sha256 = digest.hexdigest()

    def chunks():
        with open(path, "rb") as source:
            while chunk := source.read(CHUNK):
                yield chunk

    store.save(sha256, chunks())
    os.unlink(path)
    os.rmdir(folder)
    return sha256


def run():
    folder = tempfile.mkdtemp(prefix="ddcheck-bench-")
    try:
        yield from _run(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # 200 MB of blobs: never left behind


def _run(folder: str):
    from app.content import content
    from app.evidence.storage import storage
    from app.extensions import db
    from app.models import AssessmentStatus, EvidenceFile, EvidenceLink, utcnow
    from tests.conftest import make_test_app
    from tests.factories import make_contractor, make_organisation, make_user, signed_in

    app = make_test_app(
        f"sqlite:///{folder}/bench.sqlite", EVIDENCE_DIR=os.path.join(folder, "evidence")
    )
    with app.app_context():
        db.create_all()
        organisation = make_organisation("Bench Buyer", "buyer")
        user = make_user(organisation, "admin")
        contractor, _token = make_contractor(organisation, user, "Evidence Heavy Ltd")
        assessment = contractor.assessment
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.submitted_at = utcnow()
        keys = [q.key for q in content().get("supplier").questions]
        store = storage()
        for n in range(DOCUMENTS):
            document = EvidenceFile(
                assessment_id=assessment.id,
                sha256=_blob(store, n),
                title=f"Payroll extract {n + 1}",
                filename=f"payroll-{n + 1}.pdf",
                media_type="application/pdf",
                size=DOCUMENT_BYTES,
            )
            db.session.add(document)
            db.session.flush()
            db.session.add(
                EvidenceLink(
                    evidence_id=document.id, assessment_id=assessment.id, question_key=keys[n]
                )
            )
        db.session.commit()
        assessment_id = assessment.id
        client = signed_in(app.test_client(), user)
    url = f"/assessments/{assessment_id}/evidence.zip"

    with app.app_context():
        # Warm up: imports, templates, the first query; then the idle figure.
        client.get(url, buffered=False).close()
        gc.collect()
        idle = _rss_mb()
        started = time.perf_counter()
        response = client.get(url, buffered=False)
        assert response.status_code == 200, response.status_code
        expected = int(response.headers["Content-Length"])
        received, peak, samples = 0, idle, []
        for chunk in response.response:
            received += len(chunk)
            if len(samples) < received // (10 * 1000 * 1000):
                samples.append(_rss_mb() - idle)
            peak = max(peak, _rss_mb())
        response.close()
        elapsed = time.perf_counter() - started
        assert received == expected, (received, expected)
    above = peak - idle
    yield (
        f"{DOCUMENTS} documents, {DOCUMENTS * DOCUMENT_BYTES / 1e6:.0f} MB of evidence: "
        f"ZIP of {received / 1e6:.1f} MB streamed in {elapsed:.2f} s "
        f"({received / 1e6 / elapsed:.0f} MB/s)"
    )
    yield f"memory: idle {idle:.1f} MiB, peak {peak:.1f} MiB, {above:.1f} MiB above idle"
    yield "above idle every 10 MB read: " + " ".join(f"{s:.1f}" for s in samples) + " MiB"
    yield f"goal: flat, under {GOAL_MB} MB above idle: {'met' if above < GOAL_MB else 'MISSED'}"
