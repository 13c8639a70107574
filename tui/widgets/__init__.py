"""Widgets the screens compose: the header, the prompt, the conversation, run progress, results."""
