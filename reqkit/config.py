"""`reqkit.toml` or `[tool.reqkit]` → one frozen `Config`; every bad key named (exit 2).

Plain Python on purpose: the config is read on every run, including the warm `check`
path that must not pay for importing pydantic.
"""

from __future__ import annotations

import functools
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reqkit.digest import hex_digest
from reqkit.errors import ConfigError, RootNotFoundError

__all__ = [
    "DEFAULT_STATES",
    "Config",
    "Coverage",
    "CoverageRule",
    "State",
    "find_root",
    "load_config",
    "parse_config",
]

CONFIG_FILE = "reqkit.toml"


@dataclass(frozen=True)
class State:
    name: str
    label_zh: str
    next: tuple[str, ...]
    requires: tuple[str, ...] = ()
    answered: bool = True
    shipped: bool = False


def _state(name: str, zh: str, nxt: str, requires: str = "", *, shipped: bool = False) -> State:
    return State(
        name,
        zh,
        tuple(nxt.split()),
        tuple(requires.split()),
        answered=name != "analysis",
        shipped=shipped,
    )


DEFAULT_STATES: tuple[State, ...] = (
    _state("analysis", "待分析", "review rejected deferred"),
    _state("review", "评审中", "development analysis rejected deferred"),
    _state("development", "开发中", "testing review"),
    _state("testing", "测试中", "development released"),
    _state("released", "已上线", "closed development", "acceptance", shipped=True),
    _state("closed", "已关闭", "analysis", "acceptance evaluation", shipped=True),
    _state("deferred", "暂缓", "analysis", "decision.reason"),
    _state("rejected", "未通过", "analysis", "decision.reason"),
)

IMPLEMENTS = "Implements"
_REQUIRES = ("traced", "verified", "implemented")
_RULE_FILTERS = ("status", "type", "priority", "urgency", "tags")


@dataclass(frozen=True)
class CoverageRule:
    """`[[coverage.rules]]`: every requirement matching `where` must be `require`d."""

    name: str
    require: str  # traced | verified | implemented
    where: tuple[tuple[str, tuple[str, ...]], ...] = ()  # field -> allowed values


@dataclass(frozen=True)
class Coverage:
    """`[coverage]`: what `trace --strict` and `check --tests/--code` enforce."""

    rules: tuple[CoverageRule, ...]
    min_traced: float | None = None  # percent
    min_verified: float | None = None


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?\s*$", re.IGNORECASE)
_UNITS = {"b": 1, "kb": 1000, "kib": 1024, "mb": 10**6, "mib": 1024**2, "gb": 10**9, "gib": 1024**3}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(h|d|w)\s*$")
_HOURS = {"h": 1.0, "d": 24.0, "w": 168.0}
_SEVERITIES = ("error", "warning", "off")
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Config:
    """Everything a project can set. An empty file gives every default."""

    root: Path
    source: Path | None = None  # the file it came from, for messages
    requirements: str = "reqs"
    ids: tuple[str, ...] = ("{yyyy}{mm}-{seq:03}",)
    states: tuple[State, ...] = DEFAULT_STATES
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    rules: dict[str, str] = field(default_factory=dict)
    sla_hours: dict[str, float] = field(
        default_factory=lambda: {"urgent": 24.0, "important": 168.0}
    )
    site: dict[str, Any] = field(default_factory=lambda: {"language": "en"})
    max_file_size: int = 1024 * 1024
    lint_vague: tuple[str, ...] = ()  # extra vague words, any language
    lint_units: tuple[str, ...] = ()  # units written before a number (USD 20), for RK211
    stale_days: int = 30  # `[report] stale_days`: open and untouched this long is stale
    near_duplicate: float = 0.6  # `[report] near_duplicate`: similarity that flags a pair
    coverage: Coverage | None = None  # None: the default rule (shipped means verified)
    code_pattern: str = r"(?<![\w-])" + IMPLEMENTS + r":\s*"  # `Implements: ID, ID` starts here
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def requirements_dir(self) -> Path:
        return self.root / self.requirements

    # Cached: rules ask for every file of a cold check, and the config never changes.
    @functools.cached_property
    def state_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.states)

    @functools.cached_property
    def _state_by_name(self) -> dict[str, State]:
        found: dict[str, State] = {}
        for s in self.states:
            found.setdefault(s.name, s)
        return found

    def state(self, name: str) -> State | None:
        return self._state_by_name.get(name)

    def fingerprint(self) -> str:
        """Changes whenever anything that could change a verdict changes."""
        blob = json.dumps(self.raw, sort_keys=True, default=str)
        return hex_digest(blob)


