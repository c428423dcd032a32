"""The command line: parses arguments and hands over to a command."""

from __future__ import annotations

import argparse
import signal
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import FrameType


def _stopped_loading(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C while the modules below load (a few tenths of a second): stopped, as after
    it, without the traceback of an import cut short."""
    print("stopped", file=sys.stderr)
    command = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), "")
    raise SystemExit(0 if command in ("watch", "serve") else 130)


# Only where Ctrl-C would raise KeyboardInterrupt: a process started with it ignored
# (in the background) keeps it ignored. `main` puts Python's own back.
_LOADING = signal.getsignal(signal.SIGINT) is signal.default_int_handler
if _LOADING:
    signal.signal(signal.SIGINT, _stopped_loading)

from . import __version__, terminal  # noqa: E402 (after the handler above)
from .commands.report import EXIT_CLEAN, EXIT_INPUT, EXIT_USAGE  # noqa: E402
from .config import ConfigError  # noqa: E402
from .diagnostics import INTERNAL, printable, printable_lines, shown  # noqa: E402
from .output import OutputError  # noqa: E402

EXIT_INTERRUPTED = 130  # the shell's convention for a command stopped by Ctrl-C


# Each subcommand's --help: what it does, in one line, and an example.
HELP = {
    "build": (
        "build the site from the source folder into _site/",
        "site-builder build --source seeds --out _site --strict",
    ),
    "check": (
        "validate sources, notes and links, write nothing",
        "site-builder check --strict",
    ),
    "watch": (
        "build, then rebuild whenever an input changes",
        "site-builder watch --source seeds",
    ),
    "serve": (
        "serve the site on 127.0.0.1, rebuild on change, reload the browser",
        "site-builder serve --port 8000 --open",
    ),
    "deploy": (
        "build strictly, commit the site to a branch and push it (GitHub Pages)",
        "site-builder deploy --site-url https://OWNER.github.io/REPO/",
    ),
    "new": (
        "make a fresh site that builds, with its GitHub Pages workflow",
        "site-builder new my-readings",
    ),
    "suggest": (
        "list an article's candidate terms that have no note yet, ranked, with count and line",
        "site-builder suggest seeds/launch-day.md --write --term Tianwen-3",
    ),
    "theme": (
        "work with the default theme's templates and static files",
        "site-builder theme eject base.html site.css",
    ),
    "eject": (
        "copy the default theme's templates and static files into the site, to edit them",
        "site-builder theme eject base.html site.css",
    ),
}


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="site-builder",
        description="Build a static website for annotated reading from sources and notes.",
    )
    main.add_argument("--version", action="version", version=f"site-builder {__version__}")
    main.add_argument(
        "--debug", action="store_true", help="show the traceback of an internal error"
    )
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = _command(commands, "build")
    _source(build)
    build.add_argument(
        "--out", type=Path, help="output folder (default: _site beside the source folder)"
    )
    build.add_argument("--strict", action="store_true", help="fail on warnings too")
    build.add_argument("--site-url", help="address the site is published at (overrides site.toml)")

    build.add_argument(
        "--jobs",
        type=_positive,
        default=None,
        metavar="N",
        help="make pages on N processes (default: one per core)",
    )
    build.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help="render every page afresh, neither reading nor writing the page cache "
        "(in ~/.cache/site-builder/)",
    )
    build.add_argument(
        "--drafts", action="store_true", help="build the pages of drafts (draft: true) too"
    )

    check = _command(commands, "check")
    _source(check)
    check.add_argument("--strict", action="store_true", help="fail on warnings too")

    watch = _command(commands, "watch")
    _source(watch)
    watch.add_argument(
        "--out", type=Path, help="output folder (default: _site beside the source folder)"
    )
    _poll(watch)

    serve = _command(commands, "serve")
    _source(serve)
    serve.add_argument("--out", type=Path, help="output folder (default: a temporary folder)")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1; any other is reachable from the network)",
    )
    serve.add_argument("--port", type=_port, default=8000, help="port (default: 8000; 0: any free)")
    _poll(serve)
    serve.add_argument("--open", action="store_true", help="open the site in a browser")

    deploy = _command(commands, "deploy")
    _source(deploy)
    deploy.add_argument(
        "--branch", default="gh-pages", help="branch to commit the site to (default: gh-pages)"
    )
    deploy.add_argument(
        "--remote", default="origin", help="git remote to push the branch to (default: origin)"
    )
    deploy.add_argument("--no-push", action="store_true", help="commit, but do not push")
    deploy.add_argument("--site-url", help="address the site is published at (overrides site.toml)")

    new = _command(commands, "new")
    new.add_argument("directory", type=Path, help="folder to make the site in (missing or empty)")

    suggest = _command(commands, "suggest")
    suggest.add_argument("article", type=Path, help="the article's .md or .txt file")
    suggest.add_argument(
        "--write",
        action="store_true",
        help="append a '## term' heading, with no text yet, for each candidate listed to the "
        "article's notes file (made if missing); nothing in it is changed",
    )
    suggest.add_argument(
        "--term",
        action="append",
        default=[],
        metavar="TERM",
        help="only this candidate (repeat for more); with --write, only these are added",
    )

    theme = _command(commands, "theme")
    actions = theme.add_subparsers(dest="action", required=True, metavar="ACTION")
    eject = _command(actions, "eject", prog="site-builder theme")
    _source(eject)
    eject.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="templates or static files to copy, such as base.html or static/site.css "
        "(default: all of them); an existing file is never overwritten",
    )
    _follow_symlinks(build, check, watch, serve, deploy, suggest)
    return main


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    prog: str = "site-builder",
) -> argparse.ArgumentParser:
    """A subcommand whose --help starts with what it does and ends with an example (HELP)."""
    summary, example = HELP[name]
    return commands.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        prog=f"{prog} {name}",
    )


def _source(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--source",
        type=Path,
        default=Path("seeds"),
        help="folder of sources and notes (default: seeds)",
    )


def _follow_symlinks(*commands: argparse.ArgumentParser) -> None:
    for command in commands:
        command.add_argument(
            "--follow-symlinks",
            action="store_true",
            help="read files that symlinks lead to outside the site folder (refused by default)",
        )


def _poll(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--poll",
        action="store_true",
        help="poll for changes instead of native file events (network drives, containers, WSL)",
    )


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not '{value}'")
    return int(value)


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, not '{value}'")
    return int(value)


# Walks of a folder tree that are not ours (os.walk before Python 3.12, watchdog's)
# recurse a level a folder, and a path holds about 2,000 levels before the system
# refuses it: a tree that deep in seeds/ or public/ would end `watch` at Python's 1,000.
RECURSION_LIMIT = 5_000


def main(argv: Sequence[str] | None = None) -> int:
    if _LOADING and signal.getsignal(signal.SIGINT) is _stopped_loading:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    args = parser().parse_args(argv)
    terminal.DEBUG = args.debug
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, RECURSION_LIMIT))
    streams = sys.stdout, sys.stderr
    # `site-builder build 2>&1 | head -1`: the reader going away stops neither the build
    # nor its exit status, which tells of its errors whatever became of the words.
    sys.stdout, sys.stderr = terminal.Unbroken(sys.stdout), terminal.Unbroken(sys.stderr)
    try:
        return _run(args)
    finally:
        sys.stdout, sys.stderr = streams
        sys.setrecursionlimit(limit)


def _run(args: argparse.Namespace) -> int:
    """The command `args` name; its exit status, whatever goes wrong."""
    try:
        if args.command == "new":
            from .commands.new import new

            return new(args.directory)
        if args.command == "suggest":
            from .commands.suggest import suggest

            return suggest(args.article, args.write, args.term, args.follow_symlinks)
        if not args.source.is_dir():
            what = "is a file, not a folder" if args.source.exists() else "source folder not found"
            print(f"{shown(args.source)}: error: {what}", file=sys.stderr)
            return EXIT_USAGE
        if args.command == "theme":
            from .commands.theme import eject

            return eject(args.source, args.names)
        if args.command == "build":
            from .commands.build import build

            return build(
                args.source,
                args.out,
                args.strict,
                args.site_url,
                args.jobs,
                args.drafts,
                args.follow_symlinks,
                args.cache,
            )
        if args.command == "serve":
            from .commands.serve import serve

            return serve(
                args.source,
                args.out,
                args.host,
                args.port,
                args.poll,
                args.open,
                args.follow_symlinks,
            )
        if args.command == "watch":
            from .commands.watch import watch

            return watch(args.source, args.out, args.poll, args.follow_symlinks)
        if args.command == "deploy":
            from .commands.deploy import deploy

            return deploy(
                args.source,
                args.branch,
                args.remote,
                not args.no_push,
                args.site_url,
                args.follow_symlinks,
            )
        from .commands.check import check

        return check(args.source, args.strict, args.follow_symlinks)
    except ConfigError as exc:  # a line a problem, each printable
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except OutputError as exc:
        print(printable(str(exc)), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:  # Ctrl-C before watching began (say, during the first build)
        print("stopped", file=sys.stderr)
        return EXIT_CLEAN if args.command in ("watch", "serve") else EXIT_INTERRUPTED
    except Exception as exc:  # no input should get here: say so, without a traceback
        print(printable(f"error: {INTERNAL}: {type(exc).__name__}: {exc}"), file=sys.stderr)
        if args.debug:
            print(printable_lines("".join(traceback.format_exception(exc))), file=sys.stderr)
        else:
            print("(run again with --debug to see where)", file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":
    sys.exit(main())
