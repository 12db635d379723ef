"""Runs kws_training/make_samples.py (its docstring has the usage)."""
import sys

from kws_training.entry import run

sys.exit(run("make_samples"))
