"""Runs kws_training/pseudo.py (its docstring has the usage)."""
import sys

from kws_training.entry import run

sys.exit(run("pseudo"))
