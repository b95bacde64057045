"""The engine works on its own: loading, scoring, gaps and matching never import Flask or the
database layer."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.engine.builders import write_folder

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import sys

    import questionnaires as engine

    folder = sys.argv[1]
    report = engine.check_paths([folder])
    assert report.ok, report.problems
    content = engine.load_content(folder)
    questionnaire = content.questionnaires["small"]
    card = engine.score(
        questionnaire,
        {
            "fees-who-pays": engine.Answer("shared"),
            "grievance-channel": engine.Answer(na_reason="No workers on site."),
            "workers-reimbursed": engine.Answer(60),
        },
    )
    gaps = engine.find_gaps(card, match=engine.make_matcher(content.catalogue))
    assert card.red_flags and gaps and gaps[0].resources, (card, gaps)
    rebuilt = engine.questionnaire_from_snapshot(questionnaire.snapshot())
    assert rebuilt.content_hash == questionnaire.content_hash

    assert "flask" not in sys.modules and "sqlalchemy" not in sys.modules
    web = sorted(
        name
        for name in sys.modules
        if name.split(".")[0] in {"flask", "sqlalchemy", "flask_sqlalchemy", "werkzeug", "app"}
    )
    assert not web, web
    print("engine alone: ok")
    """
)


def test_the_engine_loads_scores_and_finds_gaps_without_flask_or_the_database(tmp_path):
    folder = write_folder(tmp_path / "content")

    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "engine alone: ok"
