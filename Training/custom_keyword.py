"""Runs kws_training/custom_keyword.py (its docstring has the usage)."""
import sys

from kws_training.entry import run

sys.exit(run("custom_keyword"))
