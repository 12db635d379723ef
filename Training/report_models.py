"""Runs kws_training/report_models.py (its docstring has the usage)."""
import sys

from kws_training.entry import run

sys.exit(run("report_models"))
