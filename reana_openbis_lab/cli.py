"""`jupyter reana-openbis-lab <command>`: the extension's command line.

Subcommands are looked up lazily so that `--help` stays fast and a missing optional
part (e.g. the sandbox's asyncssh) only fails the command that needs it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="jupyter reana-openbis-lab",
        description="Tools of the reana_openbis_lab JupyterLab extension.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    install = sub.add_parser(
        "install-reana-client",
        help="create the separate environment with reana-client used for validating specs",
    )
    install.add_argument(
        "--path", help="where to create it (default: the configured reana_client_env)"
    )
    install.add_argument("--force", action="store_true", help="recreate it even if it works")
    install.add_argument("--version", default=None, help="reana-client version to install")

    sandbox = sub.add_parser("sandbox", help="run the local openBIS and REANA sandbox servers")
    sandbox.add_argument("args", nargs=argparse.REMAINDER)

    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["sandbox"]:
        # argparse's REMAINDER swallows neither leading options (--only, --tls) nor --help.
        from .sandbox.cli import main as sandbox_main

        return sandbox_main(arguments[1:])
    args = parser.parse_args(arguments)
    if args.command == "install-reana-client":
        from .reana.environment import install_command

        return install_command(path=args.path, force=args.force, version=args.version)
    if args.command == "sandbox":
        from .sandbox.cli import main as sandbox_main

        return sandbox_main(args.args)
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
