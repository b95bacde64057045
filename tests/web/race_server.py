"""The app as gunicorn serves it in the submission race test (database from the environment)."""

import os

from tests.conftest import make_test_app

app = make_test_app(os.environ["RACE_DATABASE_URL"])
