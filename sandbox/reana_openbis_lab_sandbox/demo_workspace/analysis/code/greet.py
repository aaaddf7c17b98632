"""Write one greeting per name: the smallest analysis that still has an input and an output."""

import sys
from pathlib import Path

names_file, output_file = sys.argv[1], sys.argv[2]
names = [line.strip() for line in Path(names_file).read_text().splitlines() if line.strip()]
Path(output_file).write_text("".join(f"Hello, {name}!\n" for name in names))
