"""One function per thing a person asks for, shared by the CLI, the TUI and the Slack bot.

A front end parses input, calls a use case, and renders its typed result; the use case decides
everything else (which model, which version, what is marked seen) and raises the project's errors
(`tools.errors.AutoresearchError`), which each front end shows in one place. Modules: `ingest`,
`summarize`, `digest`, `ask`, `search`, `review`, `library`, `figures`, `watch`.
"""
