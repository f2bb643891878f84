"""The published site: generated Markdown pages, navigation, and the engine that builds them."""
