"""Benchmarks run by `make bench`: each `bench_*.py` module has a `run()` that yields result lines.

Speed and memory goals are measured here, on the machine at hand, never asserted in tests.
"""
