"""`python -m tether ...`: the same entry point as the `tether` console script."""

import sys

from tether.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
