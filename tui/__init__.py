"""The terminal front end (`autoresearch tui`): a Textual app over the same core as the CLI."""
