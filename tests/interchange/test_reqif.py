"""ReqIF 1.2 out (valid against the OMG schema) and in (also from other tools)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from reqif.parser import ReqIFParser
from reqif.unparser import ReqIFUnparser

CONFIG = 'ids = ["REQ-{seq:03}"]\n'
PARENT = """\
id: REQ-001
title: 报表批量导出
type: functional
status: analysis
description: |
  When the user selects reports, the system shall export them.

  - one .zip file
  - Chinese names kept: 月度报告
"""
CHILD = """\
id: REQ-002
title: Keep file names
type: bug
status: analysis
description: When a title has Chinese characters, the system shall keep them & <tags>.
links:
  parent: [REQ-001]
  depends_on: [REQ-003]
"""
OTHER = """\
id: REQ-003
title: Zip library
type: other
status: analysis
description: When exporting, the system shall use the zip library.
"""


def _reqif_cli() -> str:
    exe = Path(sys.executable).parent / "reqif"
    return str(exe) if exe.exists() else (shutil.which("reqif") or "reqif")


def test_reqif_export_is_valid_deterministic_and_keeps_links_tree_and_text(make, run, tmp_path):
    repo = make(
        tmp_path / "r",
        {"reqs/REQ-001.yaml": PARENT, "reqs/REQ-002.yaml": CHILD, "reqs/REQ-003.yaml": OTHER},
        CONFIG,
    )
    out = tmp_path / "out.reqif"
    assert run(repo, "export", "--format", "reqif", "-o", str(out)).returncode == 0
    valid = subprocess.run(
        [_reqif_cli(), "validate", "--use-reqif-schema", str(out)], capture_output=True, text=True
    )
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert "0 schema issues" in valid.stdout
    again = run(repo, "export", "--format", "reqif")
    assert again.stdout.encode() == out.read_bytes()
    text = out.read_text(encoding="utf-8")
    assert "<xhtml:br/>" in text and "月度报告" in text and "&amp; &lt;tags&gt;" in text
    bundle = ReqIFParser.parse(str(out))
    content = bundle.core_content.req_if_content
    assert [o.identifier for o in content.spec_objects] == ["R-REQ-001", "R-REQ-002", "R-REQ-003"]
    relations = {(r.source, r.target, r.relation_type_ref) for r in content.spec_relations}
    assert relations == {
        ("R-REQ-002", "R-REQ-001", "T-link-parent"),
        ("R-REQ-002", "R-REQ-003", "T-link-depends_on"),
    }
    roots = content.specifications[0].children
    assert [h.spec_object for h in roots] == ["R-REQ-001", "R-REQ-003"]
    assert [h.spec_object for h in roots[0].children] == ["R-REQ-002"]
    back = make(tmp_path / "back", {"reqs/.keep": ""}, CONFIG)
    assert run(back, "import", str(out)).returncode == 0
    for name, original in (("REQ-001", PARENT), ("REQ-002", CHILD), ("REQ-003", OTHER)):
        assert yaml.safe_load(
            (back / f"reqs/{name}.yaml").read_text(encoding="utf-8")
        ) == yaml.safe_load(original)


FOREIGN = """<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd" xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <THE-HEADER><REQ-IF-HEADER IDENTIFIER="h"><CREATION-TIME>2024-01-01T00:00:00Z</CREATION-TIME>
    <REQ-IF-TOOL-ID>other</REQ-IF-TOOL-ID><REQ-IF-VERSION>1.0</REQ-IF-VERSION><SOURCE-TOOL-ID>DOORS</SOURCE-TOOL-ID><TITLE>t</TITLE>
  </REQ-IF-HEADER></THE-HEADER>
  <CORE-CONTENT><REQ-IF-CONTENT>
    <DATATYPES>
      <DATATYPE-DEFINITION-STRING IDENTIFIER="s" LAST-CHANGE="2024-01-01T00:00:00Z" MAX-LENGTH="1000"/>
      <DATATYPE-DEFINITION-XHTML IDENTIFIER="x" LAST-CHANGE="2024-01-01T00:00:00Z"/>
    </DATATYPES>
    <SPEC-TYPES>
      <SPEC-OBJECT-TYPE IDENTIFIER="ot" LAST-CHANGE="2024-01-01T00:00:00Z" LONG-NAME="Req"><SPEC-ATTRIBUTES>
        <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="a-id" LAST-CHANGE="2024-01-01T00:00:00Z" LONG-NAME="ReqIF.ForeignID"><TYPE><DATATYPE-DEFINITION-STRING-REF>s</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
        <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="a-name" LAST-CHANGE="2024-01-01T00:00:00Z" LONG-NAME="ReqIF.ChapterName"><TYPE><DATATYPE-DEFINITION-STRING-REF>s</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
        <ATTRIBUTE-DEFINITION-XHTML IDENTIFIER="a-text" LAST-CHANGE="2024-01-01T00:00:00Z" LONG-NAME="ReqIF.Text"><TYPE><DATATYPE-DEFINITION-XHTML-REF>x</DATATYPE-DEFINITION-XHTML-REF></TYPE></ATTRIBUTE-DEFINITION-XHTML>
        <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="a-safety" LAST-CHANGE="2024-01-01T00:00:00Z" LONG-NAME="Safety Level"><TYPE><DATATYPE-DEFINITION-STRING-REF>s</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
      </SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE>
      <SPECIFICATION-TYPE IDENTIFIER="st" LAST-CHANGE="2024-01-01T00:00:00Z"/>
    </SPEC-TYPES>
    <SPEC-OBJECTS>
      <SPEC-OBJECT IDENTIFIER="o1" LAST-CHANGE="2024-01-01T00:00:00Z"><VALUES>
        <ATTRIBUTE-VALUE-STRING THE-VALUE="SYS-1"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>a-id</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
        <ATTRIBUTE-VALUE-STRING THE-VALUE="Braking"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>a-name</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
        <ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>a-text</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION>
          <THE-VALUE><xhtml:div><xhtml:p>When the pedal is pressed, the car shall brake.</xhtml:p><xhtml:ul><xhtml:li>within 100 ms</xhtml:li></xhtml:ul></xhtml:div></THE-VALUE></ATTRIBUTE-VALUE-XHTML>
        <ATTRIBUTE-VALUE-STRING THE-VALUE="ASIL-D"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>a-safety</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
      </VALUES><TYPE><SPEC-OBJECT-TYPE-REF>ot</SPEC-OBJECT-TYPE-REF></TYPE></SPEC-OBJECT>
      <SPEC-OBJECT IDENTIFIER="o2" LAST-CHANGE="2024-01-01T00:00:00Z"><VALUES>
        <ATTRIBUTE-VALUE-STRING THE-VALUE="SYS-2"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>a-id</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
        <ATTRIBUTE-VALUE-STRING THE-VALUE="ABS"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>a-name</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
        <ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>a-text</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION>
          <THE-VALUE><xhtml:div>When a wheel locks, the car shall release it.</xhtml:div></THE-VALUE></ATTRIBUTE-VALUE-XHTML>
      </VALUES><TYPE><SPEC-OBJECT-TYPE-REF>ot</SPEC-OBJECT-TYPE-REF></TYPE></SPEC-OBJECT>
    </SPEC-OBJECTS>
    <SPECIFICATIONS><SPECIFICATION IDENTIFIER="spec" LAST-CHANGE="2024-01-01T00:00:00Z">
      <TYPE><SPECIFICATION-TYPE-REF>st</SPECIFICATION-TYPE-REF></TYPE>
      <CHILDREN><SPEC-HIERARCHY IDENTIFIER="h1" LAST-CHANGE="2024-01-01T00:00:00Z"><OBJECT><SPEC-OBJECT-REF>o1</SPEC-OBJECT-REF></OBJECT>
        <CHILDREN><SPEC-HIERARCHY IDENTIFIER="h2" LAST-CHANGE="2024-01-01T00:00:00Z"><OBJECT><SPEC-OBJECT-REF>o2</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY></CHILDREN>
      </SPEC-HIERARCHY></CHILDREN>
    </SPECIFICATION></SPECIFICATIONS>
  </REQ-IF-CONTENT></CORE-CONTENT>
