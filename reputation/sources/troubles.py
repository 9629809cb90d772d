"""What went wrong with a source, in the words of the person who follows it.

The collector stores a short technical error when a poll fails (`last_error`,
written in the worker's language) and its code (`last_error_code`). The sources
pages lead with a sentence chosen here from the code, translated when the page is
shown, in the reader's language: what is happening and whether they need to act.
The collector's own message stays below it, as the detail.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

# Faults of the site itself, by the collector's error code: we keep trying.
_THE_SITE = {
    "timeout": N_("The site is not answering: it takes too long to respond."),
    "network": N_("The site cannot be reached at the moment."),
    "dns": N_("The site's address cannot be found at the moment."),
    "tls": N_("The site's secure connection does not work at the moment."),
    "rate_limited": N_("The site asks us to slow down."),
    "too_large": N_("The site sends far more than a page or a feed, so we stop reading it."),
    "content_type": N_("The site sends something that is not a page or a feed."),
    "decoding": N_("The site sends damaged content that cannot be read."),
    "empty": N_("The site sends an empty answer."),
    "damaged": N_("The site sends its news feed cut off or damaged."),
    "not_a_feed": N_("The site sends damaged or unexpected content instead of its news feed."),
    "parse_error": N_("The site sends damaged or unexpected content that cannot be read."),
    "too_slow": N_("This page takes too long to read."),
}


def explain(source) -> str:
    """One or two sentences on the source's current failure; "" when it has none
    or when the code has no plain-words reading (its message is then shown alone)."""
    if not source.error_count or not source.last_error_code:
        return ""
    code, status = source.last_error_code, source.last_status
    if code == "http_error" and status:
        if status >= 500:
            what = _("The site has a problem on its side (error %(status)s).") % {"status": status}
        elif status in (404, 410):
            return _(
                "This address no longer exists on the site (error %(status)s): check it, "
                "or remove the source."
            ) % {"status": status}
        else:
            what = _("The site refuses to show us this address (error %(status)s).") % {
                "status": status
            }
    elif code in _THE_SITE:
        what = _(_THE_SITE[code])
    else:
        return ""
    if source.state != "active":  # paused: the page says so, and how to resume
        return what
    return f"{what} {_('We keep trying on our own: nothing to do for now.')}"
