"""Suite-wide test settings."""

from __future__ import annotations

import pytest

from jixiao.conftest import World, world  # noqa: F401  (browser tests under tests/ use it too)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    # Argon2 is deliberately slow; tests create dozens of accounts. Production keeps Argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
