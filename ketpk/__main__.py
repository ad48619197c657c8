"""``python -m ketpk``: the command line (see :mod:`ketpk.cli`)."""

import sys

from .cli import main

sys.exit(main())
