"""Every subcommand's --help: a one-line description and an example."""

from __future__ import annotations

import argparse
import shlex

import pytest
from conftest import Run

from site_builder.__main__ import parser


def subcommands(
    command: argparse.ArgumentParser, words: tuple[str, ...] = ()
) -> list[tuple[str, ...]]:
    """The words of every subcommand, nested ones (`theme eject`) too."""
    found = []
    for action in command._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append((*words, name))
                found.extend(subcommands(sub, (*words, name)))
    return found


COMMANDS = subcommands(parser())


def test_every_command_of_the_design_has_a_subcommand() -> None:
    names = {words[0] for words in COMMANDS}
    assert {"build", "check", "watch", "serve", "new", "deploy", "theme"} <= names
    assert ("theme", "eject") in COMMANDS


@pytest.mark.parametrize("words", COMMANDS, ids=" ".join)
def test_help_has_a_description_and_an_example_that_parses(cli: Run, words: tuple[str]) -> None:
    result = cli(*words, "--help")
    assert result.code == 0
    text = result.out
    usage, description = text.split("\n\n")[:2]
    assert usage.startswith(f"usage: site-builder {' '.join(words)}")
    assert "\n" not in description.strip(), "one line"
    assert description.strip().endswith("."), description
    example = text.split("example:\n")[1].strip()
    assert example.startswith(f"site-builder {' '.join(words)}"), example
    # The example is a real command line: the parser takes it as it stands.
    parser().parse_args(shlex.split(example)[1:])


def test_the_overview_lists_every_command_with_its_summary(cli: Run) -> None:
    lines = cli("--help").out.splitlines()
    for words in COMMANDS:
        if len(words) == 1:
            line = next(line for line in lines if line.startswith(f"    {words[0]} "))
            assert len(line.split()) > 3, line  # the name, then what it does
