"""Bytes on disk → plain data with positions. Never raises on a bad file."""
