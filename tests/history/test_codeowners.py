"""`reqkit codeowners`: owner lines in a managed block; the user's own lines kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from history_repo import GitRepo, requirement


def test_codeowners_block_kept_apart_from_user_lines(
    git_repo: Callable[..., GitRepo], run: Callable[..., Any]
) -> None:
    repo = git_repo()
    repo.write(
        {
            "reqs/R-1.yaml": requirement("R-1", extra="owner: alice\n"),
            "reqs/sub dir/R-2.yaml": requirement("R-2", extra='owner: "@acme/checkout"\n'),
            "reqs/R-3.yaml": requirement("R-3", extra="owner: not a handle!\n"),
            ".github/CODEOWNERS": "# mine\n* @acme/leads\n",
        }
    )
    out = run(repo.path, "codeowners")
    assert out.returncode == 0, out.stderr
    assert "R-3: owner is not a user" in out.stderr
    text = (repo.path / ".github/CODEOWNERS").read_text()
    assert text.startswith("# mine\n* @acme/leads\n\n# BEGIN reqkit")
    assert "/reqs/R-1.yaml @alice\n" in text and "/reqs/sub\\ dir/R-2.yaml @acme/checkout\n" in text
    assert text.endswith("# END reqkit\n")
    assert run(repo.path, "codeowners", "--check").returncode == 0
    repo.write({"reqs/R-1.yaml": requirement("R-1", extra="owner: bob\n")})
    assert run(repo.path, "codeowners", "--check").returncode == 1
    (repo.path / ".github/CODEOWNERS").write_text(text + "docs/ @writers\n")
    run(repo.path, "codeowners")
    again = (repo.path / ".github/CODEOWNERS").read_text()
    assert "/reqs/R-1.yaml @bob\n" in again and "@alice" not in again
    assert again.startswith("# mine\n* @acme/leads\n") and again.endswith(
        "# END reqkit\ndocs/ @writers\n"
    )


def test_no_owners_and_no_file_writes_nothing(
    git_repo: Callable[..., GitRepo], run: Callable[..., Any]
) -> None:
    repo = git_repo()
    repo.write({"reqs/R-1.yaml": requirement("R-1")})
    out = run(repo.path, "codeowners")
    assert out.returncode == 0 and "unchanged, 0 requirement owner line(s)" in out.stdout
    assert not (repo.path / ".github").exists()
