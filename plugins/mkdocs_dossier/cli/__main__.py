"""`python -m mkdocs_dossier.cli`: the `dossier` command."""

import sys

from .main import main

sys.exit(main())
