"""The gap report as data: everything the report shows, built from a scorecard and its gaps.

Pure code: no Flask, no database. The web layer, the command line and the benchmark build a
`Report` with `build_report` and hand it to `reports.render`, which turns it into HTML (the
preview page) and PDF. The model holds no translated words: the template says everything in
the reader's language; the model holds the questionnaire's own words and the numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial

import questionnaires as engine
from questionnaires.matching import Matcher

DRAFT = "draft"
SUBMITTED = "submitted"
# How many gaps the summary lists as the top priority actions.
PRIORITY_COUNT = 5


@dataclass(frozen=True)
class BandInfo:
    """A maturity band: scores from `low` up to (not including) `high` read as `label`."""

    label: str
    description: str
    low: float
    high: float | None  # None for the top band


@dataclass(frozen=True)
class ResourceLink:
    """A resource of the catalogue as the report cites it."""

    key: str
    title: str
    organisation: str
    type: str
    year: int | None
    url: str | None
    why: str | None = None  # for a question's primary resource: why it helps close this gap
    summary: str | None = None  # in the report's language where translated
    # The language `url` opens in, where it is not the report's ("in English").
    other_language: str | None = None

    @property
    def anchor(self) -> str:
        return f"resource-{self.key}"


@dataclass(frozen=True)
class GapItem:
    """A gap: a question below its target (or without an answer), what to do, what helps."""

    kind: str  # red-flag, below-target or no-information
    rank: int  # 1 for the most severe gap of the report
    question_key: str
    question_number: str
    question_text: str
    theme_key: str
    theme_title: str
    score: float | None
    target: float
    red_flag: str | None
    action: str
    resources: tuple[ResourceLink, ...]
    dont_know: bool = False  # answered "we don't know": the action says how to find out
    basis: str | None = None  # how the answer is known, in the questionnaire's words

    @property
    def anchor(self) -> str:
        return f"gap-{self.question_key}"

    @property
    def is_red_flag(self) -> bool:
        return self.kind == engine.RED_FLAG

    @property
    def is_no_information(self) -> bool:
        return self.kind == engine.NO_INFORMATION


@dataclass(frozen=True)
class AnswerShown:
    """An answer in words: chosen option labels, a number with its unit, text, or N/A."""

    state: str  # answered, not-applicable or unanswered
    choices: tuple[str, ...] = ()
    number: float | None = None
    unit: str | None = None
    text: str | None = None
    na_reason: str | None = None
    comment: str | None = None
    basis: str | None = None  # how the answer is known, in the questionnaire's words
    downgraded: bool = False  # a top answer scored one level lower for its basis

    @property
    def answered(self) -> bool:
        return self.state == "answered"

    @property
    def not_applicable(self) -> bool:
        return self.state == "not-applicable"


# The buyer's check of an answer's evidence (app.models.EvidenceCheck's values).
EVIDENCE_CHECKED = "checked"
EVIDENCE_NOT_SUPPORTING = "not-supporting"


@dataclass(frozen=True)
class EvidenceDocument:
    """One document of the assessment's evidence, as the annex lists it."""

    key: str  # the document's id: unique within the report, names its anchor
    title: str
    document_date: date | None
    media_type: str
    size: int  # bytes
    sha256: str
    # The numbers of the questions it backs, in report order (filled in by `build_report`).
    questions: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        return f"evidence-{self.key}"


@dataclass(frozen=True)
class AttachedEvidence:
    """One document attached to one answer, with the buyer's check of it, if any."""

    document_key: str
    title: str
    check: str | None = None  # checked, not-supporting, or None (not checked)
    note: str | None = None  # why it does not support the answer

    @property
    def anchor(self) -> str:
        return f"evidence-{self.document_key}"

    @property
    def checked(self) -> bool:
        return self.check == EVIDENCE_CHECKED

    @property
    def not_supporting(self) -> bool:
        return self.check == EVIDENCE_NOT_SUPPORTING


