"""Connecting a review platform: the credentials go to the collector
(monitoring.models.ConnectorAccount), the organisation follows the connector source
they are read through. Who connected it is the Follow's business, as for any source.
"""

from django.db import transaction

from monitoring import connectors
from monitoring.connectors.read import account_of
from monitoring.models import ConnectorAccount, Source, SourceKind
from reputation.sources.follow import follow_source
from reputation.sources.models import Follow


def connected(org) -> dict[tuple[str, str], tuple[ConnectorAccount, Source]]:
    """The organisation's platform connections, by (platform, the platform's id)."""
    found = {}
    follows = Follow.objects.filter(organisation=org, source__kind=SourceKind.CONNECTOR)
    for follow in follows.select_related("source"):
        account = account_of(follow.source)
        if account is not None:
            found[(account.platform, account.account_id)] = (account, follow.source)
    return found


def connect(org, platform: str, account_id: str, label: str, **secrets) -> tuple[Source, bool]:
    """Store the credentials and follow the source reading them; a business already
    connected gets its new credentials (a reconnection) and its source polled again.
    Returns (source, newly followed)."""
    connector = connectors.get(platform)
    existing = connected(org).get((platform, account_id))
    if existing:
        account, source = existing
        account.label = label or account.label
        account.save(update_fields=["label"])
        account.set_secrets(**secrets)
        source.resume()
        return source, False
    with transaction.atomic():
        account = ConnectorAccount(platform=platform, account_id=account_id, label=label)
        account.set_secrets(**secrets)
        account.save()
        config = {"connector": platform, "account": account.pk}
        source, new = follow_source(org, connector.home, SourceKind.CONNECTOR, config)
        source.title = f"{connector.name} · {label}" if label else connector.name
        source.save(update_fields=["title"])
    return source, new
