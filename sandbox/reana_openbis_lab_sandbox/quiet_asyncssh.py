"""asyncssh, imported without the lines of CryptographyDeprecationWarning it prints.

asyncssh still names cryptography's DSA classes at import, and cryptography warns about DSA
for each: ten lines before the demo's ready message that a newcomer reads as a fault. The
sandbox offers no DSA keys, so the warning concerns nothing it does; every other warning
still shows.
"""

from __future__ import annotations

import warnings

from cryptography.utils import CryptographyDeprecationWarning

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=CryptographyDeprecationWarning)
    import asyncssh

__all__ = ["asyncssh"]
