"""Tests for assess.charts: well-formed, escaped, accessible SVG that WeasyPrint renders."""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest
from markupsafe import Markup, escape

from assess.charts import grouped_bar_chart, line_chart, theme_bar_chart

SVG = "{http://www.w3.org/2000/svg}"
EVIL = "<script>alert('x')</script> & \"quotes\""
THEMES = [
    ("Legislative framework", 80.0),
    ("Competent authority", 40.0),
    (EVIL, 20.0),
    ("Security culture", None),
    ("ضمان الجودة", 60.0),
    ("核安保文化", 0.0),
    ("Threat assessment and graded approach: design basis threat review cycle " * 2, 100.0),
]
CATEGORIES = ["Legislative framework", "Competent authority", "Security culture"]
SERIES = [
    ("2023 baseline self-assessment of the research reactor site", [40.0, 55.0, None]),
    ("2024 review", [62.0, None, 20.0]),
    (EVIL, [80.0, 61.0, 35.0]),
]
POINTS = [
    ("Jan 2024", {"overall": 40.0, "a": 30.0, "b": 50.0}),
    ("Jul 2024", {"overall": 48.0, "a": None, "b": 55.0}),
    ("Jan 2025", {"overall": 55.0, "a": 45.0}),
    ("Jul 2025", {"overall": 63.0, "a": 52.0, "b": 72.0}),
]
TITLES = {"overall": "Overall", "a": "Legislative framework", "b": EVIL}


def parse(chart: Markup) -> ET.Element:
    return ET.fromstring(str(chart))


def texts(root: ET.Element) -> list[str]:
    """Rendered text of every <text> element (tspans joined), excluding title/desc."""
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]


@pytest.fixture(
    params=[
        lambda: theme_bar_chart(THEMES, 75, "Scores <by> theme"),
        lambda: grouped_bar_chart(CATEGORIES, SERIES, "Comparison & more", target=75),
        lambda: line_chart(POINTS, TITLES, "Progress"),
    ],
    ids=["theme", "grouped", "line"],
)
def chart(request: pytest.FixtureRequest) -> Markup:
    return request.param()


def test_is_markup_and_well_formed_accessible_svg(chart: Markup) -> None:
    assert isinstance(chart, Markup)
    root = parse(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 ")
    assert "DejaVu Sans" in root.get("font-family", "")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text
    assert desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))


def test_user_text_is_escaped(chart: Markup) -> None:
    markup = str(chart)
    assert "<script" not in markup.lower()
    assert "&lt;script&gt;" in markup
    assert str(escape(EVIL)) in markup  # full label, e.g. in the <desc> and tooltips
    assert "javascript:" not in markup
    assert "<foreignObject" not in markup
    # The parsed tree gets the original characters back.
    assert any("<script>" in "".join(el.itertext()) for el in parse(chart).iter())


def test_deterministic_and_ids_differ_between_charts() -> None:
    first = theme_bar_chart(THEMES, 75, "Scores")
    assert first == theme_bar_chart(list(THEMES), 75.0, "Scores")
    assert line_chart(POINTS, TITLES, "P") == line_chart(POINTS, dict(TITLES), "P")
    other = parse(theme_bar_chart(THEMES, 80, "Scores"))
    assert parse(first).get("aria-labelledby") != other.get("aria-labelledby")


def test_no_external_references(chart: Markup) -> None:
    markup = str(chart)
    assert "http" not in markup.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<script" not in markup and "<image" not in markup and "<style" not in markup
    assert "href" not in markup


def test_theme_bars_are_proportional_to_scores() -> None:
    root = parse(theme_bar_chart(THEMES, 75, "Scores"))
    scored = [score for _, score in THEMES if score is not None]
    widths = [float(r.get("width")) for r in bars(root)]
    assert len(widths) == len(scored)
    full = widths[scored.index(100.0)]
    assert full > 300  # readable at A4 width
    for width, score in zip(widths, scored, strict=True):
        assert math.isclose(width, full * score / 100, abs_tol=0.01)
    assert len({r.get("x") for r in bars(root)}) == 1  # common baseline


def test_theme_chart_prints_values_target_and_not_assessed() -> None:
    root = parse(theme_bar_chart(THEMES, 75, "Scores"))
    labels = texts(root)
    for value in ("80", "40", "20", "60", "0", "100"):
        assert value in labels
    assert labels.count("not assessed") == 1
    assert "Target 75" in labels
    assert {"Competent authority", "ضمان الجودة", "核安保文化"} <= set(labels)
    assert any("Threat assessment" in t and t.endswith("…") for t in labels)  # wrapped, cut
    target = root.find(f"{SVG}g[@class='target']/{SVG}line")
    assert target is not None and target.get("stroke-dasharray")
    x = float(target.get("x1"))
    base = float(bars(root)[0].get("x"))
    full = max(float(r.get("width")) for r in bars(root))
    assert math.isclose(x, base + full * 0.75, abs_tol=0.01)
    assert "Security culture: not assessed" in root.find(f"{SVG}desc").text


def test_theme_chart_clamps_out_of_range_and_nan() -> None:
    root = parse(theme_bar_chart([("a", 150.0), ("b", -5.0), ("c", float("nan"))], 75, "t"))
    widths = [float(r.get("width")) for r in bars(root)]
    assert widths[0] > 0 and widths[1] == 0
    assert "150" in texts(root) and "not assessed" in texts(root)


def test_control_characters_are_dropped() -> None:
    root = parse(theme_bar_chart([("bad\x00name\x0b", 50.0)], 75, "t\x1f"))
    assert "badname" in texts(root)


