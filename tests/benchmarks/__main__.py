"""Run every benchmark module in this folder and print its figures."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time

os.environ.setdefault("DDCHECK_ENV", "testing")


def main() -> int:
    package = importlib.import_module("tests.benchmarks")
    names = sorted(
        name for _, name, _ in pkgutil.iter_modules(package.__path__) if name.startswith("bench_")
    )
    if len(sys.argv) > 1:
        names = [n for n in names if any(arg in n for arg in sys.argv[1:])]
    for name in names:
        module = importlib.import_module(f"tests.benchmarks.{name}")
        print(f"## {name[len('bench_') :]}: {module.__doc__.strip().splitlines()[0]}")
        started = time.perf_counter()
        for line in module.run():
            print(f"   {line}", flush=True)
        print(f"   ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
