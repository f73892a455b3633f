"""asv benchmarks comparing refkeras with upstream keras in the same run.

The timed suite lives in ``asv_benchmarks/benchmarks``; ``python -m
asv_benchmarks.ratios`` runs it and prints refkeras/keras ratios against the
project's speed targets. See README.md in this folder.
"""
