"""The development server over real HTTP on 127.0.0.1: files, safety, live reload.

Requests go through `http.client` (or a raw socket), never `urllib`, so paths
reach the server exactly as written, encoded or not, and any Host or Origin
header can be sent. Every wait is bounded by a socket timeout.
"""

from __future__ import annotations

import http.client
import json
import mimetypes
import os
import re
import selectors
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import site_builder.server
from site_builder import terminal
from site_builder.output import LOCK, MANIFEST
from site_builder.server import EVENTS, DevServer

TIMEOUT = 5.0  # seconds any single socket operation may take
SECRET = b"TOP SECRET: never served"
NO_HOST = "(no Host header)"

PAGE = b"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A page</title>
<link rel="stylesheet" href="../static/site.css"></head>
<body>
<main><p>The Tianwen-3 mission. A body of text.</p></main>
<script src="../static/notes.js" defer></script>
</body>
</html>
"""
INDEX = b"<!doctype html>\n<html><head><title>Home</title></head><body><p>Home</p></body></html>\n"
NOT_FOUND = (
    b"<!doctype html>\n<html><head><title>Gone</title></head>"
    b"<body><p>No such page.</p></body></html>\n"
)
CSS = b"body { margin: 0 } /* </body> must stay as it is */\n"
JS = b'document.body.dataset.js = "</body>";\n'

# Files of the served folder; the folder itself is `site/` next to `secret.txt`.
FILES: dict[str, bytes] = {
    "index.html": INDEX,
    "page/index.html": PAGE,
    "static/site.css": CSS,
    "static/notes.js": JS,
    "404.html": NOT_FOUND,
    "a/placeholder.txt": b"a folder for /a/../../ paths\n",
}


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


@dataclass
class Served:
    """A running DevServer and the ways to talk to it."""

    server: DevServer
    folder: Path
    port: int
    connections: list[http.client.HTTPConnection] = field(default_factory=list)
    streams: list[EventStream] = field(default_factory=list)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def connect(self) -> http.client.HTTPConnection:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        self.connections.append(connection)
        return connection

    def request(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str] | None = None,
        host: str | None = None,
        body: bytes | None = None,
    ) -> Response:
        """One request, the path sent byte for byte; `host=NO_HOST` sends no Host header."""
        connection = self.connect()
        send(connection, method, path, headers, self.host if host is None else host, body)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return Response(response.status, response.headers, data)

    def get(
        self, path: str, headers: Mapping[str, str] | None = None, host: str | None = None
    ) -> Response:
        return self.request("GET", path, headers, host)

    def events(self, headers: Mapping[str, str] | None = None, path: str = EVENTS) -> EventStream:
        """A client on the reload channel, connected (its listener registered)."""
        stream = open_events(self.connect(), headers, self.host, path=path)
        self.streams.append(stream)
        assert stream.response.status == 200, stream.response.read()
        return stream


def send(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    headers: Mapping[str, str] | None,
    host: str,
    body: bytes | None = None,
) -> None:
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    if host != NO_HOST:
        connection.putheader("Host", host)
    for name, value in (headers or {}).items():
        connection.putheader(name, value)
    if body is not None:
        connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body)


def open_events(
    connection: http.client.HTTPConnection,
    headers: Mapping[str, str] | None,
    host: str,
    timeout: float = TIMEOUT,
    path: str = EVENTS,
) -> EventStream:
    """A GET of the reload channel, its answer's headers read."""
    send(connection, "GET", path, headers, host)
    sock = connection.sock
    assert sock is not None
    return EventStream(connection.getresponse(), sock, timeout)


@dataclass
class Event:
    name: str | None  # None: a comment, such as ": connected"
    data: str


class EventStream:
    """Reads a text/event-stream response one block (event or comment) at a time.

    Every read is bounded by `timeout` seconds in all, heartbeats or not: a
    stream that keeps sending comments but never the awaited event times out.
    """

    def __init__(
        self,
        response: http.client.HTTPResponse,
        connection: socket.socket,
        timeout: float = TIMEOUT,
    ) -> None:
        self.response = response
        self.socket = connection  # http.client lets go of it: the answer says Connection: close
        self.timeout = timeout

    def close(self) -> None:
        self.response.close()
        self.socket.close()

    def _line(self, deadline: float) -> bytes:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("nothing awaited came on the event stream in time")
        self.socket.settimeout(remaining)
        return self.response.readline()

    def block(self, deadline: float | None = None) -> Event:
        """The next block; TimeoutError if none is complete by `deadline`."""
        deadline = deadline or time.monotonic() + self.timeout
        lines: list[str] = []
        while True:
            line = self._line(deadline)
            if not line:
                raise EOFError(f"the stream ended; read so far: {lines}")
            text = line.decode("utf-8").rstrip("\n")
            if text == "":
                if lines:
                    break
                continue
            lines.append(text)
        name = next((line[len("event: ") :] for line in lines if line.startswith("event: ")), None)
        data = "\n".join(line[len("data: ") :] for line in lines if line.startswith("data: "))
        return Event(name, data if name else "\n".join(lines))

    def event(self) -> Event:
        """The next event, skipping comments (the greeting and heartbeats)."""
        deadline = time.monotonic() + self.timeout
        while (block := self.block(deadline)).name is None:
            pass
        return block

    def until_connected(self) -> list[Event]:
        """The events sent before the ": connected" greeting."""
        deadline = time.monotonic() + self.timeout
        before: list[Event] = []
        while (block := self.block(deadline)).name is not None or block.data != ": connected":
            before.append(block)
        return before


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The served folder, with a secret file just outside it."""
    (tmp_path / "secret.txt").write_bytes(SECRET)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_bytes(SECRET)
    (tmp_path / "outside" / "index.html").write_bytes(SECRET)
    folder = tmp_path / "site"
    for relative, content in FILES.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return folder


Serve = Callable[..., Served]


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Starts DevServers on free ports (`serve(folder)`), and stops them all afterwards."""
    running: list[tuple[Served, threading.Thread]] = []

    def start(folder: Path, base_path: str = "/", **options: Any) -> Served:
        server = DevServer(folder, "127.0.0.1", 0, base_path, **options)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        thread.start()
        served = Served(server, folder, int(server.server_address[1]))
        running.append((served, thread))
        return served

    yield start
    for served, thread in running:
        for stream in served.streams:
            stream.close()
        for connection in served.connections:
            connection.close()
        served.server.close_listeners()
        served.server.shutdown()
        served.server.server_close()
        thread.join(timeout=TIMEOUT)
        assert not thread.is_alive()


