"""Start the chat page: `python ui.py [--host H] [--port P] [--index DIR] [--corpus DIR] [--model M]`."""

import sys

from qa.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
