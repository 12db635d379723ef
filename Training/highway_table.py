"""Runs kws_training/highway_table.py (its docstring has the usage)."""
import sys

from kws_training.entry import run

sys.exit(run("highway_table"))
