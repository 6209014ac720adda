"""`dossier init [DIR]`: a new dossier site that builds at once."""

from __future__ import annotations

import argparse
from typing import TextIO


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .scaffold import run_init

    return run_init(args.dir, out, err)
