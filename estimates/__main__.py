"""The one command line: ``python -m estimates <command> [options]`` (the make targets call it).

    report      execute every notebook, print the verdict table, write the report   (make report)
    notebooks   the same, storing each executed notebook back in place              (make notebooks)
    freeze      freeze cases' as-of estimates and verdicts                           (make preregister)
    new-case    a new article: its seed, register draft and notebook skeleton       (make new-case)
    coverage    every number of a seed a claim or listed as not one                 (make coverage)

``python -m estimates <command> --help`` gives each command's options.
"""
from __future__ import annotations

import importlib
import sys

#: Each command: the module whose ``main`` runs it, and arguments it always gets.
COMMANDS = {
    "report": ("estimates.runner", []),
    "notebooks": ("estimates.runner", ["--update"]),
    "freeze": ("estimates.freeze", []),
    "new-case": ("estimates.scaffold", []),
    "coverage": ("estimates.coverage", []),
}


def main(argv: list[str] | None = None) -> int:
    """Run a command; no command or ``--help`` prints the list (exit 0 with help, 2 without a command),
    an unknown command is a usage error (exit 2)."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stdout if argv else sys.stderr)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        print(f"python -m estimates: no command {command!r}; the commands: {', '.join(COMMANDS)}", file=sys.stderr)
        return 2
    module, fixed = COMMANDS[command]
    from estimates import processes
    processes.become_subreaper()  # what a notebook leaves running comes back here, and is stopped
    try:
        run = importlib.import_module(module).main
        return run(fixed + rest)
    except KeyboardInterrupt:  # a Ctrl-C before the command's own handling of it (while it loads, say)
        print(f"\ninterrupted by SIGINT: python -m estimates {command} stopped before it wrote anything",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    try:
        status = main()
    except KeyboardInterrupt:  # while the command line itself loads
        print("\ninterrupted by SIGINT before anything ran", file=sys.stderr)
        status = 130
    sys.exit(status)
