"""Sessions end after SESSION_IDLE_MINUTES without a request.

Django's session lasts SESSION_COOKIE_AGE from its last save. Saving it on every
request (SESSION_SAVE_EVERY_REQUEST) would cost three queries on every page; this
middleware saves it at most once per RENEW_EVERY seconds of activity, so a session
ends between SESSION_IDLE_MINUTES and that plus RENEW_EVERY after the last request.
"""

import time

RENEW_EVERY = 300
KEY = "_renewed"


def idle_sessions(get_response):
    def middleware(request):
        response = get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get(KEY, 0) >= RENEW_EVERY:
                session[KEY] = now  # modified: saved, cookie and expiry renewed
        return response

    return middleware
