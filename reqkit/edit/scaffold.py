"""`reqkit init`: a requirements repository that works on day one, written all or nothing.

The files come from `templates/` next to this module (package data; dot-files are stored
without their dot, see TEMPLATES). Nothing that exists is ever replaced: when any target
exists, nothing at all is written.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from reqkit._version import __version__
from reqkit.edit.atomic import atomic_write
from reqkit.errors import UsageError

__all__ = ["ACTION", "HOOK_REPO", "TEMPLATES", "InitResult", "init_project", "scaffold_files"]

#: The Action and the pre-commit hook repository the new repository uses.
ACTION = "reqkit/reqkit@v1"
HOOK_REPO = "https://github.com/reqkit/reqkit"

#: target path in the new repository → template under templates/
TEMPLATES: dict[str, str] = {
    "reqkit.toml": "reqkit.toml",
    **{f"reqs/202405-00{n}.yaml": f"reqs/202405-00{n}.yaml" for n in range(1, 8)},
    "mkdocs.yml": "mkdocs.yml",
    "docs/index.md": "docs/index.md",
    ".github/workflows/requirements.yml": "github/workflows/requirements.yml",
    ".github/workflows/pages.yml": "github/workflows/pages.yml",
    ".github/ISSUE_TEMPLATE/requirement.yml": "github/ISSUE_TEMPLATE/requirement.yml",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    ".gitignore": "gitignore",
    "README.md": "README.md",
}
SCHEMA = "schema/requirement.schema.json"


@dataclass(frozen=True)
class InitResult:
    """What `init` wrote: the folder, and each file relative to it (`/` separators)."""

    root: Path
    written: tuple[str, ...]


def _template(name: str) -> str:
    return (resources.files("reqkit.edit") / "templates" / name).read_text(encoding="utf-8")


def scaffold_files(root: Path) -> dict[str, str]:
    """Every file `init` writes into `root`, with its text."""
    from reqkit.config import parse_config
    from reqkit.model.schema import schema_text

    name = root.resolve().name or "requirements"
    values = {
        "@TITLE@": name,
        "@SITE_NAME@": json.dumps(name, ensure_ascii=False),  # a YAML double-quoted string
        "@ACTION@": ACTION,
        "@REV@": f"v{__version__}",
    }
    files: dict[str, str] = {}
    for target, source in TEMPLATES.items():
        text = _template(source)
        for token, value in values.items():
            text = text.replace(token, value)
        files[target] = text
    files[SCHEMA] = schema_text(parse_config({}, root=root))
    return dict(sorted(files.items()))


def _clashes(root: Path, targets: list[str]) -> list[str]:
    """Targets that exist (or whose folder is a file), and a config reqkit.toml would hide."""
    found: list[str] = []
    for rel in targets:
        path = root / rel
        if os.path.lexists(path):
            found.append(rel)
            continue
        for parent in path.relative_to(root).parents:
            folder = root / parent
            if str(parent) != "." and os.path.lexists(folder) and not folder.is_dir():
                found.append(parent.as_posix())
                break
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            text = pyproject.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        if "[tool.reqkit" in text:
            found.append("pyproject.toml ([tool.reqkit])")
    return sorted(set(found))


def _missing_folders(root: Path, targets: list[str]) -> list[Path]:
    """Folders `init` will create, parents first."""
    wanted: list[Path] = []
    for folder in [root, *((root / rel).parent for rel in targets)]:
        chain = [folder, *folder.parents]
        for f in reversed(chain):
            if not f.exists() and f not in wanted:
                wanted.append(f)
    return wanted


def init_project(root: Path) -> InitResult:
    """Write the scaffold into `root` (created if missing), or nothing at all.

    Raises UsageError listing the files that exist already; a file that appears while
    writing undoes everything written so far.
    """
    if os.path.lexists(root) and not root.is_dir():
        raise UsageError(f"{root} exists and is not a folder")
    files = scaffold_files(root)
    clashes = _clashes(root, list(files))
    if clashes:
        raise UsageError(
            f"init writes nothing: {len(clashes)} of its files exist already in {root}: "
            f"{', '.join(clashes)} (init never overwrites; use an empty folder or move them)"
        )
    created = _missing_folders(root, list(files))
    written: list[str] = []
    current = ""
    try:
        for current, text in files.items():
            atomic_write(root / current, text, overwrite=False)
            written.append(current)
    except OSError as exc:
        for rel in written:
            (root / rel).unlink(missing_ok=True)
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(exc, FileExistsError):
            raise UsageError(
                f"init writes nothing: {current} appeared in {root} while writing; "
                "what it had written is removed again"
            ) from None
        raise UsageError(f"init could not write {current} in {root}: {exc.strerror}") from None
    return InitResult(root, tuple(written))
