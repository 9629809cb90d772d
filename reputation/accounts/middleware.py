"""Every request starts in the server's time zone; organisation pages then switch
to the organisation's (reputation.access.get_membership). Without this reset, at
the start and at the end, a thread would carry the previous request's zone."""

from django.utils import timezone


def reset_time_zone(get_response):
    def middleware(request):
        timezone.deactivate()
        try:
            return get_response(request)
        finally:
            timezone.deactivate()

    return middleware
