"""`pipeline fetch` against a real HTTP server on 127.0.0.1, started here on a free port (never the internet).

The server (`Archive`) logs every request it sees, serves a robots.txt that forbids Wahlperiode 15, PDFs built
with reportlab, a 404, a 503 before a 200, ETag and Last-Modified with 304 answers, and, on demand, a dropped
connection, a stall and an HTML page in place of a PDF.
"""

from __future__ import annotations

import ast
import io
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import pairwise
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.fetch import (
    MANIFEST_NAME,
    FetchError,
    FetchSettings,
    Paper,
    PoliteClient,
    Response,
    Robots,
    SpecError,
    fetch_papers,
    load_manifest,
    specs_to_papers,
    user_agent,
)
from pipeline.run import run
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = "/portal/WWW/dokumentenarchiv/Dokument/"
ROBOTS = f"User-agent: *\nDisallow: {ARCHIVE}MMD15\nDisallow: /portal/WWW/suche\n"


def pdf_of(title: str, lines: list[str]) -> bytes:
    """A one-page born-digital PDF (reportlab, invariant: the same text gives the same bytes)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    page.setTitle(title)
    page.setFont("Helvetica", 12)
    for i, line in enumerate([title, "", *lines]):
        page.drawString(72, 760 - 16 * i, line)
    page.save()
    return buffer.getvalue()


def drucksache(number: str, topic: str) -> bytes:
    return pdf_of(f"LANDTAG NORDRHEIN-WESTFALEN Drucksache {number}", [
        "18. Wahlperiode 12.03.2024",
        f"Antwort der Landesregierung auf die Kleine Anfrage zu {topic}.",
        "Die Stadt Hamm hat die Charta der Vielfalt am 5. Mai 2023 unterzeichnet.",
        "Rund 48,7 Prozent der Beschäftigten haben an Fortbildungen teilgenommen.",
    ])


@dataclass
class Doc:
    body: bytes
    etag: str = ""
    last_modified: str = ""
    fail_first: int = 0  # answer 503 this many times first
    drop_first: int = 0  # close the connection without an answer this many times first
    stall_first: float = 0.0  # wait this long before the first answer
    content_type: str = "application/pdf"


@dataclass
class Seen:
    path: str
    status: int
    sent: int  # body bytes
    agent: str
    conditional: str  # If-None-Match / If-Modified-Since, as received
    at: float  # when the request arrived (monotonic)


@dataclass
class Archive:
    """The server's content and its log; `robots` None answers 404 for robots.txt, an int answers that status."""

    docs: dict[str, Doc] = field(default_factory=dict)
    robots: str | int | None = ROBOTS
    log: list[Seen] = field(default_factory=list)
    active: int = 0
    most_active: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self) -> list[str]:
        return [seen.path for seen in self.log]

    def pdf_bytes_sent(self) -> int:
        return sum(seen.sent for seen in self.log if seen.path.endswith(".pdf"))


