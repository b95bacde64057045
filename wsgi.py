"""Entry point for gunicorn (`gunicorn wsgi:app`) and the Flask CLI (`flask --app wsgi ...`)."""

import gc

from app import create_app

app = create_app()
# What start-up built (settings, questionnaires, catalogue, translations) lives as long as the
# process: kept out of the cycle collector's full passes, which otherwise walk it again every
# few hundred requests; under `gunicorn --preload` it also keeps those pages shared after fork.
gc.freeze()
