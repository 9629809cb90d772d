"""The demo's offline sources (mounted only when DEMO_MODE is on)."""

from django.http import Http404, HttpResponse

from reputation.demo import content as demo


def feed(request, name):
    body = demo.rss(f"feeds/{name}")
    if body is None:
        raise Http404
    return HttpResponse(body, content_type="application/rss+xml; charset=utf-8")


def reviews(request):
    return HttpResponse(demo.reviews_html(), content_type="text/html; charset=utf-8")


def forum(request):
    return HttpResponse(demo.forum_html(), content_type="text/html; charset=utf-8")


def article(request, key, index):
    body = demo.article_html(key, index)
    if body is None:
        raise Http404
    return HttpResponse(body, content_type="text/html; charset=utf-8")
