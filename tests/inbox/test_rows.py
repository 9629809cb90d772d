"""Mention rows written by Python (reputation/inbox/rows.py) are the templates' own
HTML, byte for byte: the loops they replaced are kept here, verbatim, and rendered
beside them on rows full of hostile text, in English and French, for each role."""

from datetime import timedelta
from unittest import mock

from django.middleware.csrf import get_token
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from monitoring.models import Source
from reputation.inbox.models import Tag
from reputation.inbox.rows import inbox_rows
from reputation.mentions.models import Mention
from reputation.orgs.models import Membership, Role
from reputation.sources.models import Follow
from tests.base import BaseTestCase
from tests.inbox_data import add_mentions

HOSTILE = "<script>alert(1)</script> \"><img src=x onerror=alert(1)> & 'q'"

# templates/reputation/inbox/list.html's loop before rows.py.
INBOX_LOOP = """{% load i18n humantime snippets %}{% translate "Select" as select_word %}{% for m in page.rows %}
    <li class="mention {{ m.sentiment }}" id="m-{{ m.code }}">
      <div class="meta">
        {% if membership.can_write %}<label class="pick" for="pick-{{ m.code }}"><input type="checkbox" name="mentions" value="{{ m.code }}" id="pick-{{ m.code }}"> {{ select_word }}</label>{% endif %}
        <span class="badge {{ m.sentiment }}">{{ m.get_sentiment_display }}</span>
        {% if m.corrected %}<span class="badge corrected">{% translate "corrected" %}</span>{% endif %}
        <span class="badge status-{{ m.status }}">{{ m.get_status_display }}</span>
        {% if m.reply_state %}{% include "replies/_badge.html" %}{% endif %}
        <span class="tracked">{{ m.tracked_name.label }}</span>
        <time datetime="{{ m.published|date:'c' }}" title="{{ m.published|short_date:True }}">{{ m.published|ago }}</time>{% if not m.published_known %} <span class="hint">({% translate "date not given, day it was found" %})</span>{% endif %}
        {% if m.source %}<span class="source">{{ m.source_name|default:m.source }}</span>{% endif %}
        {% if m.assigned_to %}<span class="assignee">→ {{ m.assigned_to.get_full_name|default:m.assigned_to.email }}</span>{% endif %}
        {% for t in m.tags.all %}<span class="badge tag">{{ t.name }}</span>{% endfor %}
      </div>
      <a class="title" href="{{ m.detail_url }}">{{ m.title|default:m.url|truncatechars:160 }}</a>
      <p class="snippet">{{ m.snippet|highlight:m.highlights }}</p>
    </li>
  {% endfor %}"""  # noqa: E501

# templates/reputation/inbox/all.html's loop before rows.py.
ALL_LOOP = """{% load i18n humantime snippets %}{% translate "Select" as select_word %}{% for m in page.rows %}
    <li class="mention {{ m.sentiment }}" id="m-{{ m.code }}">
      <div class="meta">
        {% if m.organisation_id in writable %}<label class="pick" for="pick-{{ m.code }}"><input type="checkbox" name="mentions" value="{{ m.code }}" id="pick-{{ m.code }}"> {{ select_word }}</label>{% endif %}
        <a class="client" href="?client={{ m.organisation.code }}">{{ m.organisation.name }}</a>
        <span class="badge {{ m.sentiment }}">{{ m.get_sentiment_display }}</span>
        {% if m.corrected %}<span class="badge corrected">{% translate "corrected" %}</span>{% endif %}
        <span class="badge status-{{ m.status }}">{{ m.get_status_display }}</span>
        <span class="tracked">{{ m.tracked_name.label }}</span>
        <time datetime="{{ m.published|date:'c' }}" title="{{ m.published|short_date:True }}">{{ m.published|ago }}</time>{% if not m.published_known %} <span class="hint">({% translate "date not given, day it was found" %})</span>{% endif %}
        {% if m.source %}<span class="source">{{ m.source_name|default:m.source }}</span>{% endif %}
        {% if m.assigned_to %}<span class="assignee">→ {{ m.assigned_to.get_full_name|default:m.assigned_to.email }}</span>{% endif %}
        {% for t in m.tags.all %}<span class="badge tag">{{ t.name }}</span>{% endfor %}
      </div>
      <a class="title" href="{{ m.detail_url }}">{{ m.title|default:m.url|truncatechars:160 }}</a>
      <p class="snippet">{{ m.snippet|highlight:m.highlights }}</p>
    </li>
  {% endfor %}"""  # noqa: E501

