"""Turning user-written Markdown (project guidelines, comments) into safe HTML."""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li",
    "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}


def render_markdown(source: str) -> SafeString:
    """Markdown to HTML with every tag, attribute and URL scheme outside a small allow-list removed.

    Raw HTML in the source is escaped by the sanitiser's allow-list, so `<script>` and `onerror=` never
    survive, and links can only be http(s) or mailto.
    """
    html = markdown.markdown(source, extensions=["tables", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308  # nh3 output is sanitised HTML
