"""`check --base`'s RK320 reads each unchanged file as its blob's cached ID and n-grams
(reqkit.reports.cache.BlobGrams) instead of parsing the whole work tree: its warnings
must be those of the plain computation (every work-tree file parsed, n-grams from the
text), cold, warm, after commits and edits, with the cache deleted, corrupted or off.

The reference below is the RK320 code as it was before the fast path, verbatim; the
repository is built to trip the fast path up: templates repeated past the per-requirement
match limit, Chinese and English texts, a committed and an uncommitted new requirement,
an untracked one, an edit, a rename, a deletion, two files with one new ID, an ID that is
not the file name, acknowledged duplicates (a list and a non-list), a title that is not
text, a file that is not YAML and an empty one."""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import pytest
from history_repo import GitRepo

from reqkit.api.changes import base_diagnostics
from reqkit.changes.base import base_facts
from reqkit.changes.repo import Repo
from reqkit.checks.context import CheckContext
from reqkit.config import Config, load_config
from reqkit.diagnostics import Diagnostic
from reqkit.model.reqset import RequirementSet
from reqkit.reports.duplicates import (
    _MIN_GRAMS,
    CODE,
    MATCHES,
    _join,
    grams,
    near_duplicate_diagnostics,
)

THINGS = ["invoice", "payroll", "shipping", "tariff", "warranty", "ledger"]
ZH = [
    ("报表页面支持批量导出", "客户希望一次导出选中的多个报表，节省时间。"),
    ("报表页支持批量导出", "客户希望一次性导出所选的多个报表，以节省时间。"),
    ("登录页面支持单点登录", "员工希望使用公司目录账号登录系统。"),
]


def req(rid: str, title: str, description: str, extra: str = "") -> str:
    return (
        f"id: {rid}\ntitle: {title}\ntype: functional\nstatus: analysis\n"
        f"description: {description}\n{extra}"
    )


AUDIT = "Archive the signed dossier for the auditors every quarter, with its receipts"


def audit(rid: str, *tokens: str) -> str:
    """Eight of these share the boilerplate and one rare token each with a new one that has
    all eight tokens: it matches all eight, equally rare, and finds only MATCHES of them;
    which ones is decided by the grams' order (df, then the gram itself)."""
    return req(rid, "Quarterly audit archive", f"{AUDIT} {' '.join(tokens)}.")


TOKENS = [f"kq{n}" for n in (7, 2, 9, 4, 1, 8, 3, 6)]


def export(rid: str, thing: str, n: int, extra: str = "") -> str:
    return req(
        rid,
        f"Batch export of {thing} records, variant {n}",
        f"When the user selects {n} {thing} records and presses Export, the system shall"
        f" download one zip file within {n % 3 + 1} s.",
        extra,
    )


def _original(current: RequirementSet, base_ids: Collection[str], config: Config) -> list[Any]:
    """`near_duplicate_diagnostics` before the fast path (verbatim but for names)."""
    ctx = CheckContext(config)
    if not ctx.enabled(CODE):
        return []
    new = {e.known_id for e in current.entries if e.known_id not in base_ids}
    if not new:
        return []
    docs = []
    for entry in current.entries:
        data = entry.data or {}
        title, description = data.get("title"), data.get("description")
        x = grams(
            title if isinstance(title, str) else "",
            description if isinstance(description, str) else "",
        )
        if len(x) >= _MIN_GRAMS:
            docs.append((entry.known_id, x))
    out = []
    for a, b, score in _join(docs, config.near_duplicate, probes=new, cross=True):
        rid, other = (a, b) if a in new else (b, a)
        entry = current.by_id[rid]
        links = (entry.data or {}).get("links")
        listed = links.get("duplicates") if isinstance(links, dict) else None
        if isinstance(listed, list) and other in listed:
            continue
        out.append(
            ctx.at(
                entry,
                ("title",),
                CODE,
                f"closely matches existing requirement {other} (similarity {score:.2f});"
                " if it is the same request, link it under `links.duplicates` or merge them",
            )
        )
    return sorted(out)


def reference(root: Path) -> list[Diagnostic]:
    """RK320 of `check --base main` the plain way: every work-tree file parsed."""
    config = load_config(root)
    repo = Repo.open(config, cache=False)
    current, facts = base_facts(repo, "main")
    if not any(e.known_id not in facts.base_exact_ids for e in current.entries):
        return []
    everything = repo.work_tree_set()
    found = _original(everything, facts.base_exact_ids, config)
    assert near_duplicate_diagnostics(everything, facts.base_exact_ids, config) == found
    return found


def fast(root: Path) -> list[Diagnostic]:
    return [d for d in base_diagnostics(load_config(root), "main") if d.code == CODE]


def _base(git_repo: Callable[..., GitRepo], config: str) -> GitRepo:
    repo = git_repo(config=config)
    files = {
        f"reqs/{thing}/R-{10 * k + n}.yaml": export(f"R-{10 * k + n}", thing, n)
        for k, thing in enumerate(THINGS)
        for n in range(1, 9)  # eight of a kind: more than a requirement's MATCHES
    }
    files.update({f"reqs/zh/R-{70 + k}.yaml": req(f"R-{70 + k}", *t) for k, t in enumerate(ZH)})
    files.update(
        {f"reqs/audit/R-{90 + k}.yaml": audit(f"R-{90 + k}", t) for k, t in enumerate(TOKENS)}
    )
    files["reqs/R-80.yaml"] = req("R-80", "Offline maps for the field team", "No network.")
    files["reqs/R-81.yaml"] = "id: R-81\ntitle: 42\ndescription: [not, text]\n"
    files["reqs/R-82.yaml"] = "id: [R-82\ntitle: Batch export\n"  # not YAML
    files["reqs/R-83.yaml"] = ""
    files["reqs/odd-name.yaml"] = export("R-84", "ledger", 4)  # ID is not the file name
    repo.commit("start", files)
    repo.git("checkout", "-q", "-b", "feature")
    return repo


