#!/usr/bin/env python3
"""Inside Training/kws_training, a sibling module is imported relatively (`from .teacher import X`), never by
its bare name: `from teacher import X` finds Training/teacher.py, the three-line entry script, which runs that
script's whole job on import and then exits the process (a --distill training once ended, exit 0, right after
building the teacher's soft labels). Exits 1 listing each bare sibling import.

Usage: python3 Tests/structure/training_imports.py
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "Training" / "kws_training"


def main() -> int:
    siblings = {p.stem for p in PACKAGE.glob("*.py")}
    bad = []
    for path in sorted(PACKAGE.glob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = re.match(r"\s*(?:from\s+([A-Za-z_]\w*)\s+import|import\s+([A-Za-z_]\w*))\b", line)
            name = match and (match.group(1) or match.group(2))
            if name in siblings:
                bad.append(f"{path.relative_to(PACKAGE.parents[1])}:{number}: `{line.strip()}` is a bare import of a sibling: the entry "
                           f"script Training/{name}.py where there is one (it runs on import); write `from .{name} import ...`")
    for line in bad:
        print(line, file=sys.stderr)
    print(f"training imports: {len(list(PACKAGE.glob('*.py')))} modules, {len(bad)} bare sibling imports")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
