"""The HTML report: structure in Python, and behaviour in a real headless Chromium (Debian's `chromium`).

The browser tests drive Chromium over the DevTools protocol (a tiny client on `websocket-client`): they load
the report from disk, fail on console errors, uncaught exceptions or any request leaving the file, count the
timeline's points, check that plot labels neither overlap nor shrink and that nothing scrolls sideways at 390 px,
follow a fact's link to its highlighted evidence on the document's text page, and write screenshots at 1280 and
390 px to `tests/out/` (`report.png`, `report-seeds-390.png`, `report-390.png`).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.exports import write_exports
from pipeline.exports.report import (
    NARROW,
    TEXTS_FOLDER,
    WIDE,
    Point,
    iso_to_date,
    partners_timeline_svg,
    partners_to_points,
    tables_to_html,
)
from pipeline.tables import read_table
from tests.conftest import ROOT, Run
from tests.test_export import TEXTS, synthetic_tables, write_synthetic_corpus

OUT = ROOT / "tests" / "out"
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--no-default-browser-check", "--hide-scrollbars", "--mute-audio",
    "--remote-debugging-port=0", "--window-size=1280,1600",
)


def dated_partner_count(tables: dict[str, list[dict[str, Any]]]) -> int:
    return sum(1 for row in tables["partners"] if row.get("date"))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    settings = write_synthetic_corpus(tmp_path_factory.mktemp("report"))
    summary = write_exports(settings)
    assert summary.report is not None
    return summary.report


def text_page(report: Path, doc_id: str) -> str:
    return (report.parent / TEXTS_FOLDER / f"{doc_id}.html").read_text(encoding="utf-8")


def wide_chart(page: str, element_id: str) -> str:
    return page.split(f'id="{element_id}"', 1)[1].split('class="chart-wide"', 1)[1].split("</svg>", 1)[0]


# ---------------------------------------------------------------- the page, read as text


def test_report_loads_nothing_and_links_only_to_its_text_pages(report: Path) -> None:
    pages = [report, *sorted((report.parent / TEXTS_FOLDER).glob("*.html"))]
    assert [p.name for p in pages[1:]] == ["bericht_2017.html", "ka_2014.html", "pm_2016.html"]
    for page_path in pages:
        page = page_path.read_text(encoding="utf-8")
        assert "src=" not in page and "<link" not in page and "@import" not in page and "url(" not in page
        for target in re.findall(r"""href\s*=\s*["']([^"'#][^"']*)["']""", page):
            assert (page_path.parent / target.split("#")[0]).is_file(), f"{page_path.name}: broken link {target}"


