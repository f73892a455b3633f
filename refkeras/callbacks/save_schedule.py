"""Counting training batches between saves, for callbacks with an integer ``save_freq``.

Batch hooks may skip indices (``steps_per_execution`` > 1 reports every N-th batch), so the
count advances by the gap between reported indices; an index not above the previous one
means a new epoch began.
"""

from __future__ import annotations


class BatchSaveCounter:
    """Says, batch by batch, when ``every`` batches have passed since the last save.

    ``last`` is the previous batch index seen (``None`` before any).
    """

    def __init__(self, every: int, last: int | None = None):
        self.every = every
        self.last = last
        self.since_save = 0

    def due(self, batch: int) -> bool:
        """Records batch ``batch`` (0-based) and says whether a save is due now."""
        if self.last is None or batch <= self.last:
            self.since_save += batch + 1
        else:
            self.since_save += batch - self.last
        self.last = batch
        if self.since_save >= self.every:
            self.since_save = 0
            return True
        return False


def check_save_freq(save_freq: object) -> bool:
    """Whether ``save_freq`` is ``"epoch"`` or an integer, the two accepted forms."""
    return save_freq == "epoch" or isinstance(save_freq, int)