@pytest.fixture
def served(site: Path, serve: Serve) -> Served:
    return serve(site)


def raw(port: int, request: bytes, until_closed: bool = True) -> bytes:
    """Everything the server answers to `request` until it closes the connection.

    `until_closed=False`: or until it has been silent for a second.
    """
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as connection:
        connection.sendall(request)
        received = b""
        if not until_closed:
            connection.settimeout(1.0)
        try:
            while chunk := connection.recv(65536):
                received += chunk
        except TimeoutError:
            if until_closed:
                raise
    return received


def split(answer: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


def injected(original: bytes, served: bytes) -> bytes:
    """What the server put into `original` just before its last `</body>`."""
    before, tag, after = original.rpartition(b"</body>")
    assert tag, "the original page has no </body>"
    assert served.startswith(before)
    assert served.endswith(tag + after)
    return served[len(before) : len(served) - len(tag + after)]


# Files: status, type, caching, HEAD, folders.


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("annotations.jsonld", "application/ld+json"),
        ("feed.xml", "application/xml"),
        ("site.webmanifest", "application/manifest+json"),
        ("chunk.pf_fragment", "application/octet-stream"),
    ],
)
def test_the_files_a_site_has_get_their_type_whatever_the_machine_knows(
    site: Path, serve: Serve, monkeypatch: pytest.MonkeyPatch, name: str, kind: str
) -> None:
    # A machine without /etc/mime.types: only Python's own table, which lacks .jsonld.
    monkeypatch.setattr(mimetypes, "guess_type", mimetypes.MimeTypes(filenames=()).guess_type)
    (site / name).write_bytes(b"{}")
    response = serve(site).get(f"/{name}")
    assert response.status == 200
    assert response.header("Content-Type") == kind


@pytest.mark.parametrize(
    ("path", "kind", "content"),
    [
        ("/static/site.css", "text/css; charset=utf-8", CSS),
        ("/static/notes.js", "javascript; charset=utf-8", JS),
    ],
)
def test_get_of_an_asset_answers_its_bytes_with_its_type(
    served: Served, path: str, kind: str, content: bytes
) -> None:
    response = served.get(path)
    assert response.status == 200
    assert (response.header("Content-Type") or "").endswith(kind)
    assert response.header("Cache-Control") == "no-store"
    assert response.header("Content-Length") == str(len(content))
    assert response.body == content  # assets are never modified, `</body>` in them or not


def test_get_of_a_page_answers_html_with_its_type(served: Served) -> None:
    response = served.get("/page/index.html")
    assert response.status == 200
    assert response.header("Content-Type") == "text/html; charset=utf-8"
    assert response.header("Cache-Control") == "no-store"
    assert response.header("Content-Length") == str(len(response.body))
    assert b"The Tianwen-3 mission." in response.body


@pytest.mark.parametrize("path", ["/page/index.html", "/page/", "/static/site.css", "/"])
def test_head_answers_the_headers_of_get_and_no_body(served: Served, path: str) -> None:
    got = served.get(path)
    # A raw socket: http.client would not read a body after HEAD even if one came.
    status, headers, body = split(
        raw(
            served.port,
            f"HEAD {path} HTTP/1.1\r\nHost: {served.host}\r\nConnection: close\r\n\r\n".encode(),
        )
    )
    assert status == 200
    assert body == b""
    assert headers["content-length"] == got.header("Content-Length") == str(len(got.body))
    assert headers["content-type"] == got.header("Content-Type")
    assert headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/no-such-page/", "", 404),
        ("/../secret.txt", "", 403),
        ("/%252e%252e/secret.txt", "", 400),
        ("/page/", "Host: evil.example\r\n", 403),
        (EVENTS, "Origin: http://evil.example\r\n", 403),
    ],
)
def test_head_of_a_refused_request_has_no_body_either(
    served: Served, path: str, headers: str, status: int
) -> None:
    host = "" if headers.startswith("Host:") else f"Host: {served.host}\r\n"
    answer = raw(
        served.port, f"HEAD {path} HTTP/1.1\r\n{host}{headers}Connection: close\r\n\r\n".encode()
    )
    got, head, body = split(answer)
    assert got == status
    assert body == b""
    assert int(head["content-length"]) > 0  # the length a GET's body would have


