"""`python bench/serve_dirty.py N`: the rebuild after editing one article under
`mkdocs serve --dirty`, dossier vs plain MkDocs (the lean baseline: linked articles and a
mention list per entity), on the sites of `bench/work/n<N>` (generated when missing);
prints JSON. The harness is tests/serve_harness.py.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import synthetic as corpus  # noqa: E402
from serve_harness import choose_edit, measure  # noqa: E402


def run(n: int, work: Path) -> dict:
    """Both sites at N articles: the dossier first, then the lean baseline, same edit."""
    out = work / f"n{n}"
    corpus.generate(n, out)
    model = corpus.Model(n)
    edit = choose_edit(model)
    found = {
        "n": n,
        "article": edit.article.path,
        "added": edit.added.id,
        "removed": edit.removed.id,
    }
    for variant in ("dossier", "lean"):
        found[variant] = measure(out / variant, variant, edit)
    d, b = found["dossier"]["median_build"], found["lean"]["median_build"]
    found["ratio"] = d / b if d and b else None
    return found


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    work = Path(os.environ.get("BENCH_WORK", HERE / "work"))
    print(json.dumps(run(n, work), indent=1))


if __name__ == "__main__":
    main()
