"""The one command line, python -m estimates <command>: the commands listed, each one's own options,
an unknown command refused (exit 2), and the make targets calling it."""
import subprocess
import sys

import pytest

from estimates import __main__ as cli, paths


def test_no_command_lists_the_commands_and_is_a_usage_error(capsys):
    assert cli.main([]) == 2
    err = capsys.readouterr().err
    assert all(c in err for c in cli.COMMANDS)
    assert cli.main(["--help"]) == 0 and "report" in capsys.readouterr().out


def test_an_unknown_command_is_refused(capsys):
    assert cli.main(["reprot"]) == 2
    assert "no command 'reprot'; the commands: report, notebooks, freeze, new-case, coverage" in capsys.readouterr().err


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_each_command_gives_its_own_options(command):
    done = subprocess.run([sys.executable, "-m", "estimates", command, "--help"], capture_output=True, text=True,
                          cwd=paths.ROOT, timeout=120)
    assert done.returncode == 0 and "usage: python -m estimates" in done.stdout, done.stderr[-500:]


def test_the_make_targets_call_the_one_command_line():
    makefile = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    for command in cli.COMMANDS:
        assert f"-m estimates {command}" in makefile, command
    assert "-m estimates." not in makefile  # no module called directly
