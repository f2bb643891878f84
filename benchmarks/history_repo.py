"""A generated repository with real history, built in seconds with `git fast-import`.

    from history_repo import build          # benchmarks/ on sys.path
    repo = build()                          # 10k requirements, 5,000 commits, cached

Deterministic (same arguments, same commits and hashes), cached under
/tmp/reqkit-bench/history-<reqs>x<commits>-<hash of this file>/. Shape:

- commit 1 adds every requirement (`status: analysis`, areas as sub-folders, every
  tenth with a `parent`, every twentieth with a `depends_on`, owners, sources);
- each later commit is one pull request on the first-parent chain, `Title (#N)`, moving
  four requirements one step along the lifecycle (a few reworded, some moved to another
  area); every 25th is a real merge of a side branch (`Merge pull request #N`);
- tags `v1` at half the commits and `v2` at the tip of `main`;
- branch `feature` = main + 3 commits (one transition, one new requirement, one edit),
  checked out in the work tree, for `check --base main` and `diff main`.

Also usable from the command line: `python benchmarks/history_repo.py [--reqs N] [--commits N]`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path("/tmp/reqkit-bench")
AREAS = ["checkout", "reports", "accounts", "search", "billing", "mobile", "admin", "api"]
TYPES = ["functional", "experience", "bug", "performance", "security", "compliance", "other"]
FLOW = ["analysis", "review", "development", "testing", "released", "closed"]
OWNERS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]
WORDING = ["as agreed", "as reviewed", "as asked", "as planned", "as measured", "as shown"]
START = 1_700_000_000  # 2023-11-14
CONFIG = 'ids = ["REQ-{seq:05}"]\n'


def _rid(n: int) -> str:
    return f"REQ-{n:05d}"


def _text(n: int, status: str, wording: int, area: str) -> bytes:
    lines = [
        f"id: {_rid(n)}",
        f"title: Batch export of {area} records, variant {wording} ({n})",
        f"type: {TYPES[n % len(TYPES)]}",
        f"status: {status}",
        f"priority: {['must', 'should', 'could'][n % 3]}",
        f"urgency: {['urgent', 'important', 'routine'][n % 3]}",
        "source:",
        "  channel: phone",
        f"  requester: Customer {n % 97}, procurement",
        f"owner: {OWNERS[n % len(OWNERS)]}",
        "description: |",
        f"  When the user selects {n % 9 + 2} {area} records and presses Export, the system",
        f"  shall download one .zip file within {n % 5 + 1} s, {WORDING[wording % len(WORDING)]}.",
    ]
    if status in ("released", "closed"):
        lines += [
            "acceptance:",
            "  - Given 3 records, when I press Export, then one .zip downloads.",
        ]
    if status == "closed":
        lines += ["evaluation:", "  date: 2024-07-20", "  result: met"]
    links = []
    if n % 10 == 0 and n > 10:
        links.append(f"  parent: [{_rid(n // 10)}]")
    if n % 20 == 5:
        links.append(f"  depends_on: [{_rid(n - 4)}]")
    if links:
        lines += ["links:", *links]
    lines.append(f"verified_by:\n  - tests/test_{area}.py::test_export_{n}")
    return ("\n".join(lines) + "\n").encode()


class _Stream:
    """fast-import commands, written straight into the process."""

    def __init__(self, out: object) -> None:
        self.out = out
        self.mark = 0
        self.when = START

    def write(self, data: bytes) -> None:
        self.out.write(data)  # type: ignore[attr-defined]

    def commit(
        self,
        ref: str,
        message: str,
        files: dict[str, bytes | None],
        *,
        parent: int | None = None,
        merge: int | None = None,
    ) -> int:
        self.mark += 1
        self.when += 3600
        msg = message.encode()
        self.write(
            f"commit {ref}\nmark :{self.mark}\n"
            f"author Dev {self.mark % 7} <dev{self.mark % 7}@example.com> {self.when} +0000\n"
            f"committer Dev {self.mark % 7} <dev{self.mark % 7}@example.com> {self.when} +0000\n"
            f"data {len(msg)}\n".encode()
            + msg
            + b"\n"
        )
        if parent is not None:
            self.write(f"from :{parent}\n".encode())
        if merge is not None:
            self.write(f"merge :{merge}\n".encode())
        for path, content in files.items():
            if content is None:
                self.write(f"D {path}\n".encode())
            else:
                self.write(
                    f"M 100644 inline {path}\ndata {len(content)}\n".encode() + content + b"\n"
                )
        self.write(b"\n")
        return self.mark


def _generate(path: Path, reqs: int, commits: int) -> None:
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}
    proc = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--done"], cwd=path, stdin=subprocess.PIPE, env=env
    )
    assert proc.stdin is not None
    s = _Stream(proc.stdin)
    state = {n: [0, 0, AREAS[n % len(AREAS)]] for n in range(1, reqs + 1)}  # step, wording, area

    def file_of(n: int) -> tuple[str, bytes]:
        step, wording, area = state[n]
        return f"reqs/{area}/{_rid(n)}.yaml", _text(n, FLOW[step], wording, area)

    first = {"reqkit.toml": CONFIG.encode()}
    first.update(dict(file_of(n) for n in range(1, reqs + 1)))
    tip = s.commit("refs/heads/main", "Import the requirements", dict(first))
    cursor = 1
    for c in range(2, commits + 1):
        files: dict[str, bytes | None] = {}
        for _ in range(4):
            n = cursor % reqs + 1
            cursor += 7919  # a prime: visits every requirement, scattered
            old_path, _ = file_of(n)
            state[n][0] = min(state[n][0] + 1, len(FLOW) - 1)
            if c % 13 == 0:
                state[n][1] += 1  # reworded: its children become suspect
            if c % 50 == 0:
                state[n][2] = AREAS[(AREAS.index(state[n][2]) + 1) % len(AREAS)]
            new_path, text = file_of(n)
            if new_path != old_path:
                files[old_path] = None
            files[new_path] = text
        if c % 25 == 0:  # a real merge of a side branch
            side = s.commit("refs/heads/side", f"Work for PR {c}", files, parent=tip)
            tip = s.commit(  # fast-import starts a merge from its first parent's tree:
                "refs/heads/main",  # the side branch's changes are written again
                f"Merge pull request #{c} from team/pr-{c}",
                files,
                parent=tip,
                merge=side,
            )
        else:
            tip = s.commit(
                "refs/heads/main", f"Move requirements along, batch {c} (#{c})", files, parent=tip
            )
        if c == commits // 2:
            s.write(f"reset refs/tags/v1\nfrom :{tip}\n\n".encode())
    s.write(f"reset refs/tags/v2\nfrom :{tip}\n\n".encode())
    # the pull request being checked: main + 3 commits
    n1, n2 = 3, reqs // 2
    state[n1][0] = min(state[n1][0] + 1, len(FLOW) - 1)
    feat = s.commit("refs/heads/feature", "Move one along", dict([file_of(n1)]), parent=tip)
    new_id = reqs + 1
    state[new_id] = [0, 0, "api"]
    feat = s.commit("refs/heads/feature", "Add one", dict([file_of(new_id)]), parent=feat)
    state[n2][1] += 1
    s.commit("refs/heads/feature", "Reword one", dict([file_of(n2)]), parent=feat)
    s.write(b"done\n")
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "-f", "feature"], cwd=path, check=True)
    subprocess.run(["git", "branch", "-q", "-D", "side"], cwd=path, check=False)


def build(reqs: int = 10_000, commits: int = 5_000, *, base: Path = BENCH) -> Path:
    """The repository (generated once, then reused while this generator is unchanged)."""
    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:10]
    path = base / f"history-{reqs}x{commits}-{digest}"
    if (path / ".git" / "bench-done").exists():
        return path
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    _generate(path, reqs, commits)
    (path / ".git" / "bench-done").write_text("ok\n")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reqs", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=5_000)
    args = parser.parse_args()
    print(build(args.reqs, args.commits))
    sys.exit(0)