def test_head_leaves_a_kept_alive_connection_usable(served: Served) -> None:
    connection = served.connect()
    send(connection, "HEAD", "/page/", None, served.host)
    head = connection.getresponse()
    assert head.read() == b""
    send(connection, "GET", "/static/site.css", None, served.host)
    response = connection.getresponse()
    assert (response.status, response.read()) == (200, CSS)


@pytest.mark.parametrize(("path", "location"), [("/page", "/page/"), ("/static", "/static/")])
def test_a_folder_without_its_slash_redirects_to_it(
    served: Served, path: str, location: str
) -> None:
    response = served.get(path)
    assert response.status == 301
    assert response.header("Location") == location


def test_a_redirect_never_leads_to_another_host(served: Served) -> None:
    # `////page` is the path `//page`: a Location of `//page/` would send the
    # browser to the host "page".
    response = served.get("////page")
    assert response.status in (301, 400, 403, 404)
    if response.status == 301:
        location = response.header("Location") or ""
        assert location.startswith("/")
        assert not location.startswith("//")


def test_a_folder_with_its_slash_serves_its_index(served: Served) -> None:
    response = served.get("/page/")
    assert response.status == 200
    assert response.header("Content-Type") == "text/html; charset=utf-8"
    assert injected(PAGE, response.body)  # the page, with only the script added
    assert served.get("/").body.startswith(INDEX[: INDEX.index(b"</body>")])


def test_a_query_string_does_not_change_the_file(served: Served) -> None:
    assert served.get("/static/site.css?v=2").body == CSS


# Methods.


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_are_not_allowed(served: Served, method: str) -> None:
    response = served.request(method, "/page/index.html", body=b"x=1")
    assert response.status == 405
    assert response.header("Allow") == "GET, HEAD"
    assert b"Tianwen" not in response.body
    assert (served.folder / "page" / "index.html").read_bytes() == PAGE


def test_a_refused_request_body_is_never_taken_for_a_request(served: Served) -> None:
    # The server does not read the body of a method it refuses; keeping the
    # connection would answer that body as if it were a request of its own.
    smuggled = f"GET /static/site.css HTTP/1.1\r\nHost: {served.host}\r\n\r\n".encode()
    request = (
        f"POST /page/ HTTP/1.1\r\nHost: {served.host}\r\nContent-Length: {len(smuggled)}\r\n\r\n"
    ).encode() + smuggled
    answer = raw(served.port, request, until_closed=False)
    assert answer.startswith(b"HTTP/1.1 405 ")
    assert answer.count(b"HTTP/1.1 ") == 1
    assert CSS not in answer


# Path safety: nothing outside the folder, however the path is written.

CLIMBS = [
    "/../secret.txt",
    "/a/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E%2Fsecret.txt",
    "/..%2fsecret.txt",
    "/static/..%2f..%2fsecret.txt",
    "/%252e%252e/secret.txt",
    "/%252e%252e%252fsecret.txt",
    "/%00/../secret.txt",
    "/secret.txt%00.html",
    "/..\\secret.txt",
    "/static\\..\\..\\secret.txt",
    "/%5c..%5csecret.txt",
    "/%c0%ae%c0%ae/secret.txt",  # overlong UTF-8 for "..": not UTF-8 at all
    "/%ff%fe/../secret.txt",
    "/./../secret.txt",
    "/../outside/secret.txt",
    "/%2e%2e/outside/secret.txt",
]


@pytest.mark.parametrize("path", CLIMBS)
def test_paths_that_climb_out_are_refused(served: Served, path: str) -> None:
    response = served.get(path)
    assert response.status in (400, 403), response.body
    assert SECRET not in response.body


# Long URLs: an answer, at once.


@pytest.mark.parametrize(
    "path",
    [
        "/a" * 5000,  # 5,000 segments, 10 KB
        "/" + "x" * 9000,
        "/page/?" + "q" * 9000,  # a query counts too: it is part of the request line
        "/a" * 40000,  # past http.server's own limit of 64 KB
    ],
)
def test_a_request_line_over_8_kb_is_answered_414_and_closed(served: Served, path: str) -> None:
    request = f"GET {path} HTTP/1.1\r\nHost: {served.host}\r\n\r\n".encode()
    status, headers, _ = split(raw(served.port, request))  # bounded: until the server closes
    assert status == 414
    assert headers["connection"] == "close"
    assert served.get("/static/site.css").body == CSS


@pytest.mark.parametrize("path", ["/a" * 4000, "/a" * 4000 + "/", "/" + "b" * 300 + "/"])
def test_a_path_too_long_for_the_file_system_is_not_found(served: Served, path: str) -> None:
    # Under 8 KB, but longer than a file name or path may be (ENAMETOOLONG).
    response = served.get(path)
    assert response.status == 404
    assert b"No such page." in response.body


@pytest.mark.parametrize("path", ["/%00", "/page/%00", "/index.html%00"])
def test_a_nul_in_the_path_is_a_bad_request(served: Served, path: str) -> None:
    assert served.get(path).status == 400


