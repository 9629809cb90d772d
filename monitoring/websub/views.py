"""The WebSub callback: SITE_ROOT/websub/<token>/ (wired from reputation/urls.py).

GET is the hub's intent verification, POST a content push. Whoever calls is a
stranger: an unknown token is a 404, a challenge is echoed only for the request we
have pending, a push is read up to FETCH_MAX_BYTES and stored only when signed
with the subscription's secret. A bad signature still gets a 2xx, as the spec
asks (so that a forger learns nothing), and is logged and counted.
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from monitoring.websub import service
from monitoring.websub.models import Subscription

MAX_CHALLENGE = 1000


@csrf_exempt  # hubs post no CSRF token; the token in the path and the signature stand in
@require_http_methods(["GET", "POST"])
def callback(request, token: str):
    sub = Subscription.objects.select_related("source").filter(token=token).first()
    if sub is None:
        raise Http404
    if request.method == "GET":
        return _verify(request, sub)
    return _push(request, sub)


def _verify(request, sub: Subscription) -> HttpResponse:
    params = request.GET
    mode, topic = params.get("hub.mode", ""), params.get("hub.topic", "")
    if mode == "denied":
        sub.deny(topic, params.get("hub.reason", "")[:300])
        return HttpResponse(status=200)
    challenge = params.get("hub.challenge", "")
    if not challenge or len(challenge) > MAX_CHALLENGE:
        raise Http404
    if not sub.verify(mode, topic, params.get("hub.lease_seconds")):
        raise Http404
    # Plain text, never sniffed as a page: the challenge is a stranger's string.
    response = HttpResponse(challenge, content_type="text/plain; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _push(request, sub: Subscription) -> HttpResponse:
    limit = settings.FETCH_MAX_BYTES
    declared = request.META.get("CONTENT_LENGTH", "").strip()
    if declared.isdigit() and int(declared) > limit:
        return HttpResponse(status=413)
    body = request.read(limit + 1)
    if len(body) > limit:
        return HttpResponse(status=413)
    service.receive(
        sub,
        body,
        request.META.get("CONTENT_TYPE", ""),
        request.headers.get("X-Hub-Signature", ""),
        request.headers.get("Link", "")[:8000],
    )
    return HttpResponse(status=202)
