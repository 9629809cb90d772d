"""Issue 16, defect 4: "the same story elsewhere" does not group forum posts by the
thread's title, which every post of the thread carries."""

from django.urls import reverse

from monitoring.models import SourceKind
from tests.base import BaseTestCase
from tests.inbox_data import add_mentions, source_for


class SameStoryTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.bob)
        self.forum = source_for(
            self.org, "https://forum.example.org/t/boulangeries", kind=SourceKind.FORUM
        )
        self.posts = add_mentions(
            self.org, 3, title="Vos boulangeries préférées à Lyon ?", source=self.forum
        )

    def page(self, mention):
        return self.client.get(reverse("mention-detail", args=[self.org.code, mention.code]))

    def test_it_does_not_group_the_posts_of_a_thread(self):
        r = self.page(self.posts[0])
        self.assertEqual(r.context["same"], [])

    def test_it_does_not_group_an_article_with_a_thread_of_its_title(self):
        news = source_for(self.org, "https://news.example.org/rss")
        article = add_mentions(
            self.org, 1, title="Vos boulangeries préférées à Lyon ?", source=news
        )[0]
        self.assertEqual(self.page(article).context["same"], [])

    def test_it_still_groups_the_same_news_on_two_sites(self):
        one = add_mentions(self.org, 1, title="Dupont rouvre", source=source_for(self.org))[0]
        other = source_for(self.org, "https://other.example.org/rss")
        two = add_mentions(self.org, 1, title="Dupont rouvre", source=other)[0]
        self.assertEqual(self.page(one).context["same"], [two])
