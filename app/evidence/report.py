"""An assessment's evidence as the gap report and the evidence ZIP show it: plain data, with
the question numbers the report gives (only the questions shown are numbered)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.evidence.archive import ArchivedDocument
from app.extensions import db
from app.models import Assessment, EvidenceFile
from reports.model import AttachedEvidence, EvidenceDocument


@dataclass(frozen=True)
class ReportEvidence:
    """What `reports.model.build_report` takes: each answer's documents, and the annex."""

    attached: dict[str, tuple[AttachedEvidence, ...]]
    documents: tuple[EvidenceDocument, ...]


def _documents(assessment: Assessment) -> list[EvidenceFile]:
    return list(
        db.session.scalars(
            select(EvidenceFile)
            .where(EvidenceFile.assessment_id == assessment.id)
            .options(selectinload(EvidenceFile.links))
            .order_by(EvidenceFile.id)
        )
    )


def report_evidence(assessment: Assessment) -> ReportEvidence | None:
    """The assessment's evidence for its gap report; None when it has none (the report is
    then exactly the one without evidence)."""
    files = _documents(assessment)
    if not files:
        return None
    attached: dict[str, list[tuple]] = {}
    for file in files:
        for link in file.links:
            check = link.check.value if link.check is not None else None
            attached.setdefault(link.question_key, []).append(
                (
                    link.linked_at,
                    link.id,
                    AttachedEvidence(str(file.id), file.title, check, link.check_note),
                )
            )
    return ReportEvidence(
        attached={
            key: tuple(item for *_order, item in sorted(items, key=lambda i: (i[0], i[1])))
            for key, items in attached.items()
        },
        documents=tuple(
            EvidenceDocument(
                key=str(file.id),
                title=file.title,
                document_date=file.document_date,
                media_type=file.media_type,
                size=file.size,
                sha256=file.sha256,
            )
            for file in files
        ),
    )


def archived_documents(
    assessment: Assessment, numbers: dict[str, str]
) -> Sequence[ArchivedDocument]:
    """The assessment's documents for its ZIP, each with the numbers (`numbers`, by question
    key, as the report gives them) of the shown questions it backs; in the order of the first
    question each backs, then by title."""
    files = _documents(assessment)
    order = {key: index for index, key in enumerate(numbers)}
    documents = []
    for file in files:
        keys = sorted({link.question_key for link in file.links if link.question_key in numbers})
        keys.sort(key=order.__getitem__)
        documents.append(
            (
                order[keys[0]] if keys else len(order),
                file.title.casefold(),
                file.id,
                ArchivedDocument(
                    title=file.title,
                    document_date=file.document_date,
                    filename=file.filename,
                    media_type=file.media_type,
                    size=file.size,
                    sha256=file.sha256,
                    questions=tuple(f"{numbers[key]} {key}" for key in keys),
                ),
            )
        )
    documents.sort(key=lambda item: item[:3])
    return [item[3] for item in documents]
