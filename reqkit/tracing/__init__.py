"""Tests and code matched to requirements: JUnit results, code references, the matrix."""
