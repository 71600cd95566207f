"""``python -m ctconsole``: the same as the ``ctconsole`` command."""

import sys

from ctconsole.cli import main

if __name__ == "__main__":
    sys.exit(main())