def test_grouped_has_one_bar_per_value_with_patterns_and_legend() -> None:
    root = parse(grouped_bar_chart(CATEGORIES, SERIES, "Comparison", target=75))
    rects = bars(root)
    values = [(i, v) for i, (_, vs) in enumerate(SERIES) for v in vs if v is not None]
    assert len(rects) == len(values)
    by_series: dict[int, list[float]] = {}
    for rect in rects:
        by_series.setdefault(int(rect.get("data-series")), []).append(float(rect.get("width")))
    per_unit = by_series[2][0] / 80.0
    for i, (_, vs) in enumerate(SERIES):
        expected = [v * per_unit for v in vs if v is not None]
        assert by_series[i] == pytest.approx(expected, abs=0.01)
    labels = texts(root)
    assert labels.count("not assessed") == 2
    assert "Target 75" in labels
    legend = [g for g in root.iter(f"{SVG}g") if g.get("class") == "legend-item"]
    assert len(legend) == len(SERIES)
    long_name = SERIES[0][0]
    first = legend[0]
    assert first.find(f"{SVG}title").text == long_name  # full name as tooltip
    shown = "".join(first.find(f"{SVG}text").itertext())
    assert shown.endswith("…") and long_name.startswith(shown[:-1])
    assert len(root.findall(f"{SVG}defs/{SVG}pattern")) >= 2


def test_grouped_without_target_and_six_series() -> None:
    six = [(f"Assessment {i}", [10.0 * i, None]) for i in range(6)]
    root = parse(grouped_bar_chart(["a", "b"], six, "Six"))
    assert len(bars(root)) == 6
    assert root.find(f"{SVG}g[@class='target']") is None
    fills = {r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("fill", "").startswith("url")}
    assert len(fills) == 5  # every series but the solid first one has its own pattern


def test_grouped_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        grouped_bar_chart(["a"], [(f"s{i}", [1.0]) for i in range(7)], "t")
    with pytest.raises(ValueError):
        grouped_bar_chart(["a", "b"], [("s", [1.0])], "t")


def series_groups(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-key"): g for g in root.iter(f"{SVG}g") if g.get("class") == "series"}


def marker_count(group: ET.Element) -> int:
    return sum(1 for el in group if el.tag in (f"{SVG}circle", f"{SVG}polygon"))


def test_line_chart_gaps_markers_and_grid() -> None:
    root = parse(line_chart(POINTS, TITLES, "Progress"))
    groups = series_groups(root)
    assert set(groups) == set(TITLES)
    assert marker_count(groups["overall"]) == 4
    assert marker_count(groups["a"]) == 3
    assert marker_count(groups["b"]) == 3
    overall = groups["overall"].find(f"{SVG}path").get("d")
    assert overall.count("M") == 1 and overall.count("L") == 3
    gap = groups["a"].find(f"{SVG}path").get("d")
    assert gap.count("M") == 1 and gap.count("L") == 1  # the first point stands alone
    b = groups["b"].find(f"{SVG}path").get("d")
    assert b.count("M") == 1 and b.count("L") == 1  # missing key is a gap too
    width = {k: float(g.find(f"{SVG}path").get("stroke-width")) for k, g in groups.items()}
    assert width["overall"] > max(width["a"], width["b"])
    labels = texts(root)
    ticks = ["0", "20", "40", "60", "80", "100"]
    assert [t for t in labels if t in ticks] == ticks
    assert {"Jan 2024", "Jul 2025", "Overall", "Legislative framework"} <= set(labels)
    grid = [ln for ln in root.iter(f"{SVG}line") if ln.get("class") == "grid"]
    ys = [float(ln.get("y1")) for ln in grid]
    assert len(ys) == 6 and all(ln.get("y1") == ln.get("y2") for ln in grid)
    assert ys == sorted(ys, reverse=True)  # 0 at the bottom, 100 at the top
    assert all(math.isclose(b - a, ys[1] - ys[0]) for a, b in pairwise(ys))
    # The overall line starts at 40: two fifths of the way from the 0 to the 100 gridline.
    start_y = float(overall.split()[0].split(",")[1])
    assert math.isclose(start_y, ys[0] + (ys[-1] - ys[0]) * 0.4, abs_tol=0.01)


def test_line_chart_single_point_has_markers_only() -> None:
    root = parse(line_chart(POINTS[:1], TITLES, "One"))
    groups = series_groups(root)
    assert all(g.find(f"{SVG}path") is None for g in groups.values())
    assert sum(marker_count(g) for g in groups.values()) == 3
    assert "Jan 2024" in texts(root)


def test_line_chart_empty_and_all_none() -> None:
    parse(line_chart([], TITLES, "Empty"))
    root = parse(line_chart([("Q1", {}), ("Q2", {"a": None})], TITLES, "None"))
    assert all(marker_count(g) == 0 for g in series_groups(root).values())


def test_weasyprint_renders_charts_into_pdf() -> None:
    weasyprint = pytest.importorskip("weasyprint")
    pypdf = pytest.importorskip("pypdf")
    html = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Report</title>
    <style>@page {{ size: A4; margin: 20mm }} body {{ font-family: DejaVu Sans, sans-serif }}
    svg.chart {{ display: block; break-inside: avoid }}</style></head><body>
    <h1>Scores</h1>{theme_bar_chart(THEMES, 75, "Scores")}
    <h1>Comparison</h1>{grouped_bar_chart(CATEGORIES, SERIES, "Comparison", target=60)}
    <h1>Progress</h1>{line_chart(POINTS, TITLES, "Progress")}
    </body></html>"""
    pdf = weasyprint.HTML(string=html).write_pdf()
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Competent authority",
        "Target 75",
        "Target 60",
        "not assessed",
        "2024 review",
        "Jul 2025",
        "Overall",
        "<script>",  # escaped in the markup, shown literally on the page
    ):
        assert expected in text, expected
