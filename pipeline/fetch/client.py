"""The one seam to the network: a polite HTTP client (urllib) and the site's robots.txt.

One request at a time, a pause between requests, an honest User-Agent, timeouts, and retries with a growing pause
on server errors (5xx) and broken connections only; every other answer goes back to the caller as it came.
"""

from __future__ import annotations

import email.message
import http.client
import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pipeline
from pipeline.errors import PipelineError

PROJECT = "nrw-iko-pipeline"


def user_agent() -> str:
    """Names the project and its version, and says what it does, so the site's staff know who asks."""
    return (f"{PROJECT}/{pipeline.__version__} (document-extraction pipeline; fetches Landtag NRW papers by number, "
            "one at a time, obeying robots.txt)")


class FetchError(PipelineError):
    """The server could not be reached, or kept failing, after every retry."""

    stage = "fetch"


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), "")


@dataclass
class PoliteClient:
    """GET with the project's manners. `delay` seconds pass between the end of one request and the start of the
    next; a 5xx or a broken connection is retried `retries` times after `backoff`, 2×, 4× … seconds (or the
    server's Retry-After, up to `max_wait`)."""

    delay: float = 1.0
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0
    max_wait: float = 120.0
    max_bytes: int = 500_000_000
    agent: str = field(default_factory=user_agent)
    may_visit: Callable[[str], bool] = lambda url: True  # a redirect goes only where robots.txt allows
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    requests: int = 0
    _last: float | None = None

    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Response:
        """The server's answer (any status a retry cannot change), or FetchError when retries are used up."""
        for attempt in range(self.retries + 1):
            try:
                response = self.request_once(url, headers or {})
            except (TimeoutError, urllib.error.URLError, http.client.HTTPException, ConnectionError) as exc:
                problem, wait = f"{reason_of(exc)}", self.backoff * 2**attempt
            else:
                if response.status < 500:
                    return response
                problem, wait = f"HTTP {response.status}", self.retry_after(response, self.backoff * 2**attempt)
            if attempt < self.retries:
                self.sleep(wait)
        raise FetchError(f"{url}: {problem} after {self.retries + 1} attempts",
                         "the server may be down or busy: run the same command again later")

    def request_once(self, url: str, headers: Mapping[str, str]) -> Response:
        if self._last is not None:
            self.sleep(max(0.0, self._last + self.delay - self.clock()))
        request = urllib.request.Request(url, headers={"User-Agent": self.agent, **headers})
        self.requests += 1
        opener = urllib.request.build_opener(GuardedRedirects(self.may_visit))
        try:
            with opener.open(request, timeout=self.timeout) as answer:
                return Response(answer.status, self.read_body(answer, url), dict(answer.headers.items()))
        except urllib.error.HTTPError as exc:
            with exc:
                return Response(exc.code, b"", dict(exc.headers.items()) if exc.headers else {})
        finally:
            self._last = self.clock()

    def read_body(self, answer: http.client.HTTPResponse, url: str) -> bytes:
        body = answer.read(self.max_bytes + 1)
        if len(body) > self.max_bytes:
            raise FetchError(f"{url}: larger than {self.max_bytes} bytes",
                             "this is not a Landtag paper; check --base-url")
        return body

    def retry_after(self, response: Response, default: float) -> float:
        """The server's Retry-After in seconds (capped), else our own backoff."""
        value = response.header("Retry-After").strip()
        return min(float(value), self.max_wait) if value.isdigit() else default


class GuardedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to an address robots.txt allows (the site may move its archive, not our manners)."""

    def __init__(self, may_visit: Callable[[str], bool]) -> None:
        self.may_visit = may_visit

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> urllib.request.Request | None:
        if not self.may_visit(newurl):
            raise FetchError(f"{req.full_url} redirects to {newurl}, which robots.txt disallows",
                             "nothing was fetched from there")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def reason_of(exc: BaseException) -> str:
    """A short reason for a failed connection: 'timed out', 'Connection refused', …"""
    reason = getattr(exc, "reason", exc)
    text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return "timed out" if isinstance(reason, TimeoutError) else text


class Robots:
    """The site's robots.txt, read once, as urllib.robotparser understands it: 401/403 forbid everything, another
    4xx (no robots.txt) allows everything, a 5xx or an unreachable server is an error (we do not guess)."""

    def __init__(self, url: str, response: Response) -> None:
        self.url = url
        self.parser = urllib.robotparser.RobotFileParser(url)
        if response.status in (401, 403):
            self.parser.parse(["User-agent: *", "Disallow: /"])
        elif 400 <= response.status < 500:
            self.parser.parse([])
        elif response.status == 200:
            self.parser.parse(decode(response).splitlines())
        else:
            raise FetchError(f"{url}: HTTP {response.status}", "robots.txt must be readable before anything is fetched")

    def allows(self, agent: str, url: str) -> bool:
        return self.parser.can_fetch(agent, url)

    def crawl_delay(self, agent: str) -> float:
        """The pause robots.txt asks for (0 when it asks none)."""
        delay = self.parser.crawl_delay(agent)
        return float(delay) if delay else 0.0


def decode(response: Response) -> str:
    message = email.message.Message()
    message["Content-Type"] = response.header("Content-Type") or "text/plain"
    return response.body.decode(message.get_content_charset() or "utf-8", "replace")


def robots_url(base_url: str) -> str:
    """robots.txt lives at the root of the host, whatever path the base URL has.

    >>> robots_url("http://127.0.0.1:8000/mirror/")
    'http://127.0.0.1:8000/robots.txt'
    """
    return urllib.parse.urljoin(base_url, "/robots.txt")
