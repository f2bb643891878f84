"""The cold history's fast roads give the answers of the plain ones, which are copied here
as they were before them: the block-by-block summary (`quick_summary`) against the line
scanner, the log parser against the one that built every change twice, the streamed
`cat-file` against the read-it-all one, and parsed data copied only when it holds dates."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from history_repo import GitRepo, requirement
from hypothesis import given, settings
from hypothesis import strategies as st

from reqkit.errors import GitError
from reqkit.git import quick, snapshot
from reqkit.git.log import FileChange, parse_raw, read_log
from reqkit.git.runner import NULL_SHA, Runner
from reqkit.git.snapshot import EMPTY, parsed_data, summarize
from reqkit.loader.files import dates_as_text, decode, parse_bytes
from reqkit.model.reqset import LINK_KINDS

ROOT = Path(__file__).resolve().parents[2]

# --- the plain roads, as they were ------------------------------------------------------


def _plain_blocks(text: str) -> dict[str, list[str]] | None:
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        first = line[:1]
        if first in ("", " ", "\t"):
            if current is not None:
                current.append(line)
            continue
        if first == "#" or (not found and line.rstrip() == "---"):
            continue
        key, colon, rest = line.partition(":")
        key = key.rstrip(" \t")
        if (
            not colon
            or (rest and rest[0] not in " \t")
            or not re.match(r"[A-Za-z_][\w.-]*\Z", key)
            or key in found
        ):
            return None
        current = found[key] = [rest.strip(" \t")]
    return found


def _plain_meaning(blocks: dict[str, list[str]]) -> str:
    parts = []
    for key in ("title", "description", "acceptance"):
        lines = [line.rstrip() for line in blocks.get(key, [])]
        while lines and not lines[-1]:
            lines.pop()
        parts.append("\n".join(lines))
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=8).hexdigest()


def _plain_meaning_of(data: dict[str, Any]) -> str:
    picked = {k: dates_as_text(data.get(k)) for k in ("title", "description", "acceptance")}
    blob = json.dumps(picked, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(blob.encode(), digest_size=8).hexdigest()


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def plain_summarize(raw: bytes) -> tuple[Any, ...]:
    """`snapshot.summarize` before the block-by-block road (`quick_fields` is unchanged)."""
    text, problem = decode(raw)
    if text is None or problem is not None:
        return EMPTY
    blocks = _plain_blocks(text)
    fast = quick.quick_fields(blocks) if blocks is not None else None
    if blocks is not None and fast is not None:
        fields, links, requester = fast
        return (
            fields["id"],
            fields["status"],
            fields["title"],
            _plain_meaning(blocks),
            tuple(links),
            fields["type"],
            requester,
        )
    data = parse_bytes(raw).data
    if data is None:
        return EMPTY
    parsed_links: list[tuple[str, str]] = []
    found = data.get("links")
    if isinstance(found, dict):
        for kind in LINK_KINDS:
            targets = found.get(kind)
            if isinstance(targets, list):
                parsed_links.extend((kind, t) for t in targets if isinstance(t, str))
    source = data.get("source")
    requester = None
    if isinstance(source, dict):
        requester = _str(source.get("requester")) or _str(source.get("detail"))
    meaning = _plain_meaning(blocks) if blocks is not None else "p" + _plain_meaning_of(data)
    return (
        _str(data.get("id")),
        _str(data.get("status")),
        _str(data.get("title")),
        meaning,
        tuple(parsed_links),
        _str(data.get("type")),
        requester,
    )


def plain_parse_raw(raw: bytes, prefix: str = "") -> list[FileChange]:
    """`log._changes` before it put the prefix back itself (`read_log` then rebuilt every
    change with it)."""

    def sha(value: str) -> str | None:
        return None if value == NULL_SHA else value

    tokens = raw.split(b"\0")
    out: list[FileChange] = []
    i = 0
    while i < len(tokens):
        meta = tokens[i].strip()
        i += 1
        if not meta.startswith(b":"):
            continue
        fields = meta.split()
        old_sha = fields[2].decode() if len(fields) > 2 else NULL_SHA
        old_blob = None if old_sha == NULL_SHA else old_sha
        new_blob = fields[3].decode() if len(fields) > 3 else NULL_SHA
        kind = fields[4][:1].decode() if len(fields) > 4 else "M"
        first = tokens[i].decode("utf-8", "surrogateescape") if i < len(tokens) else ""
        i += 1
        if kind in "RC":
            second = tokens[i].decode("utf-8", "surrogateescape") if i < len(tokens) else ""
            i += 1
            if kind == "C":
                out.append(FileChange("A", second, None, sha(new_blob)))
            else:
                out.append(FileChange("R", second, first, sha(new_blob), old_blob))
        elif kind == "D":
            out.append(FileChange("D", first, None, None, old_blob))
        elif kind == "A":
            out.append(FileChange("A", first, None, sha(new_blob)))
        else:
            out.append(FileChange("M", first, None, sha(new_blob), old_blob))
    if prefix:
        out = [
            FileChange(
                c.kind,
                prefix + c.path,
                prefix + c.old_path if c.old_path else None,
                c.blob,
                c.old_blob,
            )
            for c in out
        ]
    return out


# --- summaries --------------------------------------------------------------------------

PLAIN = requirement("R-1") + "links:\n  parent: [R-2]\nsource:\n  requester: Ann\n"
SAMPLES = {
    "plain": PLAIN,
    "blank lines between blocks": PLAIN.replace("\ntype:", "\n\n\ntype:"),
    "trailing blanks": PLAIN + "\n\n   \n",
    "no final newline": PLAIN.rstrip("\n"),
    "block description": "id: R-1\ntitle: T\ndescription: |\n  a\n\n  b   \n\n\nstatus: review\n",
    "block at the end": "id: R-1\ntitle: T\ndescription: |\n  a\n  b\n\n  \n",
    "acceptance list": "id: R-1\ntitle: T\nacceptance:\n  - one\n  -   two  \n",
    "comment first": "# yaml-language-server: $schema=x\nid: R-1\ntitle: T\n",
    "comment inside": "id: R-1\ndescription: |\n  a\n# note\n  b\ntitle: T\n",
    "document start": "---\nid: R-1\ntitle: T\n",
    "late document start": "id: R-1\n---\ntitle: T\n",
    "duplicate": "id: R-1\ntitle: T\nid: R-2\n",
    "duplicate block": "links:\n  parent: [R-2]\nid: R-1\nlinks:\n  parent: [R-2]\n",
    "carriage returns": "id: R-1\r\ntitle: T\r\n",
    "form feed": "id: R-1\ntitle: T\x0c\ndescription: d\n",
    "line separator": "id: R-1\ntitle: T\u2028x\n",
    "indented first": "  id: R-1\ntitle: T\n",
    "blank first": "\nid: R-1\ntitle: T\n",
    "empty": "",
    "only blanks": "\n\n",
    "no space after colon": "id:R-1\ntitle: T\n",
    "key with space": "my key: x\nid: R-1\n",
    "tab after colon": "id:\tR-1\ntitle:\tT\n",
    "tab indented": "id: R-1\ndescription: |\n\ta\n\tb\n",
    "quoted": "id: 'R-1'\ntitle: \"It's\"\n",
    "folded title": "id: R-1\ntitle: >-\n  folded\n  title\n",
    "mapping title": "id: R-1\ntitle: a: b\n",
    "detail only": "id: R-1\nsource:\n  detail: Call\n",
    "requester and detail": "id: R-1\nsource:\n  requester: A\n  detail: B\n",
    "requester block": "id: R-1\nsource:\n  requester: |\n    A\n",
    "block links": "id: R-1\nlinks:\n  depends_on:\n    - R-2 # why\n    - R-3\n  parent: R-4\n",
    "links inline": "id: R-1\nlinks: {parent: R-2}\n",
    "nbsp line": "id: R-1\n\xa0x: y\n",
    "unicode key": "id: R-1\ntitré: x\n",
    "bom": "\ufeffid: R-1\ntitle: T\n",
    "dates": "id: R-1\ntitle: 2024-05-06\nevaluation:\n  date: 2024-07-20\n",
    "odd spaces": "id: R-1\ntitle: T\u3000\ndescription: d\xa0\nacceptance: |\n  a\x1f\n",
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_summary_is_the_plain_one(name: str) -> None:
    raw = SAMPLES[name].encode()
    assert summarize(raw) == plain_summarize(raw)
    assert summarize(raw) == plain_summarize(raw)  # again, from the remembered blocks


def test_summary_is_the_plain_one_on_odd_bytes() -> None:
    for raw in (b"\xef\xbb\xbfid: R-1\n", b"id: R-1\n\x00", b"id: \xff\n", b"\xef\xbb", b""):
        assert summarize(raw) == plain_summarize(raw), raw


def test_summary_is_the_plain_one_on_this_repository() -> None:
    files = [*ROOT.glob("reqs/**/*.yaml"), *ROOT.glob("reqkit/edit/templates/**/*.yaml")]
    files += [*ROOT.glob("tests/**/*.yaml")]
    assert len(files) > 30
    for path in files:
        raw = path.read_bytes()
        assert summarize(raw) == plain_summarize(raw), path


def test_summary_is_the_plain_one_on_the_benchmark_files() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_repo", ROOT / "benchmarks/history_repo.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    for n in range(1, 400, 7):
        for step, status in enumerate(bench.FLOW):
            raw = bench._text(n, status, step + n % 3, "api")
            assert summarize(raw) == plain_summarize(raw)


_LINE_STARTS = ["", " ", "  ", "\t", "#", "---", "- ", "id", "title", "status", "type"]
_LINE_STARTS += ["description", "acceptance", "links", "source", "parent", "requester"]
_LINE_STARTS += ["detail", "depends_on", "owner", "x"]
_PIECES = [":", ": ", ":\t", " :", "|", ">-", "[R-1, R-2]", "'q''s'", '"d"', " # c", "a: b"]
_PIECES += ["R-1", "Some text", "\r", "\x0c", "\u2028", "{a: 1}", "&a", "*a", "  ", "-"]
_line = st.builds(
    lambda start, rest: start + "".join(rest),
    st.sampled_from(_LINE_STARTS),
    st.lists(st.sampled_from(_PIECES + list(string.ascii_letters[:4])), max_size=4),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_line, max_size=14), st.sampled_from(["\n", ""]))
def test_summary_is_the_plain_one_on_generated_layouts(lines: list[str], end: str) -> None:
    raw = ("\n".join(lines) + end).encode()
    assert summarize(raw) == plain_summarize(raw)


def test_summary_block_table_starts_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quick, "_KEPT", 3)
    for n in range(20):
        raw = requirement(f"R-{n}").encode()
        assert summarize(raw) == plain_summarize(raw)
    assert len(quick._blocks) <= 3 + 12


# --- the log ---------------------------------------------------------------------------

A, B = "a" * 40, "b" * 40
RAW_SAMPLES = [
    f":100644 100644 {A} {B} M\0reqs/x.yaml\0".encode(),
    f":000000 100644 {NULL_SHA} {B} A\0x.yaml\0:100644 000000 {A} {NULL_SHA} D\0y.yaml\0".encode(),
    f":100644 100644 {A} {B} R087\0old.yaml\0new.yaml\0".encode(),
    f":100644 100644 {A} {B} R100\0\0new.yaml\0".encode(),  # (no source path)
    f":100644 100644 {A} {B} C075\0a.yaml\0b.yaml\0".encode(),
    f":100644 120000 {A} {B} T\0l.yaml\0\n:100644 100644 {A} {B} U\0u.yaml\0".encode(),
    f"\n:100644 100644 {A} {B} M\0caf\xe9.yaml\0".encode("latin-1"),
    f":100644 100644 {A}".encode(),
    f":100644 100644 {A} {B} R050\0only.yaml".encode(),
    b"",
    b"\0\0",
]


@pytest.mark.parametrize("prefix", ["", "reqs/"])
@pytest.mark.parametrize("index", range(len(RAW_SAMPLES)))
def test_log_records_read_as_before(prefix: str, index: int) -> None:
    from reqkit.git.log import _changes

    raw = RAW_SAMPLES[index]
    assert _changes(raw, prefix) == plain_parse_raw(raw, prefix)
    assert parse_raw(raw) == plain_parse_raw(raw)


def test_log_of_a_real_history_reads_as_before(git_repo: Callable[..., GitRepo]) -> None:
    repo = git_repo()
    repo.commit("start", {f"reqs/R-{n}.yaml": requirement(f"R-{n}") for n in range(1, 6)})
    repo.mv("reqs/R-1.yaml", "reqs/sub/R-1.yaml")
    repo.commit("move (#1)", {"reqs/R-2.yaml": requirement("R-2", status="review")})
    repo.commit("drop", remove=("reqs/R-3.yaml",))
    runner = Runner(repo.path)
    for folder, prefix in (("reqs", "reqs/"), ("", "")):
        got = read_log(runner, "HEAD", folder)
        args = ["log", "--first-parent", "-m", "-M", "--raw", "--no-abbrev", "-z"]
        args += ["--format=%x1e%H%x1f", *([f"--relative={prefix}"] if prefix else []), "HEAD"]
        out = runner.run(*args, "--")
        chunks = [c for c in out.split(b"\x1e") if c.strip(b"\0\n")]
        plain = [plain_parse_raw(c[c.rfind(b"\x1f") + 1 :], prefix) for c in chunks]
        assert [changes for _, changes in got] == [p for p in reversed(plain) if p]
        kinds = {c.kind for _, changes in got for c in changes}
        assert {"A", "M", "R", "D"} <= kinds


# --- file versions ----------------------------------------------------------------------


def test_streamed_versions_are_the_versions(git_repo: Callable[..., GitRepo]) -> None:
    repo = git_repo()
    files = {f"reqs/R-{n}.yaml": requirement(f"R-{n}") * (n % 5 + 1) for n in range(1, 60)}
    files["reqs/empty.yaml"] = ""
    repo.commit("start", files)
    runner = Runner(repo.path)
    shas = [sha for _, sha in runner.ls_tree("HEAD", "reqs")]
    asked = [*shas, "0" * 40, "f" * 40, shas[0]]
    streamed = list(runner.stream_blobs(asked))
    assert dict(streamed) == runner.blobs(asked)
    assert dict(runner.stream_blobs(shas)) == runner.blobs(shas)
    assert [sha for sha, _ in streamed] == sorted(set(shas))
    assert list(runner.stream_blobs([])) == []
    first = runner.stream_blobs(shas)
    assert next(first)[0] == min(shas)
    first.close()  # stopped early: git is ended, nothing raised


def test_streamed_versions_wait_for_git_to_end(
    git_repo: Callable[..., GitRepo], monkeypatch: pytest.MonkeyPatch
) -> None:
    """git may still be exiting when its last object has been read: it is waited for,
    not killed (a killed `cat-file` is a failure)."""
    import subprocess

    killed: list[int] = []

    class LateExit(subprocess.Popen):  # type: ignore[type-arg]
        def poll(self) -> int | None:  # type: ignore[override]
            return self.returncode  # "still running" until waited for

        def kill(self) -> None:
            killed.append(self.pid)
            super().kill()

    repo = git_repo()
    repo.commit("start", {f"reqs/R-{n}.yaml": requirement(f"R-{n}") for n in range(1, 9)})
    runner = Runner(repo.path)
    shas = [sha for _, sha in runner.ls_tree("HEAD", "reqs")]
    monkeypatch.setattr("reqkit.git.runner.subprocess.Popen", LateExit)
    assert dict(runner.stream_blobs(shas)) == runner.blobs(shas)
    assert killed == []
    stopped = runner.stream_blobs(shas)
    next(stopped)
    stopped.close()
    assert len(killed) == 1  # stopped early: then it is ended


def test_streamed_versions_without_pread(
    git_repo: Callable[..., GitRepo], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the OS has no `pread` (Windows), the versions are read whole, same answers."""
    repo = git_repo()
    repo.commit("start", {f"reqs/R-{n}.yaml": requirement(f"R-{n}") for n in range(1, 9)})
    runner = Runner(repo.path)
    shas = [sha for _, sha in runner.ls_tree("HEAD", "reqs")]
    expected = list(runner.stream_blobs(shas))
    monkeypatch.delattr("reqkit.git.runner.os.pread")
    assert list(runner.stream_blobs([*shas, "0" * 40])) == expected