def test_a_file_name_with_an_encoded_character_is_served(served: Served) -> None:
    (served.folder / "a b.txt").write_bytes(b"spaced\n")
    assert served.get("/a%20b.txt").body == b"spaced\n"


def test_a_symlink_leading_out_of_the_folder_is_refused(served: Served) -> None:
    (served.folder / "leak.txt").symlink_to(served.folder.parent / "secret.txt")
    (served.folder / "leaks").symlink_to(served.folder.parent / "outside")
    for path in ("/leak.txt", "/leaks/secret.txt", "/leaks/"):
        response = served.get(path)
        assert response.status == 403, path
        assert SECRET not in response.body


def test_a_symlink_to_a_file_inside_the_folder_is_served(served: Served) -> None:
    (served.folder / "alias.css").symlink_to(served.folder / "static" / "site.css")
    (served.folder / "styles").symlink_to(served.folder / "static")
    for path in ("/alias.css", "/styles/site.css"):
        response = served.get(path)
        assert response.status == 200, path
        assert response.body == CSS


def test_a_served_folder_reached_through_a_symlink_still_serves(
    site: Path, serve: Serve, tmp_path: Path
) -> None:
    link = tmp_path / "link-to-site"
    link.symlink_to(site)
    linked = serve(link)
    assert linked.get("/static/site.css").body == CSS
    assert linked.get("/../secret.txt").status in (400, 403)


# Host header: only this machine's names (DNS rebinding).


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:{port}", "127.0.0.1:{port}", "[::1]:{port}", "LOCALHOST"]
)
def test_a_local_host_header_is_accepted(served: Served, host: str) -> None:
    response = served.get("/static/site.css", host=host.format(port=served.port))
    assert (response.status, response.body) == (200, CSS)


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1.evil.example",
        "127.0.0.1.evil.example:{port}",
        "localhost.evil.example",
        "",
        NO_HOST,
    ],
)
def test_a_foreign_or_missing_host_header_is_refused(served: Served, host: str) -> None:
    for path in ("/static/site.css", "/page/", EVENTS):
        response = served.get(path, host=host.format(port=served.port))
        assert response.status == 403, (host, path)
        assert CSS not in response.body
        assert b"Tianwen" not in response.body


def test_the_ipv6_loopback_can_be_served(site: Path) -> None:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError as exc:  # a machine without IPv6
        pytest.skip(f"no IPv6 loopback here: {exc}")
    server = DevServer(site, "::1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        port = server.server_address[1]
        assert server.url == f"http://[::1]:{port}/"
        connection = http.client.HTTPConnection("::1", port, timeout=TIMEOUT)
        send(connection, "GET", "/static/site.css", None, f"[::1]:{port}")
        response = connection.getresponse()
        assert (response.status, response.read()) == (200, CSS)
        connection.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=TIMEOUT)


# The reload channel.


def test_the_reload_channel_is_an_event_stream(served: Served) -> None:
    stream = open_events(served.connect(), None, served.host)
    assert stream.response.status == 200
    assert stream.response.headers["Content-Type"] == "text/event-stream"
    assert stream.response.headers["Cache-Control"] == "no-store"
    assert stream.until_connected() == []


@pytest.mark.parametrize(
    "origin",
    [
        # Another host.
        "http://evil.example",
        "http://evil.example:{port}",
        "http://localhost.evil.example:{port}",
        "http://127.0.0.1.evil.example",
        "http://127.0.0.2:{port}",
        "http://evil@127.0.0.1:{port}",
        # Another port of this machine: another local app's pages.
        "http://127.0.0.1",
        "http://127.0.0.1:80",
        "http://localhost:{other}",
        "http://127.0.0.1:{port}0",
        # Another scheme.
        "https://127.0.0.1:{port}",
        "ws://127.0.0.1:{port}",
        "file://",
        # Not an origin at all.
        "null",
        "",
        "127.0.0.1:{port}",
        "http://127.0.0.1:{port}/",
        "http://127.0.0.1:{port}/page/",
        "http://127.0.0.1:x{port}",
        "http://[::1:{port}",
    ],
)
def test_the_reload_channel_refuses_a_foreign_origin(served: Served, origin: str) -> None:
    other = served.port + 1 if served.port < 65535 else served.port - 1
    response = served.get(EVENTS, headers={"Origin": origin.format(port=served.port, other=other)})
    assert response.status == 403
    assert response.header("Content-Type") != "text/event-stream"


@pytest.mark.parametrize(
    "origin",
    [
        "http://127.0.0.1:{port}",  # exactly the server's own
        "http://localhost:{port}",  # the same server under another name of the loopback
        "http://[::1]:{port}",
        "HTTP://LocalHost:{port}",
    ],
)
def test_the_reload_channel_accepts_the_servers_own_origin(served: Served, origin: str) -> None:
    stream = served.events(headers={"Origin": origin.format(port=served.port)})
    assert stream.response.headers["Content-Type"] == "text/event-stream"
    assert stream.until_connected() == []


def test_the_reload_channel_compares_the_origin_with_the_host_it_was_reached_by(
    served: Served,
) -> None:
    """Through a port forward (`ssh -L 9000:localhost:PORT`, a container's published
    port), a page's origin has the forwarded port, and so has the Host header."""

    def status(host: str, origin: str) -> int:
        stream = open_events(served.connect(), {"Origin": origin}, host)
        served.streams.append(stream)  # closed after the test
        return stream.response.status

    assert status("localhost:9000", "http://localhost:9000") == 200
    assert status("localhost:9000", "http://127.0.0.1:9000") == 200
    assert status("localhost:9000", f"http://localhost:{served.port}") == 403
    assert status("localhost", "http://localhost") == 200  # port 80, said or not
    assert status("localhost:80", "http://localhost") == 200
    assert status("localhost", "http://localhost:9000") == 403


