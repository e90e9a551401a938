"""Start the chat page: `python ui.py [--host H] [--port P] [--index DIR] [--corpus DIR] [--model M] [--max-upload-mb N]`."""

import os
import sys

# Process-wide switches belong to the entry point: offline model hub, no analytics requests.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from qa.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
