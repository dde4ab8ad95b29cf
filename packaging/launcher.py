"""Entry script of the frozen app: the same `main` as `python -m desktop`."""

from __future__ import annotations

import os
import sys


def _streams_for_windowed_exe() -> None:
    # The windowed Windows executable has no console: stdout/stderr are None there, and a
    # stray print (argparse, warnings) must not crash it. StreetLedger-cli.exe has a console.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


if __name__ == "__main__":
    _streams_for_windowed_exe()
    from desktop.__main__ import main

    sys.exit(main())
