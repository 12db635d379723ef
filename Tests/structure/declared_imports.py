#!/usr/bin/env python3
"""Every module a Swift file imports is a dependency its target declares in Package.swift (DESIGN.md:
nothing relies on transitive imports), so Package.swift's dependency lists are the whole truth about which
module uses which (README's module table).

Reads Package.swift's target list (name, path, dependencies) with a small parser of the forms it uses, then
every `import X` / `@testable import X` under each target's folder. System and toolchain modules
(Foundation, Glibc, XCTest, ...) are always allowed. Exits 1 listing each undeclared import.

Usage: python3 Tests/structure/declared_imports.py
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SYSTEM = {"Foundation", "FoundationEssentials", "Glibc", "Darwin", "XCTest", "Synchronization", "Dispatch"}
KINDS = {"target": "Sources", "executableTarget": "Sources", "testTarget": "Tests", "systemLibrary": "Sources"}


def targets(manifest: str) -> dict[str, tuple[Path, set[str]]]:
    """name -> (folder, declared dependencies) for every target in Package.swift."""
    out = {}
    for match in re.finditer(r"\.(target|executableTarget|testTarget|systemLibrary)\((.*?)\)(?=,\s*(?:\.|//|\]))",
                             manifest, re.S):
        kind, body = match.groups()
        name = re.search(r'name:\s*"([^"]+)"', body).group(1)
        path = re.search(r'path:\s*"([^"]+)"', body)
        folder = ROOT / (path.group(1) if path else f"{KINDS[kind]}/{name}")
        deps = re.search(r"dependencies:\s*\[(.*?)\](?=\s*(?:,|$))", body, re.S)
        # Every quoted name in the list: targets and products (a product's package name is no module, so
        # allowing it changes nothing).
        out[name] = (folder, set(re.findall(r'"([^"]+)"', deps.group(1))) if deps else set())
    return out


def main() -> int:
    table = targets((ROOT / "Package.swift").read_text())
    if len(table) < 5:
        print(f"declared_imports: parsed only {len(table)} targets from Package.swift", file=sys.stderr)
        return 1
    problems, files = [], 0
    for name, (folder, declared) in sorted(table.items()):
        for source in sorted(folder.rglob("*.swift")):
            files += 1
            for line_no, line in enumerate(source.read_text().splitlines(), 1):
                imported = re.match(r"^\s*(?:@testable\s+)?import\s+(\w+)", line)
                if imported and imported.group(1) not in SYSTEM | declared | {name}:
                    problems.append(f"{source.relative_to(ROOT)}:{line_no}: imports {imported.group(1)}, "
                                    f"which target {name} does not declare in Package.swift")
    for problem in problems:
        print(problem)
    print(f"declared imports: {files} Swift files in {len(table)} targets, {len(problems)} undeclared")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
