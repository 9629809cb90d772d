"""The inbox's widgets written by Python are Django's own HTML, byte for byte."""

from django.forms.renderers import DjangoTemplates

from reputation.inbox.filters import InboxFilterForm
from reputation.inbox.widgets import WidgetRenderer
from reputation.names.models import TrackedName
from reputation.orgs.models import Organisation

HOSTILE = "<script>alert(1)</script> \"><img src=x onerror=alert(1)> & 'q'"


def _fields(org, data, renderer) -> dict[str, str]:
    members = [("7", 'Léa <b>"Dupont"</b> & co')]
    form = InboxFilterForm(org, data, members=members)
    form.renderer = renderer
    form.is_valid()
    shown = {name: str(form[name]) for name in form.fields}
    # Each tick box of the tone and status lists, as templates/reputation/inbox/
    # _checks.html writes it ({{ box.tag }}), and wrapped in its label.
    for name in ("sentiment", "status"):
        for i, box in enumerate(form[name]):
            shown[f"{name}-{i}"] = box.tag()
            shown[f"{name}-{i}-wrapped"] = box.tag(wrap_label=True)
    return shown


def test_it_writes_the_same_html_as_djangos_templates(db):
    org = Organisation.objects.create(slug="o", name="O")
    TrackedName.objects.create(organisation=org, label="Café <script>&\"'")
    picked = TrackedName.objects.create(organisation=org, label="Boulangerie Dupont")
    chosen = {"name": str(picked.code), "language": "fr", "assignee": "7", "period": "7"}
    typed = {
        **{"q": HOSTILE, "author": HOSTILE, "since": "2026-12-01", "until": "2026-11-01"},
        **{"counted": "1", "sentiment": ["negative", HOSTILE], "status": ["new", "todo"]},
    }
    for data in ({}, chosen, typed, {"since": HOSTILE, "until": "2026-13-45"}):
        ours = _fields(org, data, WidgetRenderer())
        django = _fields(org, data, DjangoTemplates())
        assert ours == django
        # The lists really went through our code, and said what they hold.
        assert "<select" in ours["name"] and "Café &lt;script&gt;&amp;&quot;&#x27;" in ours["name"]
        assert "Léa &lt;b&gt;&quot;Dupont&quot;&lt;/b&gt; &amp; co" in ours["assignee"]
        assert ours["sentiment-0"].startswith('<input type="checkbox" name="sentiment"')
    picked_list = _fields(org, chosen, WidgetRenderer())["name"]
    assert f'<option value="{picked.code}" selected>Boulangerie Dupont</option>' in picked_list
    typed_boxes = _fields(org, typed, WidgetRenderer())
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;' in typed_boxes["q"]
    assert typed_boxes["counted"].startswith('<input type="checkbox" name="counted"')
    assert " checked" in typed_boxes["status-0"] and " checked" not in typed_boxes["status-2"]
    assert typed_boxes["status-0-wrapped"].startswith('<label for="id_status_0"><input')
    assert 'type="date"' in typed_boxes["since"]


def test_it_reads_each_list_of_names_sources_and_tags_once_per_form(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reputation.inbox.models import Tag

    org = Organisation.objects.create(slug="o", name="O")
    TrackedName.objects.create(organisation=org, label="Boulangerie Dupont")
    Tag.objects.create(organisation=org, name="presse")
    form = InboxFilterForm(org, {}, members=[])
    with CaptureQueriesContext(connection) as queries:
        drawn = [str(form[name]) for name in ("name", "source", "tag") * 3]
    # Each list drawn three times: still one query for each.
    assert len(queries) == 3
    assert "Boulangerie Dupont" in drawn[0] and drawn[0] == drawn[3] == drawn[6]
    assert "presse" in drawn[2] and drawn[2] == drawn[8]
