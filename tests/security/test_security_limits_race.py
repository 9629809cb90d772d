"""Issue 17, point 4: a limit holds under concurrent requests (12 at once once made 6
names under a limit of 5). Real threads, each with its own database connection,
on PostgreSQL (SQLite's IMMEDIATE transactions serialise writers anyway)."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client, override_settings
from django.urls import reverse

from reputation.names.models import TrackedName
from reputation.orgs.models import Membership, Organisation, Role
from tests.base import make_user

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"
)


@pytest.mark.django_db(transaction=True)
@override_settings(ORG_MAX_TRACKED_NAMES=5)
def test_it_creates_exactly_the_limit_under_concurrency():
    org = Organisation.objects.create(slug="race", name="Race")
    user = make_user("racer@example.org")
    Membership.objects.create(user=user, organisation=org, role=Role.OWNER)
    url = reverse("tracked-add", args=[org.code])
    barrier = threading.Barrier(12)
    answers = []

    def add(n: int) -> None:
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            data = {"label": f"Name {n}", "kind": "brand", "action": "save"}
            answers.append(client.post(url, data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(answers) == 12
    assert TrackedName.objects.filter(organisation=org).count() == 5
