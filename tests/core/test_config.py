"""Configuration: defaults, every key validated, the bad key named."""

from __future__ import annotations

from pathlib import Path

import pytest

from reqkit.config import DEFAULT_STATES, find_root, load_config, parse_config
from reqkit.errors import ConfigError, RootNotFoundError


def test_empty_config_gives_every_default(tmp_path: Path) -> None:
    config = parse_config({}, root=tmp_path)
    assert config.requirements == "reqs"
    assert config.ids == ("{yyyy}{mm}-{seq:03}",)
    assert config.states == DEFAULT_STATES
    assert config.sla_hours == {"urgent": 24.0, "important": 168.0}
    assert config.max_file_size == 1024 * 1024
    assert config.state("closed") is not None
    assert config.state("closed").requires == ("acceptance", "evaluation")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({"bogus": 1}, "bogus"),
        ({"requirements": "../outside"}, "requirements"),
        ({"ids": ["REQ-{seq:04}/x"]}, "ids"),
        ({"ids": ["REQ-0001"]}, "ids"),
        ({"states": {"a": {"next": ["b"]}}}, "states.a.next"),
        ({"states": {"a": {"nxt": []}}}, "states.a.nxt"),
        ({"fields": {"Tier": {"type": "string"}}}, "fields.Tier"),
        ({"fields": {"tier": {"enum": ["a"]}}}, "fields.tier"),
        ({"rules": {"RK301": "loud"}}, "rules.RK301"),
        ({"sla": {"urgent": "soon"}}, "sla.urgent"),
        ({"site": {"language": "fr"}}, "site.language"),
        ({"max_file_size": "big"}, "max_file_size"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, raw: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config(raw, root=tmp_path)
    assert f"'{key}'" in str(err.value)


def test_sizes_and_durations_are_parsed(tmp_path: Path) -> None:
    config = parse_config(
        {"max_file_size": "2 KiB", "sla": {"urgent": "4h", "important": "2d"}}, root=tmp_path
    )
    assert config.max_file_size == 2048
    assert config.sla_hours["urgent"] == 4.0
    assert config.sla_hours["important"] == 48.0


def test_custom_states_replace_the_lifecycle(tmp_path: Path) -> None:
    config = parse_config(
        {"states": {"open": {"next": ["done"]}, "done": {"next": [], "requires": ["acceptance"]}}},
        root=tmp_path,
    )
    assert config.state_names == ("open", "done")
    assert config.state("done").shipped is False  # type: ignore[union-attr]


def test_root_found_upward_and_reqkit_toml_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.reqkit]\nrequirements = "from-pyproject"\n')
    (tmp_path / "reqkit.toml").write_text('requirements = "from-reqkit-toml"\n')
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert find_root(nested) == (tmp_path.resolve(), (tmp_path / "reqkit.toml").resolve())
    assert load_config(nested).requirements == "from-reqkit-toml"


def test_pyproject_without_tool_reqkit_is_not_a_root(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    with pytest.raises(RootNotFoundError, match="reqkit init"):
        find_root(tmp_path)


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "reqkit.toml").write_text("requirements = [\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(tmp_path)


def test_fingerprint_changes_with_the_config(tmp_path: Path) -> None:
    a = parse_config({}, root=tmp_path).fingerprint()
    b = parse_config({"rules": {"RK314": "error"}}, root=tmp_path).fingerprint()
    assert a != b
