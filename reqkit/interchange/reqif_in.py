"""ReqIF 1.x → requirements, read with the `reqif` package (StrictDoc's).

Attributes are matched by their LONG-NAME: reqkit's own field names, the Implementation
Guide's (`ReqIF.ForeignID` → id, `ReqIF.Name`/`ReqIF.ChapterName` → title, `ReqIF.Text`
→ description), StrictDoc's (`UID`, `TITLE`, `STATEMENT`), or else a custom field.
Relations whose type is a link kind become those links (others `depends_on`); an object
without a parent relation gets its parent from the spec hierarchy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reqkit.errors import UsageError
from reqkit.interchange.columns import FIELD_COLUMNS, unflatten
from reqkit.interchange.source import Incoming, Source

__all__ = ["read_reqif"]

_NAMES = {
    "reqif.foreignid": "id",
    "uid": "id",
    "reqif.name": "title",
    "reqif.chaptername": "title",
    "title": "title",
    "reqif.text": "description",
    "statement": "description",
    "description": "description",
}
_LINK_KINDS = ("parent", "depends_on", "conflicts_with", "duplicates")
XHTML_NS = "http://www.w3.org/1999/xhtml"


def _field(long_name: str, custom: Mapping[str, Any]) -> str | None:
    if long_name in FIELD_COLUMNS or long_name in custom:
        return long_name
    mapped = _NAMES.get(long_name.lower())
    if mapped:
        return mapped
    name = re.sub(r"[^a-z0-9]+", "_", long_name.lower()).strip("_")
    return name if re.match(r"^[a-z][a-z0-9_]*$", name) else None


def _own_text(node: Any) -> str:
    """reqkit's XHTML back to the exact text: each `<br/>` a line break."""
    parts = [node.text or ""]
    for child in node:
        parts.append("\n")
        parts.append((child.tail or "").removeprefix("\n"))
    return "".join(parts)


def _foreign_text(node: Any) -> str:
    """Another tool's XHTML as plain Markdown-ish text: paragraphs, line breaks, list items."""
    blocks = {"p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "tr"}
    out: list[str] = []

    def walk(el: Any) -> None:
        tag = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
        if tag == "br":
            out.append("\n")
        elif tag == "li":
            out.append("\n- ")
        elif tag in blocks:
            out.append("\n\n")
        out.append(el.text or "")
        for child in el:
            walk(child)
            out.append(child.tail or "")

    walk(node)
    text = "".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _xhtml_value(attribute: Any, own: bool) -> str:
    node = getattr(attribute, "xml_node", None)
    value = node.find("{*}THE-VALUE") if node is not None else None
    if value is None or len(value) == 0:
        raw = attribute.value if isinstance(attribute.value, str) else ""
        return re.sub(r"<[^>]+>", "", raw)
    if own and len(value) == 1:
        return _own_text(value[0])
    return "\n\n".join(_foreign_text(child) for child in value)


def read_reqif(path: Path, *, custom: Mapping[str, Any]) -> Source:
    from reqif.parser import ReqIFParser, ReqIFZParser

    try:
        if path.suffix.lower() == ".reqifz":
            bundles = ReqIFZParser.parse(str(path)).reqif_bundles
            bundle = next(iter(bundles.values()))
        else:
            bundle = ReqIFParser.parse(str(path))
    except Exception as exc:  # the reqif package raises its own and lxml's errors
        raise UsageError(
            f"{path}: not a readable ReqIF file ({' '.join(str(exc).split())[:200]})"
        ) from None
    content = bundle.core_content.req_if_content if bundle.core_content else None
    if content is None:
        raise UsageError(f"{path}: a ReqIF file without content")
    header = bundle.req_if_header
    own = header is not None and (header.source_tool_id or "") == "reqkit"
    source = Source()
    by_identifier: dict[str, Incoming] = {}
    for obj in content.spec_objects or []:
        spec_type = bundle.lookup.get_spec_type_by_ref(obj.spec_object_type)
        record: dict[str, str] = {}
        for attribute in obj.attributes:
            definition = (
                spec_type.attribute_map.get(attribute.definition_ref) if spec_type else None
            )
            long_name = (definition.long_name if definition else None) or attribute.definition_ref
            name = _field(long_name, custom)
            if name is None:
                source.notes.append(f"attribute {long_name!r} is not imported (no field name)")
                continue
            kind = str(attribute.attribute_type).rsplit(".", 1)[-1]
            if kind == "XHTML":
                text = _xhtml_value(attribute, own)
            elif isinstance(attribute.value, list):  # enumeration: the value names
                text = "; ".join(_enum_names(bundle, definition, attribute.value))
            else:
                text = str(attribute.value)
            record[name] = text
            if name not in FIELD_COLUMNS and name not in custom:
                source.fields.setdefault(name, {"type": "string"})
        if "id" not in record and re.fullmatch(r"[A-Za-z0-9._-]+", obj.identifier):
            record["id"] = obj.identifier.removeprefix("R-") if own else obj.identifier
        item = Incoming(f"spec object {obj.identifier}", unflatten(record, custom))
        by_identifier[obj.identifier] = item
        source.items.append(item)
    _links(bundle, content, by_identifier)
    return source


def _enum_names(bundle: Any, definition: Any, refs: list[str]) -> list[str]:
    datatype = (
        bundle.lookup.get_data_type_by_ref(definition.datatype_definition) if definition else None
    )
    values = {
        v.identifier: (v.long_name or v.key or v.identifier)
        for v in getattr(datatype, "values", None) or []
    }
    return [values.get(r, r) for r in refs]


def _links(bundle: Any, content: Any, items: dict[str, Incoming]) -> None:
    has_parent: set[str] = set()
    for rel in content.spec_relations or []:
        source, target = items.get(rel.source), items.get(rel.target)
        if source is None or target is None or "id" not in target.data:
            continue
        rel_type = bundle.lookup.get_spec_type_by_ref(rel.relation_type_ref)
        name = (getattr(rel_type, "long_name", None) or "").lower().replace(" ", "_")
        kind = name if name in _LINK_KINDS else "depends_on"
        source.data.setdefault("links", {}).setdefault(kind, []).append(target.data["id"])
        if kind == "parent":
            has_parent.add(rel.source)
    for spec in content.specifications or []:
        for child in spec.children or []:
            _tree(child, None, items, has_parent)


def _tree(node: Any, parent: str | None, items: dict[str, Incoming], has_parent: set[str]) -> None:
    item = items.get(node.spec_object)
    if item is not None and parent is not None and node.spec_object not in has_parent:
        parent_item = items.get(parent)
        if parent_item is not None and "id" in parent_item.data:
            item.data.setdefault("links", {}).setdefault("parent", []).append(
                parent_item.data["id"]
            )
            has_parent.add(node.spec_object)
    for child in node.children or []:
        _tree(child, node.spec_object, items, has_parent)
