"""What an organisation answers with: its reply settings and its own reply templates.

Only what the organisation typed here (signature, contact) and the mention's own
words (author, aspect) ever go into a draft (drafts.py): nothing is invented.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reputation.orgs.models import Organisation


class Case(models.TextChoices):
    """What a mention calls for, and so which template answers it (drafts.case_of)."""

    RECEPTION = "reception", _("Complaint about the service")
    PRICE = "price", _("Complaint about the price")
    DELAYS = "delays", _("Complaint about delays")
    HYGIENE = "hygiene", _("Complaint about hygiene")
    QUALITY = "quality", _("Complaint about quality")
    NEGATIVE = "negative", _("Other complaint")
    POSITIVE = "positive", _("Positive review")
    REVIEW = "review", _("Review neither positive nor negative")
    QUESTION = "question", _("Question")


class ReplySettings(models.Model):
    """An organisation's signature, private contact and answer deadlines (one row,
    created with the defaults when first asked: ReplySettings.of)."""

    organisation = models.OneToOneField(Organisation, models.CASCADE, related_name="+")
    signature = models.CharField(_("Signature"), max_length=200, blank=True)
    contact_email = models.EmailField(_("Contact email"), max_length=254, blank=True)
    contact_phone = models.CharField(_("Contact phone"), max_length=40, blank=True)
    # The deadlines (deadlines.py): a review or a question within days, a severe
    # negative mention within hours.
    review_days = models.PositiveSmallIntegerField(_("Days to answer a review"), default=7)
    severe_hours = models.PositiveSmallIntegerField(
        _("Hours to answer a severe negative mention"), default=24
    )
    # The alerts' severity (alerts/severity.py) from which a negative is severe.
    severe_from = models.PositiveSmallIntegerField(_("Severe from (0 to 100)"), default=50)

    def __str__(self) -> str:
        return f"reply settings of {self.organisation_id}"

    @classmethod
    def of(cls, organisation) -> "ReplySettings":
        found = cls.objects.filter(organisation=organisation).first()
        return found or cls(organisation=organisation)

    @property
    def contact(self) -> str:
        return " / ".join(v for v in (self.contact_email, self.contact_phone.strip()) if v)


class ReplyTemplate(models.Model):
    """An organisation's own wording for one case in one language; the defaults
    shipped in code (defaults.py) answer where it wrote none."""

    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    case = models.CharField(max_length=16, choices=Case.choices)
    language = models.CharField(max_length=8)
    body = models.TextField(max_length=3000)
    updated = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "case", "language"], name="unique_reply_template"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case}/{self.language} of {self.organisation_id}"
