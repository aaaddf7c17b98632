"""The reana-client worker script, shipped as package data and run by file path.

`spec_worker.py` runs with the reana-client environment's own Python and must never be
imported here (the Jupyter process cannot import reana_client); this package only says
where the script is.
"""

from pathlib import Path

WORKER_SCRIPT = Path(__file__).with_name("spec_worker.py")
