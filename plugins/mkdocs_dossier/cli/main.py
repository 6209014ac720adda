"""The `dossier` command: check, new, annotate, import, geocode, schema and init.

Every subcommand loads mkdocs.yml through MkDocs itself (site.py) and runs the same
engine as the build, so `dossier check` reports what `mkdocs build` would, without
rendering or writing anything. Each subcommand lives in its own module here.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ..site import ConfigError
from . import annotate, check, geocode, importer, init, new, schema
from .common import EXIT_PROBLEMS, EXIT_USAGE

#: The subcommands, in the order `dossier --help` lists them.
COMMANDS = (check, new, annotate, importer, geocode, schema, init)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dossier",
        description="Editors' tools for an mkdocs-dossier site.",
    )
    parser.add_argument(
        "--config", "-f", default="mkdocs.yml", help="the site's mkdocs.yml (default: %(default)s)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    out, err = sys.stdout, sys.stderr
    try:
        return args.run(args, out, err)
    except ConfigError as exc:
        err.write(f"dossier {args.command}: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        err.write(f"dossier {args.command}: interrupted\n")
        return 130
    except BrokenPipeError:
        # `dossier check | head`: the reader left; say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PROBLEMS


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