def test_head_of_the_reload_channel_answers_and_ends(served: Served) -> None:
    status, headers, body = split(
        raw(
            served.port,
            f"HEAD {EVENTS} HTTP/1.1\r\nHost: {served.host}\r\nConnection: close\r\n\r\n".encode(),
        )
    )
    assert status == 200
    assert headers["content-type"] == "text/event-stream"
    assert body == b""


def test_a_finished_rebuild_reloads_connected_pages(served: Served) -> None:
    first, second = served.events(), served.events()
    first.until_connected()
    second.until_connected()
    served.server.announce([])
    for stream in (first, second):
        event = stream.event()
        assert event.name == "reload"


def test_a_rebuild_with_errors_sends_them_to_connected_pages(served: Served) -> None:
    stream = served.events()
    stream.until_connected()
    served.server.announce(["seeds/a.md:3: error: boom"], set())
    event = stream.event()
    assert event.name == "problems"
    assert json.loads(event.data) == ["seeds/a.md:3: error: boom"]
    # Fixed: the overlay is taken down; a page the rebuild did not write stays.
    served.server.announce([], set())
    event = stream.event()
    assert (event.name, json.loads(event.data)) == ("problems", [])


def test_a_rebuild_reloads_only_the_pages_it_changed_each_by_its_address(
    site: Path, serve: Serve
) -> None:
    served = serve(site, base_path="/REPO/")
    stream = served.events()
    stream.until_connected()
    served.server.reload({"terms/жук/index.html", "a/index.html"})  # as made
    event = stream.event()
    assert (event.name, json.loads(event.data)) == (
        "reload",
        ["/REPO/a/index.html", "/REPO/terms/%D0%B6%D1%83%D0%BA/index.html"],
    )
    served.server.announce([], set())  # the site-wide pages: none changed, no event
    served.server.announce([], {"terms/index.html"})
    event = stream.event()
    assert (event.name, json.loads(event.data)) == ("reload", ["/REPO/terms/index.html"])
    served.server.announce([], None)  # a full build: every page
    event = stream.event()
    assert (event.name, event.data) == ("reload", "")


def test_a_stylesheet_or_script_rewritten_reloads_every_page(served: Served) -> None:
    # An ejected theme's site.css, edited: no page is at its address, so none reloaded.
    stream = served.events()
    stream.until_connected()
    served.server.reload({"static/site.css"})
    event = stream.event()
    assert (event.name, event.data) == ("reload", "")
    served.server.announce([], {"static/notes.js", "a/index.html"})
    event = stream.event()
    assert (event.name, event.data) == ("reload", "")


def channel_of(page: bytes) -> str:
    """The reload channel's address as a served page's script opens it."""
    found = re.search(rb'new EventSource\("([^"]+)"\)', page)
    assert found is not None, page
    return found.group(1).decode()


@pytest.mark.parametrize("made", [{"page/index.html"}, None], ids=["its-page", "every-page"])
def test_a_page_served_just_before_a_reload_is_told_of_it_when_it_connects(
    served: Served, made: set[str] | None
) -> None:
    # A page reloading for one save connected after the next save's reload went out,
    # and showed the first save for ever.
    channel = channel_of(served.get("/page/").body)
    served.server.announce([], made)  # a save, its rebuild done before the page connects
    stream = served.events(path=channel)
    [event] = stream.until_connected()
    assert (event.name, event.data) == ("reload", '["/page/index.html"]' if made else "")
    # Served now, the page has seen that reload: nothing to tell.
    assert served.events(path=channel_of(served.get("/page/").body)).until_connected() == []


def test_a_reload_of_other_pages_before_a_page_connects_is_not_its_own(served: Served) -> None:
    channel = channel_of(served.get("/page/").body)
    served.server.announce([], {"other/index.html"})
    [event] = served.events(path=channel).until_connected()
    assert json.loads(event.data) == ["/other/index.html"]  # the script ignores it there


def test_while_errors_are_on_show_pages_still_reload_under_them(served: Served) -> None:
    # An error in one file held back every reload: a page saved meanwhile, or a note
    # written while another suggested one was still empty, showed its old text.
    stream = served.events()
    stream.until_connected()
    served.server.announce(["seeds/b.md:1: error: boom"], set())
    assert stream.event().name == "problems"
    served.server.reload({"a/index.html"})  # made cleanly, while b.md is still broken
    event = stream.event()
    assert (event.name, json.loads(event.data)) == ("reload", ["/a/index.html"])
    # A page written with an error of its own reloads too, and the errors follow it.
    served.server.announce(["seeds/a.md:1: error: boom"], {"a/index.html"})
    event = stream.event()
    assert (event.name, json.loads(event.data)) == ("reload", ["/a/index.html"])
    event = stream.event()
    assert (event.name, json.loads(event.data)) == ("problems", ["seeds/a.md:1: error: boom"])
    # The page, reloaded, is shown the errors standing as it connects.
    [event] = served.events().until_connected()
    assert (event.name, json.loads(event.data)) == ("problems", ["seeds/a.md:1: error: boom"])


