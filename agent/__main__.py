"""`python -m agent` runs the command line."""

from agent.cli.app import run

run()
