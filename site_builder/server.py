"""The development server: the output folder over HTTP, with live reload.

Safe by default: it binds to 127.0.0.1, answers GET and HEAD only, serves only
files inside the output folder (no `..`, encoded once or twice, no NUL, no
symlink leading out), refuses a Host header that is not this machine (DNS
rebinding) and, on the reload channel, an Origin not its own (scheme, host and
port), and forbids caching. It holds under load: idle connections time out,
open ones are capped (the longest waiting makes room; 503 if all are busy), the
listen backlog takes a burst, a request line over 8 KB gets 414, and a client
that goes away is no error. The files articles link to (`_files/`) are served
with `Content-Security-Policy: sandbox`: opened on their own, they run no script.
Under `serve`, requests wait until the first build is written. Served HTML
pages get a small script that listens on the reload channel (Server-Sent
Events): it reloads the page once a rebuild has finished writing, and shows an
overlay naming the file and line of any error.
"""

from __future__ import annotations

import ipaddress
import json
import mimetypes
import queue
import socket
import sys
import threading
import time
import traceback
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager, suppress
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from . import terminal
from .diagnostics import INTERNAL, printable
from .links import FILES
from .output import OWN

EVENTS = "/__site-builder/events"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
HEARTBEAT = 10.0  # seconds between keep-alive comments on the reload channel
MAX_REQUEST_LINE = 8192  # bytes: a longer request line (a URL) is answered 414, as nginx does
# Files a page loads (static/, an ejected theme's): a change to one reloads every page.
LOADED: tuple[str, ...] = (
    ".css",
    ".js",
    ".mjs",
    ".woff",
    ".woff2",
    ".ttf",
    ".otf",
    ".svg",
    ".png",
    ".jpg",
)
LOADED += (".jpeg", ".gif", ".webp", ".avif", ".ico")
IDLE_TIMEOUT = 30.0  # seconds a connection may go without sending (or reading) a byte
MAX_CONNECTIONS = 256  # open at once, at most; the open-file limit may lower it
BACKLOG = 128  # connections the system holds until they are accepted: a browser's burst
LINGER = 2.0  # seconds, at most, to read what a client still sends once it has its answer
CHUNK = 64 * 1024  # bytes a write sends at once: a write times out only if the client stalls
# Types of files a site has that a machine's mime.types may not know (Python's own table
# lacks `.jsonld`, and calls `.xml` text/xml): the same answer on every machine, as the
# pages' `<link type=...>` and GitHub Pages give them.
TYPES = {
    ".jsonld": "application/ld+json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
}
SANDBOX = {"Content-Security-Policy": "sandbox"}
RESERVED_FILES = 64  # open files the rest of `serve` may need: the watcher, a build's reads
BUSY_BODY = b"503 Service Unavailable: too many connections, try again\n"
BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Length: %d\r\n"
    b"Retry-After: 1\r\n"
    b"Cache-Control: no-store\r\n"
    b"Connection: close\r\n\r\n%s" % (len(BUSY_BODY), BUSY_BODY)
)
RELOAD_SCRIPT = b"<script>\n%s</script>\n" % (Path(__file__).parent / "livereload.js").read_bytes()
SINCE = b"__SINCE__"  # in the script: the reloads a page has seen, filled in as it is served


