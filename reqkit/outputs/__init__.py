"""Results → text. Pure renderers: `render(result) -> str`."""
