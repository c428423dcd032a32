"""The command line: parses arguments and hands over to a command."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from . import __version__, terminal
from .commands.report import EXIT_CLEAN, EXIT_INPUT, EXIT_USAGE
from .config import ConfigError
from .diagnostics import INTERNAL, printable, printable_lines, shown
from .output import OutputError

EXIT_INTERRUPTED = 130  # the shell's convention for a command stopped by Ctrl-C


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

    build = commands.add_parser("build", help="build the site")
    _source(build)
    build.add_argument(
        "--out", type=Path, help="output folder (default: _site beside the source folder)"
    )
    build.add_argument("--strict", action="store_true", help="fail on warnings too")
    build.add_argument("--site-url", help="address the site is published at (overrides site.toml)")

    build.add_argument(
        "--jobs", type=_positive, default=1, metavar="N", help="render on N processes (default: 1)"
    )
    build.add_argument(
        "--drafts", action="store_true", help="build the pages of drafts (draft: true) too"
    )

    check = commands.add_parser("check", help="validate sources and notes, write nothing")
    _source(check)
    check.add_argument("--strict", action="store_true", help="fail on warnings too")

    watch = commands.add_parser("watch", help="build, then rebuild whenever an input changes")
    _source(watch)
    watch.add_argument(
        "--out", type=Path, help="output folder (default: _site beside the source folder)"
    )
    _poll(watch)

    serve = commands.add_parser(
        "serve", help="serve the site, rebuild on change, reload the browser"
    )
    _source(serve)
    serve.add_argument("--out", type=Path, help="output folder (default: a temporary folder)")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1; any other is reachable from the network)",
    )
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0: any free)")
    _poll(serve)
    serve.add_argument("--open", action="store_true", help="open the site in a browser")

    deploy = commands.add_parser(
        "deploy", help="build strictly, commit the site to a branch and push it (GitHub Pages)"
    )
    _source(deploy)
    deploy.add_argument(
        "--branch", default="gh-pages", help="branch to commit the site to (default: gh-pages)"
    )
    deploy.add_argument(
        "--remote", default="origin", help="git remote to push the branch to (default: origin)"
    )
    deploy.add_argument("--no-push", action="store_true", help="commit, but do not push")
    deploy.add_argument("--site-url", help="address the site is published at (overrides site.toml)")

    new = commands.add_parser("new", help="make a fresh site that builds")
    new.add_argument("directory", type=Path)

    suggest = commands.add_parser(
        "suggest",
        help="list candidate terms of an article that have no note yet",
        description="List an article's candidate terms that have no note yet, ranked: quoted "
        "phrases, names, acronyms (with their expansions), designations such as Tianwen-3, and "
        "terms of the glossary or of other articles' notes; each with its count and first line.",
        epilog="example: site-builder suggest seeds/launch-day.md --write --term 'Tianwen-3'",
    )
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
    _follow_symlinks(build, check, watch, serve, deploy, suggest)
    return main


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


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    terminal.DEBUG = args.debug
    try:
        if args.command == "new":
            from .commands.new import new

            return new(args.directory)
        if args.command == "suggest":
            from .commands.suggest import suggest

            return suggest(args.article, args.write, args.term, args.follow_symlinks)
        if not args.source.is_dir():
            print(f"{shown(args.source)}: error: source folder not found", file=sys.stderr)
            return EXIT_USAGE
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
    except (ConfigError, OutputError) as exc:
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
