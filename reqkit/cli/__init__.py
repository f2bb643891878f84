"""The `reqkit` command: click, thin, on top of `reqkit.api`."""
