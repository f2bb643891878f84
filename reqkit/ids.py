"""ID patterns such as `{yyyy}{mm}-{seq:03}` or `REQ-{seq:04}`: matching and allocation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["ID_CHARS", "IdPattern"]

ID_CHARS = re.compile(r"^[A-Za-z0-9._-]+$")
_TOKEN = re.compile(r"\{(yyyy|yy|mm|seq(?::0([1-9]))?)\}")


@dataclass(frozen=True)
class IdPattern:
    """One configured pattern; `{seq:03}` is a minimum width that grows past 999."""

    text: str
    regex: re.Pattern[str] = field(init=False, compare=False)
    width: int = field(init=False, compare=False)

    def __post_init__(self) -> None:
        parts: list[str] = []
        pos = 0
        width = 0
        saw_seq = False
        for m in _TOKEN.finditer(self.text):
            parts.append(self._literal(self.text[pos : m.start()]))
            token = m.group(1)
            if token == "yyyy":
                parts.append(r"(?P<yyyy>\d{4})")
            elif token == "yy":
                parts.append(r"(?P<yy>\d{2})")
            elif token == "mm":
                parts.append(r"(?P<mm>0[1-9]|1[0-2])")
            else:
                if saw_seq:
                    raise ValueError(f"pattern {self.text!r} has more than one {{seq}}")
                saw_seq = True
                width = int(m.group(2) or 1)
                parts.append(rf"(?P<seq>\d{{{width},}})")
            pos = m.end()
        parts.append(self._literal(self.text[pos:]))
        if not saw_seq:
            raise ValueError(f"pattern {self.text!r} needs a {{seq}} or {{seq:03}} part")
        object.__setattr__(self, "regex", re.compile("^" + "".join(parts) + "$"))
        object.__setattr__(self, "width", width)

    def _literal(self, text: str) -> str:
        if "{" in text or "}" in text:
            raise ValueError(f"pattern {self.text!r}: unknown placeholder in {text!r}")
        if text and not ID_CHARS.match(text):
            raise ValueError(f"pattern {self.text!r}: literal text may use only A-Z a-z 0-9 . _ -")
        return re.escape(text)

    def matches(self, rid: str) -> bool:
        return self.regex.match(rid) is not None

    def format(self, *, year: int, month: int, seq: int) -> str:
        values = {"yyyy": f"{year:04d}", "yy": f"{year % 100:02d}", "mm": f"{month:02d}"}
        return _TOKEN.sub(lambda m: values.get(m.group(1)) or f"{seq:0{self.width}d}", self.text)
