"""Engines that turn the build folder into HTML: one small adapter per engine.

Each engine runs as its own process on the generated config, as a user would run it:
its memory is returned when it ends, and a crash in it is its own. MkDocs + Material is
the default; ProperDocs (a MkDocs 1.6 continuation) and Zensical (Material's successor,
which reads `mkdocs.yml`) are selectable. They get the same Markdown, so safety and the
layout do not depend on the engine.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from reqkit.errors import ReqkitError, UsageError

__all__ = ["ENGINES", "Engine", "SiteBuildError", "engine_named", "run_build", "run_serve"]


class SiteBuildError(ReqkitError):
    """The engine failed; the message carries its last lines."""


@dataclass(frozen=True)
class Engine:
    name: str
    module: str  # the importable package that proves it is installed
    command: tuple[str, ...]  # how to start it with this Python
    install: str  # the hint when it is missing
    config_name: str = "mkdocs.yml"
    supports_site_dir: bool = True

    def available(self) -> bool:
        return importlib.util.find_spec(self.module) is not None

    def build_args(self, config: Path, *, strict: bool) -> list[str]:
        args = [*self.command, "build", "-f", str(config)]
        if strict:
            args.append("--strict")
        return args

    def serve_args(self, config: Path, *, address: str) -> list[str]:
        return [*self.command, "serve", "-f", str(config), "-a", address]


def _zensical() -> tuple[str, ...]:
    exe = Path(sys.executable).parent / "zensical"
    return (str(exe),) if exe.exists() else (shutil.which("zensical") or "zensical",)


ENGINES: dict[str, Engine] = {
    "mkdocs": Engine(
        "mkdocs",
        "mkdocs",
        (sys.executable, "-m", "mkdocs"),
        "pip install 'mkdocs<2' mkdocs-material",
    ),
    "properdocs": Engine(
        "properdocs", "properdocs", (sys.executable, "-m", "properdocs"), "pip install properdocs"
    ),
    # Zensical refuses a site_dir outside the folder of its config: built there, then moved.
    "zensical": Engine("zensical", "zensical", (), "pip install zensical", supports_site_dir=False),
}


def engine_named(name: str) -> Engine:
    engine = ENGINES.get(name)
    if engine is None:
        raise UsageError(f"unknown site engine '{name}' (choose from {', '.join(ENGINES)})")
    if not engine.available():
        raise UsageError(f"the site engine '{name}' is not installed ({engine.install})")
    if name == "zensical":
        engine = Engine(name, engine.module, _zensical(), engine.install, supports_site_dir=False)
    return engine


def engine_env() -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material's notice about MkDocs 2, once per build
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return env


def run_build(engine: Engine, config: Path, *, strict: bool, cwd: Path) -> str:
    """Run the engine's build; its log on success, SiteBuildError with the tail on failure."""
    result = subprocess.run(
        engine.build_args(config, strict=strict),
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=engine_env(),
    )
    log = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        tail = "\n".join(log.splitlines()[-15:])
        raise SiteBuildError(f"{engine.name} build failed (exit {result.returncode}):\n{tail}")
    return log


def run_serve(engine: Engine, config: Path, *, address: str, cwd: Path) -> int:
    """Serve until interrupted; the engine talks to the terminal itself."""
    return subprocess.call(engine.serve_args(config, address=address), cwd=cwd, env=engine_env())
