"""Runs kws_training/false_alarms.py (its docstring has the usage)."""
import sys

from kws_training.entry import run

sys.exit(run("false_alarms"))
