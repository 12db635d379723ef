#!/usr/bin/env python3
"""The docs test: every command in README.md's fenced shell blocks is run, so the README cannot rot.

Commands are taken from README.md's fenced code blocks:
  - ```sh / ```bash / ```shell / ```zsh blocks: every line is a command (comment lines and blank lines
    aside; a trailing `# comment` is dropped), unless the block uses `$ ` prompts, then only those lines;
  - ```console / ```shell-session and plain ``` blocks: only lines that start with a `$ ` prompt;
  - a line ending in `\\` continues on the next one (joined with one space).
Other languages (json, swift, c, python, ...) hold no commands.

Every command must be classified, by its exact text, in readme_commands.txt beside this script (its header
describes the format): `run` (the README text as it is), `run-as: COMMAND` (the README text with its
outside-the-repository paths, microphone or missing input replaced; the entry says why), `replace: OLD => NEW`
(the README text with OLD replaced), or `skip: REASON`; optionally `status: N` (default 0), `contains: TEXT`
(the output, stdout and stderr together, must contain TEXT; repeatable), `timeout: SECONDS`,
`needs: PROGRAM` (skipped, with that reason, where PROGRAM is not installed) and `cleanup: PATH` (a file
the command writes into the checkout, removed afterwards if it was not there before).

The test fails if README.md holds a command the manifest does not classify, if the manifest classifies a
command README.md no longer holds, if a command exits with another status than expected, misses an
expected substring, runs out of time, or prints a raw Foundation error (NSCocoaErrorDomain,
"Error Domain=", "Fatal error"). Commands run in README order from the checkout's root, each in its own
`bash -o pipefail -c`, stdin from /dev/null, with $KWS_DOCS_TMP set to a temporary directory (removed at the
end) that takes everything written outside the checkout (install prefixes, venvs).

Usage: Tests/docs/readme_commands.py [--repo DIR] [--check] [--list] [--verbose]
  --repo DIR   the checkout to run in (default: the repository this script lives in)
  --check      only check that README.md and the manifest agree (runs nothing)
  --list       print the commands extracted from README.md, with their line numbers, and exit
  --verbose    print every command's output, not only a failing command's
Exit status 0 when nothing failed, 1 otherwise, 2 for a malformed manifest.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SHELL_LANGUAGES = {"sh", "bash", "shell", "zsh"}
PROMPT_LANGUAGES = {"console", "shell-session", "shellsession", ""}
FORBIDDEN = ("NSCocoaErrorDomain", "Error Domain=", "Fatal error")
DEFAULT_TIMEOUT = 120
HERE = os.path.dirname(os.path.abspath(__file__))


class Command:
    def __init__(self, text, line):
        self.text = text
        self.line = line


class Entry:
    def __init__(self, text, line):
        self.text = text
        self.line = line
        self.action = None          # "run", "run-as", "skip"
        self.run_as = None
        self.replacements = []      # (old, new)
        self.skip_reason = None
        self.why = None
        self.status = 0
        self.contains = []
        self.timeout = DEFAULT_TIMEOUT
        self.needs = []
        self.cleanup = []
        self.used = False


def strip_comment(line):
    """Drops a trailing `# comment` (a `#` at the start or after whitespace, outside quotes)."""
    quote = None
    previous = " "
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
            elif ch == "\\" and quote == '"':
                pass
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and previous.isspace():
            return line[:i].rstrip()
        previous = ch
    return line.rstrip()


def extract(readme_path):
    """The commands of README.md's fenced shell blocks, in order."""
    with open(readme_path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    commands = []
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if not stripped.startswith("```"):
            i += 1
            continue
        fence = stripped[: len(stripped) - len(stripped.lstrip("`"))]
        language = stripped[len(fence):].strip().split()[0].lower() if stripped[len(fence):].strip() else ""
        body = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append((i + 1, lines[i]))
            i += 1
        i += 1  # the closing fence
        if language not in SHELL_LANGUAGES and language not in PROMPT_LANGUAGES:
            continue
        prompted = any(text.lstrip().startswith("$ ") for _, text in body)
        if language in PROMPT_LANGUAGES and not prompted:
            continue  # a plain block without prompts is output or a diagram, not commands
        j = 0
        while j < len(body):
            number, text = body[j]
            j += 1
            text = text.strip()
            if prompted:
                if not text.startswith("$ "):
                    continue
                text = text[2:].strip()
            if not text or text.startswith("#"):
                continue
            parts = []
            while text.endswith("\\") and j < len(body):
                parts.append(text[:-1].strip())
                text = body[j][1].strip()
                j += 1
            parts.append(text)
            command = strip_comment(" ".join(p for p in parts if p))
            if command:
                commands.append(Command(command, number))
    return commands


class ManifestError(Exception):
    pass


def parse_manifest(path):
    entries = {}
    current = None
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f.read().split("\n"), 1):
            line = raw.rstrip()
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line.startswith("$ "):
                text = line[2:].strip()
                if text in entries:
                    raise ManifestError(f"{path}:{number}: '{text}' is classified twice")
                current = Entry(text, number)
                entries[text] = current
                continue
            if not line[0].isspace() or current is None:
                raise ManifestError(f"{path}:{number}: expected '$ COMMAND' or an indented 'key: value' line")
            key, _, value = line.strip().partition(":")
            key, value = key.strip(), value.strip()
            if key == "run" and not value:
                action = "run"
            elif key == "run-as" and value:
                action, current.run_as = "run-as", value
            elif key == "skip" and value:
                action, current.skip_reason = "skip", value
            elif key == "replace" and "=>" in value:
                old, _, new = value.partition("=>")
                current.replacements.append((old.strip(), new.strip()))
                if old.strip() not in current.text:
                    raise ManifestError(f"{path}:{number}: '{old.strip()}' is not in '{current.text}'")
                action = "run" if current.action in (None, "run") else current.action
            elif key == "why" and value:
                current.why = value
                continue
            elif key == "status" and value.isdigit():
                current.status = int(value)
                continue
            elif key == "contains" and value:
                current.contains.append(value)
                continue
            elif key == "timeout" and value.isdigit():
                current.timeout = int(value)
                continue
            elif key == "needs" and value:
                current.needs.append(value)
                continue
            elif key == "cleanup" and value and not value.startswith("/") and ".." not in value:
                current.cleanup.append(value)
                continue
            else:
                raise ManifestError(f"{path}:{number}: cannot read '{line.strip()}'")
            if current.action not in (None, action) or (action == "run-as" and current.replacements):
                raise ManifestError(f"{path}:{number}: '{current.text}' has more than one of run/run-as/replace/skip")
            current.action = action
    for entry in entries.values():
        if entry.action is None:
            raise ManifestError(f"{path}:{entry.line}: '{entry.text}' is neither run, run-as, replace nor skip")
        if (entry.action == "run-as" or entry.replacements) and not entry.why:
            raise ManifestError(f"{path}:{entry.line}: '{entry.text}' is run-as/replace without a 'why:' line")
    return entries