def test_a_page_connecting_while_errors_are_pending_gets_them_at_once(served: Served) -> None:
    problems = ["seeds/a.md:3: error: boom", 'seeds/b.notes.md:7: error: "quoted" <b>']
    served.server.announce(problems, set())
    before = served.events().until_connected()
    assert [(event.name, json.loads(event.data)) for event in before] == [("problems", problems)]
    # Once a rebuild is clean, nothing is pending any more.
    served.server.announce([], set())
    assert served.events().until_connected() == []


def test_a_page_that_went_away_does_not_stop_the_others(served: Served) -> None:
    gone, staying = served.events(), served.events()
    gone.until_connected()
    staying.until_connected()
    gone.close()
    served.server.announce([])
    served.server.announce(["seeds/a.md:1: error: x"], set())
    assert staying.event().name == "reload"
    assert staying.event().name == "problems"
    assert served.get("/static/site.css").body == CSS


def test_closing_the_listeners_ends_the_streams(served: Served) -> None:
    stream = served.events()
    stream.until_connected()
    served.server.close_listeners()
    with pytest.raises(EOFError):
        stream.block()


# Live-reload script: in served pages only.


def test_served_pages_get_the_reload_script_before_body_end(served: Served) -> None:
    response = served.get("/page/")
    script = injected(PAGE, response.body)
    assert script.startswith(b"<script>")
    assert script.rstrip().endswith(b"</script>")
    assert EVENTS.encode() in script
    assert response.header("Content-Length") == str(len(response.body))
    # The file on disk is what the build wrote.
    assert (served.folder / "page" / "index.html").read_bytes() == PAGE


def test_the_script_goes_before_the_last_body_end(served: Served) -> None:
    page = b"<html><body><pre>&lt;/body&gt;</pre><!-- </body> --><p>end</p></body></html>"
    (served.folder / "tricky.html").write_bytes(page)
    script = injected(page, served.get("/tricky.html").body)
    assert EVENTS.encode() in script


def test_a_page_without_body_end_gets_the_script_at_its_end(served: Served) -> None:
    (served.folder / "bare.html").write_bytes(b"<p>bare")
    body = served.get("/bare.html").body
    assert body.startswith(b"<p>bare")
    assert EVENTS.encode() in body[len(b"<p>bare") :]


def test_non_html_files_are_never_modified(served: Served) -> None:
    (served.folder / "data.json").write_bytes(b'{"x": "</body>"}')
    (served.folder / "image.svg").write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>")
    for relative, content in [
        ("static/site.css", CSS),
        ("static/notes.js", JS),
        ("data.json", b'{"x": "</body>"}'),
        ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"),
        ("a/placeholder.txt", FILES["a/placeholder.txt"]),
    ]:
        assert served.get("/" + relative).body == content, relative


def test_a_missing_page_answers_404_with_the_sites_404_page(served: Served) -> None:
    for path in ("/no-such-page/", "/no/such/file.css", "/page/index.htm"):
        response = served.get(path)
        assert response.status == 404, path
        assert response.header("Content-Type") == "text/html; charset=utf-8"
        assert injected(NOT_FOUND, response.body)  # the site's 404 page, script added
        assert EVENTS.encode() in response.body  # it reloads once the page exists


def test_a_missing_page_without_a_404_page_answers_a_plain_404(
    served: Served,
) -> None:
    os.remove(served.folder / "404.html")
    response = served.get("/no-such-page/")
    assert response.status == 404
    assert b"No such page." not in response.body
    assert response.header("Cache-Control") == "no-store"


