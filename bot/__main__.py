"""``python -m bot`` runs the command line."""

import sys

from bot.entry_point import main

sys.exit(main())