class Handler(BaseHTTPRequestHandler):
    archive: Archive
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # the test keeps its own log
        pass

    def do_GET(self) -> None:
        """Log the request, then answer: the log is complete before the client has its answer. A request is
        'active' from its arrival until its answer is ready (held 5 ms), so two at a time would be seen."""
        archive = self.archive
        started = time.monotonic()
        with archive.lock:
            archive.active += 1
            archive.most_active = max(archive.most_active, archive.active)
        time.sleep(0.005)
        answer = self.answer()
        conditional = " ".join(filter(None, (self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"))))
        status, body, headers = answer or (0, b"", {})
        archive.log.append(Seen(self.path, status, len(body), self.headers.get("User-Agent", ""), conditional, started))
        with archive.lock:
            archive.active -= 1
        try:
            if answer is None:  # drop the connection without a word
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
            else:
                self.send(status, body, headers)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout under test)
            pass

    def answer(self) -> tuple[int, bytes, dict[str, str]] | None:
        if self.path == "/robots.txt":
            robots = self.archive.robots
            if isinstance(robots, str):
                return 200, robots.encode(), {"Content-Type": "text/plain; charset=utf-8"}
            return robots or 404, b"", {}
        doc = self.archive.docs.get(self.path)
        if doc is None:
            return 404, b"<html>Nicht gefunden</html>", {"Content-Type": "text/html"}
        if doc.drop_first:
            doc.drop_first -= 1
            return None
        if doc.stall_first:
            stall, doc.stall_first = doc.stall_first, 0.0  # before sleeping: the retry comes in meanwhile
            time.sleep(stall)
        if doc.fail_first:
            doc.fail_first -= 1
            return 503, b"busy", {"Content-Type": "text/plain", "Retry-After": "0"}
        validators = {k: v for k, v in (("ETag", doc.etag), ("Last-Modified", doc.last_modified)) if v}
        if (doc.etag and self.headers.get("If-None-Match") == doc.etag) or (
                not doc.etag and doc.last_modified and self.headers.get("If-Modified-Since") == doc.last_modified):
            return 304, b"", validators
        return 200, doc.body, {"Content-Type": doc.content_type, **validators}

    def send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def archive() -> Iterator[tuple[Archive, str]]:
    """A server on a free port of 127.0.0.1 with Drucksachen 18/1, 18/2 (503 once, Last-Modified only), 18/4 and
    15/10, and no 18/3."""
    state = Archive(docs={
        f"{ARCHIVE}MMD18-1.pdf": Doc(drucksache("18/1", "Integration"), etag='"v1-18-1"',
                                     last_modified=formatdate(1_700_000_000, usegmt=True)),
        f"{ARCHIVE}MMD18-2.pdf": Doc(drucksache("18/2", "Vielfalt"), fail_first=1,
                                     last_modified=formatdate(1_700_000_100, usegmt=True)),
        f"{ARCHIVE}MMD18-4.pdf": Doc(drucksache("18/4", "Fortbildung"), etag='"v1-18-4"'),
        f"{ARCHIVE}MMD15-10.pdf": Doc(drucksache("15/10", "Archiv")),
    })
    handler = type("ArchiveHandler", (Handler,), {"archive": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def fetch_cli(base: str, to: Path, *specs: str) -> int:
    return main(["fetch", *specs, "--to", str(to), "--base-url", base, "--delay", "0"])


def test_done_when_four_drucksachen_and_one_refused(archive: tuple[Archive, str], tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 17's closing scenario: 18/1-18/4 and 15/10 asked; three PDFs saved byte-identical, 18/3 not published,
    15/10 refused without a request, robots.txt read once; a second run transfers no PDF; extract reads them."""
    state, base = archive
    raw = tmp_path / "raw"
    assert fetch_cli(base, raw, "18/1-18/4", "15/10") == 1  # 18/3 and 15/10 are not fetched
    err = capsys.readouterr().err.splitlines()
    for number in ("1", "2", "4"):
        assert (raw / f"MMD18-{number}.pdf").read_bytes() == state.docs[f"{ARCHIVE}MMD18-{number}.pdf"].body
    assert sorted(p.name for p in raw.iterdir() if not p.name.startswith(".")) == [
        "MMD18-1.pdf", "MMD18-2.pdf", "MMD18-4.pdf"]
    assert "18/3 MMD18-3.pdf: not published (HTTP 404)" in err
    assert any(line.startswith("15/10 MMD15-10.pdf: refused (robots.txt disallows") for line in err)
    assert len([line for line in err if line.split()[0] in {"18/1", "18/2", "18/3", "18/4", "15/10"}]) == 5
    assert state.paths() == ["/robots.txt", f"{ARCHIVE}MMD18-1.pdf", f"{ARCHIVE}MMD18-2.pdf",
                             f"{ARCHIVE}MMD18-2.pdf", f"{ARCHIVE}MMD18-3.pdf", f"{ARCHIVE}MMD18-4.pdf"]
    assert [seen.status for seen in state.log] == [200, 200, 503, 200, 404, 200]
    assert all(seen.agent == user_agent() for seen in state.log) and "nrw-iko-pipeline/0.1.0" in user_agent()
    assert state.most_active == 1
    manifest = load_manifest(raw)
    assert sorted(manifest) == ["MMD18-1.pdf", "MMD18-2.pdf", "MMD18-4.pdf"]
    assert manifest["MMD18-1.pdf"].etag == '"v1-18-1"' and manifest["MMD18-2.pdf"].last_modified
    assert manifest["MMD18-4.pdf"].size == len(state.docs[f"{ARCHIVE}MMD18-4.pdf"].body)

    first = len(state.log)
    assert fetch_cli(base, raw, "18/1-18/4", "15/10") == 1
    second = state.log[first:]
    assert [seen.path for seen in second].count("/robots.txt") == 1
    assert {seen.path: seen.status for seen in second if seen.path.endswith(".pdf")} == {
        f"{ARCHIVE}MMD18-1.pdf": 304, f"{ARCHIVE}MMD18-2.pdf": 304, f"{ARCHIVE}MMD18-3.pdf": 404,
        f"{ARCHIVE}MMD18-4.pdf": 304}
    assert [seen for seen in second if seen.status == 200 and seen.path.endswith(".pdf")] == []
    assert all(seen.conditional for seen in second if seen.status == 304)
    assert "18/1 MMD18-1.pdf: unchanged (HTTP 304, nothing transferred)" in capsys.readouterr().err

    def no_network(self: socket.socket, *args: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise AssertionError("extract opened a network connection")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    summary = run(Settings(raw_dir=raw, clean_dir=tmp_path / "clean", tables_dir=tmp_path / "tables", jobs=1))
    assert not summary.failures
    documents = (tmp_path / "tables" / "documents.csv").read_text(encoding="utf-8")
    for doc_id in ("MMD18-1", "MMD18-2", "MMD18-4"):
        assert f"\n{doc_id}," in documents
        assert "Charta der Vielfalt" in (tmp_path / "clean" / f"{doc_id}.txt").read_text(encoding="utf-8")
    assert MANIFEST_NAME not in documents


def test_a_changed_paper_replaces_the_local_copy(archive: tuple[Archive, str], tmp_path: Path) -> None:
    state, base = archive
    raw = tmp_path / "raw"
    assert fetch_cli(base, raw, "18/4") == 0
    before = load_manifest(raw)["MMD18-4.pdf"]
    changed = drucksache("18/4", "Fortbildung (Neudruck)")
    state.docs[f"{ARCHIVE}MMD18-4.pdf"] = Doc(changed, etag='"v2-18-4"')
    assert fetch_cli(base, raw, "18/4") == 0
    assert (raw / "MMD18-4.pdf").read_bytes() == changed
    after = load_manifest(raw)["MMD18-4.pdf"]
    assert after.etag == '"v2-18-4"' and after.sha256 != before.sha256 and after.size == len(changed)
    assert state.log[-1].conditional == '"v1-18-4"' and state.log[-1].status == 200
    assert not [p for p in raw.iterdir() if p.name.startswith(".MMD")]  # no temporary file left


def test_a_local_copy_edited_or_removed_is_fetched_again(archive: tuple[Archive, str], tmp_path: Path) -> None:
    state, base = archive
    raw = tmp_path / "raw"
    assert fetch_cli(base, raw, "18/1", "18/4") == 0
    (raw / "MMD18-1.pdf").write_bytes(b"%PDF-1.4 edited by hand")
    (raw / "MMD18-4.pdf").unlink()
    assert fetch_cli(base, raw, "18/1", "18/4") == 0
    assert [(s.status, s.conditional) for s in state.log[-2:]] == [(200, ""), (200, "")]
    for number in ("1", "4"):
        assert (raw / f"MMD18-{number}.pdf").read_bytes() == state.docs[f"{ARCHIVE}MMD18-{number}.pdf"].body


def test_minutes_and_spec_files(archive: tuple[Archive, str], tmp_path: Path) -> None:
    state, base = archive
    state.docs[f"{ARCHIVE}MMP18-12.pdf"] = Doc(pdf_of("Plenarprotokoll 18/12", ["Sitzung vom 1. Juni 2023"]))
    listing = tmp_path / "wanted.txt"
    listing.write_text("# Plenarprotokolle\n18/12\n\n18/12  # twice, fetched once\n", encoding="utf-8")
    assert main(["fetch", f"@{listing}", "--minutes", "--to", str(tmp_path / "raw"), "--base-url", base,
                 "--delay", "0"]) == 0
    assert (tmp_path / "raw" / "MMP18-12.pdf").is_file()
    assert state.paths() == ["/robots.txt", f"{ARCHIVE}MMP18-12.pdf"]


@pytest.mark.parametrize("spec", ["18", "18/x", "18/5-18/1", "17/1-18/2", "18/0", "18/1-18/90000", "@missing.txt"])
def test_a_bad_spec_stops_before_any_request(archive: tuple[Archive, str], tmp_path: Path, spec: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    state, base = archive
    assert fetch_cli(base, tmp_path / "raw", "18/1", spec) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err
    assert state.log == []


def test_specs_to_papers() -> None:
    assert specs_to_papers(["18/14087"]) == [Paper(18, 14087)]
    assert [p.number for p in specs_to_papers(["18/14080-18/14090"])] == list(range(14080, 14091))
    assert specs_to_papers(["18/12"], kind="MMP")[0].file_name == "MMP18-12.pdf"
    with pytest.raises(SpecError, match="another list"):
        specs_to_papers(["@a"], read_text=lambda path: "18/1\n@b\n")


def test_persistent_server_errors_are_retried_then_reported(archive: tuple[Archive, str], tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    state, base = archive
    state.docs[f"{ARCHIVE}MMD18-2.pdf"].fail_first = 10
    settings = FetchSettings(to_dir=tmp_path / "raw", base_url=base, delay=0, retries=2, backoff=0.01)
    summary = fetch_papers(settings, [Paper(18, 2), Paper(18, 1)])
    assert [o.status for o in summary.outcomes] == ["failed", "fetched"]
    assert "HTTP 503 after 3 attempts" in summary.outcomes[0].detail
    assert state.paths().count(f"{ARCHIVE}MMD18-2.pdf") == 3 and not summary.complete


def test_a_dropped_connection_is_retried(archive: tuple[Archive, str], tmp_path: Path) -> None:
    state, base = archive
    state.docs[f"{ARCHIVE}MMD18-4.pdf"].drop_first = 1
    settings = FetchSettings(to_dir=tmp_path / "raw", base_url=base, delay=0, backoff=0.01)
    summary = fetch_papers(settings, [Paper(18, 4)])
    assert summary.complete and summary.requests == 3  # robots.txt, the dropped attempt, the good one


def test_a_stalled_server_times_out_and_is_retried(archive: tuple[Archive, str], tmp_path: Path) -> None:
    state, base = archive
    state.docs[f"{ARCHIVE}MMD18-4.pdf"].stall_first = 1.0
    settings = FetchSettings(to_dir=tmp_path / "raw", base_url=base, delay=0, timeout=0.3, backoff=0.01)
    summary = fetch_papers(settings, [Paper(18, 4)])
    assert summary.complete and summary.requests == 3


def test_client_errors_are_not_retried_and_html_is_not_saved(archive: tuple[Archive, str], tmp_path: Path) -> None:
    state, base = archive
    state.docs[f"{ARCHIVE}MMD18-1.pdf"] = Doc(b"<html><body>Dokument nicht gefunden</body></html>",
                                              content_type="text/html")
    settings = FetchSettings(to_dir=tmp_path / "raw", base_url=base, delay=0, backoff=0.01)
    summary = fetch_papers(settings, [Paper(18, 1), Paper(18, 3)])
    assert [o.status for o in summary.outcomes] == ["failed", "not published"]
    assert "not a PDF (text/html" in summary.outcomes[0].detail
    assert not (tmp_path / "raw" / "MMD18-1.pdf").exists() and load_manifest(tmp_path / "raw") == {}
    assert state.paths().count(f"{ARCHIVE}MMD18-3.pdf") == 1


def test_no_robots_txt_allows_and_an_unreadable_one_stops_the_run(archive: tuple[Archive, str],
                                                                  tmp_path: Path) -> None:
    state, base = archive
    state.robots = None  # 404: the site sets no rules
    settings = FetchSettings(to_dir=tmp_path / "raw", base_url=base, delay=0, retries=1, backoff=0.01)
    assert fetch_papers(settings, [Paper(15, 10)]).complete
    state.robots, state.log = 503, []
    with pytest.raises(FetchError, match="robots.txt"):
        fetch_papers(settings, [Paper(18, 1)])
    assert state.paths() == ["/robots.txt", "/robots.txt"]
    state.robots, state.log = 403, []
    summary = fetch_papers(settings, [Paper(18, 1)])
    assert summary.outcomes[0].status == "refused" and state.paths() == ["/robots.txt"]


def test_requests_keep_the_delay_apart(archive: tuple[Archive, str], tmp_path: Path) -> None:
    state, base = archive
    settings = FetchSettings(to_dir=tmp_path / "raw", base_url=base, delay=0.2)
    fetch_papers(settings, [Paper(18, 1), Paper(18, 4)])
    times = [seen.at for seen in state.log]
    assert len(times) == 3 and all(b - a >= 0.18 for a, b in pairwise(times))


def test_crawl_delay_and_retry_after() -> None:
    robots = Robots("http://x/robots.txt", Response(200, b"User-agent: *\nCrawl-delay: 5\nDisallow: /a\n"))
    assert robots.crawl_delay(user_agent()) == 5.0
    assert not robots.allows(user_agent(), "http://x/a/b") and robots.allows(user_agent(), "http://x/b")
    waits: list[float] = []
    client = PoliteClient(sleep=waits.append)
    assert client.retry_after(Response(503, b"", {"Retry-After": "7"}), 1.0) == 7.0
    assert client.retry_after(Response(503, b"", {"Retry-After": "9999"}), 1.0) == client.max_wait
    assert client.retry_after(Response(503, b""), 2.0) == 2.0


def test_the_cli_runs_as_a_command(archive: tuple[Archive, str], tmp_path: Path) -> None:
    state, base = archive
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "fetch", "18/4", "--to", str(tmp_path / "raw"), "--base-url", base,
         "--delay", "0"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0].startswith("18/4 MMD18-4.pdf: fetched (")
    assert done.stderr.splitlines()[-1].startswith("fetch: 1 asked: 1 fetched; 2 requests")


def test_only_the_fetcher_touches_the_network() -> None:
    """`extract` stays offline: no module outside pipeline/fetch imports a network library."""
    network = {"urllib.request", "urllib.robotparser", "http.client", "socket", "requests", "httpx", "urllib3"}
    offenders = []
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        if "fetch" in path.relative_to(ROOT / "pipeline").parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {name}" for name in names if name in network]
    assert offenders == []
