"""Runs kws_training/stream_table.py (its docstring has the usage)."""
import sys

from kws_training.entry import run

sys.exit(run("stream_table"))
