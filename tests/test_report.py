"""The HTML report: structure in Python, and behaviour in a real headless Chromium (Debian's `chromium`).

The browser test drives Chromium over the DevTools protocol (a tiny client on `websocket-client`): it loads
the report from disk, fails on console errors, uncaught exceptions or any request leaving the file, counts the
timeline's points, follows a fact's link to its highlighted evidence, and writes `tests/out/report.png`.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.exports import write_exports
from pipeline.exports.report import iso_to_date, partners_to_points, tables_to_html
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


# ---------------------------------------------------------------- the page, read as text


def test_report_is_self_contained(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    fetched = re.findall(r"""(?:src|href)\s*=\s*["']([^"'#][^"']*)["']""", page)
    assert fetched == [], "the report must not load anything"
    assert "<link" not in page and "@import" not in page and "url(http" not in page


def test_timeline_has_one_linked_point_per_dated_partner(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    dated = dated_partner_count(synthetic_tables())
    timeline = page.split('id="partners-timeline"', 1)[1].split("</svg>", 1)[0]
    refs = re.findall(r'<g id="pt-(partners-\d+)" class="point"', timeline)
    assert len(refs) == dated == 4
    for ref in refs:  # each point links to the anchor where its mention starts in the text
        assert f'href="#t-{ref}"' in timeline and f'id="t-{ref}"' in page


def test_a_partner_is_one_point_at_its_earliest_most_precise_date() -> None:
    rows = [
        {"partner": "Stadt Hamm", "date": "2012", "doc_id": "a"},
        {"partner": "Stadt Hamm", "date": "2012-03-26", "doc_id": "b"},
        {"partner": "Stadt Hamm", "date": "2014-01-02", "doc_id": "c"},
        {"partner": "Kreis Unna", "date": "", "doc_id": "a"},
        {"partner": "Kreis Unna", "date": "2013-05", "doc_id": "c"},
    ]
    points = partners_to_points(rows)
    assert [(p.label, p.ref, p.y) for p in points] == [
        ("Stadt Hamm (2012-03-26)", "partners-1", 1.0), ("Kreis Unna (2013-05)", "partners-4", 2.0)]


def test_points_follow_the_joining_date() -> None:
    points = partners_to_points(synthetic_tables()["partners"])
    assert [p.label.split(" (")[0] for p in points] == [
        "Bezirksregierung Arnsberg", "Kreis Lippe", "Stadt Duisburg", "Bezirksregierung Münster"]
    assert [p.y for p in points] == [1.0, 2.0, 3.0, 4.0]


def test_survey_figures_are_plotted_by_series(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    plot = page.split('id="figures-timeline"', 1)[1].split("</svg>", 1)[0]
    assert len(re.findall(r'<g id="pt-figures-\d+" class="point"', plot)) == 2
    assert "48.7 % Beteiligung an der Mitarbeiterbefragung (2017" in plot


def test_every_fact_mention_and_evidence_is_marked_in_its_text(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    for table, rows in synthetic_tables().items():
        if table in ("documents", "failures"):
            continue
        for index, row in enumerate(rows):
            ref = f"{table}-{index}"
            assert f'href="#t-{ref}"' in page and f'id="t-{ref}"' in page, ref
            kind = "r" if table == "repairs" else "m"
            marked = re.findall(rf'<span class="[^"]*" data-{kind}="[^"]*\b{ref}\b[^>]*>([^<]*)</span>', page)
            expected = TEXTS[row["doc_id"]][row["char_start"]: row["char_end"]]
            assert "".join(marked) == expected, ref


def test_repairs_are_listed_on_demand(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    assert '<details class="repairs"><summary>OCR repairs (1)</summary>' in page
    assert "OCR repair (confusion): lntegration → Integration" in page


def test_report_without_facts_or_texts_still_renders() -> None:
    page = tables_to_html({"documents": [{"doc_id": "leer", "doc_type": "other"}]}, {"leer": None})
    assert 'data-points="0"' in page and "Clean text not found" in page


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
    with tempfile.TemporaryDirectory(prefix="report-chromium-") as profile:
        process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
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
            tools.socket.close()
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


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


def load(browser: DevTools, path: Path) -> str:
    url = path.resolve().as_uri()
    browser.events.clear()
    browser.send("Page.navigate", url=url)
    browser.wait_for("Page.loadEventFired")
    return url


def test_report_in_a_headless_browser(browser: DevTools, report: Path) -> None:
    url = load(browser, report)
    points = browser.evaluate("document.querySelectorAll('#partners-timeline svg g.point').length")
    assert points == dated_partner_count(synthetic_tables())
    assert browser.evaluate("document.querySelectorAll('#figures-timeline svg g.point').length") == 2
    drawn = browser.evaluate(
        "Array.from(document.querySelectorAll('#partners-timeline g.point use, #partners-timeline g.point path'))"
        ".filter(e => e.getBoundingClientRect().width > 0).length"
    )
    assert drawn >= points, "timeline points are not rendered"
    # Following a fact's link opens its document's text and highlights mention and evidence.
    browser.evaluate("location.hash = '#t-partners-2'; new Promise(r => setTimeout(r, 200))")
    assert browser.evaluate("document.querySelector('#t-partners-2').closest('details').open") is True
    assert browser.evaluate("Array.from(document.querySelectorAll('.active-m')).map(e => e.textContent).join('')") \
        == "Stadt Duisburg"
    assert "23.08.2012" in browser.evaluate(
        "Array.from(document.querySelectorAll('.active-e')).map(e => e.textContent).join('')")
    time.sleep(0.2)  # let late console messages arrive
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
    """The report `extract` wrote for the seeds: loads cleanly, one point per dated partner organisation (not per
    row: Bezirksregierung Arnsberg is dated in three rows), a screenshot."""
    url = load(browser, seed_run.tables / "report.html")
    documents = browser.evaluate("document.querySelectorAll('section.document').length")
    assert documents == len(read_table(seed_run.tables / "documents.csv"))
    dated = len({row["partner"] for row in read_table(seed_run.tables / "partners.csv") if iso_to_date(row["date"])})
    assert browser.evaluate("document.querySelectorAll('#partners-timeline svg g.point').length") == dated
    assert browser.evaluate("document.querySelector('#partners-timeline').dataset.points") == str(dated)
    browser.send("Emulation.setDeviceMetricsOverride", width=1280, height=1600, deviceScaleFactor=1, mobile=False)
    shot = browser.send("Page.captureScreenshot", format="png")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "report.png").write_bytes(base64.b64decode(shot["data"]))
    browser.send("Runtime.evaluate", expression="1")
    assert problems_in(browser.events, url) == []
    assert (OUT / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (OUT / "report.png").stat().st_size > 10_000


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
        shot = browser.send("Page.captureScreenshot", format="png")
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "report-390.png").write_bytes(base64.b64decode(shot["data"]))
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
