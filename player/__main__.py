"""`python -m player` runs the `vmo` command."""

import sys

from player.cli import main

sys.exit(main())