@dataclass(frozen=True)
class QuestionItem:
    """One visible question of a theme with its answer, score and (if any) gap."""

    key: str
    number: str
    text: str
    source: str
    scored: bool
    critical: bool
    score: float | None
    target: float | None
    answer: AnswerShown
    gap: GapItem | None
    evidence: tuple[AttachedEvidence, ...] = ()

    @property
    def anchor(self) -> str:
        return f"question-{self.key}"

    @property
    def evidence_notes(self) -> tuple[str, ...]:
        """The buyer's notes on evidence that does not support the answer, each once."""
        notes = (e.note for e in self.evidence if e.not_supporting and e.note)
        return tuple(dict.fromkeys(notes))


@dataclass(frozen=True)
class ThemeSection:
    """A theme: its score and band, its questions, and the change since the last time."""

    key: str
    number: int
    title: str
    description: str
    weight: float
    score: float | None
    band: BandInfo | None
    answered: int
    applicable: int
    previous_score: float | None
    questions: tuple[QuestionItem, ...]
    capped: bool = False  # held at the red-flag cap (score is the held score)
    score_uncapped: float | None = None

    @property
    def anchor(self) -> str:
        return f"theme-{self.key}"

    @property
    def change(self) -> float | None:
        if self.score is None or self.previous_score is None:
            return None
        return self.score - self.previous_score

    @property
    def gaps(self) -> tuple[GapItem, ...]:
        return tuple(q.gap for q in self.questions if q.gap is not None)


@dataclass(frozen=True)
class ResourceGroup:
    """The resources the report links to, listed under the first theme that cites them."""

    theme_key: str
    theme_title: str
    resources: tuple[ResourceLink, ...]


@dataclass(frozen=True)
class SourceLine:
    """Where one question comes from, for the methodology section."""

    question_key: str
    number: str
    source: str


@dataclass(frozen=True)
class Comparison:
    """The previous submitted assessment of the same subject, in numbers."""

    submitted_on: date | None
    overall: float | None
    completeness: float | None

    def change(self, current: float | None) -> float | None:
        if current is None or self.overall is None:
            return None
        return current - self.overall


@dataclass(frozen=True)
class ReportedNote:
    """The reviewer's mark on one answer: accepted or needs clarification, with a comment."""

    question_key: str
    verdict: str  # accepted or clarify
    comment: str | None = None

    @property
    def needs_clarification(self) -> bool:
        return self.verdict == "clarify"


@dataclass(frozen=True)
class Review:
    """A reviewer's note on the answers (a buyer reviewing a contractor's assessment)."""

    reviewer: str
    reviewed_on: date | None
    note: str
    status: str = "in-review"  # in-review, returned or reviewed
    notes: tuple[ReportedNote, ...] = ()

    def note_for(self, question_key: str) -> ReportedNote | None:
        """The mark on one question's answer, if the reviewer made one."""
        return next((n for n in self.notes if n.question_key == question_key), None)


@dataclass(frozen=True)
class PlanLine:
    """The organisation's response to one gap, for the action-plan section."""

    question_key: str
    question_number: str
    question_text: str
    kind: str  # of the gap: red-flag, below-target or no-information
    response: str | None  # accepted, in-progress, declined; None before any response
    action: str | None
    decline_reason: str | None
    owner: str | None
    due_on: date | None
    done_on: date | None
    done_note: str | None
    overdue: bool

    @property
    def gap_anchor(self) -> str:
        return f"gap-{self.question_key}"