def test_streamed_versions_fail_as_git_fails(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="cat-file"):
        list(Runner(tmp_path).stream_blobs(["a" * 40]))


@pytest.mark.parametrize("memfd", [True, False])
def test_git_output_and_input_as_before(
    git_repo: Callable[..., GitRepo], monkeypatch: pytest.MonkeyPatch, memfd: bool
) -> None:
    if not memfd:  # (macOS, Windows: a temporary file instead)
        monkeypatch.delattr("reqkit.git.runner.os.memfd_create", raising=False)
    repo = git_repo()
    repo.commit("start", {"reqs/R-1.yaml": requirement("R-1")})
    runner = Runner(repo.path)
    assert runner.run("rev-parse", "HEAD").decode().strip() == runner.head()
    assert runner.run("hash-object", "--stdin", input=b"x\n").strip() == (
        b"587be6b4c3f93f93c489c0111bba5596147a26cb"
    )
    assert runner.run("cat-file", "-t", "nope", check=False) == b""
    with pytest.raises(GitError, match="Not a valid object name nope"):
        runner.run("cat-file", "-t", "nope")
    shas = [sha for _, sha in runner.ls_tree("HEAD", "reqs")]
    assert dict(runner.stream_blobs(shas)) == runner.blobs(shas) != {}


