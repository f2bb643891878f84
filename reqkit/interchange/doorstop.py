"""A Doorstop tree → requirements, one folder per document, Doorstop's IDs kept.

Each document is a folder with `.doorstop.yml` (prefix, parent document, digits,
separator); each item a `<UID>.yml`. `text` becomes the description (its first line,
or `header`, the title), links into the parent document become `links.parent` (others
`depends_on`), `ref`/`references` become the custom field `code_refs`, and every other
attribute a custom field (`level`, `active`, `normative`, `derived`, custom ones under
their snake_case name). Review stamps (`reviewed`, link fingerprints) are Doorstop's
own bookkeeping and are not kept. Other files in a document folder (images) are copied.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reqkit.errors import UsageError
from reqkit.interchange.source import Incoming, Source

__all__ = ["read_doorstop"]

_SKIP = {"reviewed"}
_STANDARD = {
    "active",
    "derived",
    "header",
    "level",
    "links",
    "normative",
    "ref",
    "references",
    "text",
}
_TYPES = {"level": "string", "active": "boolean", "derived": "boolean", "normative": "boolean"}


def _loader() -> Any:
    """A safe loader that keeps numbers as the text written (`level: 1.10` stays `1.10`)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def as_text(loader: Any, node: Any) -> str:
        return str(loader.construct_scalar(node))

    for tag in ("tag:yaml.org,2002:float", "tag:yaml.org,2002:int"):
        Loader.add_constructor(tag, as_text)
    return Loader


def _read(path: Path) -> Any:
    import yaml

    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_loader())
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ValueError(" ".join(str(exc).split())) from None


def _documents(top: Path) -> list[tuple[Path, dict[str, Any]]]:
    docs = []
    for config in sorted(top.rglob(".doorstop.yml")):
        try:
            settings = (_read(config) or {}).get("settings") or {}
        except ValueError as exc:
            raise UsageError(f"{config}: not valid YAML ({exc})") from None
        if "prefix" not in settings:
            raise UsageError(f"{config}: no settings.prefix")
        docs.append((config.parent, settings))
    if not docs:
        raise UsageError(f"{top}: no .doorstop.yml here or below: not a Doorstop tree")
    return docs


def _field_name(attribute: str) -> str:
    from reqkit.edit.canonical import KEY_ORDER

    name = re.sub(r"[^a-z0-9]+", "_", attribute.lower()).strip("_")
    clash = not re.match(r"^[a-z]", name) or name in KEY_ORDER or name == "code_refs"
    return f"doorstop_{name}" if clash else name


def _plain(text: str) -> str:
    """A Markdown line as a title: emphasis and heading marks taken off."""
    text = re.sub(r"^#+\s*", "", text.strip())
    return re.sub(r"(\*\*|__|\*|_|`)(.+?)\1", r"\2", text).strip()


def _item(
    uid: str, raw: dict[str, Any], parent_uids: set[str]
) -> tuple[dict[str, Any], dict[str, str]]:
    text = str(raw.get("text") or "").rstrip("\n")
    header = str(raw.get("header") or "").strip()
    first = next((line for line in text.splitlines() if line.strip()), "")
    title = header or _plain(first) or uid
    data: dict[str, Any] = {
        "id": uid,
        "title": title[:200],
        "description": text.strip("\n") or title,
    }
    parents: list[str] = []
    others: list[str] = []
    for link in raw.get("links") or []:
        target = next(iter(link)) if isinstance(link, dict) else str(link)
        (parents if target in parent_uids else others).append(str(target))
    links = {k: v for k, v in (("parent", parents), ("depends_on", others)) if v}
    if links:
        data["links"] = links
    refs = [
        str(r["path"]) for r in raw.get("references") or [] if isinstance(r, dict) and r.get("path")
    ]
    if raw.get("ref"):
        refs.insert(0, str(raw["ref"]))
    if refs:
        data["code_refs"] = refs
    types: dict[str, str] = {}
    for key, value in raw.items():
        if key in _SKIP or key in ("text", "header", "links", "ref", "references"):
            continue
        name = _field_name(str(key))
        if isinstance(value, bool):
            types[name] = "boolean"
        elif isinstance(value, list | dict):
            types[name] = "array" if isinstance(value, list) else "object"
        else:
            value = "" if value is None else str(value)
            types[name] = _TYPES.get(name, "string")
        data[name] = value
    return data, types


def _is_asset(path: Path, parts: tuple[str, ...], nested: set[Path]) -> bool:
    """A file of this document that is no item: not hidden, not in a child document."""
    return (
        path.is_file()
        and path.suffix != ".yml"
        and not any(p.startswith(".") for p in parts)
        and not any(n in path.parents for n in nested)
    )


def read_doorstop(top: Path) -> Source:
    """Every item of every document under `top`."""
    docs = _documents(top)
    prefixes = {str(s["prefix"]): (folder, s) for folder, s in docs}
    items_by_prefix: dict[str, list[Path]] = {}
    nested: dict[str, set[Path]] = {}
    for prefix, (folder, _) in prefixes.items():
        nested[prefix] = {f for f, _ in docs if f != folder and folder in f.parents}
        items_by_prefix[prefix] = sorted(
            p
            for p in folder.rglob("*.yml")
            if not p.name.startswith(".") and not any(n in p.parents for n in nested[prefix])
        )
    uids = {prefix: {p.stem for p in paths} for prefix, paths in items_by_prefix.items()}
    source = Source()
    for prefix, (folder, settings) in sorted(prefixes.items()):
        digits = int(settings.get("digits", 3))
        sep = str(settings.get("sep", "") or "")
        source.ids.append(f"{prefix}{sep}{{seq:0{digits}}}")
        parent = str(settings.get("parent") or "")
        for path in items_by_prefix[prefix]:
            label = path.relative_to(top).as_posix()
            try:
                raw = _read(path)
            except ValueError as exc:
                source.items.append(Incoming(label, {}, prefix, problem=f"not valid YAML ({exc})"))
                continue
            if not isinstance(raw, dict):
                source.items.append(Incoming(label, {}, prefix, problem="not a Doorstop item"))
                continue
            data, types = _item(path.stem, raw, uids.get(parent, set()))
            for name, kind in types.items():
                source.fields.setdefault(name, {"type": kind})
            if "code_refs" in data:
                source.fields.setdefault(
                    "code_refs", {"type": "array", "items": {"type": "string"}}
                )
            source.items.append(Incoming(label, data, prefix))
        for asset in sorted(folder.rglob("*")):
            inside = asset.relative_to(folder)
            if _is_asset(asset, inside.parts, nested[prefix]):
                source.files[f"{prefix}/{inside.as_posix()}"] = asset.read_bytes()
        source.notes.append(
            f"document {prefix} ({folder.relative_to(top).as_posix() or '.'}) → folder {prefix}/"
        )
    return source
