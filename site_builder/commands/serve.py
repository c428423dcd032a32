"""`site-builder serve`: build, serve over HTTP, rebuild on change and reload the browser."""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
import webbrowser
from pathlib import Path

from ..server import LOCAL_HOSTS, DevServer
from ..site import BuildReport, Project, Site
from .report import EXIT_USAGE, print_diagnostics, summary
from .watch import keep_watching


def serve(
    source: Path, out: Path | None, host: str, port: int, poll: bool, open_browser: bool
) -> int:
    """Serve the site until Ctrl-C; a temporary output folder is removed on the way out."""
    if host not in LOCAL_HOSTS:
        print(
            f"warning: serving on {host}: other machines on the network can read the site",
            file=sys.stderr,
        )
    temporary = Path(tempfile.mkdtemp(prefix="site-builder-serve-")) if out is None else None
    try:
        project = Project.at(source, out or temporary)
        site = Site(project, drafts=True)
        report = site.build()
        print_diagnostics(report)
        print(summary(report, "built"), flush=True)
        try:
            server = DevServer(project.out, host, port, site.config.base_path)
        except OSError as exc:
            print(f"error: cannot serve on {host}:{port}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
        server.problems = errors(report)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2})
        thread.start()
        print(f"serving {server.url}", flush=True)
        if open_browser:
            webbrowser.open(server.url)
        try:
            return keep_watching(site, poll, after=lambda result: server.announce(errors(result)))
        finally:
            server.close_listeners()
            server.shutdown()
            server.server_close()
            thread.join(timeout=1)
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)


def errors(result: BuildReport | str) -> list[str]:
    """The errors a page overlay shows: `path:line: error: message`."""
    if isinstance(result, str):
        return [result]
    return [
        problem.format()
        for problem in result.diagnostics.sorted()
        if problem in result.diagnostics.errors
    ]
