"""/healthz, the web container's health check: answers 200 "ok" only when the
database and the broker answer, 503 naming the one that failed otherwise.

Quick by design (docker-compose gives it 5 s): one trivial query, one Redis PING with
one-second timeouts, or a look at the embedded filesystem broker's folder. The failure
names the part, never the error's text: the page is public.
"""

import logging
import os

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse

log = logging.getLogger(__name__)
TIMEOUT = 1.0  # seconds, each of connect and read


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except DatabaseError:
        log.exception("healthz: the database did not answer")
        return False


def broker_ok() -> bool:
    url = settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://", "unix://")):
        try:
            client = redis.Redis.from_url(
                url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT
            )
            try:
                return bool(client.ping())
            finally:
                client.close()
        except (redis.RedisError, OSError):
            log.exception("healthz: the broker did not answer")
            return False
    if url.startswith("filesystem://"):
        # The embedded broker is a folder the worker reads: it must exist and be writable.
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in", "")
        return bool(folder) and os.path.isdir(folder) and os.access(folder, os.W_OK)
    return True  # another transport: nothing we know how to check cheaply


def healthz(request):
    failed = [name for name, ok in (("database", database_ok), ("broker", broker_ok)) if not ok()]
    if failed:
        return HttpResponse(
            "unavailable: " + ", ".join(failed), content_type="text/plain", status=503
        )
    return HttpResponse("ok", content_type="text/plain")
