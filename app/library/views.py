"""Library pages: the catalogue with search and filters, and a page per resource."""

from __future__ import annotations

from babel import Locale
from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from app.content import content
from app.i18n import interface_language
from app.library import bp
from app.library.forms import LibrarySearchForm
from app.library.search import (
    LibraryQuery,
    picked_for,
    questions_helped,
    search_resources,
    theme_tags,
)

TYPE_LABELS = {
    "law-or-policy": _l("Law or policy"),
    "guidance": _l("Guidance"),
    "tool": _l("Tool"),
    "report": _l("Report"),
    "standard": _l("Standard"),
    "training": _l("Training"),
}
AUDIENCE_LABELS = {
    "buyer": _l("Public buyers"),
    "supplier": _l("Companies and suppliers"),
    "workshop": _l("Workshop facilitators"),
}


def tag_label(tag: str) -> str:
    return tag.replace("-", " ").capitalize()


def language_label(code: str) -> str:
    try:
        return Locale.parse(code.replace("-", "_")).display_name or code
    except (ValueError, TypeError):
        return code


def _label_key(label: str) -> str:
    return " ".join(label.casefold().split())


def _theme_topics() -> dict[str, tuple[str, frozenset[str]]]:
    """One topic per theme title, across questionnaires: value -> (title, the tags it covers).

    Several questionnaires share a theme title ("Recruitment fees and fair recruitment"); the
    filter lists it once and finds what any of those themes' questions are about.
    """
    topics: dict[str, tuple[str, frozenset[str]]] = {}
    for questionnaire in sorted(content().questionnaires.values(), key=lambda q: q.title):
        for theme in questionnaire.themes:
            value = "theme:" + "-".join(_label_key(theme.title).split())
            _title, tags = topics.get(value, (theme.title, frozenset()))
            topics[value] = (theme.title, tags | theme_tags(questionnaire, theme.key))
    return topics


def _topic_choices(catalogue_tags: set[str]) -> list[SelectChoice]:
    """Themes, then topic tags, each label once (a tag named like a theme is left out)."""
    choices = [SelectChoice("", _("Any theme or topic"))]
    seen: set[str] = set()
    for value, (title, _tags) in sorted(_theme_topics().items(), key=lambda i: i[1][0]):
        seen.add(_label_key(title))
        choices.append(SelectChoice(value, title, optgroup=_("Themes")))
    for tag in sorted(catalogue_tags):
        label = tag_label(tag)
        if _label_key(label) in seen:
            continue
        seen.add(_label_key(label))
        choices.append(SelectChoice(f"tag:{tag}", label, optgroup=_("Topics")))
    return choices


def _tags_for_topic(topic: str) -> frozenset[str]:
    kind, _sep, rest = topic.partition(":")
    if kind == "tag" and rest:
        return frozenset([rest])
    if kind == "theme":
        found = _theme_topics().get(topic)
        if found is not None:
            return found[1]
        # An older link naming one questionnaire's theme: theme:<questionnaire>:<theme>.
        questionnaire_key, _sep, theme_key = rest.partition(":")
        questionnaire = content().get(questionnaire_key)
        if questionnaire is not None and questionnaire.has_theme(theme_key):
            return theme_tags(questionnaire, theme_key)
    return frozenset()


def _search_form(resources) -> LibrarySearchForm:
    """The search form, its filters offering what the catalogue's resources have."""
    form = LibrarySearchForm(request.args)
    form.topic.choices = _topic_choices({tag for r in resources for tag in r.tags})
    form.type.choices = [SelectChoice("", _("Any type"))] + [
        SelectChoice(key, label) for key, label in TYPE_LABELS.items()
    ]
    form.organisation.choices = [SelectChoice("", _("Any organisation"))] + [
        SelectChoice(name, name) for name in sorted({r.organisation for r in resources})
    ]
    form.language.choices = [SelectChoice("", _("Any language"))] + [
        SelectChoice(code, language_label(code))
        for code in sorted({code for r in resources for code in r.languages})
    ]
    form.audience.choices = [SelectChoice("", _("Anyone"))] + [
        SelectChoice(key, label) for key, label in AUDIENCE_LABELS.items()
    ]
    return form


@bp.route("/")
def index():
    # Titles and summaries in the reader's language, each with the address of their edition.
    resources = content().resources_in(interface_language())
    form = _search_form(resources)
    query = LibraryQuery(
        text=(form.q.data or "")[:200],
        tags=_tags_for_topic(form.topic.data or ""),
        type=form.type.data or "",
        organisation=form.organisation.data or "",
        language=form.language.data or "",
        audience=form.audience.data or "",
    )
    unknown_topic = bool(form.topic.data) and not query.tags
    found = [] if unknown_topic else search_resources(resources, query)
    return render_template(
        "library/index.html",
        form=form,
        resources=found,
        linked=[r for r in found if not r.general_reading],
        general_reading=[r for r in found if r.general_reading],
        total=len(resources),
        filtered=any(request.args.get(name) for name in request.args),
        type_labels=TYPE_LABELS,
        tag_label=tag_label,
        language_label=language_label,
    )


@bp.route("/<key>")
def resource(key: str):
    found = content().catalogue.get(key)
    if found is None:
        abort(404)
    item = content().read(found, interface_language())
    return render_template(
        "library/resource.html",
        resource=item,
        type_labels=TYPE_LABELS,
        audience_labels=AUDIENCE_LABELS,
        language_label=language_label,
        tag_label=tag_label,
        helped=questions_helped(item, content().questionnaires),
        picked=picked_for(item, content().questionnaires),
    )