def command_line(entry):
    if entry.action == "run-as":
        return entry.run_as
    text = entry.text
    for old, new in entry.replacements:
        text = text.replace(old, new)
    return text


def run(command, cwd, env, timeout):
    """(status or None on timeout, output, seconds)."""
    start = time.monotonic()
    process = subprocess.Popen(["bash", "-o", "pipefail", "-c", command], cwd=cwd, env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
        status = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        status = None
    return status, output.decode("utf-8", "replace"), time.monotonic() - start


def tail(text, count=40):
    lines = text.rstrip("\n").split("\n")
    shown = lines[-count:]
    prefix = [f"      ... ({len(lines) - count} lines before)"] if len(lines) > count else []
    return "\n".join(prefix + ["      | " + line for line in shown])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", default=os.path.dirname(os.path.dirname(HERE)))
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    repo = os.path.abspath(args.repo)
    readme = os.path.join(repo, "README.md")
    manifest = os.path.join(repo, "Tests", "docs", "readme_commands.txt")
    commands = extract(readme)
    if args.list:
        for c in commands:
            print(f"README.md:{c.line}: {c.text}")
        return 0
    try:
        entries = parse_manifest(manifest)
    except ManifestError as error:
        print(f"docs: malformed manifest: {error}")
        return 2

    failed = 0
    for c in commands:
        entry = entries.get(c.text)
        if entry is None:
            print(f"FAIL  README.md:{c.line}: not classified in Tests/docs/readme_commands.txt: $ {c.text}")
            failed += 1
        else:
            entry.used = True
    for entry in entries.values():
        if not entry.used:
            print(f"FAIL  readme_commands.txt:{entry.line}: README.md no longer has this command: $ {entry.text}")
            failed += 1
    if args.check:
        print(f"docs: {len(commands)} commands in README.md, {failed} classification problems")
        return 1 if failed else 0

    ran = skipped = 0
    scratch = tempfile.mkdtemp(prefix="kws-docs-")
    env = dict(os.environ, KWS_DOCS_TMP=scratch)
    total_start = time.monotonic()
    try:
        for c in commands:
            entry = entries.get(c.text)
            if entry is None:
                continue
            where = f"README.md:{c.line}"
            missing = [p for p in entry.needs if shutil.which(p) is None]
            if entry.action == "skip" or missing:
                reason = entry.skip_reason if entry.action == "skip" else f"needs {', '.join(missing)}, not installed"
                print(f"skip         {where}: $ {c.text}  ({reason})", flush=True)
                skipped += 1
                continue
            line = command_line(entry)
            existed = {p: os.path.lexists(os.path.join(repo, p)) for p in entry.cleanup}
            status, output, seconds = run(line, repo, env, entry.timeout)
            for p, was_there in existed.items():
                target = os.path.join(repo, p)
                if not was_there and os.path.lexists(target):
                    if os.path.isdir(target) and not os.path.islink(target):
                        shutil.rmtree(target)
                    else:
                        os.remove(target)
            problems = []
            if status is None:
                problems.append(f"timed out after {entry.timeout} s")
            elif status != entry.status:
                problems.append(f"exit status {status}, expected {entry.status}")
            for text in entry.contains:
                if text not in output:
                    problems.append(f"output lacks '{text}'")
            for text in FORBIDDEN:
                if text in output:
                    problems.append(f"output holds a raw Foundation error ('{text}')")
            ran += 1
            shown = c.text if line == c.text else f"{c.text}  [run as: {line}]"
            if problems:
                failed += 1
                print(f"FAIL {seconds:6.1f}s {where}: $ {shown}\n      " + "; ".join(problems), flush=True)
                print(tail(output), flush=True)
            else:
                print(f"ok   {seconds:6.1f}s {where}: $ {shown}", flush=True)
                if args.verbose and output.strip():
                    print(tail(output, 10 ** 6), flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"docs: {ran} commands run, {skipped} skipped, {failed} failed "
          f"({time.monotonic() - total_start:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
