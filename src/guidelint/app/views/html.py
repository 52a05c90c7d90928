"""`guidelint report --format html`: one self-contained page.

Inline CSS, inline script and inline SVG, no font, image or script from anywhere else, and a
Content-Security-Policy that forbids the page any request at all: it works opened from disk
and as a CI artifact. Every text on it comes from the checked files and is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from html import escape

from guidelint.app.views.graph import (
    PROBLEM_COLOUR,
    PROBLEM_WORDS,
    STATUS_FILL,
    edge_label,
    missing_caption,
)
from guidelint.app.views.lineages import AMENDMENT, EdgeState, Lineage, Version
from guidelint.app.views.report import (
    COUNTED,
    DUE_SOON_MONTHS,
    Report,
    Review,
    headline,
    review_cells,
)
from guidelint.core.diagnostic import Diagnostic

# Where a file's link points: (display path, line) -> href. The CLI makes it relative to the
# folder the page is written to.
Href = Callable[[str, int], str]

POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"

STYLE = """
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #202124; }
body { margin: 0 auto; max-width: 1200px; padding: 16px 24px 48px; }
h1 { font-size: 1.5rem; margin-bottom: 4px; } h2 { font-size: 1.15rem; margin-top: 32px; }
.muted { color: #5f6368; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { border: 1px solid #dadce0; border-radius: 8px; padding: 10px 14px; min-width: 200px; }
.card h3 { font-size: .9rem; margin: 0 0 6px; color: #5f6368; }
.card table td { padding: 1px 8px 1px 0; }
table.data { border-collapse: collapse; width: 100%; font-size: .9rem; }
table.data th, table.data td {
  border-bottom: 1px solid #e8eaed; padding: 5px 8px; text-align: left;
}
table.data th { background: #f8f9fa; position: sticky; top: 0; }
table.data th button { all: unset; cursor: pointer; font-weight: 600; }
table.data th[aria-sort="ascending"] button::after { content: " \\25B2"; }
table.data th[aria-sort="descending"] button::after { content: " \\25BC"; }
.controls { display: flex; gap: 12px; margin: 8px 0; align-items: center; }
.controls input { padding: 4px 8px; min-width: 260px; }
.status { border-radius: 10px; padding: 1px 8px; font-size: .8rem; }
.problem { color: #a50e0e; }
.timeline { overflow-x: auto; border: 1px solid #dadce0; border-radius: 8px; }
.timeline svg text { font-size: 11px; fill: #202124; }
.timeline .axis text { fill: #5f6368; }
ul.problems { padding-left: 18px; } ul.problems li { margin: 3px 0; }
code { font-size: .85rem; }
"""

SCRIPT = """
(function () {
  var table = document.getElementById('guidelines');
  var body = table.tBodies[0];
  var search = document.getElementById('filter');
  var status = document.getElementById('status-filter');
  var shown = document.getElementById('shown');
  var rows = Array.prototype.slice.call(body.rows);
  var words = rows.map(function (row) { return row.textContent.toLowerCase(); });
  function filter() {
    var wanted = search.value.toLowerCase().trim();
    var state = status.value;
    var count = 0;
    rows.forEach(function (row, index) {
      var keep = (!wanted || words[index].indexOf(wanted) !== -1) &&
        (!state || row.getAttribute('data-status') === state);
      if (row.hidden === keep) { row.hidden = !keep; }
      if (keep) { count += 1; }
    });
    shown.textContent = count;
  }
  search.addEventListener('input', filter);
  status.addEventListener('change', filter);
  var collator = new Intl.Collator(undefined, {numeric: true});
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (cell, column) {
    cell.querySelector('button').addEventListener('click', function () {
      var ascending = cell.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(heads, function (other) { other.removeAttribute('aria-sort'); });
      cell.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var keyed = rows.map(function (row, index) {
        var target = row.cells[column];
        return {key: target.getAttribute('data-sort') || target.textContent, index: index};
      });
      keyed.sort(function (a, b) {
        var order = collator.compare(a.key, b.key) || a.index - b.index;
        return ascending ? order : -order;
      });
      var fragment = document.createDocumentFragment();
      rows = keyed.map(function (item) { return rows[item.index]; });
      words = keyed.map(function (item) { return words[item.index]; });
      rows.forEach(function (row) { fragment.appendChild(row); });
      body.appendChild(fragment);
    });
  });
  filter();
}());
"""

ROW_HEIGHT = 30
LABEL_WIDTH = 220
PLOT_WIDTH = 860
AXIS_HEIGHT = 26


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _status(status: str) -> str:
    fill = STATUS_FILL.get(status, "#ffffff")
    return f'<span class="status" style="background:{fill}">{_e(status or "not set")}</span>'


def _file_link(href: Href, path: str, line: int, column: int | None = None) -> str:
    where = f"{path}:{line}" + (f":{column}" if column is not None else "")
    return f'<a href="{_e(href(path, line))}"><code>{_e(where)}</code></a>'


def _cards(report: Report) -> str:
    cards = []
    for name, title in COUNTED:
        rows = "".join(
            f"<tr><td>{_e(value)}</td><td>{count}</td></tr>" for value, count in report.counts[name]
        )
        cards.append(f'<div class="card"><h3>{_e(title)}</h3><table>{rows}</table></div>')
    return f'<div class="cards">{"".join(cards)}</div>'


def _due(review: Review | None) -> tuple[str, str]:
    return (review.due.isoformat(), review.due.isoformat()) if review else ("", "9999-12-31")


def _guidelines_table(report: Report, href: Href) -> str:
    statuses = sorted({v.status for v in report.versions if v.status})
    options = "".join(f'<option value="{_e(s)}">{_e(s)}</option>' for s in statuses)
    header = (
        "Guideline",
        "Title",
        "Organisation",
        "Specialty",
        "Status",
        "Published",
        "Review due",
    )
    heads = "".join(f'<th scope="col"><button type="button">{h}</button></th>' for h in header)
    rows = []
    for v in report.versions:
        published = v.publication_date.isoformat() if v.publication_date else ""
        due_text, due_key = _due(report.reviews.get(v.path))
        overdue = ' class="problem"' if due_text and due_text < report.today.isoformat() else ""
        rows.append(
            f'<tr data-status="{_e(v.status)}">'
            f'<td><a href="{_e(href(v.path, v.line))}">{_e(v.id)}</a></td>'
            f"<td>{_e(v.title)}</td><td>{_e(v.organization)}</td><td>{_e(v.specialty)}</td>"
            f'<td data-sort="{_e(v.status)}">{_status(v.status)}</td>'
            f'<td data-sort="{published or "0000"}">{published}</td>'
            f'<td data-sort="{due_key}"{overdue}>{due_text}</td></tr>'
        )
    return (
        '<div class="controls"><label>Filter <input id="filter" type="search" '
        'placeholder="id, title, organisation..."></label>'
        f'<label>Status <select id="status-filter"><option value="">all</option>{options}'
        '</select></label><span class="muted"><span id="shown"></span> shown</span></div>'
        f'<table class="data" id="guidelines"><thead><tr>{heads}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _reviews_table(reviews: Sequence[Review], today: date, href: Href, table_id: str) -> str:
    if not reviews:
        return '<p class="muted">None.</p>'
    rows = []
    for review in reviews:
        _, due, when, basis, interval = review_cells(review, today)
        rows.append(
            f'<tr><td><a href="{_e(href(review.version.path, review.version.line))}">'
            f"{_e(review.version.id)}</a></td><td>{_e(review.version.organization)}</td>"
            f"<td>{_e(due)}</td><td>{_e(when)}</td><td>{_e(basis)}</td><td>{_e(interval)}</td></tr>"
        )
    head = "".join(
        f"<th>{h}</th>"
        for h in ("Guideline", "Organisation", "Review due", "When", "Counted from", "Interval")
    )
    return (
        f'<table class="data" id="{table_id}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _year_range(lineages: Sequence[Lineage], today: date) -> tuple[int, int]:
    years = [v.year for lineage in lineages for v in lineage.versions if v.year]
    first = min(years, default=today.year)
    last = max([*years, today.year])
    return first, last + 1


def timeline(lineages: Sequence[Lineage], today: date, href: Href) -> str:
    """Every lineage as a row of versions on a date axis, links and problems drawn."""
    first, last = _year_range(lineages, today)
    span_days = max((date(last, 1, 1) - date(first, 1, 1)).days, 1)
    plot_left = LABEL_WIDTH + 30  # room for the missing ids' markers

    def x_of(day: date | None) -> float:
        if day is None:
            return LABEL_WIDTH + 12
        return plot_left + (day - date(first, 1, 1)).days / span_days * PLOT_WIDTH

    height = AXIS_HEIGHT + ROW_HEIGHT * len(lineages) + 8
    width = plot_left + PLOT_WIDTH + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="lineage-timeline" width="{width}" '
        f'height="{height}" role="img" aria-label="Lineages on a date axis">'
    ]
    step = max(1, (last - first) // 12)
    parts.append('<g class="axis">')
    for year in range(first, last + 1, step):
        x = x_of(date(year, 1, 1))
        parts.append(
            f'<line x1="{x:.1f}" y1="{AXIS_HEIGHT - 6}" x2="{x:.1f}" y2="{height}" '
            'stroke="#f1f3f4"/>'
            f'<text x="{x:.1f}" y="{AXIS_HEIGHT - 10}" text-anchor="middle">{year}</text>'
        )
    parts.append("</g>")
    for row, lineage in enumerate(lineages):
        y = AXIS_HEIGHT + ROW_HEIGHT * row + ROW_HEIGHT / 2
        parts.append(f'<g class="lineage" data-lineage="{_e(lineage.key)}">')
        parts.append(
            f'<text x="4" y="{y + 4:.1f}"><title>{_e(lineage.key)}</title>'
            f"{_e(_clip(lineage.key, 34))}</text>"
        )
        where = {v.id: x_of(v.publication_date) for v in lineage.versions}
        where.update(_missing_places(lineage, where))
        for edge in lineage.edges:
            x1, x2 = where[edge.older], where[edge.newer]
            colour = PROBLEM_COLOUR if edge.state in PROBLEM_WORDS else "#5f6368"
            dash = (
                ' stroke-dasharray="5 3"'
                if edge.kind == AMENDMENT
                else ' stroke-dasharray="2 3"'
                if edge.state is EdgeState.DRAFT
                else ""
            )
            lift = 9 if edge.kind == AMENDMENT else 0  # amendments arc above the row
            parts.append(
                f'<path class="edge edge-{_e(edge.state.value)}" d="M{x1:.1f},{y:.1f} '
                f'Q{(x1 + x2) / 2:.1f},{y - lift - 6:.1f} {x2:.1f},{y:.1f}" fill="none" '
                f'stroke="{colour}" stroke-width="2"{dash}>'
                f"<title>{_e(edge.older)} {_e(edge_label(edge))} {_e(edge.newer)}</title></path>"
            )
        for version in lineage.versions:
            parts.append(_version_dot(version, where[version.id], y, href))
        for missing in lineage.missing:
            x = where[missing]
            caption, css = missing_caption(lineage, missing)
            colour = PROBLEM_COLOUR if css == "missing" else "#9aa0a6"
            parts.append(
                f'<rect class="{css}" x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" '
                f'fill="#fff" stroke="{colour}" stroke-width="2">'
                f"<title>{_e(missing)}: {caption}</title></rect>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _missing_places(lineage: Lineage, where: dict[str, float]) -> dict[str, float]:
    """Ids no file has, beside the version that names them: a successor after it, an
    earlier version before it."""
    places = {}
    for missing in lineage.missing:
        after = [
            where[e.older] + 40 for e in lineage.edges if e.newer == missing and e.older in where
        ]
        before = [
            where[e.newer] - 40 for e in lineage.edges if e.older == missing and e.newer in where
        ]
        places[missing] = max(after) if after else min(before, default=LABEL_WIDTH + 12)
    return places


def _version_dot(version: Version, x: float, y: float, href: Href) -> str:
    fill = STATUS_FILL.get(version.status, "#ffffff")
    stroke = "#1a73e8" if version.status == "draft" else "#5f6368"
    published = version.publication_date.isoformat() if version.publication_date else "no date"
    return (
        f'<a href="{_e(href(version.path, version.line))}">'
        f'<circle class="version" data-id="{_e(version.id)}" cx="{x:.1f}" cy="{y:.1f}" r="7" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="2">'
        f"<title>{_e(version.id)}, {published}, {_e(version.status or 'no status')}</title>"
        "</circle></a>"
    )


def _clip(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _finding(href: Href, d: Diagnostic) -> str:
    return f"{_file_link(href, d.path, d.line, d.column)} <code>{_e(d.code)}</code> {_e(d.message)}"


def _problems(report: Report, href: Href) -> str:
    if not report.problems:
        return '<p class="muted">None: the corpus lints clean.</p>'
    by_rule = "".join(
        f"<tr><td><code>{_e(r.code)}</code></td><td>{_e(r.name)}</td><td>{r.count}</td></tr>"
        for r in report.by_rule
    )
    items = "".join(f"<li>{_finding(href, d)}</li>" for d in report.problems)
    return (
        '<table class="data" id="problems-by-rule"><thead><tr><th>Rule</th><th>Name</th>'
        f"<th>Problems</th></tr></thead><tbody>{by_rule}</tbody></table>"
        f'<ul class="problems" id="problems">{items}</ul>'
    )


def _problem_lineages(report: Report, href: Href) -> str:
    if not report.problem_lineages:
        return '<p class="muted">None.</p>'
    items = []
    for lineage in report.problem_lineages:
        said = [_e(e.problem()) for e in lineage.problems]
        said += [_finding(href, d) for d in report.lineage_findings.get(lineage.key, [])]
        text = "</li><li>".join(said)
        items.append(f"<li><code>{_e(lineage.key)}</code><ul><li>{text}</li></ul></li>")
    return f'<ul class="problems" id="problem-lineages">{"".join(items)}</ul>'


def render_html(report: Report, href: Href) -> str:
    """The page, with links to the files made by `href`."""
    today = report.today
    from guidelint.app.reporters.text import plural

    summary = (
        f"{headline(report)}; {plural(len(report.overdue), 'review')} overdue, "
        f"{len(report.due_soon)} due in the next {DUE_SOON_MONTHS} months."
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Guideline corpus report</title>
<style>{STYLE}</style>
</head>
<body>
<h1>Guideline corpus report</h1>
<p class="muted" id="summary">As of {today.isoformat()}: {summary}</p>
{_cards(report)}
<h2 id="overdue-heading">Reviews overdue ({len(report.overdue)})</h2>
{_reviews_table(report.overdue, today, href, "overdue")}
<h2>Reviews due in the next {DUE_SOON_MONTHS} months ({len(report.due_soon)})</h2>
{_reviews_table(report.due_soon, today, href, "due-soon")}
<h2>Guidelines</h2>
{_guidelines_table(report, href)}
<h2>Lineages</h2>
<p class="muted">One row per lineage, versions on a date axis. Solid: replaced by; dashed:
amended by; dotted: a draft; red: a broken link; a red square: a successor no file has;
a grey square: an earlier version this corpus does not keep.</p>
<div class="timeline">{timeline(report.lineages, today, href)}</div>
<h2>Lineages with problems ({len(report.problem_lineages)})</h2>
{_problem_lineages(report, href)}
<h2>Problems</h2>
{_problems(report, href)}
<script>{SCRIPT}</script>
</body>
</html>
"""
