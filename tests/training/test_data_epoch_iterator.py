"""EpochIterator: epoch length, continuity across epochs, chunks, running out, hooks."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

from refkeras.training.data import EpochIterator
from refkeras.utils import PyDataset

OUT_OF_DATA = "Your input ran out of data; interrupting training"


def epoch(iterator):
    """[(begin, end, [first value of each batch])] and whether it warned about running out."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chunks = [(b, e, [int(np.ravel(x[0] if isinstance(x, tuple) else x)[0]) for x in xs])
                  for b, e, xs in iterator.enumerate_epoch()]
    warned = any(OUT_OF_DATA in str(w.message) for w in caught)
    assert warned == iterator.ran_out_of_data
    return chunks, warned


def gen(count):
    for i in range(count):
        yield (np.full((1, 1), i),)


def test_full_passes_restart_each_epoch():
    it = EpochIterator(np.arange(10)[:, None], batch_size=3)
    assert it.num_batches == 4
    for _ in range(2):
        chunks, warned = epoch(it)
        assert chunks == [(0, 0, [0]), (1, 1, [3]), (2, 2, [6]), (3, 3, [9])] and not warned


def test_chunks_of_steps_per_execution():
    it = EpochIterator(np.arange(5)[:, None], batch_size=1, steps_per_execution=2)
    chunks, warned = epoch(it)
    # the last chunk is short but keeps end = begin + 1, and a short chunk is not "running out"
    assert chunks == [(0, 1, [0, 1]), (2, 3, [2, 3]), (4, 5, [4])] and not warned


def test_steps_per_epoch_continues_across_epochs_and_restarts_at_the_end():
    it = EpochIterator(np.arange(10)[:, None], batch_size=3, steps_per_epoch=2)
    assert it.num_batches == 2
    firsts = [[c[2][0] for c in epoch(it)[0]] for _ in range(3)]
    assert firsts == [[0, 3], [6, 9], [0, 3]]


def test_more_steps_than_batches_warns_each_epoch():
    it = EpochIterator(np.arange(4)[:, None], batch_size=2, steps_per_epoch=3)
    for _ in range(2):
        chunks, warned = epoch(it)
        assert [c[0] for c in chunks] == [0, 1] and warned


def test_uneven_steps_per_epoch_leaves_a_short_epoch():
    it = EpochIterator(np.arange(4)[:, None], batch_size=1, steps_per_epoch=3)
    assert epoch(it) == ([(0, 0, [0]), (1, 1, [1]), (2, 2, [2])], False)
    assert epoch(it) == ([(0, 0, [3])], True)
    assert epoch(it)[0][0] == (0, 0, [0])


def test_unknown_length_runs_out_and_learns_its_length():
    it = EpochIterator(gen(3))
    assert it.num_batches is None
    chunks, warned = epoch(it)
    assert [c[2] for c in chunks] == [[0], [1], [2]] and warned
    # the steps counted when the data ended (one past the last batch, as upstream)
    assert it.num_batches == 4
    # a generator cannot restart: later passes see only its two replayed batches
    assert [c[2] for c in epoch(it)[0]] == [[0], [1]]


def test_steps_per_epoch_with_a_generator_continues_it():
    it = EpochIterator(gen(5), steps_per_epoch=3)
    assert [c[2][0] for c in epoch(it)[0]] == [0, 1, 2]
    chunks, warned = epoch(it)
    assert [c[2][0] for c in chunks] == [3, 4] and warned


def test_minus_one_steps_reads_an_endless_source_until_the_caller_stops():
    endless = ((np.full((1, 1), i),) for i in itertools.count())
    it = EpochIterator(endless, steps_per_epoch=-1)
    chunks = list(itertools.islice(it.enumerate_epoch(), 5))
    assert [b for b, _, _ in chunks] == [0, 1, 2, 3, 4]


class Recorder(PyDataset):
    def __init__(self):
        super().__init__()
        self.events = []

    def __len__(self):
        return 2

    def __getitem__(self, index):
        self.events.append(index)
        return (np.full((1, 1), index),)

    def on_epoch_begin(self):
        self.events.append("begin")

    def on_epoch_end(self):
        self.events.append("end")


def test_hooks_wrap_each_epoch_and_reset_ends_one():
    dataset = Recorder()
    it = EpochIterator(dataset)
    epoch(it)
    epoch(it)
    assert dataset.events == ["begin", 0, 1, "end", "begin", 0, 1, "end"]
    it.reset()
    assert dataset.events[-1] == "end"


def test_first_batch_then_reset():
    dataset = Recorder()
    it = EpochIterator(dataset)
    assert int(it.first_batch()[0][0, 0]) == 0
    it.reset()
    assert dataset.events == ["begin", 0, "end"]
    assert [c[2] for c in epoch(it)[0]] == [[0], [1]]


@pytest.mark.parametrize("shuffle", [False, True])
def test_array_adapter_per_batch_overhead_is_small(shuffle):
    # A guard against accidental slow paths (tree walks, tf.data) in the numpy path.
    import timeit
    it = EpochIterator(np.zeros((32 * 200, 8), "float32"), np.zeros(32 * 200), batch_size=32,
                       shuffle=shuffle)
    seconds = min(timeit.repeat(lambda: sum(1 for _ in it.enumerate_epoch()), number=1,
                                repeat=5))
    assert seconds / 200 < 100e-6
