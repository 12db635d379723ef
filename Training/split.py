"""Runs kws_training/split.py (its docstring has the usage)."""
import sys

from kws_training.entry import run

sys.exit(run("split"))
