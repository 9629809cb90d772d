"""The free diagnostic end to end: the task against real local sites (a search feed, a
website with its feed and schema.org reviews), robots.txt, the public pages, the rate
limits, the 24-hour purge and "Monitor this" through a confirmed sign-up."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from celery import current_app
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Source
from reputation.accounts.models import PendingSignup
from reputation.demo import content as demo
from reputation.demo import data as demo_data
from reputation.diagnostic import services
from reputation.diagnostic.models import Diagnostic
from reputation.diagnostic.tasks import purge_diagnostics, run_diagnostic
from reputation.names.models import TrackedName
from reputation.orgs.models import Organisation
from reputation.sources.models import Follow
from tests.diagnostic_sites import NAME, TOWN, serve

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites(server, settings):
    for key, value in serve(server).items():
        setattr(settings, key, value)
    return server


@pytest.fixture
def eager():
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = False


def _run(website: str = "") -> Diagnostic:
    diagnostic = Diagnostic.objects.create(name=NAME, town=TOWN, website=website)
    run_diagnostic(diagnostic.pk)
    diagnostic.refresh_from_db()
    return diagnostic


def test_it_collects_mentions_feeds_and_reviews_from_the_sites(sites):
    diagnostic = _run(sites.url("/site/"))
    assert diagnostic.state == Diagnostic.DONE, diagnostic.error
    assert diagnostic.progress == 100
    result = diagnostic.result
    titles = {m["title"]: m for m in result["mentions"]}
    # The search's two items about the bakery, its website's post that names it, and
    # the two reviews of its own page; never the garage of another Dupont.
    assert "La Boulangerie Dupont ouvre une deuxième boutique" in titles
    assert "Accueil désagréable à la Boulangerie Dupont" in titles
    assert "Boulangerie Dupont : la galette des rois est arrivée" in titles
    assert "Déçu" in titles and "Le meilleur pain du quartier" in titles
    assert not any("Garage" in t for t in titles)
    assert "Nos horaires d'été" not in titles
    assert len(result["mentions"]) == 5
    assert titles["Accueil désagréable à la Boulangerie Dupont"]["tone"] == "negative"
    assert titles["Déçu"]["tone"] == "negative"  # 2 stars out of 5
    assert titles["Le meilleur pain du quartier"]["tone"] == "positive"
    assert titles["Accueil désagréable à la Boulangerie Dupont"]["site"] == "forum.example"
    assert result["reviews"] == {"count": 12, "read": 2, "average": 0.9, "answered": 1}
    assert result["feeds"] == [sites.url("/site/feed.xml")]
    follow = {(p["url"], p["kind"], p["preset"]) for p in result["follow"]}
    assert (sites.url("/site/"), "html", "") in follow
    assert (sites.url("/site/feed.xml"), "feed", "") in follow
    assert any(kind == "search" and preset == "google_news" for _u, kind, preset in follow)
    # The search asked for the name in quotes, with the town for homonyms.
    [search] = [path for _m, path, _h in sites.requests if path.startswith("/search")]
    assert parse_qs(urlsplit(search).query)["q"] == [f'"{NAME}" {TOWN}']
    # Polite: robots.txt was read before the pages.
    assert sites.requests[0][1] == "/robots.txt"
    assert 0 < result["score"] <= 100
    assert 3 <= len(result["advice"]) <= 5


def test_it_respects_robots_txt(sites):
    diagnostic = _run(sites.url("/private/"))
    assert diagnostic.state == Diagnostic.DONE
    assert [e["url"] for e in diagnostic.result["errors"]] == [sites.url("/private/")]
    assert not any(path.startswith("/private/") for _m, path, _h in sites.requests)
    assert diagnostic.result["reviews"]["read"] == 0
    assert "ask_reviews" in diagnostic.result["advice"]


def test_it_says_what_could_not_be_read(sites, settings):
    settings.DIAGNOSTIC_SEARCHES = [("google_news", sites.url("/missing") + "?q={q}")]
    diagnostic = _run()
    assert diagnostic.state == Diagnostic.DONE
    [error] = diagnostic.result["errors"]
    assert "404" in error["error"]
    assert diagnostic.result["mentions"] == []
    assert diagnostic.result["score"] == 0


def test_it_runs_from_the_public_form_and_shows_the_snapshot(
    sites, client, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("diagnostic"), {"name": NAME, "town": TOWN, "website": sites.url("/site/")}
        )
    diagnostic = Diagnostic.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/diagnostic/{diagnostic.code}/"
    status = client.get(reverse("diagnostic-status", args=[diagnostic.code])).json()
    assert status["state"] == "done" and status["finished"] is True
    page = client.get(r["Location"]).content.decode()
    assert f"<strong>{diagnostic.result['score']}</strong>" in page
    assert "Accueil désagréable à la Boulangerie Dupont" in page
    assert "forum.example" in page
    assert "Answers to reviews" in page
    assert "Monitor this" in page
    assert f"diagnostic={diagnostic.code}" in page
    assert "<script>" not in page  # CSP: no inline script


def test_it_shows_progress_while_running(client):
    diagnostic = Diagnostic.objects.create(name=NAME, town=TOWN, state="running", progress=45)
    diagnostic.report(Diagnostic.RUNNING, 45, "website")
    page = client.get(reverse("diagnostic-result", args=[diagnostic.code])).content.decode()
    assert 'value="45"' in page
    assert "diagnostic/progress" in page and "Reading the website" in page
    status = client.get(reverse("diagnostic-status", args=[diagnostic.code])).json()
    assert status == {
        "state": "running",
        "progress": 45,
        "step": "Reading the website and its reviews…",
        "finished": False,
    }


def test_it_speaks_french_first(client):
    page = client.get(reverse("diagnostic"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Diagnostic e-réputation gratuit" in page


def test_it_refuses_a_name_without_letters(client):
    r = client.post(reverse("diagnostic"), {"name": "!!", "town": TOWN})
    assert r.status_code == 200
    assert "Type the name your customers know you by." in r.content.decode()
    assert not Diagnostic.objects.exists()


def test_it_limits_diagnostics_per_client_address(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "diagnostic_per_client": 2}
    for n in range(2):
        r = client.post(reverse("diagnostic"), {"name": f"Commerce {n}", "town": TOWN})
        assert r.status_code == 302
    r = client.post(reverse("diagnostic"), {"name": "Commerce 9", "town": TOWN})
    assert r.status_code == 429
    assert "Too many diagnostics this hour" in r.content.decode()
    assert Diagnostic.objects.count() == 2


def test_it_limits_diagnostics_per_name_whatever_the_address(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "diagnostic_per_name": 2}
    for n, spelling in enumerate(["Boulangerie Dupont", "BOULANGERIE  dupont"]):
        r = client.post(
            reverse("diagnostic"), {"name": spelling, "town": TOWN}, REMOTE_ADDR=f"10.0.0.{n}"
        )
        assert r.status_code == 302
    r = client.post(
        reverse("diagnostic"), {"name": "Boulangérie Dupont", "town": TOWN}, REMOTE_ADDR="10.0.0.9"
    )
    assert r.status_code == 429
    r = client.post(reverse("diagnostic"), {"name": "Autre", "town": TOWN}, REMOTE_ADDR="10.0.0.9")
    assert r.status_code == 302


def test_it_forgets_diagnostics_after_24_hours(client):
    old = Diagnostic.objects.create(
        name=NAME, town=TOWN, created=timezone.now() - timedelta(hours=25)
    )
    fresh = Diagnostic.objects.create(name=NAME, town=TOWN)
    org = Organisation.objects.create(slug="kept", name="Kept")
    kept = Diagnostic.objects.create(
        name=NAME, town=TOWN, created=timezone.now() - timedelta(days=3), organisation=org
    )
    # Expired already, before the purge passes: the page says so.
    r = client.get(reverse("diagnostic-result", args=[old.code]))
    assert r.status_code == 404
    assert "This diagnostic has expired" in r.content.decode()
    assert client.get(reverse("diagnostic-status", args=[old.code])).status_code == 404
    assert purge_diagnostics() == 1
    assert set(Diagnostic.objects.values_list("pk", flat=True)) == {fresh.pk, kept.pk}
    r = client.get(reverse("diagnostic-result", args=[old.code]))
    assert "This diagnostic has expired" in r.content.decode()


def test_it_schedules_the_purge():
    schedule = current_app.conf.beat_schedule
    assert any(
        e["task"] == "reputation.diagnostic.tasks.purge_diagnostics" for e in schedule.values()
    )


def test_it_monitors_what_the_diagnostic_found_once_the_sign_up_is_confirmed(sites, client):
    diagnostic = _run(sites.url("/site/"))
    found = {p["url"] for p in diagnostic.result["follow"]}
    assert len(found) == 3
    page = client.get(reverse("diagnostic-result", args=[diagnostic.code])).content.decode()
    link = re.search(r'id="monitor-this" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    form = client.get(link).content.decode()
    assert 'value="Boulangerie Dupont"' in form
    assert f'value="{diagnostic.code}"' in form
    r = client.post(
        link,
        {
            "organisation": NAME,
            "email": "marie@dupont.fr",
            "password": "un-mot-de-passe-solide",
            "diagnostic": str(diagnostic.code),
        },
    )
    assert r.status_code == 200
    assert PendingSignup.objects.get().diagnostic == diagnostic.code
    # Waiting for the confirmation, the diagnostic outlives its 24 hours.
    diagnostic.refresh_from_db()
    assert diagnostic.expires > timezone.now() + timedelta(days=2)
    assert services.purge(timezone.now() + timedelta(hours=30)) == 0
    path = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)
    r = client.post(path)
    org = Organisation.objects.get(name=NAME)
    tracked = TrackedName.objects.get(organisation=org)
    assert tracked.label == NAME
    # The sources found for the name come first, from its town and website.
    assert (tracked.town, tracked.website) == (TOWN, sites.url("/site/"))
    assert r["Location"] == reverse("suggested-sources", args=[org.code, tracked.code])
    follows = Follow.objects.filter(organisation=org).select_related("source")
    assert {f.source.url for f in follows} == found
    search = next(f for f in follows if f.source.kind == "search")
    assert search.preset == "google_news" and search.tracked_name == tracked
    diagnostic.refresh_from_db()
    assert diagnostic.organisation == org
    assert services.purge(timezone.now() + timedelta(days=30)) == 0
    # Another organisation sees nothing of it.
    assert Source.objects.count() == 3


def test_it_signs_up_normally_with_a_mangled_diagnostic_code(client):
    r = client.post(
        reverse("signup"),
        {
            "organisation": NAME,
            "email": "marie@dupont.fr",
            "password": "un-mot-de-passe-solide",
            "diagnostic": "not-a-code",
        },
    )
    assert r.status_code == 200
    assert PendingSignup.objects.get().diagnostic is None


def test_it_reads_the_demos_own_sites_in_demo_mode(server, settings):
    """DEMO_MODE: the searches are the demo's offline feeds and its review page (served
    here as the app serves them under /demo/), so the demo works without the network."""
    settings.DEMO_MODE = True
    settings.SITE_ROOT = server.url("").rstrip("/")
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = True
    for path, *_rest in demo_data.FEEDS:
        server.route(
            f"/demo/{path}", demo.rss(path), headers={"Content-Type": "application/rss+xml"}
        )
    server.route("/demo/avis/", demo.reviews_html())
    diagnostic = _run()
    assert diagnostic.state == Diagnostic.DONE
    result = diagnostic.result
    assert {p["url"] for p in result["follow"]} >= {server.url("/demo/avis/")}
    assert result["reviews"]["read"] > 0
    assert any(not m["review"] for m in result["mentions"])  # found in the demo's feeds
    assert {m["site"] for m in result["mentions"]} and result["score"] > 0
    assert not any(path.startswith("/search") for _m, path, _h in server.requests)
