"""The `dossier` command: check, new, annotate, geocode, schema and init, for editors.

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
from ..types import TYPE_ALIASES
from . import annotate as annotate_command
from . import check as check_command
from . import geocode as geocode_command
from . import init as init_command
from . import new as new_command
from . import schema as schema_command
from .common import EXIT_PROBLEMS, EXIT_USAGE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dossier",
        description="Editors' tools for an mkdocs-dossier site.",
    )
    parser.add_argument(
        "--config", "-f", default="mkdocs.yml", help="the site's mkdocs.yml (default: %(default)s)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="report every problem the build would, without building")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.set_defaults(run=check_command.run)

    new = sub.add_parser("new", help="scaffold an entry: dossier new person 'Mike Pompeo'")
    new.add_argument(
        "type",
        choices=sorted(TYPE_ALIASES),
        metavar="TYPE",
        help="the entry's type: " + ", ".join(sorted(TYPE_ALIASES)),
    )
    new.add_argument("name", metavar="NAME")
    new.set_defaults(run=new_command.run)

    annotate = sub.add_parser("annotate", help="find unannotated names of known entities")
    annotate.add_argument(
        "files", nargs="+", metavar="PATH", help="articles or entries, or folders of them"
    )
    annotate.add_argument("--write", action="store_true", help="insert the [[...]] and show a diff")
    annotate.add_argument(
        "--all",
        action="store_true",
        help="list every occurrence, not just the first per paragraph",
    )
    annotate.set_defaults(run=annotate_command.run)

    geocode = sub.add_parser("geocode", help="fill the geocache for places without coordinates")
    geocode.add_argument("--online", action="store_true", help="ask a geocoding service too")
    geocode.add_argument("--provider", default="nominatim", help="a geopy provider name")
    geocode.add_argument("--endpoint", help="the service's host (or URL)")
    geocode.add_argument("--scheme", choices=("http", "https"))
    geocode.add_argument("--user-agent", help="identify yourself to the service")
    geocode.add_argument("--dry-run", action="store_true", help="show what would change")
    geocode.set_defaults(run=geocode_command.run)

    schema = sub.add_parser("schema", help="print the JSON Schema of entry or article front matter")
    schema.add_argument("kind", choices=("entry", "article"))
    schema.add_argument("--path", action="store_true", help="print the file's path instead")
    schema.set_defaults(run=schema_command.run)

    init = sub.add_parser("init", help="start a new dossier site in DIR; never overwrites a file")
    init.add_argument("dir", nargs="?", default=".", metavar="DIR", help="default: here")
    init.set_defaults(run=init_command.run)
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
