"""Runs kws_training/check_highway.py (its docstring has the usage)."""
import sys

from kws_training.entry import run

sys.exit(run("check_highway"))