def test_a_server_bound_to_the_network_accepts_its_address_but_no_domain(tmp_path: Path) -> None:
    """Readers on the network name the machine by address; DNS rebinding needs a name."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "index.html").write_text("<p>hi</p>")
    server = DevServer(folder, "0.0.0.0", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        statuses = {}
        for host in (f"192.0.2.7:{port}", f"[2001:db8::1]:{port}", f"evil.example:{port}"):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/index.html", headers={"Host": host})
            statuses[host.rsplit(":", 1)[0]] = connection.getresponse().status
            connection.close()
        assert statuses == {"192.0.2.7": 200, "[2001:db8::1]": 200, "evil.example": 403}
    finally:
        server.shutdown()
        server.server_close()


# A project site is served under the path of its address, as GitHub Pages does.


def test_a_project_site_is_served_under_its_path(site: Path, serve: Serve) -> None:
    served = serve(site, "/repo/")
    assert served.server.url.endswith("/repo/")
    home = served.get("/repo/")
    assert home.status == 200
    assert FILES["index.html"].split(b"</body>")[0] in home.body
    assert served.get("/repo/static/site.css").body == CSS
    for outside in ("/static/site.css", "/index.html", "/repository/static/site.css"):
        response = served.get(outside)
        assert response.status == 404, outside
        assert FILES["404.html"].split(b"</body>")[0] in response.body, outside
    for bare in ("/", "/repo"):
        response = served.get(bare)
        assert (response.status, response.header("Location")) == (302, "/repo/"), bare
    assert served.get("/repo/../secret.txt").status in (403, 404)


# Connections: many, idle or slow, never stop the server answering.

IDLE_CONNECTIONS = 1100  # more than the 1,024 files a process may have open by default


def ended(connection: socket.socket, timeout: float = TIMEOUT) -> bytes:
    """What the server sends on `connection` until it closes it; TimeoutError if it never does."""
    connection.settimeout(timeout)
    received = b""
    try:
        while chunk := connection.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    return received


@pytest.fixture
def open_files() -> Iterator[None]:
    """Room for the test's own many sockets, and the server's (both in this process)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4096 if hard == resource.RLIM_INFINITY else min(4096, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@pytest.mark.parametrize(
    "sent",
    [
        b"",  # a connection opened, then nothing
        b"GET /static/site.css HTTP/1.1\r\nHost: 127.0.0.1\r\n",  # headers that never end
        b"GET /static/site.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",  # kept alive, then idle
    ],
)
def test_an_idle_connection_is_closed_after_the_idle_timeout(
    site: Path, serve: Serve, sent: bytes
) -> None:
    served = serve(site, idle_timeout=0.2)
    with socket.create_connection(("127.0.0.1", served.port), timeout=TIMEOUT) as connection:
        connection.sendall(sent)
        answer = ended(connection)  # TimeoutError if the server keeps it open
    if sent.endswith(b"\r\n\r\n"):
        status, _, body = split(answer)
        assert (status, body) == (200, CSS)
    else:
        assert answer == b""
    assert served.get("/static/site.css").body == CSS


def test_the_reload_channel_outlives_the_idle_timeout(site: Path, serve: Serve) -> None:
    served = serve(site, idle_timeout=0.2, heartbeat=0.05)
    stream = served.events()
    stream.until_connected()
    until = time.monotonic() + 4 * 0.2
    while time.monotonic() < until:
        assert stream.block() == Event(None, ": still here")
    served.server.announce([])
    assert stream.event().name == "reload"


def test_a_thousand_idle_connections_leave_the_server_answering(
    open_files: None, served: Served
) -> None:
    cap = served.server.max_connections
    assert cap <= 256
    idle = [
        socket.create_connection(("127.0.0.1", served.port), timeout=TIMEOUT)
        for _ in range(IDLE_CONNECTIONS)
    ]
    try:
        response = served.get("/static/site.css")
        assert (response.status, response.body) == (200, CSS)
        # The server has closed all but `cap` of them (503 first or not).
        closed = 0
        with selectors.DefaultSelector() as selector:
            for connection in idle:
                connection.setblocking(False)
                selector.register(connection, selectors.EVENT_READ, connection)
            deadline = time.monotonic() + TIMEOUT
            while closed < IDLE_CONNECTIONS - cap and (left := deadline - time.monotonic()) > 0:
                for key, _ in selector.select(left):
                    try:
                        if key.data.recv(65536):
                            continue  # a 503, before the end
                    except ConnectionResetError:
                        pass
                    selector.unregister(key.data)
                    closed += 1
        assert closed >= IDLE_CONNECTIONS - cap
    finally:
        for connection in idle:
            connection.close()
    assert served.get("/page/").status == 200


def test_past_the_cap_the_connection_waiting_longest_makes_room(site: Path, serve: Serve) -> None:
    served = serve(site, max_connections=4)
    idle = [socket.create_connection(("127.0.0.1", served.port), timeout=TIMEOUT) for _ in range(4)]
    try:
        assert served.get("/static/site.css").body == CSS
        assert ended(idle[0]) == b""
        # The others are still open, and still answered.
        idle[1].sendall(f"GET /static/site.css HTTP/1.1\r\nHost: {served.host}\r\n\r\n".encode())
        idle[1].settimeout(TIMEOUT)
        assert idle[1].recv(65536).startswith(b"HTTP/1.1 200 ")
    finally:
        for connection in idle:
            connection.close()


def test_when_every_connection_is_busy_a_newcomer_gets_503_at_once(
    site: Path, serve: Serve
) -> None:
    served = serve(site, max_connections=2, heartbeat=0.05)
    streams = [served.events(), served.events()]
    for stream in streams:
        stream.until_connected()
    with socket.create_connection(("127.0.0.1", served.port), timeout=TIMEOUT) as connection:
        status, headers, body = split(ended(connection))  # before it has sent anything
    assert status == 503
    assert headers["connection"] == "close"
    assert headers["retry-after"] == "1"
    assert body.startswith(b"503 ")
    # A page gone: its stream ends at the next heartbeat, and there is room again.
    streams[0].close()
    deadline = time.monotonic() + TIMEOUT
    while served.server.connections > 1:
        assert time.monotonic() < deadline, "the stream of a closed page never ended"
        time.sleep(0.01)
    assert served.get("/static/site.css").body == CSS


def test_two_hundred_concurrent_clients_are_all_answered(served: Served) -> None:
    clients = 200
    start = threading.Barrier(clients)
    answers: list[tuple[int, bytes] | BaseException] = []

    def client() -> None:
        try:
            start.wait(timeout=TIMEOUT)
            response = served.get("/static/site.css")
            answers.append((response.status, response.body))
        except BaseException as exc:
            answers.append(exc)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=3 * TIMEOUT)
    assert answers == [(200, CSS)] * clients


