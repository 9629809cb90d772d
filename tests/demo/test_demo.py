"""The demo's offline sources: every mention title of the demo opens its article."""

from urllib.parse import urlsplit

from django.test import RequestFactory
from django.urls import resolve

from reputation.demo import content, data


def test_it_opens_the_article_behind_every_demo_link():
    factory = RequestFactory()
    key, _kind, _title, period, lang, _days = data.FEEDS[0]
    for it in content.items(key, period, lang, limit=5):
        path = urlsplit(it.link).path.removeprefix("/demo")
        match = resolve(path, urlconf="reputation.demo.urls")
        response = match.func(factory.get(path), *match.args, **match.kwargs)
        assert response.status_code == 200, path
        assert it.title.split()[0].encode() in response.content
