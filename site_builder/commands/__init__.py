"""The commands: each a plain function that the command line calls."""
