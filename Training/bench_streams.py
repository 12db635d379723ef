"""Runs kws_training/bench_streams.py (its docstring has the usage)."""
import sys

from kws_training.entry import run

sys.exit(run("bench_streams"))