class DevServer(ThreadingHTTPServer):
    """Serves one folder, and tells connected pages when to reload.

    Connections cost a client nothing, and each one here holds a thread and an open
    file. So one that sends nothing for `idle_timeout` seconds is closed (the reload
    channel is only written to: it stays); at most `max_connections` are open; past
    that, the one that has waited longest for a request is closed to make room (an
    idle keep-alive, or a request sent so slowly that it never ends), and only if
    every one is busy answering (or streaming reload events) is the newcomer
    answered 503 at once. The server never stops answering.
    """

    daemon_threads = True  # open reload channels never hold up Ctrl-C
    request_queue_size = BACKLOG  # the backlog of `listen`: 5 by default

    def __init__(
        self,
        folder: Path,
        host: str = "127.0.0.1",
        port: int = 8000,
        base_path: str = "/",
        wait_for_build: bool = False,
        idle_timeout: float = IDLE_TIMEOUT,
        max_connections: int = MAX_CONNECTIONS,
        heartbeat: float = HEARTBEAT,
    ) -> None:
        self.folder = folder.resolve()
        # The path of the site's address (/REPO/ on a project site): served there, as
        # GitHub Pages will, so that a project site is previewed exactly.
        self.base_path = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
        self.allowed_hosts = LOCAL_HOSTS | {host}
        # Served to the network on purpose: readers there name this machine by its address.
        # DNS rebinding needs a domain name, so an address in the Host header is safe.
        self.any_address = host not in LOCAL_HOSTS
        self._listeners: set[queue.Queue[tuple[str, str] | None]] = set()
        self._lock = threading.Lock()
        self.problems: list[str] = []
        # Reloads sent (their count), and the last that named each page (its address),
        # or every page: a page reloading as a save lands connects after the event for
        # that save went out, and is told of it then (`missed`).
        self.reloads = 0
        self._reloaded: dict[str, int] = {}
        self._all_reloaded = 0
        # Set once the folder holds a build: until then requests wait, rather than
        # find a half-written site. `wait_for_build`: set by the first `announce`.
        self.built = threading.Event()
        if not wait_for_build:
            self.built.set()
        self.idle_timeout = idle_timeout
        self.heartbeat = heartbeat
        self.max_connections = min(max_connections, _connections_allowed())
        self._open: set[socket.socket] = set()  # every connection until its thread ends
        # Those waiting for a request, in the order they began to: the first has waited longest.
        self._waiting: dict[socket.socket, None] = {}
        self._ended: set[socket.socket] = set()  # ended to make room, their threads ending
        self._connections_lock = threading.Lock()
        if ":" in host:  # an IPv6 address such as ::1
            self.address_family = socket.AF_INET6
        super().__init__((host, port), _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = str(host)
        return f"http://{'[' + host + ']' if ':' in host else host}:{port}{self.base_path}"

    def announce(self, problems: Sequence[str], pages: Collection[str] | None = None) -> None:
        """After a rebuild has written everything: reload the pages it wrote (`pages`: those
        at these paths in the output folder; None, every one), then show its errors over
        every open page, or take down those shown (a page reloading is shown the errors
        standing as it connects). Errors never hold a reload back: a page rebuilt while
        another file is broken shows what was saved, under the overlay."""
        shown = bool(self.problems)
        self.problems = list(problems)
        self.built.set()
        if pages is None:
            self._send(("reload", ""))
        elif pages:
            self._reload(pages)
        if problems or shown:
            self._send(("problems", json.dumps(self.problems)))

    def reload(self, pages: Collection[str]) -> None:
        """Reload the open pages at these paths in the output folder now (a rebuild tells
        of the pages it made before it makes the site-wide ones, which take seconds on a
        large site)."""
        self._reload(pages)

    def _reload(self, pages: Collection[str]) -> None:
        if any(page.lower().endswith(LOADED) for page in pages):
            self._send(("reload", ""))  # a stylesheet or script: any page may load it
            return
        urls = sorted(self.base_path + quote(page) for page in pages)
        self._send(("reload", json.dumps(urls)))

    def _send(self, event: tuple[str, str]) -> None:
        """Send an event to every listener; a reload (of the pages its data names, or of
        every page) is counted, for pages that connect later (`missed`)."""
        name, data = event
        with self._lock:
            if name == "reload":
                self.reloads += 1
                if data:
                    self._reloaded.update(dict.fromkeys(json.loads(data), self.reloads))
                else:
                    self._all_reloaded = self.reloads
            for listener in self._listeners:
                listener.put(event)

    def missed(self, since: int) -> tuple[str, str] | None:
        """The reload a page served when `since` reloads had been sent has missed, if any."""
        with self._lock:
            if self._all_reloaded > since:
                return ("reload", "")
            urls = sorted(url for url, count in self._reloaded.items() if count > since)
        return ("reload", json.dumps(urls)) if urls else None

    @contextmanager
    def running(self) -> Iterator[DevServer]:
        """Serve on a thread of its own while inside; then close every connection."""
        thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.2})
        thread.start()
        try:
            yield self
        finally:
            self.close_listeners()
            self.shutdown()
            self.server_close()
            thread.join(timeout=1)

    @property
    def connections(self) -> int:
        """How many connections are open, closing ones included."""
        with self._connections_lock:
            return len(self._open)

    def waiting(self, connection: socket.socket) -> None:
        """The connection waits for a request: it may be closed to make room."""
        with self._connections_lock:
            if connection in self._open and connection not in self._ended:
                self._waiting.setdefault(connection)

    def answering(self, connection: socket.socket) -> None:
        """A request has come in whole: its connection is kept until it is answered."""
        with self._connections_lock:
            self._waiting.pop(connection, None)

    def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        if not self._admit(request):
            self._refuse(request)
            return
        try:
            super().process_request(request, client_address)
        except Exception:  # no thread to be had: as busy as can be
            self._release(request)
            self._refuse(request)

    def process_request_thread(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._release(request)

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
        """Close after the last answer, reading what the client still sends meanwhile.

        Closing with unread bytes (a refused request's body, the rest of a request
        line too long) resets the connection, and the client may lose the answer
        it was sent: so the server stops writing, then reads until the client
        closes too, for `LINGER` seconds at most.
        """
        try:
            request.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + LINGER
            while (left := deadline - time.monotonic()) > 0:
                request.settimeout(left)
                if not request.recv(CHUNK):
                    break
        except OSError:
            pass
        request.close()

    def handle_error(self, request: object, client_address: object) -> None:
        """One line for an error while answering; nothing for a client that went away.

        A page closed or reloaded mid-answer, a stalled client timed out: that is how
        browsers are, not an error. Anything else is this server's fault: one line,
        its traceback with --debug.
        """
        error = sys.exc_info()[1]
        if error is None or isinstance(error, ConnectionError | TimeoutError):
            return
        if terminal.DEBUG:
            traceback.print_exc()
        said = str(error).splitlines()
        what = type(error).__name__ + (f": {said[0]}" if said else "")
        where = "".join(f"{note}: " for note in getattr(error, "__notes__", ()))
        print(f"error: {INTERNAL}: {_printable(where + what)}", file=sys.stderr, flush=True)

    def server_close(self) -> None:
        """Stop listening, and end every open connection."""
        super().server_close()
        with self._connections_lock:
            for connection in self._open:
                _end(connection)

    def _admit(self, connection: socket.socket) -> bool:
        with self._connections_lock:
            if len(self._open) >= self.max_connections:
                # An ended connection holds its file until its thread has closed it: it
                # counts, up to twice the cap, so that open files stay bounded.
                if not self._waiting or len(self._open) >= 2 * self.max_connections:
                    return False
                longest = next(iter(self._waiting))
                del self._waiting[longest]
                self._ended.add(longest)
                _end(longest)
            self._open.add(connection)
            self._waiting[connection] = None
            return True

    def _release(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._open.discard(connection)
            self._waiting.pop(connection, None)
            self._ended.discard(connection)

    @staticmethod
    def _refuse(connection: socket.socket) -> None:
        """503 and close, on the thread that accepts: it never waits for the client."""
        try:
            connection.setblocking(False)
            connection.send(BUSY)
            connection.shutdown(socket.SHUT_WR)
            connection.recv(CHUNK)  # a request already here, read: closing does not reset
        except OSError:
            pass
        connection.close()

    def close_listeners(self) -> None:
        with self._lock:
            for listener in self._listeners:
                listener.put(None)

    @contextmanager
    def listening(self) -> Iterator[queue.Queue[tuple[str, str] | None]]:
        listener: queue.Queue[tuple[str, str] | None] = queue.Queue()
        with self._lock:
            self._listeners.add(listener)
        try:
            yield listener
        finally:
            with self._lock:
                self._listeners.discard(listener)


class _Handler(BaseHTTPRequestHandler):
    server: DevServer
    protocol_version = "HTTP/1.1"
    raw_requestline: bytes  # set by http.server before `parse_request`

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.idle_timeout)  # for every read and write

    def handle_one_request(self) -> None:
        self.server.waiting(self.connection)
        self.command = ""  # until this request's is read
        try:
            super().handle_one_request()
        except Exception as error:  # said by the server's `handle_error`, with the request
            if self.command:
                error.add_note(f"serving {self.command} {self.path}")
            raise

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _refuse_method(self) -> None:
        self.close_connection = True  # its body, unread, must not be taken for a request
        self._send(
            HTTPStatus.METHOD_NOT_ALLOWED, b"GET and HEAD only\n", extra={"Allow": "GET, HEAD"}
        )

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_CONNECT = do_TRACE = _refuse_method

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal shows one line a rebuild, not one a request

    def parse_request(self) -> bool:
        too_long = len(self.raw_requestline) > MAX_REQUEST_LINE  # http.server's own is 64 KB
        parsed = not too_long and super().parse_request()  # which reads the headers
        self.server.answering(self.connection)
        if too_long:
            self.requestline, self.command, self.request_version = "", "", ""
            self.close_connection = True  # the rest of the request is never read
            self._send(
                HTTPStatus.REQUEST_URI_TOO_LONG,
                f"414 URI Too Long: a request line is at most {MAX_REQUEST_LINE} bytes\n".encode(),
                extra={"Connection": "close"},
            )
        return parsed

    def _answer(self, body: bool) -> None:
        self.server.built.wait()
        if not self._local_host():
            self._send(HTTPStatus.FORBIDDEN, b"this server answers only to localhost\n", body=body)
            return
        path = urlsplit(self.path).path
        if path == EVENTS:
            self._events(body)
            return
        base = self.server.base_path
        if path in ("/", base.rstrip("/")) and base != "/":
            self._send(HTTPStatus.FOUND, b"", body=body, extra={"Location": base})
            return
        target = self._resolve("/" + path[len(base) :]) if path.startswith(base) else None
        if target is None:
            target = HTTPStatus.NOT_FOUND  # outside the site's path
        not_found = self.server.folder / "404.html"
        if target == HTTPStatus.NOT_FOUND and not_found.is_file():
            self._file(not_found, body, HTTPStatus.NOT_FOUND)
        elif isinstance(target, HTTPStatus):
            self._send(target, f"{target.value} {target.phrase}\n".encode(), body=body)
        elif target.is_dir():
            self._send(HTTPStatus.MOVED_PERMANENTLY, b"", extra={"Location": path + "/"})
        else:
            self._file(target, body)

    def _local_host(self) -> bool:
        host = self.headers.get("Host", "")
        name = host.rsplit("]", 1)[0].lstrip("[") if host.startswith("[") else host.split(":")[0]
        return name.lower() in self.server.allowed_hosts or (
            self.server.any_address and _is_address(name)
        )

    def _own_origin(self, origin: str) -> bool:
        """Whether `origin` is this server's own, as this request reached it: all of it.

        The scheme is http; the port is the Host header's (the one the browser
        reached the server by: the bound one, or another through a port forward);
        the host is the Host header's, or both are names of the loopback. Any other
        page, on another port of this machine too, may not listen to its rebuilds.
        """
        scheme, separator, authority = origin.partition("://")
        own = _name_and_port(authority)
        reached = _name_and_port(self.headers.get("Host", ""))
        if scheme.lower() != "http" or not separator or own is None or reached is None:
            return False
        (name, port), (reached_name, reached_port) = own, reached
        same_host = name == reached_name or {name, reached_name} <= LOCAL_HOSTS
        return port == reached_port and same_host

    def _resolve(self, path: str) -> Path | HTTPStatus:
        """The file a URL path names inside the folder, or why there is none."""
        try:
            decoded = unquote(path, errors="strict")
        except UnicodeDecodeError:
            return HTTPStatus.BAD_REQUEST
        # Anything still encoded after one decoding is an attempt at a second one.
        if "\x00" in decoded or "\\" in decoded or unquote(decoded) != decoded:
            return HTTPStatus.BAD_REQUEST
        parts = [part for part in decoded.split("/") if part]
        if any(part in (".", "..") for part in parts):
            return HTTPStatus.FORBIDDEN
        if any(part.startswith(OWN) for part in parts):
            return HTTPStatus.NOT_FOUND  # the builder's own records: never published either
        target = self.server.folder.joinpath(*parts)
        try:  # a name too long (ENAMETOOLONG), a loop, a file gone meanwhile: nothing to serve
            if path.endswith("/") and target.is_dir():
                target = target / "index.html"
            resolved = target.resolve(strict=True)
        except (OSError, RuntimeError):
            return HTTPStatus.NOT_FOUND
        if not resolved.is_relative_to(self.server.folder):
            return HTTPStatus.FORBIDDEN  # a symlink leading out of the folder
        return resolved

    def _file(self, path: Path, body: bool, status: HTTPStatus = HTTPStatus.OK) -> None:
        seen = self.server.reloads  # before reading: a reload meanwhile is then missed
        try:
            data = path.read_bytes()
        except OSError:  # removed by a rebuild since it was found, or a folder
            self._send(HTTPStatus.NOT_FOUND, b"404 Not Found\n", body=body)
            return
        kind = TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        kind = kind or "application/octet-stream"
        if kind == "text/html":
            data = _with_reload_script(data, seen)
        if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
            kind += "; charset=utf-8"
        # The files articles link to come from many hands: whatever slipped past the build
        # (links.py, svg.py) runs in no origin and no script here.
        files = path.is_relative_to(self.server.folder / FILES)
        self._send(status, data, body=body, kind=kind, extra=SANDBOX if files else None)

    def _send(
        self,
        status: HTTPStatus,
        data: bytes,
        body: bool = True,
        kind: str = "text/plain; charset=utf-8",
        extra: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            view = memoryview(data)
            for start in range(0, len(data), CHUNK):
                self.wfile.write(view[start : start + CHUNK])

    def _events(self, body: bool) -> None:
        origin = self.headers.get("Origin")  # sent by a browser across origins
        if origin is not None and not self._own_origin(origin):
            self._send(HTTPStatus.FORBIDDEN, b"foreign origin\n", body=body)
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if not body:
            return
        since = parse_qs(urlsplit(self.path).query).get("since", [""])[0]
        with self.server.listening() as listener:
            try:
                if since.isdigit() and (missed := self.server.missed(int(since))):
                    self._event(*missed)
                if self.server.problems:
                    self._event("problems", json.dumps(self.server.problems))
                self.wfile.write(b": connected\n\n")
                self.wfile.flush()
                while True:
                    try:
                        event = listener.get(timeout=self.server.heartbeat)
                    except queue.Empty:
                        self.wfile.write(b": still here\n\n")
                        self.wfile.flush()
                        continue
                    if event is None:
                        return
                    self._event(*event)
            except OSError:
                return  # the page went away

    def _event(self, name: str, data: str) -> None:
        self.wfile.write(f"event: {name}\ndata: {data}\n\n".encode())
        self.wfile.flush()


def _end(connection: socket.socket) -> None:
    """End a connection another thread is reading: its read returns at once, empty."""
    with suppress(OSError):  # closed already
        connection.shutdown(socket.SHUT_RDWR)


def _printable(text: str, limit: int = 300) -> str:
    """Text from a request, safe on a terminal: control characters escaped, cut at `limit`."""
    return printable(text if len(text) <= limit else text[:limit] + "…")


def _connections_allowed() -> int:
    """How many connections the open-file limit leaves room for, closing ones included."""
    try:
        import resource
    except ImportError:  # Windows: no such limit on sockets
        return MAX_CONNECTIONS
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(8, (soft - RESERVED_FILES) // 2)


def _name_and_port(authority: str) -> tuple[str, int] | None:
    """`name[:port]` of a Host header or an origin: the name, lowercased, and the port
    (80 when none is given), or None when it is anything else."""
    if authority.startswith("["):  # an IPv6 address
        name, bracket, rest = authority[1:].partition("]")
        if not bracket:
            return None
    else:
        name, colon, port = authority.partition(":")
        rest = colon + port
    if not rest:
        return name.lower(), 80
    port = rest[1:]
    if not rest.startswith(":") or not (port.isascii() and port.isdigit()) or int(port) > 65535:
        return None
    return name.lower(), int(port)


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _with_reload_script(page: bytes, seen: int) -> bytes:
    """The page with the live-reload script before `</body>` (or at its end), knowing
    how many reloads had been sent when the page was read."""
    script = RELOAD_SCRIPT.replace(SINCE, str(seen).encode())
    index = page.rfind(b"</body>")
    if index < 0:
        return page + script
    return page[:index] + script + page[index:]
