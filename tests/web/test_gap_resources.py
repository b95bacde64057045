"""The results page: each gap's hand-picked resource comes first, with why it helps."""

from __future__ import annotations

from app.content import content
from tests import factories


def test_results_list_each_gaps_primary_resource_first_with_why_it_helps(admin_client, admin):
    supplier = content().get("supplier")
    assessment = factories.make_assessment(admin.organisation, admin)
    question = next(
        q
        for q in supplier.questions
        if q.type in ("maturity", "yes-partly-no") and q.show_if is None and q.primary_resources
    )
    factories.answer(
        assessment, question.key, factories.worst_option(supplier, question), user=admin
    )

    page = admin_client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)

    card = page.split(f'id="gap-{question.key}"', 1)[1].split("</article>", 1)[0]
    pick = question.primary_resources[0]
    title = content().catalogue.get(pick.resource).title
    escaped = pick.why.replace("&", "&amp;").replace("'", "&#39;").replace('"', "&#34;")
    first_item = card.split("<li>", 2)[1]
    assert title.replace("&", "&amp;").replace("'", "&#39;") in first_item
    assert f"Why this helps: {escaped}" in first_item
