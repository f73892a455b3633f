"""Hypothesis strategies of the conformance suite.

Strategies produce plain data (no keras, no refkeras objects), so one drawn
example can be realised with both implementations and the results compared.
"""
