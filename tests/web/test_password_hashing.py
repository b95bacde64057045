"""Passwords are stored with scrypt in production; only the test suite uses a cheap method."""

from __future__ import annotations

import pytest
from flask import Flask

from app.models import User
from app.models.user import dummy_hash
from config import DevelopmentConfig, ProductionConfig


@pytest.mark.parametrize("config", [ProductionConfig, DevelopmentConfig])
def test_a_served_app_hashes_passwords_and_unknown_addresses_with_scrypt(config):
    served = Flask(__name__)
    served.config.from_object(config)
    with served.app_context():
        user = User(email="someone@example.org", name="Someone")
        user.set_password("correct horse battery staple")
        assert user.password_hash.startswith("scrypt:")
        assert user.check_password("correct horse battery staple")
        # An address without an account is checked against a hash of the same cost.
        assert dummy_hash().startswith("scrypt:")


def test_the_test_suite_hashes_cheaply(app, admin):
    assert app.config["PASSWORD_HASH_METHOD"].startswith("pbkdf2:")
    assert admin.password_hash.startswith("pbkdf2:")
    assert not admin.password_hash.startswith("scrypt:")
