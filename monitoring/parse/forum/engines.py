"""CSS selectors of the common forum engines' thread pages.

Each signature names the post container and, inside it, where the body, author, date and
permalink are. Missing field selectors fall back to the generic heuristics of forum.py.
Several themes of one engine are listed as comma-separated alternatives.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Signature:
    engine: str
    post: str
    body: str = ""
    author: str = ""
    date: str = ""
    permalink: str = ""


SIGNATURES = [
    Signature(
        "xenforo",
        post="article.message--post, li.message[id^=post-], article.message[data-author]",
        body=".message-body .bbWrapper, .messageContent .messageText, .messageText, .bbWrapper",
        author=".message-name a, .message-name, .messageUserInfo .username, a.username",
        date=".message-attribution-main time, .message-attribution time, "
        ".messageDetails .DateTime, time.u-dt, .DateTime",
        permalink=".message-attribution-main a[href*='post'], .message-attribution-opposite "
        "a[href*='post'], a.datePermalink, a.postNumber, a[href*='/post-']",
    ),
    Signature(
        "discourse",
        post="div.topic-post article, div.crawler-post, div[itemprop=comment], "
        "div[id^=post_][itemtype*=DiscussionForumPosting]",
        body=".cooked, div.post[itemprop=text], div.post[itemprop=articleBody], "
        "[itemprop=text], [itemprop=articleBody]",
        author=".creator [itemprop=name], .creator a, .username a, [itemprop=author] "
        "[itemprop=name], .names a",
        date="time.post-time, .crawler-post-infos time, [itemprop=datePublished], "
        ".post-date [data-time], .relative-date",
        permalink="a.post-date, .crawler-post-infos a[itemprop=url]",
    ),
    Signature(
        "phpbb",
        post="div.post[id^=p], div.post.bg1, div.post.bg2",
        body="div.content",
        author=".author .username, .author .username-coloured, .postprofile .username, "
        ".postprofile .username-coloured, .author strong a, .postprofile dt a:not(:has(img))",
        date=".author time, p.author, .author",
        permalink=".author a[href*='#p'], h3 a[href*='#p'], .author a[href*='p=']",
    ),
    Signature(
        "vbulletin",
        post="li.postcontainer, li.postbit, li[id^=post_], div[id^=edit] > table[id^=post], "
        "table[id^=post][class*=tborder], div.postbit, div[id^=post_message_container]",
        body="blockquote.postcontent, div[id^=post_message_], .postbody .content, .postcontent",
        author="a.username, .username, a.bigusername, .popupmenu a.siteicon_profile",
        date="span.date, .postdate, .posthead .date, td.thead",
        permalink="a.postcounter, a[id^=postcount], a[href*='#post'], a[href*='showpost'], "
        "a[name^=post]",
    ),
    Signature(
        "invision",
        post="article.cPost, div.post_block, article[id^=elComment_]",
        body="div[data-role=commentContent], .cPost_contentWrap .ipsType_richText, "
        ".post_body .post, .post_body",
        author=".cAuthorPane_author a, .cAuthorPane_author, .author_info .fn a, "
        "span[itemprop=name], .author a",
        date="time, abbr.published, .posted_info",
        permalink="a[href*='comment='], a[href*='#comment-'], a[data-roll=shareComment], "
        "a[href*='entry'], .post_id a",
    ),
    Signature(
        "smf",
        post="div.windowbg:has(div.post), div.windowbg2:has(div.post), "
        "div.windowbg:has(.inner[id^=msg_]), div.windowbg2:has(.inner[id^=msg_])",
        body="div.post div.inner, .inner[id^=msg_], div.post",
        author=".poster h4 a, .poster h4, .poster a",
        date=".keyinfo .smalltext, .postinfo .smalltext, .smalltext",
        permalink=".keyinfo h5 a, a.smalltext[href*='msg'], a[href*='#msg'], a[href*='.msg']",
    ),
    Signature(
        "mybb",
        post="div.post[id^=post_], table[id^=post_]",
        body="div.post_body, .post_body",
        author=".author_information a, .post_author a, .largetext a",
        date="span.post_date, .post_date",
        permalink=".post_head a[href*='pid'], a[href*='#pid'], a[href*='pid=']",
    ),
    Signature(
        "fluxbb",
        post="div.blockpost",
        body="div.postmsg",
        author=".postleft dt a, .postleft dt strong, .postleft dt",
        date="h2 span a, h2 a, h2",
        permalink="h2 span a, h2 a",
    ),
    Signature(
        "vanilla",
        post="li.ItemComment, li.ItemDiscussion, div.ItemDiscussion, div.Discussion div.Item, "
        "div.Discussion, li.Item.Comment",
        body=".Message.userContent, .Message, .userContent",
        author="a.Username, .Author a.Username, .Author a",
        date="time, .DateCreated",
        permalink="a.Permalink, .DateCreated a",
    ),
    Signature(
        "reddit",
        post="div.thing.comment, div.thing.link, shreddit-comment, shreddit-post",
        body=".usertext-body .md, .entry .md, div[slot=comment], div[slot=text-body]",
        author="a.author, [slot=authorName]",
        date="time, faceplate-timeago time",
        permalink="a.bylink, a[data-event-action=permalink]",
    ),
    Signature(
        "schema.org",
        post="[itemtype*='schema.org/Comment'], [itemtype*='DiscussionForumPosting'], "
        "[itemtype*='schema.org/Answer'], [itemtype*='schema.org/Question']",
        body="[itemprop=text], [itemprop=articleBody], [itemprop=commentText]",
        author="[itemprop=author] [itemprop=name], [itemprop=author]",
        date="[itemprop=datePublished], [itemprop=dateCreated], time",
        permalink="a[itemprop=url]",
    ),
]
