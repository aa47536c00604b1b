from urllib.parse import urlencode

from django import template

from ..highlight import statement_html

register = template.Library()


@register.simple_tag
def quote(statement, query=""):
    """The statement's text, escaped, with search matches marked."""
    return statement_html(statement, query)


@register.simple_tag
def with_filter(filters, name, value):
    """A query string: the current filters plus name=value (once), without a cursor."""
    pairs = list(filters.params())
    if (name, value) not in pairs:
        pairs.append((name, value))
    return "?" + urlencode(pairs)


@register.simple_tag
def without_filter(filters, name, value):
    """A query string: the current filters less name=value."""
    pairs = [p for p in filters.params() if p != (name, value)]
    return "?" + urlencode(pairs) if pairs else "?"


@register.simple_tag
def page_link(filters, key, cursor):
    """A query string for the Older/Newer links: the filters and a cursor."""
    return "?" + urlencode([*filters.params(), (key, cursor)])


@register.simple_tag
def filter_query(filters):
    """The current filters as a query string ("?speaker=...&q=..."), or ""."""
    pairs = filters.params()
    return "?" + urlencode(pairs) if pairs else ""


@register.filter
def describe(filters):
    """The filters in words, for a page title."""
    parts = [s.name for s in filters.speakers]
    parts += [c.name for c in filters.countries]
    parts += [t.name for t in filters.topics]
    parts += list(filters.kinds)
    if filters.since or filters.until:
        parts.append(
            f"{filters.since.isoformat() if filters.since else '…'} to "
            f"{filters.until.isoformat() if filters.until else '…'}"
        )
    if filters.q:
        parts.append(f"“{filters.q}”")
    return ", ".join(parts)


@register.filter
def count_of(counts, topic):
    """The count of `topic` in {topic id: n} (0 when it has none)."""
    return (counts or {}).get(getattr(topic, "pk", topic), 0)
