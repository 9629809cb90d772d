"""User-written CSS selectors are limited to a subset that runs in linear time.

A member's selector runs on hostile pages at every poll. Structural pseudo-classes
(`:nth-last-child(3n)`, `:first-child`, `:nth-of-type`), sibling combinators (`+`,
`~`) and `:has()` compare each element with its siblings: on a page of 80,000
siblings, `b:nth-last-child(3n)` took 51 s of CPU in one preview, inside one call
that no deadline between items can interrupt. Element names, classes, ids,
attributes, the descendant and child combinators, `:not()`, `:is()` and `:where()`
cost at most the size of the tree times its depth, and pages are bounded in size.
So the selector is checked where it is saved (forms) and again where it runs
(monitoring/parse/html.py and parse/forum/), since rows saved earlier may hold anything.
"""

from cssselect import SelectorError, parse
from cssselect.parser import (
    Attrib,
    Class,
    CombinedSelector,
    Element,
    Hash,
    Matching,
    Negation,
    SpecificityAdjustment,
)
from django.utils.translation import gettext as _

from monitoring.types import SourceError

MAX_LENGTH = 300
MAX_SELECTORS = 10  # comma-separated alternatives
COMBINATORS = {" ", ">"}


class UnsafeSelector(ValueError):
    """`message` says, in words for users, what to write instead."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidSelector(UnsafeSelector):
    """Not CSS at all (or not CSS that we read)."""


def check_selector(css: str) -> None:
    """Raise UnsafeSelector unless `css` is in the linear-time subset."""
    css = (css or "").strip()
    if not css:
        return
    if len(css) > MAX_LENGTH:
        raise UnsafeSelector(
            _("this selector is too long (%(max)d characters at most)") % {"max": MAX_LENGTH}
        )
    try:
        selectors = parse(css)
    except SelectorError as exc:
        raise InvalidSelector(
            _("this CSS selector is not valid: %(reason)s") % {"reason": exc}
        ) from exc
    if len(selectors) > MAX_SELECTORS:
        raise UnsafeSelector(_("this selector has too many alternatives"))
    for selector in selectors:
        if selector.pseudo_element:  # neither soupsieve nor lxml reads them
            raise InvalidSelector(_not_allowed("::" + str(selector.pseudo_element)))
        _check_node(selector.parsed_tree)


def _not_allowed(what: str) -> str:
    return _(
        "“%(what)s” is not allowed in selectors: it can be very slow on big pages. Use "
        "element names, classes, ids and attributes, separated by a space or “>”"
    ) % {"what": what}


def _check_node(node) -> None:
    if isinstance(node, Element):
        return
    if isinstance(node, Class | Hash | Attrib):
        _check_node(node.selector)
        return
    if isinstance(node, CombinedSelector):
        if node.combinator not in COMBINATORS:
            raise UnsafeSelector(_not_allowed(node.combinator))
        _check_node(node.selector)
        _check_node(node.subselector)
        return
    if isinstance(node, Negation):
        _check_node(node.selector)
        _check_node(node.subselector)
        return
    if isinstance(node, Matching | SpecificityAdjustment):
        _check_node(node.selector)
        for sub in node.selector_list:
            _check_node(sub)
        return
    # Pseudo-classes (:first-child), functions (:nth-last-child(3n), :contains()),
    # relations (:has()): everything else.
    name = getattr(node, "ident", None) or getattr(node, "name", None) or "has"
    raise UnsafeSelector(_not_allowed(":" + str(name)))


def check_safe_selectors(selectors: dict, skip_invalid: bool = False) -> None:
    """SourceError unless every selector of a source is in the subset: checked where
    they run too, since a row saved earlier may hold anything. `skip_invalid`: a
    selector that does not parse is left to the caller (forums ignore it)."""
    for field, css in selectors.items():
        try:
            check_selector(css)
        except InvalidSelector as exc:
            if skip_invalid:
                continue
            raise SourceError(
                "bad_selector",
                _("the %(field)s selector “%(css)s” is not a valid CSS selector")
                % {"field": field, "css": css},
            ) from exc
        except UnsafeSelector as exc:
            raise SourceError(
                "unsafe_selector",
                _("the %(field)s selector “%(css)s”: %(reason)s")
                % {"field": field, "css": css[:100], "reason": exc.message},
            ) from exc