def test_timeline_has_one_linked_point_per_dated_partner(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    dated = dated_partner_count(synthetic_tables())
    timeline = wide_chart(page, "partners-timeline")
    refs = re.findall(r'<g id="pt-(partners-\d+)" class="point"', timeline)
    assert len(refs) == dated == 4
    rows = synthetic_tables()["partners"]
    for ref in refs:  # each point links to the anchor where its mention starts on its document's text page
        doc_id = rows[int(ref.split("-")[1])]["doc_id"]
        assert f'href="report/{doc_id}.html#t-{ref}"' in timeline and f'id="t-{ref}"' in text_page(report, doc_id)
    phone = page.split('id="partners-timeline"', 1)[1].split('class="chart-narrow"', 1)[1].split("</svg>", 1)[0]
    assert len(re.findall(r'<g id="pn-partners-\d+" class="point"', phone)) == dated


def test_a_partner_is_one_point_at_its_earliest_most_precise_date() -> None:
    rows = [
        {"partner": "Stadt Hamm", "date": "2012", "doc_id": "a"},
        {"partner": "Stadt Hamm", "date": "2012-03-26", "doc_id": "b"},
        {"partner": "Stadt Hamm", "date": "2014-01-02", "doc_id": "c"},
        {"partner": "Kreis Unna", "date": "", "doc_id": "a"},
        {"partner": "Kreis Unna", "date": "2013-05", "doc_id": "c"},
    ]
    points = partners_to_points(rows)
    assert [(p.label, p.tooltip, p.ref, p.y) for p in points] == [
        ("Stadt Hamm", "Stadt Hamm (2012-03-26, b)", "partners-1", 1.0),
        ("Kreis Unna", "Kreis Unna (2013-05, c)", "partners-4", 2.0)]


def test_points_follow_the_joining_date() -> None:
    points = partners_to_points(synthetic_tables()["partners"])
    assert [p.label for p in points] == [
        "Bezirksregierung Arnsberg", "Kreis Lippe", "Stadt Duisburg", "Bezirksregierung Münster"]
    assert [p.y for p in points] == [1.0, 2.0, 3.0, 4.0]


def test_partners_table_has_every_organisation_with_first_date_documents_and_evidence(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    table = page.split('class="partners-by-date"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1])
    names = [re.findall(r"<td[^>]*>(.*?)</td>", row)[1] for row in rows]
    assert names == ["Bezirksregierung Arnsberg", "Kreis Lippe", "Stadt Duisburg", "Bezirksregierung Münster",
                     "Westdeutscher Rundfunk Köln"]  # by first date, the undated one last
    assert '<td>2012-03-26</td>' in rows[0] and '<td>1: <a href="#doc-ka_2014">ka_2014</a></td>' in rows[0]
    assert 'href="report/ka_2014.html#t-partners-0"' in rows[0] and "26. März 2012" in rows[0]


def test_survey_figures_are_labelled_by_measure_and_whose_they_are(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    plot = wide_chart(page, "figures-timeline")
    assert len(re.findall(r'<g id="pt-figures-\d+" class="point"', plot)) == 2
    labels = re.findall(r"<text [^>]*>([^<]*)</text></g>", plot)
    assert labels == ["48.7 % Beteiligung an der …", "10.42 % Anteil Beschäftigte …"]
    assert "48.7 % Beteiligung an der Mitarbeiterbefragung — Bezirksregierung Arnsberg (2017" in plot
    legend = page.split('<ul class="legend">', 1)[1].split("</ul>", 1)[0]
    assert "Bezirksregierung Arnsberg (2)" in legend
    table = page.split('class="survey-figures"', 1)[1].split("</table>", 1)[0]
    assert "<td>Anteil Beschäftigte mit Migrationshintergrund</td><td>Bezirksregierung Arnsberg</td>" in table


def test_every_fact_mention_and_evidence_is_marked_on_its_text_page(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    for table, rows in synthetic_tables().items():
        if table in ("documents", "failures"):
            continue
        for index, row in enumerate(rows):
            ref = f"{table}-{index}"
            text = text_page(report, row["doc_id"])
            assert f'href="report/{row["doc_id"]}.html#t-{ref}"' in page and f'id="t-{ref}"' in text, ref
            kind = "r" if table == "repairs" else "m"
            marked = re.findall(rf'<span class="[^"]*" data-{kind}="[^"]*\b{ref}\b[^>]*>([^<]*)</span>', text)
            expected = TEXTS[row["doc_id"]][row["char_start"]: row["char_end"]]
            assert "".join(marked) == expected, ref


def test_repairs_are_listed_on_demand(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    assert '<details class="repairs"><summary>OCR repairs (1)</summary>' in page
    assert "OCR repair (confusion): lntegration → Integration" in text_page(report, "bericht_2017")


def test_report_without_facts_or_texts_still_renders() -> None:
    page = tables_to_html({"documents": [{"doc_id": "leer", "doc_type": "other"}]}, {})
    assert 'data-points="0"' in page and "Clean text not found" in page


def test_report_size_does_not_grow_with_the_texts(tmp_path: Path) -> None:
    """The texts live on their own pages: a hundredfold longer text leaves report.html as it was."""
    sizes = []
    for factor in (1, 100):
        settings = write_synthetic_corpus(tmp_path / str(factor))
        for doc_id, text in TEXTS.items():  # the facts' offsets stay valid: the filler comes after the text
            (settings.clean_dir / f"{doc_id}.txt").write_text(text + "Weiterer Text. " * 40 * factor,
                                                              encoding="utf-8")
        report = write_exports(settings).report or Path()
        sizes.append((report.stat().st_size, text_page(report, "ka_2014").count("Weiterer Text.")))
    assert sizes[0][0] == sizes[1][0] - 2 * 3  # only the character counts grew a digit or two
    assert (sizes[0][1], sizes[1][1]) == (40, 4000)


def test_text_pages_are_rewritten_identically_and_stale_ones_removed(tmp_path: Path) -> None:
    settings = write_synthetic_corpus(tmp_path)
    folder = settings.tables_dir / TEXTS_FOLDER
    write_exports(settings)
    first = {p.name: p.read_bytes() for p in [*folder.iterdir(), settings.tables_dir / "report.html"]}
    (folder / "gone_2010.html").write_text("a document removed from the corpus", encoding="utf-8")
    (folder / "notes.txt").write_text("not ours", encoding="utf-8")
    write_exports(settings)
    again = {p.name: p.read_bytes() for p in [*folder.iterdir(), settings.tables_dir / "report.html"]}
    assert again.pop("notes.txt") == b"not ours"
    assert again == first


def test_many_partners_keep_their_labels_apart() -> None:
    """Labels drawn only where they have room: at 120 partners no two labels overlap, some are drawn."""
    points = [Point(f"partners-{n}", dt.date(2010 + n // 12, n % 12 + 1, 1), float(n + 1),
                    f"Kommunales Integrationszentrum {n}", doc_id="d") for n in range(120)]
    for frame in (WIDE, NARROW):
        svg = partners_timeline_svg(points, frame)
        boxes = []
        for x, y, anchor, text in re.findall(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)" '
                                             r'font-size="11">([^<]*)</text></g>', svg):
            width = len(text) * 11 * 0.5
            left = float(x) - (width if anchor == "end" else 0)
            boxes.append((left, float(y) - 9, left + width, float(y) + 2))
        assert 3 <= len(boxes) < 120
        assert all(a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
                   for i, a in enumerate(boxes) for b in boxes[i + 1:]), frame


# ---------------------------------------------------------------- the page, in a real browser


class DevTools:
    """Just enough of the Chrome DevTools protocol: commands, and the events that arrive meanwhile."""

    def __init__(self, url: str) -> None:
        import websocket

        self.socket = websocket.create_connection(url, timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                assert "error" not in message, message
                return message.get("result", {})  # type: ignore[no-any-return]
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events:
                if event.get("method") == method:
                    self.events.remove(event)
                    return event
            self.events.append(json.loads(self.socket.recv()))
        raise TimeoutError(method)

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")


@pytest.fixture(scope="module")
def browser() -> Iterator[DevTools]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.skip("chromium is not installed and this user cannot install it: run `sudo apt-get install chromium`")
    # Chromium's helper processes may still write to the profile when the browser has ended: the whole process
    # group is stopped, and a file written after that does not fail the tests.
    with tempfile.TemporaryDirectory(prefix="report-chromium-", ignore_cleanup_errors=True) as profile:
        process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        try:
            port_file = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + 60
            while not (port_file.is_file() and port_file.read_text().strip()) and time.monotonic() < deadline:
                assert process.poll() is None, "chromium exited at start"
                time.sleep(0.1)
            port = port_file.read_text().split()[0]
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
                targets = json.load(response)
            page = next(t for t in targets if t["type"] == "page")
            tools = DevTools(page["webSocketDebuggerUrl"])
            for domain in ("Page", "Runtime", "Log", "Network"):
                tools.send(f"{domain}.enable")
            yield tools
            with contextlib.suppress(Exception):  # a browser that died under load must not fail the last test
                tools.socket.close()
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def problems_in(events: list[dict[str, Any]], page_url: str) -> list[str]:
    """Console errors, uncaught exceptions and requests for anything but the page itself."""
    problems = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            problems.append(f"exception: {params['exceptionDetails'].get('text')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            problems.append(f"console.{params['type']}: {params.get('args')}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            problems.append(f"log: {params['entry'].get('text')}")
        elif method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if url.split("#")[0] != page_url and not url.startswith("data:"):
                problems.append(f"request: {url}")
    return problems


def load(browser: DevTools, path: Path, fragment: str = "") -> str:
    """Open a page (at `#fragment`); returns its URL without the fragment."""
    url = path.resolve().as_uri()
    if fragment:  # a new document, so that its load event fires
        browser.send("Page.navigate", url="about:blank")
        browser.wait_for("Page.loadEventFired")
    browser.events.clear()
    browser.send("Page.navigate", url=url + (f"#{fragment}" if fragment else ""))
    browser.wait_for("Page.loadEventFired")
    return url


LABEL_OVERLAPS = """(() => {
  const labels = Array.from(document.querySelectorAll('#ID g.point text'))
    .map(t => t.getBoundingClientRect()).filter(r => r.width > 0);
  let overlaps = 0;
  labels.forEach((a, i) => labels.slice(i + 1).forEach(b => {
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) { overlaps++; }
  }));
  const sizes = labels.map(r => r.height);
  return [labels.length, overlaps, sizes.length ? Math.min(...sizes) : 0];
})()"""


def visible_labels(browser: DevTools, element_id: str) -> tuple[int, int, float]:
    """Drawn point labels of a plot: how many, how many pairs overlap, the smallest one's height in pixels."""
    count, overlaps, smallest = browser.evaluate(LABEL_OVERLAPS.replace("ID", element_id))
    return count, overlaps, smallest


def screenshot(browser: DevTools, name: str) -> Path:
    shot = browser.send("Page.captureScreenshot", format="png")
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    path.write_bytes(base64.b64decode(shot["data"]))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000
    return path


def test_report_in_a_headless_browser(browser: DevTools, report: Path) -> None:
    url = load(browser, report)
    points = browser.evaluate("document.querySelectorAll('#partners-timeline .chart-wide g.point').length")
    assert points == dated_partner_count(synthetic_tables())
    assert browser.evaluate("document.querySelectorAll('#figures-timeline .chart-wide g.point').length") == 2
    drawn = browser.evaluate(
        "Array.from(document.querySelectorAll('#partners-timeline g.point path'))"
        ".filter(e => e.getBoundingClientRect().width > 0).length"
    )
    assert drawn == points, "the timeline's points are not rendered, or both copies are shown"
    time.sleep(0.2)  # let late console messages arrive
    browser.send("Runtime.evaluate", expression="1")
    assert problems_in(browser.events, url) == []
    # A fact's link opens its document's text page, with the mention and its evidence highlighted.
    link = browser.evaluate("document.querySelector('#f-partners-2 a').getAttribute('href')")
    assert link == "report/ka_2014.html#t-partners-2"
    page, fragment = link.split("#")
    url = load(browser, report.parent / page, fragment)
    assert browser.evaluate("Array.from(document.querySelectorAll('.active-m')).map(e => e.textContent).join('')") \
        == "Stadt Duisburg"
    assert "23.08.2012" in browser.evaluate(
        "Array.from(document.querySelectorAll('.active-e')).map(e => e.textContent).join('')")
    assert browser.evaluate("document.getElementById('t-partners-2').getBoundingClientRect().top") >= 0
    time.sleep(0.2)
    browser.send("Runtime.evaluate", expression="1")
    assert problems_in(browser.events, url) == []


def test_browser_check_notices_a_console_error(browser: DevTools, tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html><body><script>console.error('boom'); undefinedCall();</script>"
                      "</body></html>", encoding="utf-8")
    url = load(browser, broken)
    browser.send("Runtime.evaluate", expression="1")
    problems = problems_in(browser.events, url)
    assert any("console.error" in p for p in problems) and any("exception" in p for p in problems)


def test_pipeline_report_in_a_headless_browser(browser: DevTools, seed_run: Run) -> None:
    """The report `extract` wrote for the seeds, at desktop and phone width: loads cleanly, one point per dated
    partner organisation (not per row: Bezirksregierung Arnsberg is dated in three rows), labels that neither
    overlap nor shrink below a readable size, no sideways scrolling on the phone; screenshots of both."""
    dated = len({row["partner"] for row in read_table(seed_run.tables / "partners.csv") if iso_to_date(row["date"])})
    for width, mobile in ((1280, False), (390, True)):
        browser.send("Emulation.setDeviceMetricsOverride", width=width, height=1600, deviceScaleFactor=1,
                     mobile=mobile)
        try:
            url = load(browser, seed_run.tables / "report.html")
            documents = browser.evaluate("document.querySelectorAll('section.document').length")
            assert documents == len(read_table(seed_run.tables / "documents.csv"))
            shown = ("new Set(Array.from(document.querySelectorAll('#partners-timeline g.point'))"
                     ".filter(g => g.getBoundingClientRect().width > 0).map(g => g.dataset.ref)).size")
            assert browser.evaluate(shown) == dated
            assert browser.evaluate("document.querySelector('#partners-timeline').dataset.points") == str(dated)
            for plot in ("partners-timeline", "figures-timeline"):
                count, overlaps, smallest = visible_labels(browser, plot)
                assert count >= 1 and overlaps == 0 and smallest >= 10, (width, plot, count, overlaps, smallest)
            assert browser.evaluate("document.documentElement.scrollWidth") <= width
            screenshot(browser, "report.png" if width == 1280 else "report-seeds-390.png")
            browser.send("Runtime.evaluate", expression="1")
            assert problems_in(browser.events, url) == []
            url = load(browser, next((seed_run.tables / "report").glob("*.html")))
            assert browser.evaluate("document.documentElement.scrollWidth") <= width, url
            browser.send("Runtime.evaluate", expression="1")
            assert problems_in(browser.events, url) == []
        finally:
            browser.send("Emulation.clearDeviceMetricsOverride")


# ---------------------------------------------------------------- issue 15: a page analysts can read


def test_page_is_german_titled_by_documents_with_numbers_as_written(tmp_path: Path) -> None:
    tables = synthetic_tables()
    tables["figures"][0]["value"] = "100000"
    settings = write_synthetic_corpus(tmp_path, tables)
    page = (write_exports(settings).report or Path()).read_text(encoding="utf-8")
    assert '<html lang="de">' in page
    assert '<h3>Mehr Migranten <span class="muted doc-id">ka_2014</span></h3>' in page
    assert '<td class="n">100000</td>' in page and "100000.0" not in page
    # one failure in the synthetic corpus: said at the top, before the plots
    assert page.index('id="failures"') < page.index('id="timeline"')
    assert "1 of 4 files failed" in page


def test_report_reads_on_a_phone_and_filters_and_sorts(browser: DevTools, report: Path) -> None:
    browser.send("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=1, mobile=True)
    try:
        url = load(browser, report)
        width = browser.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone: {width} px"
        screenshot(browser, "report-390.png")
        visible = ("Array.from(document.querySelectorAll('table.summary tbody tr'))"
                   ".filter(r => !r.classList.contains('hidden')).length")
        assert browser.evaluate(visible) == 3
        browser.evaluate("const f = document.getElementById('filter'); f.value = 'münster';"
                         "f.dispatchEvent(new Event('input'))")
        assert browser.evaluate(visible) == 1
        browser.evaluate("const g = document.getElementById('filter'); g.value = '';"
                         "g.dispatchEvent(new Event('input'))")
        first = "document.querySelector('table.summary tbody tr td').textContent"
        browser.evaluate("document.querySelectorAll('table.summary thead th')[0].click()")
        ascending = browser.evaluate(first)
        browser.evaluate("document.querySelectorAll('table.summary thead th')[0].click()")
        assert (ascending, browser.evaluate(first)) == ("bericht_2017", "pm_2016")
        browser.send("Runtime.evaluate", expression="1")
        assert problems_in(browser.events, url) == []
    finally:
        browser.send("Emulation.clearDeviceMetricsOverride")
