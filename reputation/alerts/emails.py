"""One helper builds every email: subject, plain text and HTML from three templates.

templates/emails/<name>-subject.txt, <name>-body.txt and <name>-body.html are
rendered with the same context in the recipient's language.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def build(name: str, ctx: dict, to: str, language: str, headers=None) -> EmailMultiAlternatives:
    ctx = {"site_name": settings.SITE_NAME, "site_root": settings.SITE_ROOT, **ctx}
    with translation.override(language):
        subject = render_to_string(f"emails/{name}-subject.txt", ctx)
        text = render_to_string(f"emails/{name}-body.txt", ctx)
        html = render_to_string(f"emails/{name}-body.html", ctx)
    # A subject is one line, whatever the template's line breaks.
    subject = " ".join(subject.split())
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers or {}
    )
    message.attach_alternative(html, "text/html")
    return message