def test_a_burst_of_connections_waits_in_the_backlog(site: Path) -> None:
    """A browser opens many connections at once; the system holds them until accepted.

    With `listen`'s backlog of 5, the rest were dropped and retried a second later.
    Here nothing accepts yet, so every connection completed comes from the backlog.
    """
    burst = 100
    server = DevServer(site, "127.0.0.1", 0)
    port = server.server_address[1]
    clients = []
    try:
        with selectors.DefaultSelector() as selector:
            for _ in range(burst):
                client = socket.socket()
                client.setblocking(False)
                client.connect_ex(("127.0.0.1", port))
                clients.append(client)
                selector.register(client, selectors.EVENT_WRITE, client)
            connected = 0
            deadline = time.monotonic() + TIMEOUT
            while connected < burst and (left := deadline - time.monotonic()) > 0:
                for key, _ in selector.select(left):
                    selector.unregister(key.data)
                    assert key.data.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
                    connected += 1
        assert connected == burst
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        thread.start()
        try:
            request = f"GET /static/site.css HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            for client in clients:
                client.setblocking(True)
                client.sendall(request.encode() + b"Connection: close\r\n\r\n")
            for client in clients:
                assert split(ended(client))[::2] == (200, CSS)
        finally:
            server.shutdown()
            thread.join(timeout=TIMEOUT)
    finally:
        for client in clients:
            client.close()
        server.server_close()


def test_the_open_file_limit_lowers_the_cap(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import resource

    monkeypatch.setattr(resource, "getrlimit", lambda kind: (256, 256))  # macOS's default
    server = DevServer(site, "127.0.0.1", 0)
    server.server_close()
    # Twice the cap (connections being closed count too) leaves room for the rest.
    assert 2 * server.max_connections <= 256 - 32


# The terminal: one line for an error, nothing for a client that went away.


def all_closed(served: Served) -> None:
    """Wait until the server has closed every connection (its handlers have ended)."""
    deadline = time.monotonic() + TIMEOUT
    while served.server.connections:
        assert time.monotonic() < deadline, "a connection was never closed"
        time.sleep(0.01)


def reset(connection: socket.socket) -> None:
    """Close as a killed browser tab does: at once, with a reset (RST)."""
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.close()


@pytest.mark.parametrize("when", ["mid-answer", "before-request", "mid-request", "mid-stream"])
def test_a_client_that_goes_away_leaves_the_terminal_quiet(
    served: Served, capfd: pytest.CaptureFixture[str], when: str
) -> None:
    (served.folder / "big.bin").write_bytes(b"x" * 32_000_000)  # more than socket buffers hold
    capfd.readouterr()
    if when == "mid-stream":
        stream = served.events()
        stream.until_connected()
        stream.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        stream.close()
        served.server.announce([])  # written to a page that is gone: its stream ends
        served.server.announce([])
    else:
        connection = socket.create_connection(("127.0.0.1", served.port), timeout=TIMEOUT)
        if when == "mid-answer":
            connection.sendall(f"GET /big.bin HTTP/1.1\r\nHost: {served.host}\r\n\r\n".encode())
            assert connection.recv(100).startswith(b"HTTP/1.1 200 ")
        elif when == "mid-request":
            connection.sendall(b"GET /big.bin HTTP/1.1\r\nHost: ")
        reset(connection)
    all_closed(served)
    assert served.get("/static/site.css").body == CSS
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_an_error_while_answering_is_one_line(
    served: Served, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(page: bytes, seen: int) -> bytes:
        raise RuntimeError("boom \x1b]0;retitled\x07\nand a second line")

    monkeypatch.setattr(site_builder.server, "_with_reload_script", broken)
    capfd.readouterr()
    assert raw(served.port, f"GET /page/ HTTP/1.1\r\nHost: {served.host}\r\n\r\n".encode()) == b""
    all_closed(served)
    assert served.get("/static/site.css").body == CSS  # it goes on
    err = capfd.readouterr().err
    assert err.splitlines() == [
        "error: internal error, please report it: serving GET /page/: "
        "RuntimeError: boom \\x1b]0;retitled\\x07"
    ]
    # With --debug, the traceback too.
    monkeypatch.setattr(terminal, "DEBUG", True)
    raw(served.port, f"GET /page/ HTTP/1.1\r\nHost: {served.host}\r\n\r\n".encode())
    all_closed(served)
    err = capfd.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert err.endswith("serving GET /page/: RuntimeError: boom \\x1b]0;retitled\\x07\n")


def test_the_files_articles_link_to_run_no_script(served: Served) -> None:
    (served.folder / "_files").mkdir()
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>'
    (served.folder / "_files" / "orbit.svg").write_bytes(svg)
    response = served.get("/_files/orbit.svg")
    assert (response.status, response.body) == (200, svg)
    assert response.header("Content-Security-Policy") == "sandbox"
    assert served.get("/page/index.html").header("Content-Security-Policy") is None


@pytest.mark.parametrize(
    "name", [MANIFEST, LOCK, "page/.site-builder-tmp-1", "%2Esite-builder-manifest.json"]
)
def test_the_builders_own_records_are_not_served(served: Served, name: str) -> None:
    # Never published (deploy and the Pages workflow leave them out), so never served:
    # the lock names the command holding the folder, and its pid.
    for own in (MANIFEST, LOCK, "page/.site-builder-tmp-1"):
        (served.folder / own).write_text("{}\n")
    assert served.get("/" + name).status == 404
