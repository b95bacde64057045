"""Reports built from the shipped questionnaires and catalogue, without the web app."""

from __future__ import annotations

import pytest

import questionnaires as engine


@pytest.fixture(scope="session")
def shipped():
    return engine.load_content(engine.SHIPPED_DIR)


@pytest.fixture(scope="session")
def matcher(shipped):
    return engine.make_matcher(shipped.catalogue)


@pytest.fixture(scope="session")
def supplier(shipped):
    return shipped.questionnaires["supplier"]


@pytest.fixture(scope="session")
def environment():
    from reports.render import make_environment

    return make_environment()
