"""JupyterLab extension that connects notebooks to openBIS data and REANA workflows.

Only the extension entry points live here, so importing the package stays cheap for
`jupyter server extension list` and for tools that merely look the package up.
"""

try:
    from ._version import __version__
except ImportError:  # a source checkout that was never built
    __version__ = "0.0.0+unknown"


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "reana-openbis-lab"}]


def _jupyter_server_extension_points() -> list[dict[str, object]]:
    from .app import ReanaOpenbisLab

    return [{"module": "reana_openbis_lab.app", "app": ReanaOpenbisLab}]
