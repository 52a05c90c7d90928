"""The HTML report in a real headless browser: it loads with no console error and no network
request, its table filters and sorts, its lineage timeline has one node per version, every link
reaches its file, and text from the files stays text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

import pytest

from tests.browser import HEIGHT, WIDTH, chromium, requested_urls
from tests.conftest import REPO, run_process
from tests.views.corpus import guideline, shapes_corpus

SCREENSHOT = REPO / "tests" / "output" / "report.png"
HOSTILE_TITLE = (
    "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>"
)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = shapes_corpus(tmp_path_factory.mktemp("corpus") / "shapes")
    hostile = guideline("aan-h-2021", "2021-01-01").replace(
        'short_title: "ALS Management"', "short_title: " + json.dumps(HOSTILE_TITLE)
    )
    (folder / "aan-h-2021.md").write_text(hostile, "utf-8")
    target = folder.parent / "site" / "report.html"
    result = run_process(
        "report", "--today", "2026-12-03", "--format", "html", "-o", target, folder
    )
    assert result.exit_code == 0, result.stderr
    return target


@pytest.fixture(scope="module")
def browser(page: Path) -> Any:
    with chromium() as driver:
        driver.get(page.as_uri())
        yield driver


def visible_ids(browser: Any) -> list[str]:
    rows = browser.find_elements("css selector", "#guidelines tbody tr")
    return [row.find_element("css selector", "td").text for row in rows if row.is_displayed()]


def test_loads_without_console_errors_or_requests(browser: Any, page: Path) -> None:
    assert browser.title == "Guideline corpus report"
    assert [entry for entry in browser.get_log("browser") if entry["level"] != "INFO"] == []
    assert requested_urls(browser) == [page.as_uri()]


def test_the_table_filters_by_words_and_status(browser: Any) -> None:
    search = browser.find_element("id", "filter")
    search.clear()
    search.send_keys("nice")
    nice = visible_ids(browser)
    assert len(nice) == 6 and all(i.startswith("nice-") for i in nice)
    assert browser.find_element("id", "shown").text == "6"
    search.clear()
    search.send_keys("x")  # send_keys fires input; clearing alone does not
    search.send_keys("\b")
    status = browser.find_element("id", "status-filter")
    status.find_element("css selector", "option[value='draft']").click()
    assert visible_ids(browser) == ["aan-x-2027"]
    status.find_element("css selector", "option[value='']").click()
    assert len(visible_ids(browser)) == 19


def test_the_table_sorts_by_a_column_both_ways(browser: Any) -> None:
    header = browser.find_element(
        "xpath", "//table[@id='guidelines']//th[.//button[text()='Published']]"
    )
    header.find_element("tag name", "button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    published = [
        row.find_elements("tag name", "td")[5].text
        for row in browser.find_elements("css selector", "#guidelines tbody tr")
    ]
    assert published == sorted(published) and published[0] == "2004-03-24"
    header.find_element("tag name", "button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert visible_ids(browser)[0] == "aan-x-2027"


def test_the_timeline_has_one_node_per_version(browser: Any, page: Path) -> None:
    nodes = browser.find_elements("css selector", "#lineage-timeline circle.version")
    ids = sorted(node.get_attribute("data-id") for node in nodes)
    assert ids == sorted(p.stem for p in page.parent.parent.joinpath("shapes").glob("*.md"))
    rows = browser.find_elements("css selector", "#lineage-timeline g.lineage")
    assert len(rows) == 9
    assert len(browser.find_elements("css selector", "#lineage-timeline path.edge-one-sided")) == 1
    assert len(browser.find_elements("css selector", "#lineage-timeline rect.missing")) == 1


def test_every_link_reaches_its_file(browser: Any, page: Path) -> None:
    links = browser.find_elements("css selector", "a[href]")
    assert len(links) > 40
    for link in links:
        # An SVG link's href is not resolved by the browser's property: resolve it here.
        url = urlparse(urljoin(browser.current_url, link.get_dom_attribute("href")))
        assert url.scheme == "file", link.get_attribute("outerHTML")
        assert Path(unquote(url.path)).is_file(), url
        assert url.fragment.startswith("L")


def test_text_from_the_files_stays_text(browser: Any) -> None:
    assert browser.title == "Guideline corpus report"
    assert browser.find_elements("css selector", "#guidelines img, #guidelines script") == []
    row = browser.find_element("xpath", "//table[@id='guidelines']//tr[td/a[text()='aan-h-2021']]")
    assert HOSTILE_TITLE in row.text


def test_a_screenshot_for_review(browser: Any) -> None:
    browser.execute_script("window.scrollTo(0, 0)")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOT))
    png = SCREENSHOT.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    size = (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big"))
    assert size == (WIDTH, HEIGHT)
