"""Entry point: the GUI with no arguments, otherwise the headless command line."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    # `--db URL` alone still means the GUI, on that database
    if not args or (args[0] == "--db" and len(args) == 2):
        from desktop.app import run_gui

        return run_gui(args)
    from desktop.cli import run_cli

    return run_cli(args)


if __name__ == "__main__":
    sys.exit(main())
