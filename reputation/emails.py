"""The one email builder: every email the product sends goes through here.

`emails.send("invitation", to, ctx, language)` renders three templates named by one
convention, with the same context and in the recipient's language:

    templates/emails/<name>-subject.txt
    templates/emails/<name>-body.txt
    templates/emails/<name>-body.html

`build()` returns the message without sending it, for callers that attach a file
(the monthly report's PDF) or hand it to their own connection (the alerts outbox,
which must know whether the mail server took it).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def build(
    name: str, to: str, ctx: dict, language: str = "fr", headers: dict | None = None
) -> EmailMultiAlternatives:
    ctx = {"site_name": settings.SITE_NAME, "site_root": settings.SITE_ROOT, **ctx}
    with translation.override(language):
        subject = render_to_string(f"emails/{name}-subject.txt", ctx)
        text = render_to_string(f"emails/{name}-body.txt", ctx)
        html = render_to_string(f"emails/{name}-body.html", ctx)
    # A subject is one line: a template's line breaks would break the header.
    subject = " ".join(subject.split())
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers or {}
    )
    message.attach_alternative(html, "text/html")
    return message


def send(name: str, to: str, ctx: dict, language: str = "fr", headers: dict | None = None) -> None:
    """Build and send; raises smtplib.SMTPException or OSError when the server refuses."""
    build(name, to, ctx, language, headers).send()
