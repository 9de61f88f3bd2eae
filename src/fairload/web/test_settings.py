"""Settings for the test suite: the production settings with a throwaway key.

DATABASE_URL still decides the database, so the same tests run on SQLite and, under
scripts/throwaway_postgres.py, on PostgreSQL.
"""

import os
import tempfile

os.environ.setdefault("FAIRLOAD_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("FAIRLOAD_DATA_DIR", tempfile.mkdtemp(prefix="fairload-test-"))

from fairload.web.settings import *  # noqa: F403

# No manifest in tests (collectstatic is not run), and a fast hasher for test logins.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_USE_FINDERS = True
# ... and looked up when asked for, not listed by every new test client: WhiteNoise lists
# every app's static files each time Django loads the middleware, which each
# django.test.Client does (a matrix test makes one per request): 7 % of such a test.
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests change rows directly to set up cases, so checks are not cached between them;
# tests/web/test_check_cache.py turns the cache on to test it.
FAIRLOAD_CHECK_CACHE_SIZE = 0
