"""White-label monthly reports: a consultant's name and logo on a client's report.

One rule, asked by the report page, the PDF and the emailed report alike
(`brand_for`): an organisation's report carries the brand of a member who is its
owner or administrator and chose this client on their brand page; otherwise none.
Logos are hostile uploads: at most 200 KB, PNG or JPEG by their first bytes,
bounded dimensions, decoded once and re-encoded as a small PNG (no metadata, no
trailing payload reaches a report or a PDF renderer).
"""

import base64
import io

from django import forms
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from reputation.accounts.models import Brand
from reputation.orgs.models import Membership, Role

MAX_BYTES = 200 * 1024
MAX_SIDE = 2000  # pixels, each side of the upload
SHOWN = (600, 200)  # the stored logo fits in this box
MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
MANAGERS = (Role.OWNER, Role.ADMIN)


def clean_logo(upload) -> bytes:
    """The PNG to keep for an uploaded file, or a ValidationError with a sentence."""
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise forms.ValidationError(_("The logo must weigh at most 200 KB."))
    kind = next((k for magic, k in MAGIC.items() if data.startswith(magic)), None)
    if kind is None:
        raise forms.ValidationError(_("The logo must be a PNG or JPEG image."))
    too_big = forms.ValidationError(
        _("The logo must be at most %(n)d pixels wide and high."), params={"n": MAX_SIDE}
    )
    try:
        image = Image.open(io.BytesIO(data), formats=[kind])
        width, height = image.size
        if width > MAX_SIDE or height > MAX_SIDE or width < 1 or height < 1:
            raise too_big
        image.load()
        image = image.convert("RGBA")
        image.thumbnail(SHOWN)
        out = io.BytesIO()
        image.save(out, "PNG", optimize=True)
    except Image.DecompressionBombError:
        raise too_big from None
    except (OSError, ValueError, SyntaxError, UnidentifiedImageError):
        raise forms.ValidationError(
            _("This image cannot be read: save it again as PNG or JPEG.")
        ) from None
    return out.getvalue()


def managed_clients(user):
    """The organisations where the user may put their brand (owner or administrator)."""
    return [
        m.organisation
        for m in Membership.objects.filter(user=user, role__in=MANAGERS)
        .select_related("organisation")
        .order_by("organisation__name")
    ]


def brand_for(organisation) -> dict | None:
    """{"name", "logo" (a data: URI or "")} for this organisation's report, or None."""
    managers = Membership.objects.filter(organisation=organisation, role__in=MANAGERS)
    brands = Brand.objects.filter(clients=organisation, user__in=managers.values("user")).order_by(
        "pk"
    )
    for brand in brands:
        logo = bytes(brand.logo or b"")
        if brand.display_name or logo:
            uri = "data:image/png;base64," + base64.b64encode(logo).decode() if logo else ""
            return {"name": brand.display_name, "logo": uri}
    return None


class BrandForm(forms.Form):
    display_name = forms.CharField(
        label=_("Name shown on the reports"), max_length=100, required=False
    )
    logo = forms.FileField(
        label=_("Logo (PNG or JPEG, 200 KB at most)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )  # fmt: skip
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    clients = forms.MultipleChoiceField(
        label=_("Clients whose monthly report carries them"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only clients where you are an owner or administrator."),
    )  # fmt: skip

    def __init__(self, *args, clients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.client_list = list(clients)
        self.fields["clients"].choices = [(str(o.code), o.name) for o in self.client_list]

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        return clean_logo(upload) if upload else None

    def save(self, brand: Brand) -> Brand:
        data = self.cleaned_data
        brand.display_name = " ".join(data["display_name"].split())
        if data["logo"]:
            brand.logo = data["logo"]
        elif data["remove_logo"]:
            brand.logo = b""
        brand.save()
        brand.clients.set([o for o in self.client_list if str(o.code) in data["clients"]])
        return brand
