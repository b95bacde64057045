"""The database models. Importing this package registers every table with the metadata."""

from app.models.action_plan import RESPONSE_LABELS, ActionItem, ActionResponse
from app.models.assessment import (
    STATUS_LABELS,
    Answer,
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    AuditEntry,
    QuestionnaireVersion,
)
from app.models.colleague_event import ColleagueEvent
from app.models.colleague_invitation import ColleagueInvitation
from app.models.contractor import (
    CONTRACTOR_STATUS_LABELS,
    VERDICT_LABELS,
    ContractorAssessment,
    ContractorInvitation,
    ContractorStatus,
    ReviewNote,
    ReviewStatus,
    Verdict,
)
from app.models.evidence import (
    EVIDENCE_CHECK_LABELS,
    EvidenceCheck,
    EvidenceFile,
    EvidenceLink,
)
from app.models.handover import Handover
from app.models.organisation import ORGANISATION_KIND_LABELS, Organisation, OrganisationKind
from app.models.types import UTCDateTime, utc_today, utcnow
from app.models.user import ROLE_LABELS, Role, User
from app.models.workshop import Workshop, WorkshopTeam

__all__ = [
    "CONTRACTOR_STATUS_LABELS",
    "EVIDENCE_CHECK_LABELS",
    "ORGANISATION_KIND_LABELS",
    "RESPONSE_LABELS",
    "ROLE_LABELS",
    "STATUS_LABELS",
    "VERDICT_LABELS",
    "ActionItem",
    "ActionResponse",
    "Answer",
    "Assessment",
    "AssessmentKind",
    "AssessmentStatus",
    "AuditEntry",
    "ColleagueEvent",
    "ColleagueInvitation",
    "ContractorAssessment",
    "ContractorInvitation",
    "ContractorStatus",
    "EvidenceCheck",
    "EvidenceFile",
    "EvidenceLink",
    "Handover",
    "Organisation",
    "OrganisationKind",
    "QuestionnaireVersion",
    "ReviewNote",
    "ReviewStatus",
    "Role",
    "UTCDateTime",
    "User",
    "Verdict",
    "Workshop",
    "WorkshopTeam",
    "utc_today",
    "utcnow",
]
