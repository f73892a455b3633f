"""tf.data, generator and PyDataset adapters, and the checks made when picking an adapter."""

from __future__ import annotations

import random
import warnings

import numpy as np
import pytest

from refkeras.training.data import get_data_adapter
from refkeras.utils import PyDataset

tf = pytest.importorskip("tensorflow")


def values(adapter):
    return [[np.asarray(part).tolist() for part in batch] for batch in
            adapter.get_numpy_iterator()]


def test_tf_dataset_batches_and_sizes():
    x = np.arange(5, dtype="float64")
    dataset = tf.data.Dataset.from_tensor_slices((x, x * 2)).batch(2)
    adapter = get_data_adapter(dataset)
    assert values(adapter) == [[[0, 1], [0, 2]], [[2, 3], [4, 6]], [[4], [8]]]
    batch = next(adapter.get_numpy_iterator())
    assert isinstance(batch[0], np.ndarray) and batch[0].dtype == np.float64  # kept
    assert adapter.num_batches == 3 and adapter.batch_size is None
    assert get_data_adapter(dataset.repeat()).num_batches is None
    assert get_data_adapter(dataset.filter(lambda a, b: True)).num_batches is None
    assert get_data_adapter(dataset) is not None


def test_tf_dataset_class_weight():
    dataset = tf.data.Dataset.from_tensor_slices((np.zeros(3), np.array([1, 0, 1]))).batch(3)
    (_, _, weights), = list(get_data_adapter(dataset, class_weight={1: 4.0})
                            .get_numpy_iterator())
    assert weights.tolist() == [4.0, 1.0, 4.0]


def gen(count):
    for i in range(count):
        yield (np.full((1, 1), i),)


def test_generator_replays_its_first_two_batches():
    adapter = get_data_adapter(gen(4))
    assert adapter.num_batches is None
    first = [b[0].item() for b in adapter.get_numpy_iterator()]
    second = [b[0].item() for b in adapter.get_numpy_iterator()]
    assert first == [0, 1, 2, 3] and second == [0, 1]


def test_generator_errors():
    with pytest.raises(ValueError, match="at least one batch"):
        get_data_adapter(gen(0))
    with pytest.raises(ValueError, match="must return a tuple"):
        get_data_adapter(np.zeros(1) for _ in range(2))
    with pytest.raises(ValueError, match="not supported for Python generator"):
        get_data_adapter(gen(2), class_weight={0: 1.0})


def test_generator_tf_dataset():
    dataset = get_data_adapter(gen(3)).get_tf_dataset()
    assert [b[0].numpy().item() for b in dataset] == [0, 1, 2]


class Batches(PyDataset):
    def __init__(self, count, **kwargs):
        super().__init__(**kwargs)
        self.count, self.events = count, []

    def __len__(self):
        return self.count

    def __getitem__(self, index):
        return np.full((2, 1), float(index)), np.array([index % 2, 1])

    def on_epoch_begin(self):
        self.events.append("begin")

    def on_epoch_end(self):
        self.events.append("end")


def test_py_dataset_order_hooks_and_shuffle():
    dataset = Batches(4)
    adapter = get_data_adapter(dataset)
    adapter.on_epoch_begin()
    assert [b[0][0, 0] for b in adapter.get_numpy_iterator()] == [0, 1, 2, 3]
    adapter.on_epoch_end()
    assert dataset.events == ["begin", "end"]
    with pytest.raises(ValueError, match="called twice"):
        adapter.on_epoch_begin()
        adapter.on_epoch_begin()
    shuffled = get_data_adapter(Batches(6), shuffle=True)
    random.seed(1)
    order = [int(b[0][0, 0]) for b in shuffled.get_numpy_iterator()]
    expected = list(range(6))
    random.seed(1)
    random.shuffle(expected)
    assert order == expected


def test_py_dataset_class_weight_and_errors():
    adapter = get_data_adapter(Batches(2), class_weight={1: 3.0})
    _, _, weights = list(adapter.get_numpy_iterator())[1]
    assert weights.tolist() == [3.0, 3.0]

    class Bad(Batches):
        def __getitem__(self, index):
            return "not a batch"

    with pytest.raises(ValueError, match="must return a tuple or a dict"):
        next(get_data_adapter(Bad(1)).get_numpy_iterator())


def test_py_dataset_defaults_and_missing_super_warning():
    assert (Batches(1).workers, Batches(1).use_multiprocessing, Batches(1).max_queue_size) == \
        (1, False, 10)

    class NoSuper(PyDataset):
        def __init__(self):
            pass

    with pytest.warns(UserWarning, match="should call `super"):
        assert NoSuper().workers == 1


def test_py_dataset_iterates_and_requires_getitem():
    assert [int(x[0, 0]) for x, _ in Batches(3)] == [0, 1, 2]
    with pytest.raises(NotImplementedError):
        PyDataset()[0]


@pytest.mark.parametrize("make", [
    lambda: tf.data.Dataset.from_tensor_slices(np.zeros(2)).batch(1), lambda: gen(2),
    lambda: Batches(2)])
def test_targets_with_a_dataset_are_rejected(make):
    with pytest.raises(ValueError, match="`y` should not be passed"):
        get_data_adapter(make(), y=np.zeros(2))
    with pytest.raises(ValueError, match="`sample_weights` should not be passed"):
        get_data_adapter(make(), sample_weight=np.zeros(2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        get_data_adapter(make(), batch_size=7)  # ignored, silently


def test_shuffle_with_a_generator_warns():
    with pytest.warns(UserWarning, match="will be ignored"):
        get_data_adapter(gen(2), shuffle=True)
