"""`jupyter reana-openbis-lab <command>`: the extension's command line.

Subcommands are imported lazily so that `--help` stays fast. The sandbox servers are not
here: they are the `reana-openbis-lab-sandbox` command of the separate test-rig distribution.
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

    args = parser.parse_args(argv)
    if args.command == "install-reana-client":
        from .reana.environment import install_command

        return install_command(path=args.path, force=args.force, version=args.version)
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
