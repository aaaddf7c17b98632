"""Reading a notebook's imports: IPython syntax, relative imports and hostile text are handled."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from reana_openbis_lab.errors import InvalidInput
from reana_openbis_lab.requirements.imports import imports_of_cells, read_notebook_imports
from reana_openbis_lab.requirements.probes import parse_python_reply, python_imports_expression


def test_plain_imports_give_top_level_modules_and_relative_ones_are_left_out() -> None:
    imports = imports_of_cells(
        [
            "import os, numpy.linalg as la\nfrom pandas.io import json\n",
            "from . import helpers\nfrom .sub import x\nfrom __future__ import annotations\n",
            "def f():\n    import scipy.stats\n    return 1\n",
            "try:\n    import ujson as json\nexcept ImportError:\n    import json\n",
        ]
    )
    assert imports.modules == ("__future__", "json", "numpy", "os", "pandas", "scipy", "ujson")
    assert imports.installed == ()


def test_magics_and_shell_lines_are_skipped_and_pip_installs_are_kept() -> None:
    imports = imports_of_cells(
        [
            "%pip install -q -U seaborn 'openpyxl>=3' -r req.txt ./local.whl\n"
            "!pip install --index-url https://example.org/simple pandas[excel]==2.2\n"
            "files = !ls\nnp.sum?\n%matplotlib inline\nimport matplotlib.pyplot as plt\n",
            "%%time\nimport sklearn\n",
            "%%bash\nimport notpython\npip install h5py\n",
            "%%writefile helper.py\nimport requests\n",
            "  %time import polars\n",
            "??json.dumps\nimport numpy  # needed?\n",
        ]
    )
    assert imports.modules == ("matplotlib", "numpy", "sklearn")
    assert imports.installed == ("h5py", "openpyxl", "pandas", "seaborn")


def test_a_cell_that_is_no_python_falls_back_to_a_line_scan() -> None:
    imports = imports_of_cells(["import yaml\nx = (\nfrom tornado import web  # comment\n"])
    assert imports.modules == ("tornado", "yaml")


def test_r_cells_name_their_packages() -> None:
    imports = imports_of_cells(
        ['library(ggplot2)\nrequire("data.table")\nx <- jsonlite::toJSON(1)\ny <- stats:::f']
    )
    assert imports.r_packages == ("data.table", "ggplot2", "jsonlite", "stats")


def test_hostile_cells_cost_linear_time_and_raise_nothing() -> None:
    # Given cells built to make parsers and patterns slow: deep nesting, long import lines
    cells = [
        "(" * 100_000,
        "import " + " " * 200_000 + "!",
        "from " + "a." * 100_000 + " import x",
        "%pip install " + "-" * 100_000,
        "library(" * 50_000,
        "a." * 100_000 + "::",
        "from " + "a." * 3_900 + " import x",
    ]
    # When read, then it returns: a guard against "never returns", not a speed target (linear
    # work takes a second; the parser's and tokenizer's quadratic error paths took minutes)
    started = time.monotonic()
    imports = imports_of_cells(cells * 4)
    assert time.monotonic() - started < 120
    assert "a" in imports.modules


def test_a_file_that_is_no_notebook_is_refused_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    for content in ("not json", "[]", '{"cells": 3}', '{"cells": [{"cell_type": "code"}, 4]}'):
        path.write_text(content)
        with pytest.raises(InvalidInput) as caught:
            read_notebook_imports(tmp_path, path)
        assert caught.value.field == "notebook_path"


def test_a_saved_notebook_with_list_sources_is_read(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    cells = [
        {"cell_type": "markdown", "source": ["import not_code\n"]},
        {"cell_type": "code", "source": ["import yaml\n", "import os\n"]},
    ]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4}))
    assert read_notebook_imports(tmp_path, path).modules == ("os", "yaml")


def test_the_kernel_side_pins_providing_distributions_only() -> None:
    # Given imports of a standard module, a module whose distribution has another name, a
    # module nobody provides, and a %pip-installed distribution
    imports = imports_of_cells(["import os, yaml, my_own_helpers\n%pip install requests\n"])

    # When the expression the kernel evaluates is evaluated here, as a kernel would
    text = repr(eval(python_imports_expression(imports)))  # noqa: S307 - our own code
    environment = parse_python_reply(
        {"user_expressions": {"environment": {"status": "ok", "data": {"text/plain": text}}}}
    )

    # Then PyYAML and requests are pinned at this interpreter's versions, os needs no line,
    # and the unknown module is reported
    from importlib.metadata import version

    assert environment.packages == (
        f"PyYAML=={version('PyYAML')}",
        f"requests=={version('requests')}",
    )
    assert environment.unresolved == ("my_own_helpers",)
