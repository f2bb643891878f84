"""The only package that starts a git process; history read in one `git log` pass."""
