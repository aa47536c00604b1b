import datetime
import re

import pytest

from statements.charts import WIDTH, axis_labels, label_width, timeline_svg


def months(n, start=datetime.date(2024, 1, 1)):
    out, y, m = [], start.year, start.month
    for i in range(n):
        out.append((datetime.date(y, m, 1), i + 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def labels(svg):
    return [
        (float(x), text)
        for x, text in re.findall(
            r'<text x="([\d.]+)" y="[\d.]+" class="axis"[^>]*>([^<]+)<', svg
        )
    ]


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6, 7, 9, 12, 18, 24, 25, 60, 240])
def test_month_labels_never_overlap_and_stay_inside_the_chart(n):
    shown = labels(timeline_svg(months(n)))
    assert shown, "a chart has at least one label"
    for (x1, t1), (x2, t2) in zip(shown, shown[1:], strict=False):
        assert x1 + label_width(t1) / 2 < x2 - label_width(t2) / 2, (t1, t2)
    for x, text in shown:
        assert x - label_width(text) / 2 >= 0
        assert x + label_width(text) / 2 <= WIDTH


def test_a_short_range_names_every_month():
    assert [t for _, t in labels(timeline_svg(months(3)))] == [
        "Jan 24",
        "Feb 24",
        "Mar 24",
    ]


def test_the_chart_is_a_group_of_named_links_not_an_image():
    svg = str(timeline_svg(months(3)))
    assert 'role="group"' in svg
    assert 'role="img"' not in svg
    assert svg.count("<a ") == 3
    assert '<a href="?since=2024-02-01&amp;until=2024-02-29"' in svg
    assert "<title>Feb 2024: 2 statements</title>" in svg


def test_axis_labels_skip_what_would_collide():
    ticks = [(i, "Jan 24") for i in range(10)]
    shown = axis_labels(ticks, 0, 10)
    assert 1 < len(shown) < 10
