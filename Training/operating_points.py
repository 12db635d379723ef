"""Runs kws_training/operating_points.py (its docstring has the usage)."""
import sys

from kws_training.entry import run

sys.exit(run("operating_points"))
