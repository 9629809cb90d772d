"""What can be checked of the production stack without Docker: the compose file,
the commands it runs, the image recipe, and Django's deployment checklist."""

import gc
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.utils import translation

from reputation import gunicorn

ROOT = Path(__file__).resolve().parents[1]
PROD_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7Hq2-tVb9Lz0pWmN4sKcR8yJd3fGuA6eT1oXiQ5vBn_ZlYh-k3Pq",
    "ALLOWED_HOSTS": "veille.example.fr",
    "DJANGO_SETTINGS_MODULE": "reputation.settings",
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
}


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def manage(*args, env=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**PROD_ENV, "VAR_DIR": str(ROOT / "var" / "deploy-check"), **(env or {})},
        check=False,
    )


def test_it_declares_the_production_services():
    services = compose()["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("db", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert services["db"]["image"].startswith("postgres")
    assert services["redis"]["image"].startswith("redis")
    env = services["web"]["environment"]
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["REDIS_URL"].startswith("redis://")
    assert set(compose()["volumes"]) >= {"pgdata", "redisdata"}


def test_it_publishes_only_the_proxy():
    """Issue 17, point 9: with TRUSTED_PROXIES=1, a client reaching gunicorn directly
    would write the X-Forwarded-For the limits trust. Only the proxy is published."""
    services = compose()["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    assert services["web"]["expose"] == ["8000"]
    assert services["web"]["environment"]["TRUSTED_PROXIES"] == "1"
    proxy = services["proxy"]
    assert proxy["image"].startswith("caddy:")
    mount = next(v for v in proxy["volumes"] if v.endswith(":/etc/caddy/Caddyfile:ro"))
    caddyfile = (ROOT / mount.split(":")[0]).read_text()
    assert "reverse_proxy web:8000" in caddyfile
    # Caddy trusts no proxy before it: it replaces a client's X-Forwarded-For.
    assert "trusted_proxies" not in caddyfile


def test_it_runs_only_commands_that_exist_in_the_project():
    services = compose()["services"]
    for name, service in services.items():
        command = service.get("command")
        if command is None:
            continue
        argv = command if isinstance(command, list) else shlex.split(command)
        if argv[0] == "gunicorn":
            # gunicorn -c python:reputation.gunicorn reputation.wsgi:application
            assert argv[1:3] == ["-c", "python:reputation.gunicorn"], name
            assert (ROOT / "reputation" / "gunicorn.py").exists()
            module, _, attr = argv[3].partition(":")
            assert (ROOT / (module.replace(".", "/") + ".py")).exists(), name
            assert attr == "application"
        elif argv[0] == "celery":
            assert argv[1:3] == ["-A", "reputation"], name
            assert argv[3] in ("worker", "beat"), name
            assert (ROOT / "reputation" / "celery.py").exists()
        elif argv[:2] == ["python", "manage.py"]:
            proc = manage(argv[2], "--help")
            assert proc.returncode == 0, proc.stderr
        elif name in ("redis",):
            assert argv[0] == "redis-server"
        else:
            raise AssertionError(f"unknown command in service {name}: {argv}")


def test_it_builds_the_image_from_the_project_files():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install ." in dockerfile
    assert "collectstatic" in dockerfile
    assert "reputation.wsgi:application" in dockerfile


def test_it_passes_the_deployment_checklist():
    proc = manage("check", "--deploy", "--fail-level", "WARNING")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout


def test_it_refuses_to_start_without_a_secret_key_in_production():
    proc = manage("check", env={"SECRET_KEY": ""})
    assert proc.returncode != 0
    assert "SECRET_KEY" in proc.stderr


@pytest.mark.django_db
def test_it_shares_sqlite_between_processes_in_wal_mode():
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000


def test_it_freezes_what_a_gunicorn_worker_keeps_out_of_the_garbage_collector():
    """Issue 22: a worker's modules, URLs and translations are walked by no full
    collection (reputation/gunicorn.py, post_worker_init), and the worker starts in no
    language of its own."""
    default = settings.LANGUAGE_CODE
    translation.activate("en" if default == "fr" else "fr")
    assert gc.get_freeze_count() == 0
    try:
        gunicorn.post_worker_init(None)
        assert gc.get_freeze_count() > 10_000
        assert translation.get_language() == default  # deactivated, not left in "en"
    finally:
        gc.unfreeze()
        translation.deactivate()
