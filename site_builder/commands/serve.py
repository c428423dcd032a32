"""`site-builder serve`: build, serve over HTTP, rebuild on change and reload the browser."""

from __future__ import annotations

import shutil
import sys
import tempfile
import webbrowser
from pathlib import Path

from ..config import load_config
from ..devloop import CycleReport, DevLoop, until_stopped
from ..diagnostics import printable
from ..project import Project
from ..search import Indexer
from ..server import LOCAL_HOSTS, DevServer
from ..site import Site
from ..terminal import print_cycle, print_diagnostics, watching_line
from ..watching import Watcher
from .report import EXIT_CLEAN, EXIT_USAGE, progress_bar


def serve(
    source: Path,
    out: Path | None,
    host: str,
    port: int,
    poll: bool,
    open_browser: bool,
    follow_symlinks: bool = False,
) -> int:
    """Serve the site until Ctrl-C, SIGTERM or SIGHUP; a temporary output folder goes too."""
    if host not in LOCAL_HOSTS:
        print(
            f"warning: serving on {host}: other machines on the network can read the site",
            file=sys.stderr,
        )
    # Where the site is served (/REPO/ for a project site); a broken site.toml ends it here.
    base_path = load_config(Project.at(source).config).base_path
    temporary = None
    with until_stopped():
        try:
            temporary = None if out else Path(tempfile.mkdtemp(prefix="site-builder-serve-"))
            project = Project.at(source, out or temporary)
            # The first build shows its progress, as `build` does; rebuilds are quick.
            progress = progress_bar()
            site = Site(project, drafts=True, follow_symlinks=follow_symlinks, progress=progress)
            # An output folder refused (or held by another command) ends it here, unserved.
            with site.holding_output("serve"):
                try:
                    # Requests wait until the first build is written (the first `announce`).
                    server = DevServer(project.out, host, port, base_path, wait_for_build=True)
                except OSError as exc:
                    where = printable(f"{host}:{port}")
                    print(f"error: cannot serve on {where}: {exc.strerror}", file=sys.stderr)
                    return EXIT_USAGE
                with (
                    server.running(),
                    Watcher(project, poll=poll) as watcher,
                    Indexer(site, print_diagnostics) as indexer,
                ):
                    print(f"serving {printable(server.url)}", flush=True)
                    if open_browser:
                        webbrowser.open(server.url)
                    loop = DevLoop(site, watcher, indexer.lock, on_made=server.reload)
                    told = base_path

                    def show(report: CycleReport) -> None:
                        nonlocal told
                        print_cycle(report)
                        if site.config.base_path != told:  # site_url edited meanwhile
                            told = site.config.base_path
                            print(moved_line(base_path, told), file=sys.stderr, flush=True)
                        # The pages first (the changed ones reloaded as they were made),
                        # then the index. A cycle that built nothing (site.toml broken)
                        # wrote nothing to reload.
                        written = report.renewed if report.build is not None else ()
                        server.announce(report.errors, written)
                        indexer.after(report)

                    with progress:
                        first = loop.build()
                    show(first)
                    site.progress = None
                    print(watching_line(project.source, watcher.polling), flush=True)
                    loop.run(show)
        finally:
            if temporary:
                shutil.rmtree(temporary, ignore_errors=True)
    print("stopped", file=sys.stderr)
    return EXIT_CLEAN


def moved_line(served: str, wanted: str) -> str:
    """What `serve` says when site_url now names another path than the one it serves."""
    if wanted == served:
        return f"note: site_url gives the path {printable(served)} again, as served"
    return (
        f"note: site_url now gives the path {printable(wanted)}, but this serve serves "
        f"{printable(served)} (its 404 page links from the new path): restart serve"
    )
