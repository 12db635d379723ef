"""Runs kws_training/verify_export.py (its docstring has the usage)."""
import sys

from kws_training.entry import run

sys.exit(run("verify_export"))
