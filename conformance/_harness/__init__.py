"""Machinery behind ``python3 -m conformance``: set-up, spec IDs, and the conformance report.

Standard library only (pytest is imported by the report plugin alone), so the bootstrap can run
on a bare Python before any dependency is installed.
"""
