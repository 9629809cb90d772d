"""Account emails (invitations): subject + text + HTML templates, in the
organisation's language, sent through Django's mail (EMAIL_URL)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated(to: str, name: str, context: dict, language: str = "fr") -> None:
    """Send templates/emails/<name>_subject.txt, _body.txt and _body.html to `to`."""
    context = {"site_name": settings.SITE_NAME, "site_root": settings.SITE_ROOT, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{name}_subject.txt", context)
        text = render_to_string(f"emails/{name}_body.txt", context)
        html = render_to_string(f"emails/{name}_body.html", context)
    # A subject is one line: a template's trailing newline would break the header.
    subject = " ".join(subject.split())
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()
