"""Runs kws_training/dev_compare.py (its docstring has the usage)."""
import sys

from kws_training.entry import run

sys.exit(run("dev_compare"))
