"""Where a source's check stands, as JSON, for the "Check now" button
(static/js/check_now.js): the page shows progress and the result without a reload.

Only the organisation's own follow is answered (404 otherwise); the sentences are
the ones users already see on the page, in their language.
"""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reputation.access import get_follow, get_membership


def result_sentence(poll) -> str:
    if poll is None:
        return ""
    if poll.error:
        return _("The check failed: %(error)s") % {"error": poll.error}
    if poll.not_modified or not poll.items_new:
        return _("Checked: nothing new.")
    items = ngettext("%(n)d new item", "%(n)d new items", poll.items_new) % {"n": poll.items_new}
    mentions = ngettext(
        "%(n)d mention of your names", "%(n)d mentions of your names", poll.mentions_new
    ) % {"n": poll.mentions_new}
    return _("Checked: %(items)s, %(mentions)s.") % {"items": items, "mentions": mentions}


@login_required
def source_status(request, code, source_code):
    membership = get_membership(request, code)
    source = get_follow(membership, source_code).source
    poll = source.polls.order_by("-started").first()
    return JsonResponse(
        {
            "checked_at": source.last_fetch_at.isoformat() if source.last_fetch_at else "",
            "state": source.state,
            "result": result_sentence(poll),
            "checking": _("Checking…"),
            "slow": _("The check takes longer than usual: its result will show on this page."),
        }
    )
