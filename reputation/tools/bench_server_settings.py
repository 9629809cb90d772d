"""Settings of the gunicorn that `bench load` starts: production's (DEBUG off, the
environment it is given), except static files named without whitenoise's manifest.

The manifest needs `collectstatic`, which compresses every file again each time
(3.5 minutes on this machine while others work), and no page the bench times reads
a static file: it reads the page, whose `{% static %}` is a lookup either way.
"""

from reputation.settings import *  # noqa: F403 (production's settings, all of them)
from reputation.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