@dataclass(frozen=True)
class Report:
    """Everything one gap report shows. Frozen, so it can be hashed into a cache key."""

    subject: str
    assessing_organisation: str
    period: str | None
    status: str  # draft or submitted
    started_on: date | None
    submitted_on: date | None
    report_date: date
    language: str  # the language the report is written in (its template's words)
    questionnaire_key: str
    questionnaire_title: str
    questionnaire_version: str
    questionnaire_hash: str
    questionnaire_language: str
    default_target: float
    overall: float | None
    band: BandInfo | None
    completeness: float | None
    answered: int
    applicable: int
    red_flags: tuple[GapItem, ...]
    priorities: tuple[GapItem, ...]
    gap_count: int  # red flags and gaps below target
    no_information_count: int
    themes: tuple[ThemeSection, ...]
    resource_groups: tuple[ResourceGroup, ...]
    sources: tuple[SourceLine, ...]
    bands: tuple[BandInfo, ...]
    comparison: Comparison | None = None
    review: Review | None = None
    # None: the assessment has no plan (a draft); otherwise one line per gap, in rank order.
    action_plan: tuple[PlanLine, ...] | None = None
    # The red-flag cap: `overall` and `band` are the held verdict; the uncapped mean is shown
    # only in the methodology section.
    overall_uncapped: float | None = None
    capped: bool = False
    cap_band: BandInfo | None = None
    cap_red_flags: int = 0
    cap_unanswered_critical: int = 0
    na_count: int = 0
    # The annex: every document attached to an answer, in the order first cited.
    evidence: tuple[EvidenceDocument, ...] = ()

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT

    @property
    def hash_prefix(self) -> str:
        """The first 12 characters of the questionnaire's content hash, as the cover prints it."""
        return self.questionnaire_hash[:12]

    @property
    def nothing_answered(self) -> bool:
        return self.answered == 0

    @property
    def resources(self) -> tuple[ResourceLink, ...]:
        """Every resource the report links to, once."""
        return tuple(r for group in self.resource_groups for r in group.resources)

    @property
    def gaps(self) -> tuple[GapItem, ...]:
        """Every gap of the report (no-information included), by rank."""
        found = [q.gap for t in self.themes for q in t.questions if q.gap is not None]
        return tuple(sorted(found, key=lambda gap: gap.rank))


