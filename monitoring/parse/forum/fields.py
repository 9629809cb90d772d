"""The fields of one post container: date, author, permalink, body text."""

import re
from urllib.parse import urljoin, urlsplit

from monitoring.parse.forum.dates import DATE_RE, SKIP_CONTEXT, DateReader, parse_machine
from monitoring.parse.forum.dom import (
    ancestors_until,
    classes,
    clean_space,
    drop,
    select,
    select_self,
    text,
)

MACHINE_DATE_SEL = (
    "time[datetime], [data-time], [data-timestamp], [data-datetime], [datetime], "
    "meta[itemprop=datePublished], meta[itemprop=dateCreated], [data-date]"
)
DATE_HINT = re.compile(r"date|time|posted|zeit|datum|publi|stamp|when|ago", re.I)
AUTHOR_HINT = re.compile(
    r"\b(author|username|user-name|user_name|poster|postauthor|post-author|uname|nick|"
    r"membername|bigusername|creator|user-link|userlink|autor|auteur|posterinfo|name|user|"
    r"profile|member)\b",
    re.I,
)
PROFILE_HREF = re.compile(
    r"(member|user|profile|profil|/u/|benutzer|mitglied|people|/author/|account)", re.I
)
POST_HREF = re.compile(
    r"(#p\d+|#post[-_]?\d+|[?&]p=\d+|/post[-s]?[/-]?\d+|showpost|#comment[-_]?\d+|"
    r"comment[-_/=]\d+|#msg\d+|[?&.]msg\d+|msg=\d+|[?&]pid=\d+|#reply|#entry\d+|"
    r"[?&]postid=\d+|/\d+#\d+$|#\d+$|#r\d+$)",
    re.I,
)
NOT_POST_HREF = re.compile(r"(quote|reply|report|posting\.php|mode=|share|like|vote)", re.I)
QUOTE_SEL = (
    "blockquote, .quote, .quotecontent, .quotetitle, .quoteheader, .quotefooter, "
    ".bbCodeQuote, .bbCodeBlock--quote, .bbcode_quote, .bbcode-quote, aside.quote, "
    ".ipsQuote, .quotebox, .topquote, .botquote, .post-quote, .bbCodeBlock-expandLink, "
    ".quoted, .quote-container, [class*=Quote]"
)
NOISE_SEL = (
    ".signature, .sig, .postsig, .message-signature, [id^=sig], .signaturecontainer, "
    ".post-signature, .ipsSignature, .user-signature, .editedby, .message-lastEdit, "
    ".lastedited, .edit-notice, .post-edited, .notice, .post-edit-reason, .reactionsBar, "
    ".message-footer, .likes, .post-likes, .attachments-title"
)
META_NOISE = re.compile(
    r"signature|profile|userinfo|user-info|postprofile|author|poster|avatar|footer|buttons|"
    r"actions|toolbar|controls|menu|share|vote|like|rank|postdetails|meta|in-reply|"
    r"reply-author|reply-to|replyto",
    re.I,
)
USER_PREFIX = re.compile(r"^(posted by|written by|by|par|von|de|from)\s*:?\s+", re.I)


def find_date(container, css: str, dates: DateReader, body=None):
    """(datetime, element) of the post's date; the element may be None."""
    skip = {body} if body is not None else set()
    # 1. Elements named by the signature: machine attribute, then their text.
    for el in select_self(container, css) if css else []:
        if _under(el, skip, container):
            continue
        dt = (
            _machine_of(el)
            or _machine_inside(el)
            or (dates.find(el.get("title")) if el.get("title") else None)
            or dates.find(text(el), allow_bare=True)
        )
        if dt is not None:
            return dt, el
    # 2. Machine-readable dates anywhere outside the body and not in a join/edit context.
    for el in select(container, MACHINE_DATE_SEL):
        if _under(el, skip, container) or _skipped_context(el, container):
            continue
        dt = _machine_of(el)
        if dt is not None:
            return dt, el
    # 3. A date-labelled element's tooltip: "10 Monate 3 Wochen her" shown, the absolute
    #    "05 Jun 2019 02:24" in its title.
    for el in select(container, "[title]"):
        if not DATE_HINT.search(classes(el)) or _under(el, skip, container):
            continue
        if _skipped_context(el, container):
            continue
        dt = dates.find(el.get("title"))
        if dt is not None:
            return dt, el
    # 4. Date-like text in small elements, document order.
    for el in container.iter():
        if not isinstance(el.tag, str) or _under(el, skip, container) or el is body:
            continue
        t = text(el)
        if not t or len(t) > 160:
            continue
        if _skipped_context(el, container):
            continue
        hinted = bool(DATE_HINT.search(classes(el)))
        dt = None
        if hinted and el.get("title"):
            # "10 Monate 3 Wochen her" shown, "05 Jun 2019 02:24" in the tooltip.
            dt = dates.find(el.get("title"))
        dt = dt or dates.find(t, allow_bare=hinted)
        if dt is not None:
            return dt, _smallest_with(el, t)
    return None, None


