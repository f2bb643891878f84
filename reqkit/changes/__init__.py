"""Facts about a change between two states of the requirements: diff, impact, release notes."""
