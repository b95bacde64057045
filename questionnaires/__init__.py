"""The engine: questionnaires and the resource catalogue as validated data, scoring and gaps.

Nothing here imports Flask or the database; the web pages, the reports and the command line
all call these same functions.
"""

from questionnaires.catalogue import Catalogue, Edition, Resource, Version, load_catalogue
from questionnaires.errors import ContentError, Problem
from questionnaires.gaps import BELOW_TARGET, NO_INFORMATION, RED_FLAG, Gap, find_gaps
from questionnaires.loader import (
    SHIPPED_DIR,
    CheckReport,
    ContentFolder,
    check_paths,
    load_content,
    load_directory,
    load_questionnaire,
    parse_questionnaire,
    questionnaire_from_snapshot,
)
from questionnaires.matching import (
    LEGAL_BASIS,
    PRACTICE,
    Match,
    make_matcher,
    match_resources,
    resource_need,
)
from questionnaires.model import (
    DONT_KNOW,
    Band,
    BasisLevel,
    Option,
    Question,
    Questionnaire,
    Theme,
    hash_snapshot,
)
from questionnaires.resource_texts import (
    CatalogueTranslation,
    Reading,
    load_catalogue_translation,
    read_resource,
)
from questionnaires.samples import sample_answers
from questionnaires.scoring import (
    Answer,
    Progress,
    QuestionResult,
    RedFlag,
    Scorecard,
    ThemeResult,
    na_reason_problem,
    progress,
    question_score,
    score,
    validate_answer,
)

__all__ = [
    "BELOW_TARGET",
    "DONT_KNOW",
    "LEGAL_BASIS",
    "NO_INFORMATION",
    "PRACTICE",
    "RED_FLAG",
    "SHIPPED_DIR",
    "Answer",
    "Band",
    "BasisLevel",
    "Catalogue",
    "CatalogueTranslation",
    "CheckReport",
    "ContentError",
    "ContentFolder",
    "Edition",
    "Gap",
    "Match",
    "Option",
    "Problem",
    "Progress",
    "Question",
    "QuestionResult",
    "Questionnaire",
    "Reading",
    "RedFlag",
    "Resource",
    "Scorecard",
    "Theme",
    "ThemeResult",
    "Version",
    "check_paths",
    "find_gaps",
    "hash_snapshot",
    "load_catalogue",
    "load_catalogue_translation",
    "load_content",
    "load_directory",
    "load_questionnaire",
    "make_matcher",
    "match_resources",
    "na_reason_problem",
    "parse_questionnaire",
    "progress",
    "question_score",
    "questionnaire_from_snapshot",
    "read_resource",
    "resource_need",
    "sample_answers",
    "score",
    "validate_answer",
]
