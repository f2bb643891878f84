"""What a requirement *is*: the pydantic model is the single source of truth."""
