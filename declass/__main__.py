"""``python -m declass``: the same command, options and exit statuses as ``declass``."""

import sys

from declass.service.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