# templates/reputation/dashboard.html's latest mentions before rows.py, then ours in
# the same context (the same CSRF token).
LATEST_LOOP = """{% load i18n humantime snippets links dashboard_tags %}{% for m in mentions %}
  <li class="mention {{ m.sentiment }}" data-code="{{ m.code }}">
    <div class="meta">
      <span class="badge {{ m.sentiment }}">{{ m.get_sentiment_display }}</span>
      {% if m.corrected %}<span class="badge corrected" title="{% translate 'Sentiment corrected by hand' %}">{% translate "corrected" %}</span>{% endif %}
      <span class="tracked">{{ m.tracked_name.label }}</span>
      <time datetime="{{ m.published|date:'c' }}">{{ m.published|short_date:True }}</time>
      {% if m.source %}<span class="source">{{ m.source }}</span>{% endif %}
      {% if m.needs_review %}<span class="badge check">{% translate "to check" %}</span>{% endif %}
    </div>
    <a class="title" href="{% url 'mention-detail' org.code m.code %}?back={{ request.get_full_path|urlencode }}">{{ m.title|default:m.url|default:"—"|truncatechars:160 }}</a>
    {% with link=m.url|safe_url %}{% if link %}<a class="original" href="{{ link }}" title="{% translate "The page where it was published, in a new tab" %}" rel="noopener noreferrer nofollow" target="_blank">{% translate "original" %}{% include "reputation/_new_tab.html" %}</a>{% endif %}{% endwith %}
    <p class="snippet">{{ m.snippet|highlight:m.highlights }}</p>
    {% if membership.can_write %}<form method="post" action="{% url 'mention-sentiment' org.code m.code %}" class="correct">{% csrf_token %}<input type="hidden" name="next" value="{{ request.get_full_path }}">
      <select name="sentiment" aria-label="{% translate 'Correct the sentiment' %}">
        <option value="positive"{% if m.sentiment == "positive" %} selected{% endif %}>{% translate "Positive" %}</option>
        <option value="neutral"{% if m.sentiment == "neutral" %} selected{% endif %}>{% translate "Neutral" %}</option>
        <option value="negative"{% if m.sentiment == "negative" %} selected{% endif %}>{% translate "Negative" %}</option>
        {% if m.corrected %}<option value="auto">{% translate "Automatic" %}</option>{% endif %}
      </select><button type="submit" class="secondary small">{% translate "Correct" %}</button>
    </form>{% endif %}
  </li>
{% endfor %}@@ours@@{% latest_mentions mentions org membership.can_write %}"""  # noqa: E501


def _render(source: str, context: dict, request=None) -> str:
    return engines["django"].from_string(source).render(context, request)


class RowsTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        now = timezone.now()
        hostile_source = Source.objects.create(url="https://evil.example/feed", title=HOSTILE)
        Follow.objects.create(organisation=self.org, source=hostile_source, name=HOSTILE)
        # Every kind of row: answer overdue, due, answered, none; corrected; undated;
        # to check; assigned to a person with a name, to one without; tagged; a title
        # too long (with letters NFC makes longer), none (the address), neither.
        rows = add_mentions(self.org, 4, start=now - timedelta(minutes=3), sentiment="negative")
        rows += add_mentions(
            self.org, 3, start=now - timedelta(days=3), step=timedelta(days=5), label=HOSTILE
        )
        rows += add_mentions(self.other_org, 2, source=hostile_source)
        self.other_org.name = HOSTILE[:100]
        self.other_org.save()
        Membership.objects.create(user=self.bob, organisation=self.other_org, role=Role.VIEWER)
        self.bob.first_name = HOSTILE[:150]
        self.bob.save()
        # 160 letters, 170 once in NFC (U+0F43 is two there): cut, as Django cuts it.
        long_title = "é" * 150 + "\u0f43" * 10
        changes = [
            {"title": HOSTILE, "snippet": HOSTILE, "highlights": [[0, 8], [9, 40]]},
            {"status": "answered", "title": long_title, "assigned_to": self.bob},
            {"published": now - timedelta(days=40), "assigned_to": self.viewer},
            {"corrected_at": now, "needs_review": True, "title": "", "url": "javascript:alert(1)"},
            {"published_known": False, "source": hostile_source, "title": "", "url": ""},
            {"sentiment": "positive", "title": "é" * 161},
            {"source": None, "snippet": "Pourquoi Dupont ?", "highlights": [[8, 14]]},
            {"title": HOSTILE},
            {"sentiment": "negative", "status": "todo"},
        ]
        for mention, change in zip(rows, changes, strict=True):
            for field, value in change.items():
                setattr(mention, field, value)
            mention.save()
        tag = Tag.objects.create(organisation=self.org, name=HOSTILE[:60])
        tag.mentions.add(*rows[:3])
        Tag.objects.create(organisation=self.org, name="presse").mentions.add(rows[0])
        self.rows = rows

    def test_it_writes_the_inbox_rows_as_the_template_did(self):
        url = reverse("inbox", args=[self.org.code])
        for language in ("en", "fr"):
            for user in (self.alice, self.viewer):
                self.login(user)
                with translation.override(language):
                    r = self.client.get(url, HTTP_ACCEPT_LANGUAGE=language)
                    page, membership = r.context["page"], r.context["membership"]
                    self.assertEqual(len(page.rows), 7)
                    self.assertIn(r.context["mention_rows"], r.content.decode())
                    with mock.patch("django.utils.timezone.now", return_value=timezone.now()):
                        theirs = _render(INBOX_LOOP, {"page": page, "membership": membership})
                        ours = inbox_rows(page.rows, can_write=membership.can_write)
                self.assertEqual(ours, theirs)
        # What the comparison covered: badges, escaping, cut titles, each role.
        self.assertIn("&lt;script&gt;", ours)
        self.assertNotIn("<script>", ours)
        self.assertIn("reply-overdue", ours)
        self.assertIn("reply-due", ours)
        self.assertIn("…", ours)
        self.assertNotIn('name="mentions"', ours)  # the viewer's page: no checkboxes

    def test_it_writes_every_clients_rows_as_the_template_did(self):
        self.login(self.bob)
        for language in ("en", "fr"):
            with translation.override(language):
                r = self.client.get(reverse("inbox-all"), HTTP_ACCEPT_LANGUAGE=language)
                page, writable = r.context["page"], r.context["writable"]
                self.assertEqual(len(page.rows), 9)
                self.assertIn(r.context["mention_rows"], r.content.decode())
                with mock.patch("django.utils.timezone.now", return_value=timezone.now()):
                    theirs = _render(ALL_LOOP, {"page": page, "writable": writable})
                    ours = inbox_rows(page.rows, writable=writable, clients=True)
            self.assertEqual(ours, theirs)
        self.assertIn('class="client"', ours)
        self.assertIn("&lt;script&gt;", ours)
        # Bob writes for Alice & Co, reads only for the other client.
        self.assertEqual(ours.count('name="mentions"'), 7)

    def test_it_writes_the_dashboards_latest_mentions_as_the_template_did(self):
        url = reverse("dashboard", args=[self.org.code]) + "?days=30&x=<b>&y=é"
        Mention.objects.filter(pk=self.rows[2].pk).update(published=timezone.now())
        for language in ("en", "fr"):
            for user in (self.alice, self.viewer):
                self.login(user)
                with translation.override(language):
                    r = self.client.get(url, HTTP_ACCEPT_LANGUAGE=language)
                    request = RequestFactory().get(url)
                    request.user = user
                    get_token(request)
                    context = {
                        "mentions": r.context["mentions"],
                        "org": self.org,
                        "membership": r.context["membership"],
                    }
                    theirs, ours = _render(LATEST_LOOP, context, request).split("@@ours@@")
                self.assertEqual(ours, theirs)
                self.assertIn(f'data-code="{self.rows[0].code}"', ours)
        self.assertIn("&lt;script&gt;", ours)
        self.assertNotIn("<script>", ours)
        self.assertNotIn('href="javascript:', ours)  # shown as text, never a link
        self.assertIn(">—</a>", ours)
        self.assertNotIn('name="sentiment"', ours)  # the viewer: no correction form
