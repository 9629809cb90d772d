"""Test settings: the embedded defaults, unless DATABASE_URL / REDIS_URL are given.

Worker processes started by tests use this module too (DJANGO_SETTINGS_MODULE).
"""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("FETCH_ALLOW_PRIVATE_ADDRESSES", "1")
os.environ.setdefault("FETCH_RESPECT_ROBOTS", "1")
os.environ.setdefault(
    "VAR_DIR", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "test")
)

from reputation.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# View tests assert English strings; the product's own default stays French
# (reputation.settings), which tests/test_i18n.py and the browser test check.
LANGUAGE_CODE = "en"
