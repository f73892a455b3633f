"""asv benchmark suite: every benchmark is parameterised by implementation.

Each module covers one area (``graph``, ``ops``); later milestones add e.g.
``layers`` and ``training`` beside them, reusing ``implementations``.
"""
