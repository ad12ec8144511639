"""`python -m reception` is the `reception` command (scripted work); the staff window is `reception-desk`."""

import sys

from reception.cli import main

if __name__ == "__main__":
    sys.exit(main())
