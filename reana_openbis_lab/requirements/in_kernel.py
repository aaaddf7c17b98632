"""Code that runs inside the notebook's Python kernel (sent as source, see probes.py).

It must stand alone: only the standard library, imported inside the function, since the
kernel's environment is not the server's (this package is usually not installed there).
"""


def pinned_distributions(modules: list, installed: list) -> str:
    """JSON text: `{"runtime", "packages", "unresolved"}` for the notebook's imports.

    `modules` are top-level module names the notebook imports; `installed` distribution names
    it installs with %pip. Each module is mapped to the distributions providing it with
    importlib.metadata.packages_distributions() (Python >= 3.10; before that, a distribution
    of the module's own name), and each distribution is pinned at the version this kernel
    imports (the first on sys.path). Standard-library modules (sys.stdlib_module_names)
    need no line; modules no distribution provides (the notebook's own .py files, or
    missing ones) come back as `unresolved`. Dependencies of those distributions are not
    pinned: pip resolves them, as for a hand-written requirements.txt.
    """
    import importlib.metadata as metadata
    import json
    import platform
    import re
    import sys

    stdlib = set(getattr(sys, "stdlib_module_names", ())) | set(sys.builtin_module_names)
    try:
        providers = metadata.packages_distributions()
    except AttributeError:
        providers = {}
    pins = {}

    def pin(name):
        try:
            distribution = metadata.distribution(name)
        except (metadata.PackageNotFoundError, ValueError):
            return False
        real_name, version = distribution.metadata["Name"], distribution.version
        if not real_name or not version:
            return False
        pins[re.sub(r"[-_.]+", "-", real_name).lower()] = real_name + "==" + version
        return True

    unresolved = []
    for module in modules:
        if module in stdlib or module == "__main__":
            continue
        names = providers.get(module) or [module]
        if not [found for found in map(pin, sorted(set(names))) if found]:
            unresolved.append(module)
    unresolved += [name for name in installed if not pin(name)]
    return json.dumps(
        {
            "runtime": "python-" + platform.python_version(),
            "packages": sorted(pins.values(), key=str.lower),
            "unresolved": sorted(set(unresolved), key=str.lower),
        }
    )
