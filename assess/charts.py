"""Server-side SVG charts for the HTML reports and the WeasyPrint PDFs.

Pure functions: each returns one self-contained inline ``<svg>`` as ``markupsafe.Markup``, so a
template embeds it with ``{{ chart }}``. No JavaScript, no external assets, fonts by family
name only. Every user-supplied string is XML-escaped. Series are told apart by pattern, dash
and marker shape as well as colour, and every value is printed or listed in a legend, so the
charts survive greyscale printing. Output is deterministic: the same input gives the same string,
and element ids derive from a hash of the input, so distinct charts can share one HTML page.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

FONT = "DejaVu Sans, sans-serif"
INK = "#1a1a1a"  # text, 17:1 on white
MUTED = "#595959"  # secondary text, 7:1 on white
GRID, AXIS = "#d4d4d4", "#8c8c8c"
BAR = "#1f5f99"
WIDTH = 720
# Each colour has at least 4.5:1 contrast against white (usable for lines and for text).
PALETTE = ("#1f5f99", "#c44e00", "#00785a", "#7b3294", "#8c6d00", "#b0306a", "#127a7a", "#555555")
DASHES = ("", "7 4", "2 3", "9 3 2 3")
MARKERS = ("circle", "square", "triangle", "diamond", "down")
SHAPES = {  # marker polygons, in units of the marker radius
    "square": ((-1, -1), (1, -1), (1, 1), (-1, 1)),
    "triangle": ((0, -1.3), (1.3, 1), (-1.3, 1)),
    "diamond": ((0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0)),
    "down": ((0, 1.3), (1.3, -1), (-1.3, -1)),
}
# Grouped-bar overlays on 6x6 tiles: white on the colour for even series, colour on white for
# odd ones, so that greyscale prints keep both the texture and the lightness apart.
PATTERNS = ("", "M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2", "dots", "M0,3 h6 M3,0 v6")
PATTERNS += ("M0,1.5 h6 M0,4.5 h6", "dots")
_XML_BAD = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

ID = "\x00"  # placeholder for the chart's id prefix, see _svg
LABEL_X = 222  # right edge of the category labels
X0, PLOT_W = 232, 410  # bar-chart plot area: x0 and width of 0..100


def _esc(text: object) -> str:
    return str(escape(_XML_BAD.sub("", str(text))))


def _num(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _clamp(value: float) -> float:
    return min(max(value, 0.0), 100.0)


def _fmt(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text_w(text: str, size: float) -> float:
    """Rough rendered width of ``text`` in DejaVu Sans at ``size`` (wide for CJK)."""
    wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)
    marks = sum(unicodedata.combining(ch) > 0 for ch in text)
    return size * (wide + 0.62 * (len(text) - wide - marks))


def _clean(text: str) -> str:
    return " ".join(_XML_BAD.sub("", str(text)).split())


def _fit(text: str, max_w: float, size: float) -> str:
    text = _clean(text)
    if _text_w(text, size) <= max_w:
        return text
    while text and _text_w(text + "…", size) > max_w:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(text: str, max_w: float, size: float, max_lines: int = 2) -> list[str]:
    """Split ``text`` into at most ``max_lines`` lines (at spaces if possible, else anywhere,
    as CJK needs), the last one ellipsised if still too long."""
    text, lines = _clean(text), []
    while len(lines) < max_lines - 1 and _text_w(text, size) > max_w:
        cut = len(text)
        while cut > 1 and _text_w(text[:cut], size) > max_w:
            cut -= 1
        cut = text.rfind(" ", 0, cut + 1) if " " in text[1 : cut + 1] else cut
        lines.append(text[:cut].strip())
        text = text[cut:].strip()
    return [*lines, _fit(text, max_w, size)]


def _text(x: float, y: float, text: str, size: float = 12, anchor: str = "start", **kw: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in kw.items())
    fill = "" if "fill" in kw else f' fill="{INK}"'
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{size}" text-anchor="{anchor}"{fill}{extra}>'
        f"{_esc(text)}</text>"
    )


def _svg(kind: str, height: float, title: str, desc: str, defs: str, body: str) -> Markup:
    """Wrap ``body`` in the root element. Ids are written as ID (NUL, which _esc strips from
    user text) and replaced by ``kind`` plus a hash of the whole chart: deterministic, and
    distinct for distinct charts sharing one page."""
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{ID}-title {ID}-desc" viewBox="0 0 {WIDTH} {height:g}" '
        f'width="100%" font-family="{FONT}" fill="{INK}">'
        f'<title id="{ID}-title">{_esc(title)}</title><desc id="{ID}-desc">{_esc(desc)}</desc>'
        f"{f'<defs>{defs}</defs>' if defs else ''}{body}</svg>"
    )
    digest = hashlib.sha1(svg.encode(), usedforsecurity=False).hexdigest()[:10]
    # Every user-supplied string in title, desc and body went through _esc.
    return Markup(svg.replace(ID, f"{kind}-{digest}"))  # noqa: S704  # nosec B704


def _legend(items: Sequence[tuple[str, str]], y: float, x0: float = 10) -> tuple[str, float]:
    """Lay out (name, swatch svg drawn at 0,0 in a 28x14 box) in rows; return (svg, height)."""
    parts, x, row = [], x0, 0
    for name, swatch in items:
        short = _fit(name, 190, 12)
        item_w = 36 + _text_w(short, 12) + 18
        if x > x0 and x + item_w > WIDTH - 10:
            x, row = x0, row + 1
        top = y + row * 22
        parts.append(
            f'<g class="legend-item" transform="translate({x:g},{top:g})">'
            f"<title>{_esc(name)}</title>{swatch}{_text(36, 11.5, short)}</g>"
        )
        x += item_w
    return "".join(parts), (row + 1) * 22 if items else 0


def _x_axis(top: float, bottom: float, target: float | None) -> tuple[str, str]:
    """(gridlines with 0-100 ticks, labelled dashed target line) of a bar chart."""
    parts = []
    for tick in range(0, 101, 20):
        x = X0 + tick * PLOT_W / 100
        ends = f'x1="{x:g}" y1="{top:g}" x2="{x:g}" y2="{bottom:g}"'
        parts.append(f'<line class="grid" {ends} stroke="{AXIS if tick == 0 else GRID}"/>')
        parts.append(_text(x, bottom + 15, str(tick), 11, "middle", fill=MUTED))
    if target is None:
        return "".join(parts), ""
    x = X0 + _clamp(target) * PLOT_W / 100
    line = f'x1="{x:g}" y1="{top - 4:g}" x2="{x:g}" y2="{bottom:g}" stroke-dasharray="5 4"'
    label = _text(x, top - 8, f"Target {_fmt(target)}", 12, "middle", font_weight="bold")
    return "".join(
        parts
    ), f'<g class="target"><line {line} stroke="{INK}" stroke-width="1.5"/>{label}</g>'


def _rect(box: str, paint: str, overlay: str, cls: str = "") -> str:
    rect = f"<rect{cls} {box} {paint}/>"
    return rect + (f'<rect {box} fill="{overlay}"/>' if overlay else "")


def _label(name: str, mid: float) -> str:
    lines = _wrap(name, LABEL_X - 8, 12)
    first = mid + 4 - (len(lines) - 1) * 7
    spans = "".join(
        f'<tspan x="{LABEL_X}" y="{first + i * 14:g}">{_esc(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text font-size="12" text-anchor="end" fill="{INK}">{spans}</text>'


def _bar(
    value: float | None, y: float, h: float, size: float, paint: str, overlay: str = ""
) -> tuple[str, str, str]:
    """Return (bar shapes, value label on a white halo, value as text) for one bar."""
    ty = y + h / 2 + size * 0.36
    if value is None:
        note = _text(X0 + 4, ty, "not assessed", size, font_style="italic", fill=MUTED)
        return "", note, "not assessed"
    w, shown = _clamp(value) * PLOT_W / 100, _fmt(value)
    box = f'x="{X0}" y="{y:g}" width="{w:g}" height="{h:g}"'
    shape = _rect(box, paint, overlay, ' class="bar"')
    halo = (
        f'<rect x="{X0 + w + 3:g}" y="{ty - size * 0.85:g}" width="{_text_w(shown, size) + 4:g}" '
        f'height="{size * 1.1:g}" fill="#ffffff"/>'
    )
    return shape, halo + _text(X0 + w + 5, ty, shown, size), shown


def theme_bar_chart(
    themes: Sequence[tuple[str, float | None]], target: float, title: str
) -> Markup:
    """Horizontal bars (0-100), one per theme, with the score printed after each bar.

    A vertical dashed line marks ``target``, labelled "Target N"; a ``None`` score reads
    "not assessed".
    """
    top = y = 26.0
    shapes, labels, desc = [], [], []
    for name, raw in themes:
        row_h = 26 if len(_wrap(name, LABEL_X - 8, 12)) == 1 else 36
        shape, text, shown = _bar(_num(raw), y + (row_h - 16) / 2, 16, 12, f'fill="{BAR}"')
        shapes.append(f"<g><title>{_esc(name)}: {shown}</title>{shape}</g>")
        labels.append(_label(name, y + row_h / 2) + text)
        desc.append(f"{name}: {shown}")
        y += row_h
    grid, line = _x_axis(top, y, target)
    body = grid + "".join(shapes) + line + "".join(labels)
    summary = f"Scores out of 100 by theme; target {_fmt(target)}. " + "; ".join(desc) + "."
    return _svg("bars", y + 24, title, summary, "", body)


def _paint(i: int) -> tuple[str, str, str]:
    """(fill attributes, pattern overlay url, pattern definition) of grouped-bar series ``i``."""
    colour, shape = PALETTE[i], PATTERNS[i]
    back, ink = (colour, "#ffffff") if i % 2 == 0 else ("#ffffff", colour)
    paint = f'data-series="{i}" fill="{back}" stroke="{colour}" stroke-width="1"'
    if not shape:
        return paint, "", ""
    mark = (
        f'<circle cx="3" cy="3" r="1.3" fill="{ink}"/>'
        if shape == "dots"
        else f'<path d="{shape}" stroke="{ink}" stroke-width="1.4" fill="none"/>'
    )
    tile = f'id="{ID}-p{i}" patternUnits="userSpaceOnUse" width="6" height="6"'
    return paint, f"url(#{ID}-p{i})", f"<pattern {tile}>{mark}</pattern>"


def grouped_bar_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    title: str,
    target: float | None = None,
) -> Markup:
    """Grouped horizontal bars (0-100): one group per category, one bar per series.

    Takes 1-6 series (e.g. assessments compared theme by theme), each with one value per
    category. Each series has its own colour and fill pattern, named in a legend (long names
    ellipsised, the full name as a tooltip). Values are printed after the bars, ``None`` reads
    "not assessed", and an optional dashed ``target`` line is drawn.
    """
    if not 1 <= len(series) <= len(PATTERNS):
        raise ValueError(f"grouped_bar_chart takes 1 to {len(PATTERNS)} series")
    if any(len(values) != len(categories) for _, values in series):
        raise ValueError("each series needs one value per category")
    paints = [_paint(i) for i in range(len(series))]
    box = 'x="7" y="0" width="14" height="14"'
    swatches = [(s[0], _rect(box, *p[:2])) for s, p in zip(series, paints, strict=True)]
    legend, legend_h = _legend(swatches, 6)
    top = y = 6 + legend_h + (26 if target is not None else 10)
    group_h = max(len(series) * 14 + 12, 36)
    shapes, labels, desc = [], [], []
    for c, name in enumerate(categories):
        shown = []
        labels.append(_label(name, y + group_h / 2))
        for i, (sname, values) in enumerate(series):
            by = y + (group_h - len(series) * 14) / 2 + i * 14 + 1.5
            shape, text, value = _bar(_num(values[c]), by, 11, 10, *paints[i][:2])
            shapes.append(f"<g><title>{_esc(name)} | {_esc(sname)}: {value}</title>{shape}</g>")
            labels.append(text)
            shown.append(f"{sname} {value}")
        desc.append(f"{name}: " + ", ".join(shown))
        y += group_h
    grid, line = _x_axis(top, y, target)
    body = legend + grid + "".join(shapes) + line + "".join(labels)
    summary = "Scores out of 100 by theme and assessment"
    summary += f"; target {_fmt(target)}. " if target is not None else ". "
    defs = "".join(p[2] for p in paints)
    return _svg("group", y + 24, title, summary + "; ".join(desc) + ".", defs, body)


def _marker(shape: str, x: float, y: float, r: float, colour: str) -> str:
    style = f'fill="{colour}" stroke="#ffffff" stroke-width="1"'
    if shape == "circle":
        return f'<circle cx="{x:g}" cy="{y:g}" r="{r:g}" {style}/>'
    pts = " ".join(f"{x + dx * r:g},{y + dy * r:g}" for dx, dy in SHAPES[shape])
    return f'<polygon points="{pts}" {style}/>'


def line_chart(
    points: Sequence[tuple[str, Mapping[str, float | None]]],
    series_titles: Mapping[str, str],
    title: str,
    *,
    emphasis: str | None = "overall",
) -> Markup:
    """Scores (0-100) over time: one line per key of ``series_titles``, in its order.

    ``points`` are (x label, {series key: value}) in time order; a missing or ``None`` value
    leaves a gap in the line. Gridlines mark 0, 20, ... 100 (the maturity band edges). Each
    value gets a marker; marker shape, dash and colour identify the series in the legend. The
    ``emphasis`` series (default "overall") is drawn thick, in black, on top of the others.
    """
    x0, x1, top, bottom = 44.0, 706.0, 12.0, 252.0
    n, span = len(points), x1 - x0 - 48
    xs = [x0 + 24 + (span * i / (n - 1) if n > 1 else span / 2) for i in range(n)]
    parts = []
    for tick in range(0, 101, 20):
        y = bottom - tick * (bottom - top) / 100
        ends = f'x1="{x0:g}" y1="{y:g}" x2="{x1:g}" y2="{y:g}"'
        parts.append(f'<line class="grid" {ends} stroke="{AXIS if tick == 0 else GRID}"/>')
        parts.append(_text(x0 - 6, y + 4, str(tick), 11, "end", fill=MUTED))
    label_w = max((_text_w(_fit(label, 110, 11), 11) for label, _ in points), default=0)
    every = math.ceil((label_w + 10) * (n - 1) / span) if n > 1 else 1  # thin crowded labels
    for i, (label, _) in enumerate(points):
        if i % every == 0:
            short = _fit(label, 110, 11)
            half = _text_w(short, 11) / 2 + 2  # keep edge labels inside the view box
            x = min(max(xs[i], half), WIDTH - half)
            parts.append(_text(x, bottom + 17, short, 11, "middle"))
    items, lines, desc = [], [], []
    for idx, (key, name) in enumerate(series_titles.items()):
        bold = key == emphasis
        colour = INK if bold else PALETTE[idx % len(PALETTE)]
        dash = "" if bold else DASHES[idx % len(DASHES)]
        shape = "circle" if bold else MARKERS[idx % len(MARKERS)]
        width, r = (3.5, 4.5) if bold else (2.0, 4.0)
        stroke = f'stroke="{colour}" stroke-width="{width}" fill="none"'
        stroke += f' stroke-dasharray="{dash}"' if dash else ""
        values = [_num(vals.get(key)) for _, vals in points]
        pts = [
            None if v is None else (xs[i], bottom - _clamp(v) * (bottom - top) / 100)
            for i, v in enumerate(values)
        ]
        d = " ".join(
            f"{'L' if i and pts[i - 1] else 'M'}{p[0]:g},{p[1]:g}"
            for i, p in enumerate(pts)
            if p and ((i and pts[i - 1]) or (i + 1 < n and pts[i + 1]))
        )
        path = f'<path class="line" d="{d}" {stroke}/>' if d else ""
        marks = "".join(_marker(shape, p[0], p[1], r, colour) for p in pts if p)
        lines.append((key, f'<g class="series" data-key="{_esc(key)}">{path}{marks}</g>'))
        sample = f'<line x1="0" y1="7" x2="28" y2="7" {stroke}/>' + _marker(shape, 14, 7, r, colour)
        items.append((name, sample))
        shown = (
            f"{lbl} {'no value' if v is None else _fmt(v)}"
            for (lbl, _), v in zip(points, values, strict=True)
        )
        desc.append(f"{name}: " + ", ".join(shown))
    parts += [svg for _, svg in sorted(lines, key=lambda kv: kv[0] == emphasis)]  # bold on top
    legend, legend_h = _legend(items, bottom + 34, x0)
    summary = "Scores out of 100 over time. " + "; ".join(desc) + "."
    return _svg("line", bottom + 38 + legend_h, title, summary, "", "".join(parts) + legend)