def _fail(key: str, reason: str, source: Path | None) -> ConfigError:
    where = f" in {source.name}" if source else ""
    return ConfigError(f"config key '{key}'{where}: {reason}")


def _only(value: dict[str, Any], allowed: tuple[str, ...], table: str, source: Path | None) -> None:
    """Refuse the first key of `[table]` (in sorted order) that is not in `allowed`."""
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        expected = f"{', '.join(allowed[:-1])} or {allowed[-1]}"
        raise _fail(f"{table}.{unknown[0]}", f"unknown key; expected {expected}", source)


def _parse_size(value: Any, source: Path | None) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    match = _SIZE.match(value) if isinstance(value, str) else None
    if not match:
        raise _fail("max_file_size", f'expected a size like "1 MiB", got {value!r}', source)
    return int(float(match.group(1)) * _UNITS[(match.group(2) or "b").lower()])


def _parse_sla(value: Any, source: Path | None) -> dict[str, float]:
    if not isinstance(value, dict):
        raise _fail("sla", 'expected a table like {urgent = "24h", important = "7d"}', source)
    out = {"urgent": 24.0, "important": 168.0}
    for urgency, limit in value.items():
        if urgency not in ("urgent", "important", "routine"):
            raise _fail(f"sla.{urgency}", "expected urgent, important or routine", source)
        match = _DURATION.match(limit) if isinstance(limit, str) else None
        if not match:
            raise _fail(
                f"sla.{urgency}", f'expected a duration like "24h" or "7d", got {limit!r}', source
            )
        out[urgency] = float(match.group(1)) * _HOURS[match.group(2)]
    return out


def _parse_states(value: Any, source: Path | None) -> tuple[State, ...]:
    if not isinstance(value, dict) or not value:
        raise _fail("states", "expected a table of states, e.g. [states.analysis]", source)
    states = []
    allowed = {"label_zh", "next", "requires", "answered", "shipped"}
    for name, spec in value.items():
        key = f"states.{name}"
        if not isinstance(spec, dict):
            raise _fail(key, "expected a table with next = [...]", source)
        unknown = set(spec) - allowed
        if unknown:
            raise _fail(
                f"{key}.{sorted(unknown)[0]}",
                f"unknown key; expected one of {sorted(allowed)}",
                source,
            )
        nxt = spec.get("next", [])
        req = spec.get("requires", [])
        if not (isinstance(nxt, list) and all(isinstance(n, str) for n in nxt)):
            raise _fail(f"{key}.next", "expected a list of state names", source)
        if not (isinstance(req, list) and all(isinstance(n, str) for n in req)):
            raise _fail(f"{key}.requires", "expected a list of field names", source)
        for flag in ("answered", "shipped"):
            if flag in spec and not isinstance(spec[flag], bool):
                raise _fail(f"{key}.{flag}", "expected true or false", source)
        states.append(
            State(
                name,
                str(spec.get("label_zh", name)),
                tuple(nxt),
                tuple(req),
                answered=spec.get("answered", name != "analysis"),
                shipped=spec.get("shipped", name in ("released", "closed")),
            )
        )
    names = {s.name for s in states}
    for s in states:
        for target in s.next:
            if target not in names:
                raise _fail(f"states.{s.name}.next", f"'{target}' is not a declared state", source)
    return tuple(states)


def _parse_fields(value: Any, source: Path | None) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise _fail("fields", 'expected a table: name = { type = "string" }', source)
    for name, fragment in value.items():
        if not _FIELD_NAME.match(name):
            raise _fail(
                f"fields.{name}", "a field name is lower case letters, digits and _", source
            )
        if not isinstance(fragment, dict) or "type" not in fragment:
            raise _fail(f"fields.{name}", "expected a JSON Schema fragment with a type", source)
    return dict(value)


def _parse_lint(value: Any, source: Path | None) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise _fail("lint", 'expected a table: {vague = ["snappy"], units = ["widgets"]}', source)
    out = {}
    for key, target in (("vague", "lint_vague"), ("units", "lint_units")):
        words = value.get(key, [])
        if not (isinstance(words, list) and all(isinstance(w, str) and w.strip() for w in words)):
            raise _fail(f"lint.{key}", "expected a list of words", source)
        out[target] = tuple(w.strip() for w in words)
    _only(value, ("vague", "units"), "lint", source)
    return out


