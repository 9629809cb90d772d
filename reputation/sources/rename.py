"""Sources renamed by an organisation: "Avis Google" rather than a long address.

The name belongs to the organisation's follow (two organisations following the same
source each name it their way); an empty name goes back to the source's own title.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reputation.access import get_follow, get_membership
from reputation.sources.models import Follow


def follow_name(org, source_field: str = "source"):
    """An expression for the organisation's name of the source in `source_field`
    (org None: each row's own organisation, for lists across clients)."""
    owner = OuterRef("organisation") if org is None else org
    follows = Follow.objects.filter(organisation=owner, source=OuterRef(source_field))
    return Subquery(follows.values("name")[:1])


@login_required
@require_POST
def source_rename(request, code, source_code):
    membership = get_membership(request, code)
    follow = get_follow(membership, source_code, write=True)
    follow.name = " ".join(request.POST.get("name", "").split())[:200]
    follow.save(update_fields=["name"])
    if follow.name:
        messages.success(request, _("The source is now called %(name)s.") % {"name": follow.name})
    else:
        messages.success(request, _("The source has its own name again."))
    return redirect("source-detail", code, follow.source.code)
