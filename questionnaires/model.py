"""The questionnaire file format as a schema (pydantic), and the loaded, immutable questionnaire.

The schema checks each item on its own (types, required fields, unknown keys, ranges);
`questionnaires.loader` adds the checks that look across items (references, duplicates) and
then calls `Questionnaire.prepare`, which resolves the answer scales and builds the look-up
tables the scoring uses. Everything is frozen: a loaded questionnaire never changes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    field_validator,
    model_validator,
)

SINGLE_CHOICE_TYPES = frozenset({"maturity", "yes-partly-no", "choice"})
CHOICE_TYPES = SINGLE_CHOICE_TYPES | {"multiple"}

Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80, strict=True)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Prose = Annotated[str, StringConstraints(strip_whitespace=True)]
Weight = Annotated[float, Field(gt=0)]
Percent = Annotated[float, Field(ge=0, le=100)]

QUOTE_YES_NO = 'write "yes" and "no" in quotes: unquoted, YAML reads them as true and false'

DONT_KNOW = "dont-know"  # the value of the automatic "we don't know" option
DEFAULT_DONT_KNOW_LABEL = "We don't know / no data"

# Fields added after version 1.0 of the file format, left out of the content hash while they
# hold their defaults, so that a questionnaire that uses none of them keeps its stored identity.
_LATER_FIELDS = {
    "questionnaire": {
        "red_flag_cap": None,
        "dont_know_label": DEFAULT_DONT_KNOW_LABEL,
        "basis": [],
    },
    "question": {
        "dont_know": False,
        "dont_know_action": None,
        "ask_basis": False,
        "na_if": None,
        "primary_resources": [],
        "evidence": None,
        "evidence_hint": None,
    },
    "option": {"exclusive": False},
    "basis": {"needs_evidence": False},
}


def _option_value(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(QUOTE_YES_NO)
    if isinstance(value, int | float):
        return str(value)
    return value


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Option(_Item):
    """One answer a person can choose, with the points it earns."""

    value: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    label: Text
    score: Annotated[float, Field(ge=0)]
    exclusive: bool = False  # on a `multiple` question: cannot be ticked with another option

    _check_value = field_validator("value", mode="before")(_option_value)


class BasisLevel(_Item):
    """One answer to "how do you know?"; `counts_one_lower` marks a basis too weak for the top,
    `needs_evidence` one that counts in full only with at least one document attached."""

    value: Key
    label: Text
    counts_one_lower: bool = False
    needs_evidence: bool = False


class Band(_Item):
    """A maturity band: scores from `min` up to the next band's `min` read as `label`."""

    min: Percent
    label: Text
    description: Prose = ""


class NumberBand(_Item):
    """For a number question: a number at or above `min` earns `score`."""

    min: float
    score: Annotated[float, Field(ge=0)]


class Critical(_Item):
    """An answer scoring below `threshold` (0-100) is a red flag, whatever the totals say."""

    threshold: Annotated[float, Field(gt=0, le=100)]
    red_flag: Text