def _parse_trace(value: Any, source: Path | None) -> str:
    """`[trace]`: `keyword = "Implements"` or `pattern` (a regex; the IDs follow its match)."""
    if not isinstance(value, dict):
        raise _fail("trace", 'expected a table: {keyword = "Implements"}', source)
    _only(value, ("keyword", "pattern"), "trace", source)
    if "keyword" in value and "pattern" in value:
        raise _fail("trace.pattern", "set keyword or pattern, not both", source)
    if "pattern" in value:
        pattern = value["pattern"]
        try:
            compiled = re.compile(pattern) if isinstance(pattern, str) and pattern else None
        except re.error as exc:
            raise _fail("trace.pattern", f"not a valid regular expression: {exc}", source) from None
        if compiled is None or compiled.match(""):
            raise _fail("trace.pattern", "expected a regular expression that matches text", source)
        return str(pattern)
    keyword = value.get("keyword", IMPLEMENTS)
    if not (isinstance(keyword, str) and keyword.strip()):
        raise _fail("trace.keyword", 'expected a word such as "Implements"', source)
    return r"(?<![\w-])" + re.escape(keyword.strip()) + r":\s*"


def _words(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    return None


def _parse_coverage(value: Any, states: tuple[State, ...], source: Path | None) -> Coverage:
    if not isinstance(value, dict):
        raise _fail("coverage", 'expected a table: [[coverage.rules]] require = "verified"', source)
    _only(value, ("rules", "min_traced", "min_verified"), "coverage", source)
    limits: dict[str, float] = {}
    for key in ("min_traced", "min_verified"):
        if key in value:
            n = value[key]
            if isinstance(n, bool) or not isinstance(n, int | float) or not 0 <= n <= 100:
                raise _fail(f"coverage.{key}", "expected a percentage from 0 to 100", source)
            limits[key] = float(n)
    rules = value.get("rules", [])
    if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
        raise _fail("coverage.rules", "expected [[coverage.rules]] tables", source)
    names = {s.name for s in states}
    parsed = []
    for i, spec in enumerate(rules, start=1):
        key = f"coverage.rules[{i}]"
        bad = set(spec) - {"name", "require", *_RULE_FILTERS}
        if bad:
            raise _fail(
                f"{key}.{sorted(bad)[0]}",
                f"unknown key; expected name, require or one of {', '.join(_RULE_FILTERS)}",
                source,
            )
        if spec.get("require") not in _REQUIRES:
            raise _fail(f"{key}.require", "expected traced, verified or implemented", source)
        name = spec.get("name", f"rule-{i}")
        if not isinstance(name, str) or not name.strip():
            raise _fail(f"{key}.name", "expected a short name", source)
        where = []
        for filt in _RULE_FILTERS:
            if filt not in spec:
                continue
            words = _words(spec[filt])
            if words is None:
                raise _fail(f"{key}.{filt}", "expected a list of values", source)
            if filt == "status" and (missing := [w for w in words if w not in names]):
                raise _fail(f"{key}.status", f"'{missing[0]}' is not a declared state", source)
            where.append((filt, words))
        parsed.append(CoverageRule(name.strip(), spec["require"], tuple(where)))
    return Coverage(tuple(parsed), limits.get("min_traced"), limits.get("min_verified"))


def _parse_report(value: Any, source: Path | None) -> dict[str, Any]:
    """`[report]`: when an open requirement is stale, and how similar is a near-duplicate."""
    if not isinstance(value, dict):
        raise _fail("report", "expected a table: {stale_days = 30, near_duplicate = 0.6}", source)
    _only(value, ("stale_days", "near_duplicate"), "report", source)
    out: dict[str, Any] = {}
    if "stale_days" in value:
        days = value["stale_days"]
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise _fail("report.stale_days", f"expected a whole number ≥ 1, got {days!r}", source)
        out["stale_days"] = days
    if "near_duplicate" in value:
        score = value["near_duplicate"]
        if isinstance(score, bool) or not isinstance(score, int | float) or not 0 < score <= 1:
            raise _fail(
                "report.near_duplicate", f"expected a number in (0, 1], got {score!r}", source
            )
        out["near_duplicate"] = float(score)
    return out


def parse_config(raw: dict[str, Any], *, root: Path, source: Path | None = None) -> Config:
    """Validate a config table; raise ConfigError naming the first bad key."""
    from reqkit.ids import IdPattern

    known = {
        "requirements",
        "ids",
        "states",
        "fields",
        "rules",
        "sla",
        "site",
        "max_file_size",
        "lint",
        "trace",
        "coverage",
        "report",
    }
    for key in raw:
        if key not in known:
            raise _fail(key, f"unknown key; expected one of {', '.join(sorted(known))}", source)
    kwargs: dict[str, Any] = {"root": root, "source": source, "raw": raw}
    if "requirements" in raw:
        folder = raw["requirements"]
        if (
            not isinstance(folder, str)
            or not folder.strip()
            or Path(folder).is_absolute()
            or ".." in Path(folder).parts
        ):
            raise _fail("requirements", "expected a folder path inside the repository", source)
        kwargs["requirements"] = folder.strip("/")
    if "ids" in raw:
        ids = raw["ids"]
        if isinstance(ids, str):
            ids = [ids]
        if not (isinstance(ids, list) and ids and all(isinstance(i, str) for i in ids)):
            raise _fail("ids", 'expected a list of ID patterns like "REQ-{seq:04}"', source)
        for pattern in ids:
            try:
                IdPattern(pattern)
            except ValueError as exc:
                raise _fail("ids", str(exc), source) from None
        kwargs["ids"] = tuple(ids)
    if "states" in raw:
        kwargs["states"] = _parse_states(raw["states"], source)
    if "fields" in raw:
        kwargs["fields"] = _parse_fields(raw["fields"], source)
    if "rules" in raw:
        rules = raw["rules"]
        if not isinstance(rules, dict):
            raise _fail("rules", 'expected a table: RK204 = "off"', source)
        for code, severity in rules.items():
            if severity not in _SEVERITIES:
                raise _fail(
                    f"rules.{code}", f"expected error, warning or off, got {severity!r}", source
                )
        kwargs["rules"] = dict(rules)
    if "sla" in raw:
        kwargs["sla_hours"] = _parse_sla(raw["sla"], source)
    if "site" in raw:
        site = raw["site"]
        if not isinstance(site, dict):
            raise _fail("site", 'expected a table: {language = "zh"}', source)
        if site.get("language", "en") not in ("en", "zh"):
            raise _fail("site.language", 'expected "en" or "zh"', source)
        if site.get("engine", "mkdocs") not in ("mkdocs", "properdocs", "zensical"):
            raise _fail("site.engine", 'expected "mkdocs", "properdocs" or "zensical"', source)
        for key in sorted(set(site) - {"language", "engine"}):
            raise _fail(f"site.{key}", "unknown key (known: language, engine)", source)
        kwargs["site"] = {"language": "en", **site}
    if "lint" in raw:
        kwargs.update(_parse_lint(raw["lint"], source))
    if "report" in raw:
        kwargs.update(_parse_report(raw["report"], source))
    if "trace" in raw:
        kwargs["code_pattern"] = _parse_trace(raw["trace"], source)
    if "coverage" in raw:
        kwargs["coverage"] = _parse_coverage(
            raw["coverage"], kwargs.get("states", DEFAULT_STATES), source
        )
    if "max_file_size" in raw:
        kwargs["max_file_size"] = _parse_size(raw["max_file_size"], source)
    return Config(**kwargs)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path.name}: cannot read: {exc.strerror}") from None


def find_root(start: Path) -> tuple[Path, Path]:
    """The first folder upward holding reqkit.toml or pyproject.toml with [tool.reqkit].

    When both are in one folder, reqkit.toml wins.
    """
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return folder, candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                text = pyproject.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if "[tool.reqkit" in text and "reqkit" in _read_toml(pyproject).get("tool", {}):
                return folder, pyproject
    raise RootNotFoundError(
        f"no reqkit.toml or [tool.reqkit] in {start} or any folder above it; "
        "run `reqkit init` to create one, or pass --root"
    )


def load_config(root: Path | None = None) -> Config:
    """Find and parse the config; `root` is the repository or any folder inside it."""
    folder, source = find_root(root or Path.cwd())
    table = _read_toml(source)
    if source.name == "pyproject.toml":
        table = table.get("tool", {}).get("reqkit", {})
        if not isinstance(table, dict):
            raise ConfigError("pyproject.toml: [tool.reqkit] must be a table")
    return parse_config(table, root=folder, source=source)
