"""Hard-link into a new venv the installed distributions a wheel depends on (its Requires-Dist, recursively).

Used by scripts/check_package.sh: pip then installs the wheel alone, in seconds instead of minutes
(unpacking torch and gradio again is most of the time on two busy cores). Only what the wheel
declares is linked, so a dependency the code uses but the wheel forgets still fails the check.

    .venv/bin/python scripts/link_dependencies.py WHEEL NEW_VENV
"""

from __future__ import annotations

import importlib.metadata as md
import os
import shutil
import sys
import sysconfig
import zipfile
from email.parser import Parser
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def _applies(req: Requirement, extras: set[str]) -> bool:
    return req.marker is None or any(req.marker.evaluate({"extra": e}) for e in extras | {""})


def wheel_requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        meta = Parser().parsestr(zf.read(name).decode("utf-8"))
    return [r for r in map(Requirement, meta.get_all("Requires-Dist") or []) if _applies(r, set())]


def closure(requirements: list[Requirement]) -> dict[str, md.Distribution]:
    """The installed distributions needed by `requirements`, with their own requirements."""
    found: dict[str, md.Distribution] = {}
    todo = list(requirements)
    while todo:
        req = todo.pop()
        key = canonicalize_name(req.name)
        if key in found:
            continue
        try:
            dist = md.distribution(req.name)
        except md.PackageNotFoundError:
            continue  # pip installs it from the registry
        found[key] = dist
        todo.extend(r for r in map(Requirement, dist.requires or []) if _applies(r, set(req.extras)))
    return found


def link(dist: md.Distribution, target: Path) -> int:
    count = 0
    for file in dist.files or []:
        src = Path(dist.locate_file(file))
        if str(file).startswith("..") or not src.is_file():
            continue  # console scripts in bin/, byte code never written
        dst = target / file
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, dst)
        except OSError:  # another file system
            shutil.copy2(src, dst)
        count += 1
    return count


def main(wheel: str, venv: str) -> None:
    target = Path(sysconfig.get_path("purelib", vars={"base": venv, "platbase": venv}))
    dists = closure(wheel_requirements(Path(wheel)))
    files = sum(link(d, target) for d in dists.values())
    print(f"  linked {len(dists)} distributions ({files} files) into {target}")


if __name__ == "__main__":
    main(*sys.argv[1:])
