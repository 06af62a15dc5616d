"""Start the cnnviz desktop app: ``python main.py`` (the same as the ``cnnviz`` command)."""

import sys

from cnnviz.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
