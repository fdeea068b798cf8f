"""`python -m monitor …` is the same as `xxgk …`."""

import sys

from monitor.cli import main

sys.exit(main())