def _smallest_with(el, t):
    return el


def _machine_inside(el):
    for inner in select(el, MACHINE_DATE_SEL):
        dt = _machine_of(inner)
        if dt is not None:
            return dt
    return None


def _machine_of(el):
    for attr in (
        "datetime",
        "data-time",
        "data-timestamp",
        "data-datetime",
        "content",
        "data-date",
    ):
        dt = parse_machine(el.get(attr) or "")
        if dt is not None:
            return dt
    title = el.get("title") or ""
    if title and re.search(r"\d", title):
        dt = parse_machine(title)
        if dt is not None:
            return dt
    return None


def _skipped_context(el, container) -> bool:
    """True when the text just before `el` says it is a join or edit date."""
    for node in [el, *ancestors_until(el, container)[:2]]:
        if re.search(r"edit|join|regist|lastvisit|last-seen|birthday", classes(node)):
            return True
    parent = el.getparent()
    if parent is None:
        return False
    own = text(el)
    ptext = text(parent)
    if len(ptext) > 400:
        return False
    idx = ptext.find(own) if own else -1
    before = ptext[:idx] if idx >= 0 else ""
    return bool(before and SKIP_CONTEXT.search(before[-60:]))


def _under(el, stops: set, container) -> bool:
    if not stops:
        return False
    if el in stops:
        return True
    return any(a in stops for a in ancestors_until(el, container))


def find_author(container, css: str, body=None) -> tuple[str, object]:
    skip = {body} if body is not None else set()
    if css:
        for el in select_self(container, css):
            if _under(el, skip, container):
                continue
            name = _name_of(el)
            if name:
                return name, el
    for attr in ("data-author", "data-username", "data-user"):
        value = clean_space(container.get(attr) or "")
        if value and len(value) <= 80:
            return value, None
    for el in select(container, "[itemprop=author]"):
        if _under(el, skip, container):
            continue
        inner = select(el, "[itemprop=name]")
        name = (inner[0].get("content") or text(inner[0])) if inner else _name_of(el)
        name = _clean_name(name)
        if name:
            return name, el
    for el in container.iter():
        if not isinstance(el.tag, str) or _under(el, skip, container) or el is body:
            continue
        if AUTHOR_HINT.search(el.get("class") or "") or AUTHOR_HINT.search(el.get("id") or ""):
            if len(text(el)) > 300:  # a whole post wrapper with "user-id-N" in its classes
                continue
            if re.search(r"reply|quote|mention|last", classes(el)):
                continue  # "in reply to X", "X wrote:", last poster: not this post's author
            name = _name_of(el)
            if name:
                return name, el
    for a in select(container, "a[href]"):
        if _under(a, skip, container):
            continue
        if _profile_link(a):
            name = _clean_name(text(a))
            if name:
                return name, a
    return "", None


def _profile_link(a) -> bool:
    # Only the path and query: "user" in a host name (ubuntuusers.de) says nothing.
    parts = urlsplit(a.get("href") or "")
    return bool(PROFILE_HREF.search(f"{parts.path}?{parts.query}"))


