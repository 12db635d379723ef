"""Runs kws_training/alwayson.py (its docstring has the usage)."""
import sys

from kws_training.entry import run

sys.exit(run("alwayson"))
