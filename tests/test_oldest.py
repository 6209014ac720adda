"""The oldest-versions run (`make test-oldest`) tests exactly the floors pyproject.toml allows."""

from __future__ import annotations

import os
import re
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version
from sitebuild import ROOT

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

PINS = ROOT / ".ci" / "oldest-constraints.txt"


def runtime_requirements() -> list[Requirement]:
    """The package's runtime dependencies and the `properdocs` extra (a runtime choice)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extra = project.get("optional-dependencies", {}).get("properdocs", [])
    return [Requirement(text) for text in [*project["dependencies"], *extra]]


def pins(path: Path = PINS) -> dict[str, str]:
    """The constraints file as {canonical name: pinned version}."""
    pinned = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([A-Za-z0-9.]+)", line)
        assert match, f"not a `name==version` pin: {line!r}"
        name = canonicalize_name(match[1])
        assert name not in pinned, f"{name} pinned twice"
        pinned[name] = match[2]
    return pinned


def floors() -> dict[str, str]:
    """The `>=` floor of every runtime requirement."""
    found = {}
    for req in runtime_requirements():
        lower = [spec.version for spec in req.specifier if spec.operator == ">="]
        assert len(lower) == 1, f"{req} needs exactly one `>=` floor"
        found[canonicalize_name(req.name)] = lower[0]
    return found


def test_pins_equal_pyproject_floors():
    pinned, wanted = pins(), floors()
    assert sorted(pinned) == sorted(wanted), "pin every floor, and nothing else"
    for name, floor in wanted.items():
        # `>=6` and `==6.0` are the same release; compare versions, not strings.
        assert Version(pinned[name]) == Version(floor), f"{name}: pin {pinned[name]}, floor {floor}"


def test_pins_satisfy_every_requirement():
    """A floor above an upper bound, or an extra's pin its requirement rejects, is caught."""
    pinned = pins()
    for req in runtime_requirements():
        assert req.specifier.contains(pinned[canonicalize_name(req.name)]), str(req)


def test_installed_versions():
    """Installed versions satisfy pyproject; in `make test-oldest`, they are exactly the pins."""
    for req in runtime_requirements():
        assert req.specifier.contains(version(req.name)), f"{req.name} {version(req.name)}"
    if os.environ.get("DOSSIER_OLDEST_PINS"):
        for name, pinned in pins(ROOT / os.environ["DOSSIER_OLDEST_PINS"]).items():
            assert Version(version(name)) == Version(pinned), name