</REQ-IF>
"""


def test_a_reqif_from_another_tool_imports_with_its_hierarchy_and_attributes(make, run, tmp_path):
    # Written back out by the reqif package itself, as a tool built on it would.
    bundle = ReqIFParser.parse_from_string(FOREIGN)
    path = tmp_path / "doors.reqif"
    path.write_text(ReqIFUnparser.unparse(bundle), encoding="utf-8")
    repo = make(tmp_path / "r", {"reqs/.keep": ""}, "")
    result = run(repo, "import", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ids += SYS-{seq:01}" in result.stdout and "fields.safety_level" in result.stdout
    one = yaml.safe_load((repo / "reqs/SYS-1.yaml").read_text(encoding="utf-8"))
    assert one["title"] == "Braking" and one["safety_level"] == "ASIL-D"
    assert (
        one["description"] == "When the pedal is pressed, the car shall brake.\n\n- within 100 ms"
    )
    two = yaml.safe_load((repo / "reqs/SYS-2.yaml").read_text(encoding="utf-8"))
    assert two["links"] == {"parent": ["SYS-1"]}
    assert run(repo, "check").returncode == 0


def test_a_file_that_is_not_reqif_is_a_clear_error(make, run, tmp_path):
    path = tmp_path / "broken.reqif"
    path.write_text("<REQ-IF><unclosed>", encoding="utf-8")
    repo = make(tmp_path / "r", {"reqs/.keep": ""}, "")
    result = run(repo, "import", str(path))
    assert result.returncode == 2 and "not a readable ReqIF file" in result.stderr
