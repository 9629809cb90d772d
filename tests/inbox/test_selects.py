"""The inbox's drop-down lists written by Python are Django's own HTML, byte for byte."""

from django.forms.renderers import DjangoTemplates

from reputation.inbox.filters import InboxFilterForm
from reputation.inbox.selects import SelectRenderer
from reputation.names.models import TrackedName
from reputation.orgs.models import Organisation


def _fields(org, data, renderer) -> dict[str, str]:
    members = [("7", 'Léa <b>"Dupont"</b> & co')]
    form = InboxFilterForm(org, data, members=members)
    form.renderer = renderer
    form.is_valid()
    return {name: str(form[name]) for name in form.fields}


def test_it_writes_the_same_html_as_djangos_templates(db):
    org = Organisation.objects.create(slug="o", name="O")
    TrackedName.objects.create(organisation=org, label="Café <script>&\"'")
    picked = TrackedName.objects.create(organisation=org, label="Boulangerie Dupont")
    for data in ({}, {"name": str(picked.code), "language": "fr", "assignee": "7", "period": "7"}):
        ours = _fields(org, data, SelectRenderer())
        django = _fields(org, data, DjangoTemplates())
        assert ours == django
        # The lists really went through our code, and said what they hold.
        assert "<select" in ours["name"] and "Café &lt;script&gt;&amp;&quot;&#x27;" in ours["name"]
        assert "Léa &lt;b&gt;&quot;Dupont&quot;&lt;/b&gt; &amp; co" in ours["assignee"]
    assert f'<option value="{picked.code}" selected>Boulangerie Dupont</option>' in ours["name"]