def _day(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value


def _bands(questionnaire: engine.Questionnaire) -> tuple[BandInfo, ...]:
    bands = questionnaire.bands
    return tuple(
        BandInfo(
            label=band.label,
            description=band.description,
            low=band.min,
            high=bands[i + 1].min if i + 1 < len(bands) else None,
        )
        for i, band in enumerate(bands)
    )


def _band_info(band: engine.Band | None, bands: Sequence[BandInfo]) -> BandInfo | None:
    if band is None:
        return None
    return next((b for b in bands if b.label == band.label and b.low == band.min), None)


def _resource(
    match: engine.Match, read: Callable[[engine.Resource], engine.Reading]
) -> ResourceLink:
    # The edition in the report's language where there is one, with its title and summary.
    resource = read(match.resource)
    return ResourceLink(
        key=resource.key,
        title=resource.title,
        organisation=resource.organisation,
        type=resource.type,
        year=resource.year,
        url=resource.url,
        why=match.why,
        summary=resource.summary,
        other_language=resource.other_language,
    )


def _answer_shown(question: engine.Question, result: engine.QuestionResult) -> AnswerShown:
    answer = result.answer
    comment = ((answer.comment or "").strip() or None) if answer is not None else None
    if result.na:
        return AnswerShown(state="not-applicable", na_reason=result.na_reason, comment=comment)
    if not result.answered:
        return AnswerShown(state="unanswered", comment=comment)
    value = answer.value
    level = question.basis_level(answer.basis)
    basis = level.label if level is not None else None
    if question.type == "number":
        return AnswerShown(
            state="answered", number=float(value), unit=question.unit, comment=comment
        )
    if question.type == "text":
        return AnswerShown(state="answered", text=value.strip(), comment=comment)
    values = value if isinstance(value, list | tuple) else [value]
    # Options in the questionnaire's order, not the order they were ticked in.
    chosen = set(values)
    labels = tuple(o.label for o in question.choices if o.value in chosen)
    return AnswerShown(
        state="answered",
        choices=labels,
        comment=comment,
        basis=basis,
        downgraded=result.downgraded,
    )


def question_numbers(
    questionnaire: engine.Questionnaire, scorecard: engine.Scorecard
) -> dict[str, str]:
    """Question numbers "theme.question", counting only the questions the report shows."""
    numbers = {}
    for t_index, theme in enumerate(questionnaire.themes, start=1):
        visible = [q for q in questionnaire.questions_in(theme.key) if _shown(scorecard, q)]
        for q_index, question in enumerate(visible, start=1):
            numbers[question.key] = f"{t_index}.{q_index}"
    return numbers


def _shown(scorecard: engine.Scorecard, question: engine.Question) -> bool:
    # A question hidden by an earlier answer was never asked: the report leaves it out.
    return scorecard.questions[question.key].visible


def build_report(
    questionnaire: engine.Questionnaire,
    scorecard: engine.Scorecard,
    gaps: Iterable[engine.Gap],
    *,
    subject: str,
    assessing_organisation: str,
    status: str,
    started: date | datetime | None,
    submitted: date | datetime | None,
    report_date: date | datetime,
    language: str = "en",
    period: str | None = None,
    previous_scorecard: engine.Scorecard | None = None,
    previous_submitted: date | datetime | None = None,
    review: Review | None = None,
    action_plan: Iterable[PlanLine] | None = None,
    read_resource: Callable[[engine.Resource], engine.Reading] | None = None,
    evidence: Mapping[str, Sequence[AttachedEvidence]] | None = None,
    documents: Iterable[EvidenceDocument] = (),
) -> Report:
    """The report of one assessment: its scorecard, its ranked gaps and the previous scorecard.

    `gaps` are `engine.find_gaps(scorecard, match=...)`, in the order it ranks them; the
    resources each gap carries are the ones the report links to. `read_resource` gives a
    resource in the report's language (translated summary, that language's edition); without
    it, the catalogue's own texts are used. `evidence` gives each answer's attached documents by
    question key, and `documents` the documents themselves for the annex.
    """
    evidence = evidence or {}
    if read_resource is None:
        read_resource = partial(engine.read_resource, language=language)
    if status not in (DRAFT, SUBMITTED):
        raise ValueError(f"unknown status {status!r}")
    bands = _bands(questionnaire)
    numbers = question_numbers(questionnaire, scorecard)
    gap_items: dict[str, GapItem] = {}
    for rank, gap in enumerate(gaps, start=1):
        gap_items[gap.question_key] = GapItem(
            kind=gap.kind,
            rank=rank,
            question_key=gap.question_key,
            question_number=numbers.get(gap.question_key, ""),
            question_text=gap.question_text,
            theme_key=gap.theme_key,
            theme_title=gap.theme_title,
            score=gap.score,
            target=gap.target,
            red_flag=gap.red_flag,
            action=gap.action,
            resources=tuple(_resource(m, read_resource) for m in gap.resources),
            dont_know=gap.dont_know,
            basis=gap.basis.label if gap.basis is not None else None,
        )
    ranked = list(gap_items.values())
    answered_gaps = [g for g in ranked if not g.is_no_information]

    previous_themes = previous_scorecard.themes if previous_scorecard is not None else {}
    themes = []
    for t_index, theme in enumerate(questionnaire.themes, start=1):
        result = scorecard.themes[theme.key]
        items = []
        for question in questionnaire.questions_in(theme.key):
            q_result = scorecard.questions[question.key]
            if not q_result.visible:
                continue
            items.append(
                QuestionItem(
                    key=question.key,
                    number=numbers[question.key],
                    text=question.text,
                    source=question.source,
                    scored=question.scored,
                    critical=question.critical is not None,
                    score=q_result.score,
                    target=question.effective_target if question.scored else None,
                    answer=_answer_shown(question, q_result),
                    gap=gap_items.get(question.key),
                    evidence=tuple(evidence.get(question.key, ())),
                )
            )
        before = previous_themes.get(theme.key)
        themes.append(
            ThemeSection(
                key=theme.key,
                number=t_index,
                title=theme.title,
                description=theme.description,
                weight=theme.weight,
                score=result.score,
                band=_band_info(result.band, bands),
                answered=result.answered,
                applicable=result.applicable,
                previous_score=before.score if before is not None else None,
                questions=tuple(items),
                capped=result.capped,
                score_uncapped=result.score_uncapped,
            )
        )

    comparison = None
    if previous_scorecard is not None:
        comparison = Comparison(
            submitted_on=_day(previous_submitted),
            overall=previous_scorecard.overall,
            completeness=previous_scorecard.completeness,
        )

    return Report(
        subject=subject,
        assessing_organisation=assessing_organisation,
        period=period or None,
        status=status,
        started_on=_day(started),
        submitted_on=_day(submitted),
        report_date=_day(report_date),
        language=language,
        questionnaire_key=questionnaire.key,
        questionnaire_title=questionnaire.title,
        questionnaire_version=questionnaire.version,
        questionnaire_hash=questionnaire.content_hash,
        questionnaire_language=questionnaire.language,
        default_target=questionnaire.default_target,
        overall=scorecard.overall,
        band=_band_info(scorecard.band, bands),
        completeness=scorecard.completeness,
        answered=scorecard.answered,
        applicable=scorecard.applicable,
        red_flags=tuple(g for g in ranked if g.is_red_flag),
        priorities=tuple(answered_gaps[:PRIORITY_COUNT]),
        gap_count=len(answered_gaps),
        no_information_count=len(ranked) - len(answered_gaps),
        themes=tuple(themes),
        resource_groups=_resource_groups(themes),
        sources=tuple(
            SourceLine(question_key=q.key, number=q.number, source=q.source)
            for theme in themes
            for q in theme.questions
        ),
        bands=bands,
        comparison=comparison,
        review=review,
        action_plan=_numbered_plan(action_plan, gap_items) if action_plan is not None else None,
        overall_uncapped=scorecard.overall_uncapped,
        capped=scorecard.capped,
        cap_band=_band_info(scorecard.cap_band, bands),
        cap_red_flags=len(scorecard.red_flags),
        cap_unanswered_critical=len(scorecard.unanswered_critical),
        na_count=scorecard.na_count,
        evidence=_annex(documents, themes),
    )


def _annex(
    documents: Iterable[EvidenceDocument], themes: Sequence[ThemeSection]
) -> tuple[EvidenceDocument, ...]:
    """The documents with the numbers of the shown questions they back: those cited first come
    first, in the report's order; documents no shown answer cites come last, by title."""
    cited: dict[str, list[str]] = {}
    for theme in themes:
        for question in theme.questions:
            for attached in question.evidence:
                cited.setdefault(attached.document_key, []).append(question.number)
    order = {key: index for index, key in enumerate(cited)}
    listed = [replace(d, questions=tuple(cited.get(d.key, ()))) for d in documents]
    listed.sort(key=lambda d: (order.get(d.key, len(order)), d.title.casefold(), d.key))
    return tuple(listed)


def _numbered_plan(lines: Iterable[PlanLine], gaps: dict[str, GapItem]) -> tuple[PlanLine, ...]:
    """The plan's lines in the report's gap order, with the report's question numbers."""
    found = [
        replace(line, question_number=gaps[line.question_key].question_number)
        for line in lines
        if line.question_key in gaps
    ]
    return tuple(sorted(found, key=lambda line: gaps[line.question_key].rank))


def _resource_groups(themes: Sequence[ThemeSection]) -> tuple[ResourceGroup, ...]:
    seen: set[str] = set()
    groups = []
    for theme in themes:
        found = {}
        for gap in theme.gaps:
            for resource in gap.resources:
                if resource.key not in seen:
                    seen.add(resource.key)
                    found[resource.key] = resource
        if found:
            listed = sorted(found.values(), key=lambda r: r.title.casefold())
            groups.append(ResourceGroup(theme.key, theme.title, tuple(listed)))
    return tuple(groups)


def sample_report(
    questionnaire: engine.Questionnaire,
    match: Matcher | None,
    *,
    report_date: date,
    seed: int = 0,
    level: float = 0.6,
    red_flags: int = 1,
    unanswered: int = 0,
    status: str = SUBMITTED,
    subject: str = "Sample supplier",
    assessing_organisation: str = "Sample buyer",
    language: str = "en",
) -> Report:
    """A report for generated answers with typical gaps (`engine.sample_answers`).

    What `flask report sample` renders and the benchmark measures: no database involved.
    """
    answers = engine.sample_answers(
        questionnaire, seed=seed, level=level, red_flags=red_flags, unanswered=unanswered
    )
    scorecard = engine.score(questionnaire, answers)
    gaps = engine.find_gaps(scorecard, match=match)
    return build_report(
        questionnaire,
        scorecard,
        gaps,
        subject=subject,
        assessing_organisation=assessing_organisation,
        status=status,
        started=report_date,
        submitted=report_date if status == SUBMITTED else None,
        report_date=report_date,
        language=language,
    )