@pytest.mark.parametrize(
    "text",
    [
        requirement("R-1"),
        "id: R-1\ntitle: T\nevaluation:\n  date: 2024-07-20\n",
        "id: R-1\ntitle: 2024-05-06\n",
        "id: R-1\ncreated: 2024-05-06T10:00:00Z\nlinks:\n  parent: [R-2]\n",
        "- a list\n",
        "id: [unclosed\n",
    ],
)
def test_parsed_data_as_before(text: str) -> None:
    data = parse_bytes(text.encode()).data
    plain = dates_as_text(data) if data is not None else None
    got = parsed_data(text.encode())
    assert got == plain
    assert json.dumps(got, sort_keys=True) == json.dumps(plain, sort_keys=True)
    assert not any(isinstance(v, dt.date) for v in (got or {}).values())


def test_snapshot_summary_does_not_use_the_plain_scanner_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The fast road is taken: a plain file never reaches `blocks_of`."""
    calls: list[str] = []
    real = quick.blocks_of

    def spy(text: str) -> dict[str, list[str]] | None:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(snapshot, "blocks_of", spy)
    for name in ("plain", "blank lines between blocks", "block at the end", "odd spaces"):
        summarize(SAMPLES[name].encode())
    summarize(SAMPLES["comment first"].encode())
    assert calls == [SAMPLES["comment first"]]
