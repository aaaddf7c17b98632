"""asyncssh, imported without the lines of CryptographyDeprecationWarning it prints.

asyncssh still names cryptography's DSA classes at import, and cryptography warns about DSA
for each: ten lines before the demo's ready message that a newcomer reads as a fault. The
sandbox offers no DSA keys, so the warning concerns nothing it does; every other warning
still shows.
"""

from __future__ import annotations

import importlib.util
import warnings

# asyncssh is what the SFTP sandbox needs (cryptography comes with it): name it when it is absent.
if importlib.util.find_spec("asyncssh") is None:
    raise ModuleNotFoundError("No module named 'asyncssh'", name="asyncssh")

from cryptography.utils import CryptographyDeprecationWarning

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=CryptographyDeprecationWarning)
    import asyncssh

__all__ = ["asyncssh"]
