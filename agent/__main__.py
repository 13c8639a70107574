"""`python -m agent` runs the command line."""

import sys

from agent.cli.app import main

sys.exit(main())