def _change(repo: GitRepo) -> None:
    """A pull request: committed, edited, untracked, renamed and deleted files."""
    repo.commit(
        "new ones (#1)",
        {
            "reqs/new/R-100.yaml": export("R-100", "invoice", 3),
            "reqs/new/R-101.yaml": export(
                "R-101", "payroll", 5, "links:\n  duplicates: [R-25, R-11]\n"
            ),
            "reqs/new/R-102.yaml": export("R-102", "tariff", 2, "links:\n  duplicates: R-42\n"),
            "reqs/new/R-103.yaml": req("R-103", *ZH[1]),
            "reqs/new/R-104.yaml": export("R-104", "shipping", 7),
            "reqs/new/R-105.yaml": export("R-105", "warranty", 6),  # a twin ID below
            "reqs/new/R-108.yaml": audit("R-108", *TOKENS),
        },
    )
    repo.write(
        {
            "reqs/new/R-104.yaml": export("R-104", "ledger", 1),  # edited, not committed
            "reqs/new/R-106.yaml": export("R-106", "ledger", 9),  # untracked
            "reqs/a/R-105.yaml": export("R-105", "invoice", 8),  # the same new ID, first
            "reqs/new/R-107.yaml": req(
                "R-107", "登录页面支持单点登录功能", "员工希望使用目录账号。"
            ),
            "reqs/R-80.yaml": export("R-80", "payroll", 2),  # an old one, edited
        }
    )
    repo.mv("reqs/invoice/R-2.yaml", "reqs/moved/R-2.yaml")
    (repo.path / "reqs/ledger/R-53.yaml").unlink()


CONFIGS = {
    "default": 'ids = ["R-{seq:01}"]\n',
    "low": 'ids = ["R-{seq:01}"]\n[report]\nnear_duplicate = 0.35\n',
    "high": 'ids = ["R-{seq:01}"]\n[report]\nnear_duplicate = 0.9\n',
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_check_base_near_duplicates_match_the_plain_computation(
    git_repo: Callable[..., GitRepo], tmp_path: Path, monkeypatch: Any, name: str
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("REQKIT_CACHE_DIR", str(cache))
    repo = _base(git_repo, CONFIGS[name])
    _change(repo)
    expected = reference(repo.path)
    if name != "high":
        assert len({d.requirement for d in expected}) >= 5, expected  # the test can fail
    assert fast(repo.path) == expected  # cold: the cache is filled
    assert list(cache.glob("near-*.grams"))
    assert fast(repo.path) == expected  # warm: read back

    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "everything (#2)")  # new blobs: read, the rest cached
    repo.write({"reqs/tariff/R-41.yaml": export("R-41", "invoice", 5)})
    expected = reference(repo.path)
    assert fast(repo.path) == expected
    assert fast(repo.path) == expected

    for grams_file in cache.glob("near-*.grams"):
        grams_file.unlink()  # safe to delete
    assert fast(repo.path) == expected
    monkeypatch.setenv("REQKIT_NO_CACHE", "1")
    assert fast(repo.path) == expected


def test_a_damaged_blob_grams_file_is_computed_again(
    git_repo: Callable[..., GitRepo], tmp_path: Path, monkeypatch: Any
) -> None:
    import marshal

    cache = tmp_path / "cache"
    monkeypatch.setenv("REQKIT_CACHE_DIR", str(cache))
    repo = _base(git_repo, CONFIGS["default"])
    _change(repo)
    expected = reference(repo.path)
    assert expected and fast(repo.path) == expected
    (grams_file,) = cache.glob("near-*.grams")
    names, table = marshal.loads(grams_file.read_bytes())
    damaged = {blob: (rid, listed, b"\xff" * 3) for blob, (rid, listed, _) in table.items()}
    for content in (
        b"not marshal at all",
        marshal.dumps(("names", "table")),
        marshal.dumps((names, damaged)),  # gram numbers cut short
        marshal.dumps((names[:1], table)),  # numbers past the vocabulary
    ):
        grams_file.write_bytes(content)
        assert fast(repo.path) == expected


def test_only_new_requirements_are_warned_about_and_nothing_new_is_quiet(
    git_repo: Callable[..., GitRepo], tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("REQKIT_CACHE_DIR", str(tmp_path / "cache"))
    repo = _base(git_repo, CONFIGS["default"])
    repo.write({"reqs/R-80.yaml": export("R-80", "payroll", 2)})  # edited, not new
    assert reference(repo.path) == fast(repo.path) == []
    _change(repo)
    found = fast(repo.path)
    warned = {d.requirement for d in found}
    # (R-84 too: base_facts knows a file at the base by its name, odd-name, so an ID that
    # is not its file name counts as new; the plain computation says the same)
    assert warned and warned <= {f"R-{n}" for n in range(100, 109)} | {"R-84"}, warned
    assert {"R-100", "R-103", "R-104", "R-106", "R-107", "R-108"} <= warned, warned
    # eight match R-108 equally; it stops at MATCHES, those of its rarest grams in order
    assert sorted(d.message.split()[4] for d in found if d.requirement == "R-108") == sorted(
        f"R-{90 + TOKENS.index(t)}" for t in sorted(TOKENS)[:MATCHES]
    )
    # R-101 lists: neither is reported for it
    assert not [d for d in found if d.requirement == "R-101" and ("R-25 " in d.message)]
    # the twin ID is warned about at its first file (path order), as by_id has it
    assert {d.path for d in found if d.requirement == "R-105"} <= {"reqs/a/R-105.yaml"}
