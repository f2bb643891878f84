"""Requirements → ReqIF 1.2 (the OMG schema, namespace `…/20110401/reqif.xsd`).

Deterministic: identifiers come from the requirement IDs, times from
`SOURCE_DATE_EPOCH` or the newest `created` date, everything sorted. `id`, `title` and
`description` use the names the ReqIF Implementation Guide gives them (`ReqIF.ForeignID`,
`ReqIF.Name`, `ReqIF.Text`) so DOORS, Polarion and StrictDoc find them; other fields keep
their names. Multi-line text is XHTML (`<xhtml:br/>` per line break), links are spec
relations of one type per link kind, and the parent tree is the spec hierarchy.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reqkit.errors import UsageError
from reqkit.interchange.columns import FIELD_COLUMNS, cell_text, flatten

__all__ = ["STANDARD_NAMES", "XHTML_FIELDS", "write_reqif"]

NS = "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"
XHTML_NS = "http://www.w3.org/1999/xhtml"
STANDARD_NAMES = {"id": "ReqIF.ForeignID", "title": "ReqIF.Name", "description": "ReqIF.Text"}
XHTML_FIELDS = frozenset(
    {
        "description",
        "rationale",
        "acceptance",
        "feasibility.notes",
        "evaluation.notes",
        "decision.reason",
    }
)
LINK_KINDS = ("parent", "depends_on", "conflicts_with", "duplicates")
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _attr(text: str) -> str:
    return escape(text, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _xhtml(text: str) -> str:
    """Text as the body of an `xhtml:div`: one `<xhtml:br/>` per line break."""
    lines = [escape(line).replace("\r", "&#13;") for line in text.split("\n")]
    return "<xhtml:br/>\n".join(lines)


def _stamp(items: Sequence[Mapping[str, Any]]) -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    else:
        days = [d for d in (i.get("created") for i in items) if isinstance(d, dt.date)]
        newest = max(
            (d if not isinstance(d, dt.datetime) else d.date() for d in days), default=None
        )
        moment = dt.datetime(*(newest or dt.date(1970, 1, 1)).timetuple()[:3], tzinfo=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_text(rid: str, text: str) -> None:
    if _XML_BAD.search(text):
        raise UsageError(f"{rid}: a control character cannot be written to XML (ReqIF)")


def _columns(rows: list[dict[str, str]]) -> list[str]:
    used = {c for row in rows for c, v in row.items() if v != ""}
    fixed = [c for c in FIELD_COLUMNS if c in used and not c.startswith("links.")]
    return fixed + sorted(used - set(FIELD_COLUMNS))


def write_reqif(items: Sequence[Mapping[str, Any]], *, title: str) -> bytes:
    ordered = sorted(items, key=lambda d: str(d.get("id")))
    ids = {str(d.get("id")) for d in ordered}
    rows: list[dict[str, str]] = []
    relations: list[tuple[str, str, str, int]] = []
    for data in ordered:
        rid = str(data.get("id"))
        row = flatten(data)
        links = data.get("links") if isinstance(data.get("links"), dict) else {}
        for kind in LINK_KINDS:
            targets = links.get(kind) if isinstance(links, dict) else None
            row.pop(f"links.{kind}", None)
            if not targets:
                continue
            if all(isinstance(t, str) and t in ids for t in targets):
                relations.extend((rid, kind, t, i) for i, t in enumerate(targets))
            else:  # a link out of the export stays a value, so nothing is lost
                row[f"links.{kind}"] = cell_text(f"links.{kind}", targets)
        for text in row.values():
            _check_text(rid, text)
        rows.append(row)
    columns = _columns(rows)
    stamp = _stamp(ordered)
    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>']
    out.append(f'<REQ-IF xmlns="{NS}" xmlns:xhtml="{XHTML_NS}">')
    out.append("  <THE-HEADER>")
    out.append('    <REQ-IF-HEADER IDENTIFIER="header">')
    out.append(f"      <COMMENT>{escape('Exported by reqkit from ' + title)}</COMMENT>")
    out.append(f"      <CREATION-TIME>{stamp}</CREATION-TIME>")
    out.append("      <REQ-IF-TOOL-ID>reqkit</REQ-IF-TOOL-ID>")
    out.append("      <REQ-IF-VERSION>1.0</REQ-IF-VERSION>")
    out.append("      <SOURCE-TOOL-ID>reqkit</SOURCE-TOOL-ID>")
    out.append(f"      <TITLE>{escape(title)}</TITLE>")
    out.append("    </REQ-IF-HEADER>")
    out.append("  </THE-HEADER>")
    out.append("  <CORE-CONTENT>")
    out.append("    <REQ-IF-CONTENT>")
    out.extend(_datatypes(stamp))
    out.extend(_spec_types(columns, stamp))
    out.append("      <SPEC-OBJECTS>")
    for data, row in zip(ordered, rows, strict=True):
        out.extend(_spec_object(str(data.get("id")), row, columns, stamp))
    out.append("      </SPEC-OBJECTS>")
    if relations:
        out.append("      <SPEC-RELATIONS>")
        for source, kind, target, i in relations:
            out.append(
                f'        <SPEC-RELATION IDENTIFIER="REL-{source}-{kind}-{i}" LAST-CHANGE="{stamp}">'
            )
            out.append(f"          <SOURCE><SPEC-OBJECT-REF>R-{source}</SPEC-OBJECT-REF></SOURCE>")
            out.append(f"          <TARGET><SPEC-OBJECT-REF>R-{target}</SPEC-OBJECT-REF></TARGET>")
            out.append(
                f"          <TYPE><SPEC-RELATION-TYPE-REF>T-link-{kind}</SPEC-RELATION-TYPE-REF></TYPE>"
            )
            out.append("        </SPEC-RELATION>")
        out.append("      </SPEC-RELATIONS>")
    out.append("      <SPECIFICATIONS>")
    out.append(
        f'        <SPECIFICATION IDENTIFIER="S-requirements" LAST-CHANGE="{stamp}" LONG-NAME="{_attr(title)}">'
    )
    out.append(
        "          <TYPE><SPECIFICATION-TYPE-REF>T-specification</SPECIFICATION-TYPE-REF></TYPE>"
    )
    tree = _hierarchy(ordered, ids, stamp, depth=5)
    if tree:
        out.append("          <CHILDREN>")
        out.extend(tree)
        out.append("          </CHILDREN>")
    out.append("        </SPECIFICATION>")
    out.append("      </SPECIFICATIONS>")
    out.append("    </REQ-IF-CONTENT>")
    out.append("  </CORE-CONTENT>")
    out.append("</REQ-IF>")
    return ("\n".join(out) + "\n").encode("utf-8")


def _datatypes(stamp: str) -> list[str]:
    return [
        "      <DATATYPES>",
        f'        <DATATYPE-DEFINITION-STRING IDENTIFIER="DT-string" LAST-CHANGE="{stamp}" LONG-NAME="text" MAX-LENGTH="1000000"/>',
        f'        <DATATYPE-DEFINITION-XHTML IDENTIFIER="DT-xhtml" LAST-CHANGE="{stamp}" LONG-NAME="formatted text"/>',
        "      </DATATYPES>",
    ]


def _kind(column: str) -> str:
    return "XHTML" if column in XHTML_FIELDS else "STRING"


def _spec_types(columns: list[str], stamp: str) -> list[str]:
    out = ["      <SPEC-TYPES>"]
    out.append(
        f'        <SPEC-OBJECT-TYPE IDENTIFIER="T-requirement" LAST-CHANGE="{stamp}" LONG-NAME="Requirement">'
    )
    out.append("          <SPEC-ATTRIBUTES>")
    for column in columns:
        kind = _kind(column)
        name = STANDARD_NAMES.get(column, column)
        out.append(
            f'            <ATTRIBUTE-DEFINITION-{kind} IDENTIFIER="A-{column}" LAST-CHANGE="{stamp}" LONG-NAME="{_attr(name)}">'
        )
        out.append(
            f"              <TYPE><DATATYPE-DEFINITION-{kind}-REF>DT-{kind.lower()}</DATATYPE-DEFINITION-{kind}-REF></TYPE>"
        )
        out.append(f"            </ATTRIBUTE-DEFINITION-{kind}>")
    out.append("          </SPEC-ATTRIBUTES>")
    out.append("        </SPEC-OBJECT-TYPE>")
    for kind in LINK_KINDS:
        out.append(
            f'        <SPEC-RELATION-TYPE IDENTIFIER="T-link-{kind}" LAST-CHANGE="{stamp}" LONG-NAME="{kind}"/>'
        )
    out.append(
        f'        <SPECIFICATION-TYPE IDENTIFIER="T-specification" LAST-CHANGE="{stamp}" LONG-NAME="Requirements"/>'
    )
    out.append("      </SPEC-TYPES>")
    return out


def _spec_object(rid: str, row: Mapping[str, str], columns: list[str], stamp: str) -> list[str]:
    out = [
        f'        <SPEC-OBJECT IDENTIFIER="R-{rid}" LAST-CHANGE="{stamp}">',
        "          <VALUES>",
    ]
    for column in columns:
        text = row.get(column, "")
        if text == "":
            continue
        kind = _kind(column)
        ref = f"<DEFINITION><ATTRIBUTE-DEFINITION-{kind}-REF>A-{column}</ATTRIBUTE-DEFINITION-{kind}-REF></DEFINITION>"
        if kind == "STRING":
            out.append(
                f'            <ATTRIBUTE-VALUE-STRING THE-VALUE="{_attr(text)}">{ref}</ATTRIBUTE-VALUE-STRING>'
            )
        else:
            out.append(f"            <ATTRIBUTE-VALUE-XHTML>{ref}")
            out.append(
                f"              <THE-VALUE><xhtml:div>{_xhtml(text)}</xhtml:div></THE-VALUE>"
            )
            out.append("            </ATTRIBUTE-VALUE-XHTML>")
    out += [
        "          </VALUES>",
        "          <TYPE><SPEC-OBJECT-TYPE-REF>T-requirement</SPEC-OBJECT-TYPE-REF></TYPE>",
        "        </SPEC-OBJECT>",
    ]
    return out


def _hierarchy(
    items: Sequence[Mapping[str, Any]], ids: set[str], stamp: str, depth: int
) -> list[str]:
    """The parent tree (first parent of each) as nested SPEC-HIERARCHY, roots sorted by ID."""
    children: dict[str | None, list[str]] = {}
    for data in items:
        links = data.get("links")
        parents = links.get("parent") if isinstance(links, dict) else None
        first = parents[0] if isinstance(parents, list) and parents and parents[0] in ids else None
        children.setdefault(first, []).append(str(data.get("id")))
    placed: set[str] = set()
    out: list[str] = []

    def emit(rid: str, level: int) -> None:
        placed.add(rid)
        pad = "  " * (depth + level)
        out.append(f'{pad}<SPEC-HIERARCHY IDENTIFIER="H-{rid}" LAST-CHANGE="{stamp}">')
        out.append(f"{pad}  <OBJECT><SPEC-OBJECT-REF>R-{rid}</SPEC-OBJECT-REF></OBJECT>")
        kids = [k for k in children.get(rid, []) if k not in placed]
        if kids:
            out.append(f"{pad}  <CHILDREN>")
            for kid in kids:
                if kid not in placed:
                    emit(kid, level + 2)
            out.append(f"{pad}  </CHILDREN>")
        out.append(f"{pad}</SPEC-HIERARCHY>")

    for rid in children.get(None, []):
        emit(rid, 0)
    for data in items:  # members of a parent cycle reach no root: list them at the top
        rid = str(data.get("id"))
        if rid not in placed:
            emit(rid, 0)
    return out
