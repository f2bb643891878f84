"""Rules: RequirementSet → diagnostics. Pure: no I/O beyond positions, no printing."""
