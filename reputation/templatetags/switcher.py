"""The client switcher shown on every page: the user's organisations, current first."""

from django import template

from reputation.orgs.models import Membership

register = template.Library()


@register.inclusion_tag("reputation/_switcher_menu.html", takes_context=True)
def org_switcher(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"orgs": []}
    current = context.get("org")
    memberships = getattr(request, "memberships", None)  # set by get_membership
    if memberships is None:
        memberships = (
            Membership.objects.filter(user=user)
            .select_related("organisation")
            .order_by("organisation__name")
        )
    orgs = [m.organisation for m in memberships]
    # A viewer of the client on screen is not offered to add organisations.
    membership = context.get("membership")
    can_add = membership is None or membership.can_write
    return {"orgs": orgs, "current": current, "here": request.get_full_path(), "can_add": can_add}
