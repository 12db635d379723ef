"""Runs kws_training/lowbit_cv.py (its docstring has the usage)."""
import sys

from kws_training.entry import run

sys.exit(run("lowbit_cv"))