class Condition(_Item):
    """Show a question only when an earlier question was answered with one of `any_of`."""

    question: Key
    any_of: Annotated[tuple[str, ...], Field(min_length=1)]

    @field_validator("any_of", mode="before")
    @classmethod
    def _values(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return [_option_value(v) for v in value]
        return value


class NaIf(Condition):
    """Not applicable, with `reason`, when an earlier (gating) question got one of `any_of`."""

    reason: Text


class Theme(_Item):
    """A theme of due diligence (recruitment fees, remedy, ...) that groups questions."""

    key: Key
    title: Text
    description: Prose = ""
    weight: Weight = 1.0


class PrimaryResource(_Item):
    """A catalogue resource picked by hand for a question, and why it helps close the gap."""

    resource: Key
    why: Text


class Question(_Item):
    """One question: what is asked, where it comes from, and how its answer is scored."""

    key: Key
    theme: Key
    text: Text
    help: Prose = ""
    source: Text
    type: Literal["maturity", "yes-partly-no", "choice", "multiple", "number", "text"]
    scale: Key | None = None
    options: tuple[Option, ...] | None = None
    max_score: Annotated[float, Field(gt=0)] | None = None
    bands: tuple[NumberBand, ...] | None = None
    unit: Prose | None = None
    min: float | None = None
    max: float | None = None
    weight: Weight = 1.0
    target: Percent | None = None
    critical: Critical | None = None
    allow_na: bool = False
    action: Prose | None = None
    tags: Annotated[tuple[Key, ...], Field(min_length=1)]
    # The one or two resources that best help close this question's gap, best first.
    primary_resources: Annotated[tuple[PrimaryResource, ...], Field(max_length=2)] = ()
    show_if: Condition | None = None
    na_if: NaIf | None = None
    dont_know: bool = False
    dont_know_action: Prose | None = None
    ask_basis: bool = False
    # Whether documents are asked for: suggested, or required before the answers can be
    # submitted; the hint says what kind of document helps.
    evidence: Literal["suggested", "required"] | None = None
    evidence_hint: Text | None = None

    # Set by Questionnaire.prepare: the answer options (from the scale where none are given),
    # the highest score an answer can earn, and the target in effect.
    _choices: tuple[Option, ...] = PrivateAttr(default=())
    _by_value: dict[str, Option] = PrivateAttr(default_factory=dict)
    _max_points: float = PrivateAttr(default=0.0)
    _target: float = PrivateAttr(default=75.0)
    _basis: tuple[BasisLevel, ...] = PrivateAttr(default=())

    @model_validator(mode="after")
    def _fits_its_type(self) -> Question:
        kind = self.type
        if kind in ("choice", "multiple") and not self.options:
            raise ValueError(f"a '{kind}' question needs its own options")
        if kind in ("number", "text") and self.options:
            raise ValueError(f"a '{kind}' question has no options")
        if kind in ("choice", "multiple") and self.scale:
            raise ValueError(f"a '{kind}' question has its own options, not a scale")
        if kind == "number" and not self.bands:
            raise ValueError("a 'number' question needs score bands")
        if kind != "number" and self.bands:
            raise ValueError("only a 'number' question has score bands")
        if kind != "multiple" and self.max_score is not None:
            raise ValueError("only a 'multiple' question has max_score")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is larger than max")
        if self.options:
            values = [o.value for o in self.options]
            twice = sorted({v for v in values if values.count(v) > 1})
            if twice:
                raise ValueError(f"the option value {', '.join(twice)} is given twice")
            if max(o.score for o in self.options) <= 0:
                raise ValueError("no option scores more than 0")
        if self.options and kind != "multiple" and any(o.exclusive for o in self.options):
            raise ValueError("only an option of a 'multiple' question can be exclusive")
        if self.dont_know and kind not in SINGLE_CHOICE_TYPES:
            raise ValueError(
                "dont_know is only for single-choice questions (maturity, yes-partly-no, choice)"
            )
        if self.ask_basis and kind not in SINGLE_CHOICE_TYPES:
            raise ValueError(
                "ask_basis is only for single-choice questions (maturity, yes-partly-no, choice)"
            )
        if self.dont_know and not (self.dont_know_action and self.dont_know_action.strip()):
            raise ValueError("a question with dont_know needs a dont_know_action (how to find out)")
        if not self.dont_know and self.dont_know_action is not None:
            raise ValueError("dont_know_action is only for a question with dont_know: true")
        if self.options and self.dont_know and any(o.value == DONT_KNOW for o in self.options):
            raise ValueError(
                f"the option value '{DONT_KNOW}' is added by dont_know; do not list it"
            )
        if self.evidence_hint is not None and self.evidence is None:
            raise ValueError("evidence_hint is only for a question that asks for evidence")
        picked = [p.resource for p in self.primary_resources]
        if len(set(picked)) != len(picked):
            raise ValueError("a primary resource is named twice")
        if self.bands and max(b.score for b in self.bands) <= 0:
            raise ValueError("no band scores more than 0")
        if kind == "text":
            if self.critical is not None:
                raise ValueError("a 'text' question is never scored, so it cannot be critical")
            if self.target is not None:
                raise ValueError("a 'text' question is never scored, so it has no target")
        elif not (self.action and self.action.strip()):
            raise ValueError("a scored question needs an action (what to do when below target)")
        return self

    @property
    def scored(self) -> bool:
        """Whether answers to it earn a score (every type but free text)."""
        return self.type != "text"

    @property
    def choices(self) -> tuple[Option, ...]:
        """The options a person chooses from (a scale's levels, or the question's own)."""
        return self._choices

    def option(self, value: str) -> Option | None:
        return self._by_value.get(value)

    @property
    def max_points(self) -> float:
        return self._max_points

    @property
    def basis_levels(self) -> tuple[BasisLevel, ...]:
        """The answers to "how do you know?" for this question; empty unless it asks."""
        return self._basis

    def basis_level(self, value: str | None) -> BasisLevel | None:
        """The basis level with this value, or None."""
        return next((level for level in self._basis if level.value == value), None)

    @property
    def effective_target(self) -> float:
        """The score (0-100) that counts as good enough: its own, or the questionnaire's."""
        return self._target


class ScoringPlan:
    """What scoring needs of one question, as plain attributes.

    Scoring runs on every autosave; reading these is several times faster than reading the
    private attributes of the frozen schema models.
    """

    __slots__ = (
        "allow_na",
        "ask_basis",
        "bands",
        "condition",
        "dont_know",
        "evidence_bases",
        "exclusive",
        "gate",
        "good_bases",
        "key",
        "kind",
        "lower_points",
        "maximum",
        "minimum",
        "points",
        "question",
        "red_flag",
        "scored",
        "theme",
        "threshold",
        "top",
        "weight",
    )

    def __init__(self, question: Question):
        self.question = question
        self.key = question.key
        self.theme = question.theme
        self.kind = question.type
        self.scored = question.type != "text"
        self.allow_na = question.allow_na
        self.dont_know = question.dont_know
        self.ask_basis = question.ask_basis
        self.exclusive = frozenset(o.value for o in question.choices if o.exclusive)
        self.weight = question.weight
        self.points = {o.value: o.score for o in question.choices}
        self.top = question.max_points
        self.bands = tuple((b.min, b.score) for b in question.bands or ())
        self.minimum = question.min
        self.maximum = question.max
        critical = question.critical
        self.threshold = critical.threshold if critical is not None else None
        self.red_flag = critical.red_flag if critical is not None else None
        condition = question.show_if
        self.condition = (
            (condition.question, frozenset(condition.any_of)) if condition is not None else None
        )
        gate = question.na_if
        self.gate = (gate.question, frozenset(gate.any_of), gate.reason) if gate else None
        # Bases strong enough for the top of the scale, and the score a top answer on a weaker
        # basis earns instead: the highest option score below the top.
        self.good_bases = frozenset(
            level.value for level in question.basis_levels if not level.counts_one_lower
        )
        # Bases that count in full only with a document attached to the answer.
        self.evidence_bases = frozenset(
            level.value for level in question.basis_levels if level.needs_evidence
        )
        below = [o.score for o in question.choices if o.score < self.top]
        self.lower_points = max(below) if below else self.top


def _default_bands() -> tuple[Band, ...]:
    return (
        Band(
            min=0,
            label="Beginning",
            description="Little is in place yet: start with the red flags and the top gaps.",
        ),
        Band(
            min=25,
            label="Developing",
            description="Some measures exist, but they are not yet written down or applied "
            "consistently.",
        ),
        Band(
            min=50,
            label="Established",
            description="Measures are defined and applied; check how far they reach and "
            "whether they work.",
        ),
        Band(
            min=75,
            label="Leading",
            description="Measures are applied widely, checked and improved: keep verifying "
            "and share what works.",
        ),
    )


class Questionnaire(_Item):
    """A questionnaire as written in its file. Call `prepare()` before scoring with it."""

    key: Key
    version: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    title: Text
    audience: Literal["buyer", "supplier", "workshop"]
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")]
    description: Text
    case: Prose | None = None
    default_target: Percent = 75.0
    scales: dict[Key, Annotated[tuple[Option, ...], Field(min_length=2)]] = Field(
        default_factory=dict
    )
    bands: Annotated[tuple[Band, ...], Field(min_length=1)] = Field(default_factory=_default_bands)
    red_flag_cap: Text | None = None
    dont_know_label: Text = DEFAULT_DONT_KNOW_LABEL
    basis: tuple[BasisLevel, ...] = ()
    themes: Annotated[tuple[Theme, ...], Field(min_length=1)]
    questions: Annotated[tuple[Question, ...], Field(min_length=1)]

    _plan: tuple[ScoringPlan, ...] = PrivateAttr(default=())
    _questions: dict[str, Question] = PrivateAttr(default_factory=dict)
    _themes: dict[str, Theme] = PrivateAttr(default_factory=dict)
    _by_theme: dict[str, tuple[Question, ...]] = PrivateAttr(default_factory=dict)
    _hash: str = PrivateAttr(default="")

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        return (
            str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
        )

    @field_validator("bands")
    @classmethod
    def _bands_in_order(cls, bands: tuple[Band, ...]) -> tuple[Band, ...]:
        if bands[0].min != 0:
            raise ValueError("the first band must start at 0")
        mins = [b.min for b in bands]
        if mins != sorted(set(mins)):
            raise ValueError("bands must be listed from the lowest min to the highest")
        return bands

    def prepare(self) -> Questionnaire:
        """Resolve scales and build the look-up tables; the loader calls it after its checks."""
        for question in self.questions:
            if question.options:
                choices = question.options
            elif question.type in SINGLE_CHOICE_TYPES:
                choices = self.scales[question.scale or question.type]
            else:
                choices = ()
            if question.dont_know:
                choices = (
                    *choices,
                    Option(value=DONT_KNOW, label=self.dont_know_label, score=0),
                )
            question._choices = choices
            question._basis = self.basis if question.ask_basis else ()
            question._by_value = {o.value: o for o in choices}
            if question.type == "multiple":
                question._max_points = question.max_score or sum(
                    o.score for o in choices if o.score > 0
                )
            elif question.type == "number":
                question._max_points = max(b.score for b in question.bands or ())
            elif choices:
                question._max_points = max(o.score for o in choices)
            question._target = (
                question.target if question.target is not None else self.default_target
            )
        self._plan = tuple(ScoringPlan(q) for q in self.questions)
        self._questions = {q.key: q for q in self.questions}
        self._themes = {t.key: t for t in self.themes}
        self._by_theme = {
            t.key: tuple(q for q in self.questions if q.theme == t.key) for t in self.themes
        }
        self._hash = hash_snapshot(self.snapshot())
        return self

    @property
    def scoring_plan(self) -> tuple[ScoringPlan, ...]:
        """What scoring needs of each question, in plain attributes (see ScoringPlan)."""
        return self._plan

    @property
    def content_hash(self) -> str:
        """SHA-256 of the questionnaire's canonical content: with the version, its identity."""
        return self._hash

    def snapshot(self) -> dict[str, Any]:
        """The questionnaire as plain JSON-ready data, from which it can be rebuilt exactly."""
        return self.model_dump(mode="json")

    @property
    def cap_band(self) -> Band:
        """The highest band an assessment can reach while a red flag stands."""
        if self.red_flag_cap is not None:
            for band in self.bands:
                if band.label == self.red_flag_cap:
                    return band
        return self.bands[1] if len(self.bands) > 1 else self.bands[0]

    def band_top(self, band: Band) -> float:
        """The highest score shown in a band: the next band's min minus one (100 for the last)."""
        later = [b.min for b in self.bands if b.min > band.min]
        return max(band.min, min(later) - 1) if later else 100.0

    def question(self, key: str) -> Question:
        """The question with this key (KeyError if there is none)."""
        return self._questions[key]

    def has_question(self, key: str) -> bool:
        return key in self._questions

    def theme(self, key: str) -> Theme:
        return self._themes[key]

    def has_theme(self, key: str) -> bool:
        return key in self._themes

    def questions_in(self, theme_key: str) -> tuple[Question, ...]:
        """The questions of a theme, in questionnaire order."""
        return self._by_theme.get(theme_key, ())

    def options_for(self, question: Question) -> tuple[Option, ...]:
        """The options of a choice question (its scale's levels, or its own)."""
        return question.choices

    @property
    def critical_count(self) -> int:
        return sum(1 for q in self.questions if q.critical is not None)

    def band_for(self, score: float | None) -> Band | None:
        """The maturity band a score falls in; None for no score."""
        if score is None:
            return None
        found = self.bands[0]
        for band in self.bands:
            if score >= band.min:
                found = band
        return found


def _without(item: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if not (k in defaults and v == defaults[k])}


def hash_snapshot(data: dict[str, Any]) -> str:
    """SHA-256 of a questionnaire snapshot's canonical content (`Questionnaire.content_hash`)."""
    canonical = json.dumps(_identity(data), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _identity(data: dict[str, Any]) -> dict[str, Any]:
    """The snapshot without later fields at their defaults (see _LATER_FIELDS)."""

    def options(items: Any) -> Any:
        if not isinstance(items, list):
            return items
        return [_without(o, _LATER_FIELDS["option"]) for o in items]

    result = _without(data, _LATER_FIELDS["questionnaire"])
    if data.get("basis") and isinstance(data["basis"], list):
        result["basis"] = [_without(level, _LATER_FIELDS["basis"]) for level in data["basis"]]
    result["scales"] = {name: options(items) for name, items in data.get("scales", {}).items()}
    result["questions"] = [
        {**_without(q, _LATER_FIELDS["question"]), "options": options(q.get("options"))}
        for q in data.get("questions", [])
    ]
    return result