def _name_of(el) -> str:
    for inner in select_self(el, "[itemprop=name]"):
        name = _clean_name(inner.get("content") or text(inner))
        if name:
            return name
    links = [a for a in select_self(el, "a[href]") if _clean_name(text(a))]
    profiles = [a for a in links if _profile_link(a)]
    if profiles or links:
        return _clean_name(text((profiles or links)[0]))
    for strong in select(el, "b, strong"):
        name = _clean_name(text(strong))
        if name:
            return name
    if el.get("content"):
        return _clean_name(el.get("content"))
    # A profile box without links: its first line is the name ("Sober / Inventar").
    lines = [ln.strip() for ln in (el.text_content() or "").split("\n") if ln.strip()]
    return _clean_name(lines[0]) if lines else ""


def _clean_name(name: str) -> str:
    # Author blocks often carry the date too ("Marry_ 18. Dezember 2019").
    name = USER_PREFIX.sub("", clean_space(DATE_RE.sub(" ", name or "")))
    name = re.sub(r"\s+[\d.,]+$", "", name)  # reputation or post count after the name
    if not name or len(name) > 60 or not re.search(r"\w", name):
        return ""
    return name


def find_permalink(container, css: str, page_url: str, body=None) -> str:
    skip = {body} if body is not None else set()
    if css:
        for a in select_self(container, css):
            href = a.get("href") or ""
            if href and not _under(a, skip, container) and not href.startswith("javascript"):
                return urljoin(page_url, href)
    for a in select(container, "a[href]"):
        if _under(a, skip, container):
            continue
        href = a.get("href") or ""
        hints = classes(a) + " " + (a.get("rel") or "")
        if (
            "permalink" in hints
            or "bookmark" in hints
            or (POST_HREF.search(href) and not NOT_POST_HREF.search(href))
        ):
            return urljoin(page_url, href)
    page = page_url.split("#")[0]
    for el in container.iter():
        if not isinstance(el.tag, str):
            continue
        ident = el.get("id") or (el.get("name") if el.tag == "a" else "") or ""
        if re.search(r"\d", ident) and re.search(
            r"(post|^p\d|msg|comment|reply|entry)", ident, re.I
        ):
            return f"{page}#{ident}"
        if el is not container and len(ident) > 0 and el.tag != "a":
            continue
    return ""


def find_body(container, css: str, meta: list):
    """The element holding the post's own text, or None to use the container's text."""
    if css:
        found = select(container, css)
        for el in found:
            if text(el):
                return el
        if found:
            return None  # the body is there and empty
    tainted = set()
    for m in meta:
        if m is None:
            continue
        tainted.add(m)
        tainted.update(ancestors_until(m, container))
    best, best_len = None, 0
    for el in container.iter("div", "blockquote", "td", "article", "section", "dd", "span", "p"):
        if el is container or el in tainted or _under(el, set(meta) - {None}, container):
            continue
        if META_NOISE.search(classes(el)) or any(
            META_NOISE.search(classes(a)) for a in ancestors_until(el, container)
        ):
            continue  # "in reply to X", profile boxes, toolbars
        n = len(text(el))
        if n > best_len:
            best, best_len = el, n
    return best


def body_text(container, body, meta: list) -> str:
    """The post's own text: quotes of other posts, signatures and edit notices removed."""
    target = body if body is not None else container
    whole = len(text(target))
    for el in select(target, QUOTE_SEL) + select(target, NOISE_SEL):
        if el is target or el.getparent() is None:
            continue
        # A "quote" holding nearly all the text is the post itself (vBulletin's body is a
        # blockquote.postcontent inside div#post_message_N).
        if len(text(el)) >= 0.8 * whole:
            continue
        drop(el)
    if body is None:
        whole = len(text(container))
        for m in meta:
            keep = m is None or m is container or m.getparent() is None
            if not keep and len(text(m)) < 0.5 * whole:
                drop(m)
        for el in list(container.iter()):
            if el is container or not isinstance(el.tag, str) or el.getparent() is None:
                continue
            if META_NOISE.search(classes(el)) and len(text(el)) < 0.5 * whole:
                drop(el)
    return text(target)


def container_text_len(container) -> int:
    return len(text(container))
