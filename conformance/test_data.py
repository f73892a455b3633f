"""Differential tests of the training data layer: adapters, EpochIterator, data utilities.

Upstream's ``EpochIterator`` is driven the way its JAX trainer drives it (the iterator hands
out a source; each step pulls up to ``steps_per_execution`` batches, a short chunk is silent,
an empty one raises ``StopIteration`` into ``catch_stop_iteration``). With ``--impl keras``
both sides use that driver.
"""

from __future__ import annotations

import random
import types
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import refkeras.training.data as ref_data
import refkeras.utils

OUT_OF_DATA = "Your input ran out of data; interrupting training"


def upstream_api() -> types.SimpleNamespace:
    from keras.src.trainers import data_adapters
    from keras.src.trainers import epoch_iterator as upstream_epoch
    from keras.src.trainers.data_adapters import array_slicing, data_adapter_utils

    class DrivenEpochIterator(upstream_epoch.EpochIterator):
        def __next__(self):  # as the JAX trainer's iterator: hand out the source itself
            return next(self._epoch_iterator)

        def enumerate_epoch(self):
            chunks = []
            with self.catch_stop_iteration():
                for begin, end, source in self:
                    chunk = [next(source)]
                    try:
                        for _ in range(self.steps_per_execution - 1):
                            chunk.append(next(source))
                    except StopIteration:
                        pass
                    chunks.append((begin, end, chunk))
            return chunks

    import keras
    return types.SimpleNamespace(
        get_data_adapter=data_adapters.get_data_adapter, EpochIterator=DrivenEpochIterator,
        train_validation_split=array_slicing.train_validation_split,
        class_weight_to_sample_weight=data_adapter_utils.class_weight_to_sample_weights,
        unpack=keras.utils.unpack_x_y_sample_weight, pack=keras.utils.pack_x_y_sample_weight,
        PyDataset=keras.utils.PyDataset)


def refkeras_api() -> types.SimpleNamespace:
    return types.SimpleNamespace(
        get_data_adapter=ref_data.get_data_adapter, EpochIterator=ref_data.EpochIterator,
        train_validation_split=ref_data.train_validation_split,
        class_weight_to_sample_weight=ref_data.class_weight_to_sample_weight,
        unpack=ref_data.unpack_x_y_sample_weight, pack=ref_data.pack_x_y_sample_weight,
        PyDataset=refkeras.utils.PyDataset)


@pytest.fixture(scope="module")
def apis(impl: Any, upstream: Any) -> tuple[types.SimpleNamespace, types.SimpleNamespace]:
    """(implementation under test, oracle) data APIs."""
    tested = upstream_api() if impl.__name__ == "keras" else refkeras_api()
    return tested, upstream_api()


def canonical(batch: Any) -> Any:
    """A comparable form: arrays as (dtype, shape, values); containers kept."""
    if isinstance(batch, dict):
        return ("dict", list(batch), [canonical(v) for v in batch.values()])
    if isinstance(batch, (list, tuple)):
        return (type(batch).__name__, [canonical(v) for v in batch])
    if batch is None:
        return None
    assert isinstance(batch, np.ndarray), type(batch)
    return (str(batch.dtype), batch.shape, batch.tolist())


def passes(adapter: Any, count: int = 2) -> list:
    out = []
    for _ in range(count):
        adapter.on_epoch_begin()
        out.append([canonical(b) for b in adapter.get_numpy_iterator()])
        adapter.on_epoch_end()
    return out


def sizes(adapter: Any) -> tuple:
    return (adapter.num_batches, adapter.batch_size, adapter.has_partial_batch,
            adapter.partial_batch_size)


def outcome(fn: Any) -> Any:
    """(result or exception class, warning texts) of ``fn()``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = ("ok", fn())
        except Exception as error:  # noqa: BLE001 - the class is what is compared
            result = ("error", type(error).__name__)
    return result, sorted(str(w.message)[:60] for w in caught)


# -- arrays ------------------------------------------------------------------------------------

@st.composite
def array_case(draw: Any) -> dict:
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    n = draw(st.integers(1, 40))
    dtype = draw(st.sampled_from(["float64", "float32", "int32", "float16"]))
    x = (rng.standard_normal((n, 2)) * 10).astype(dtype)
    kind = draw(st.sampled_from(["array", "dict", "list", "tuple"]))
    if kind == "dict":
        x = {"b": x, "a": rng.integers(0, 5, (n,)).astype("int64")}
    elif kind in ("list", "tuple"):
        x = [x, rng.standard_normal((n, 3, 1))]
        x = tuple(x) if kind == "tuple" else x
    y = draw(st.sampled_from([None, "one", "two"]))
    if y == "one":
        y = rng.integers(0, 3, (n, 1))
    elif y == "two":
        y = [rng.standard_normal((n,)), rng.standard_normal((n, 2))]
    sample_weight = None
    if y is not None and draw(st.booleans()):
        sample_weight = rng.random((n,))
    return {"x": x, "y": y, "sample_weight": sample_weight,
            "batch_size": draw(st.sampled_from([None, 1, 3, 7, 64])),
            "steps_per_epoch": draw(st.sampled_from([None, 2, 5]))}


@pytest.mark.spec("data.arrays.batches", "data.arrays.layout", "data.arrays.dtypes",
                  "data.sample_weight.outputs")
@given(array_case())
def test_array_batches_match(apis, case):
    tested, oracle = apis
    got, want = tested.get_data_adapter(**case), oracle.get_data_adapter(**case)
    assert sizes(got) == sizes(want)
    assert passes(got) == passes(want)


@pytest.mark.spec("data.arrays.shuffle")
@given(st.integers(0, 2**16), st.integers(1, 30), st.sampled_from([1, 4, 32]),
       st.sampled_from([True, "batch"]))
def test_shuffled_orders_match_under_the_same_numpy_seed(apis, seed, n, batch_size, shuffle):
    tested, oracle = apis
    x, y = np.arange(n * 2).reshape(n, 2), np.arange(n)
    results = []
    for api in (tested, oracle):
        np.random.seed(seed)
        adapter = api.get_data_adapter(x, y, batch_size=batch_size, shuffle=shuffle)
        results.append(passes(adapter, 3))
    assert results[0] == results[1]


@pytest.mark.spec("data.arrays.dtypes")
def test_backend_tensors_become_numpy(apis):
    import jax.numpy as jnp
    import tensorflow as tf
    tested, oracle = apis
    for x in (jnp.arange(10.0).reshape(5, 2), tf.reshape(tf.range(10), (5, 2))):
        got = passes(tested.get_data_adapter(x, x, batch_size=2), 1)
        assert got == passes(oracle.get_data_adapter(x, x, batch_size=2), 1)


ARRAY_ERRORS = {
    "cardinality": lambda n: dict(x=np.zeros((n, 1)), y=np.zeros((n + 1, 1))),
    "cardinality_nested": lambda n: dict(x={"a": np.zeros(n), "b": np.zeros(n + 2)},
                                         y=np.zeros(n)),
    "string": lambda n: dict(x="abc"),
    "scalar_list": lambda n: dict(x=[1.0, 2.0]),
    "sw_structure": lambda n: dict(x=np.zeros(n), y=[np.zeros(n), np.zeros(n)],
                                   sample_weight=[np.ones(n)]),
    "sw_not_per_sample": lambda n: dict(x=np.zeros(n), y=[np.zeros(n), np.zeros(n)],
                                        sample_weight=np.ones((n, 2))),
    "cw_and_sw": lambda n: dict(x=np.zeros(n), y=np.zeros(n), sample_weight=np.ones(n),
                                class_weight={0: 2.0}),
    "cw_multi_output": lambda n: dict(x=np.zeros(n), y=[np.zeros(n), np.zeros(n)],
                                      class_weight={0: 2.0}),
}


@pytest.mark.spec("data.arrays.errors", "data.sample_weight.outputs", "data.class_weight.errors")
@pytest.mark.parametrize("name", sorted(ARRAY_ERRORS))
def test_array_errors_match(apis, name):
    tested, oracle = apis
    kwargs = ARRAY_ERRORS[name](4)
    got = outcome(lambda: tested.get_data_adapter(**kwargs))
    want = outcome(lambda: oracle.get_data_adapter(**kwargs))
    assert want[0][0] == "error"
    assert got == want


@pytest.mark.spec("data.arrays.errors", "data.sample_weight.outputs", "data.class_weight.errors")
@pytest.mark.parametrize(("name", "phrase"), [
    ("cardinality", "Data cardinality is ambiguous"), ("string", "Unrecognized data type"),
    ("sw_structure", "one `sample_weight` array per output"),
    ("sw_not_per_sample", "one scalar score per sample"),
    ("cw_and_sw", "You cannot `class_weight` and `sample_weight` at the same time"),
    ("cw_multi_output", "only supported for Models with a single output")])
def test_array_error_phrases(apis, name, phrase):
    tested, _ = apis
    with pytest.raises(ValueError, match=__import__("re").escape(phrase)):
        tested.get_data_adapter(**ARRAY_ERRORS[name](4))


# -- class weights ---------------------------------------------------------------------------

@st.composite
def class_weight_case(draw: Any) -> tuple:
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    n, classes = draw(st.integers(1, 12)), draw(st.integers(2, 4))
    ids = rng.integers(0, classes, (n,))
    form = draw(st.sampled_from(["ids", "column", "onehot", "soft", "float_ids"]))
    y = {"ids": ids, "column": ids[:, None], "onehot": np.eye(classes)[ids],
         "soft": rng.random((n, classes)),
         "float_ids": ids.astype("float32") + rng.uniform(-0.3, 0.3, n)}[form]
    keys = draw(st.lists(st.integers(0, classes), unique=True, min_size=1))
    class_weight = {k: draw(st.sampled_from([0.5, 2.0, 3.0])) for k in keys}
    return y, class_weight


@pytest.mark.spec("data.class_weight.values")
@given(class_weight_case())
def test_class_weight_to_sample_weight_matches(apis, case):
    tested, oracle = apis
    y, class_weight = case
    got = tested.class_weight_to_sample_weight(y, class_weight)
    want = oracle.class_weight_to_sample_weight(y, class_weight)
    assert canonical(got) == canonical(want)
    batches = [passes(api.get_data_adapter(np.zeros(len(y)), y, class_weight=class_weight,
                                           batch_size=5), 1) for api in apis]
    assert batches[0] == batches[1]


# -- tf.data ----------------------------------------------------------------------------------

def tf_dataset(kind: str) -> Any:
    import tensorflow as tf
    x = np.arange(14, dtype="float64").reshape(7, 2)
    y = np.array([0, 1, 2, 1, 0, 2, 1])
    base = tf.data.Dataset.from_tensor_slices((x, y))
    return {"batched": base.batch(3), "unknown": base.filter(lambda a, b: True).batch(2),
            "dict": tf.data.Dataset.from_tensor_slices(({"b": x, "a": y}, y)).batch(4),
            "single": tf.data.Dataset.from_tensor_slices(x).batch(2)}[kind]


@pytest.mark.spec("data.tf_dataset.batches")
@pytest.mark.parametrize("kind", ["batched", "unknown", "dict", "single"])
def test_tf_dataset_batches_match(apis, kind):
    tested, oracle = apis
    got, want = tested.get_data_adapter(tf_dataset(kind)), oracle.get_data_adapter(
        tf_dataset(kind))
    assert (got.num_batches, got.batch_size) == (want.num_batches, want.batch_size)
    assert passes(got) == passes(want)


@pytest.mark.spec("data.tf_dataset.batches", "data.class_weight.values")
def test_tf_dataset_class_weight_matches(apis):
    tested, oracle = apis
    cw = {0: 0.5, 1: 2.0, 2: 4.0}
    got = passes(tested.get_data_adapter(tf_dataset("batched"), class_weight=cw), 1)
    assert got == passes(oracle.get_data_adapter(tf_dataset("batched"), class_weight=cw), 1)


@pytest.mark.spec("data.select.dataset_args")
@pytest.mark.parametrize("kwargs", [{"y": np.zeros(3)}, {"sample_weight": np.zeros(3)},
                                    {"batch_size": 5}, {"shuffle": True}])
@pytest.mark.parametrize("source", ["tf", "generator", "py_dataset"])
def test_dataset_argument_handling_matches(apis, kwargs, source):
    results = []
    for api in apis:
        if source == "tf":
            x = tf_dataset("batched")
        elif source == "generator":
            x = ((np.zeros((2, 1)),) for _ in range(3))
        else:
            x = make_py_dataset(api.PyDataset, 3)()
        results.append(outcome(lambda x=x, api=api: type(
            api.get_data_adapter(x, **kwargs)).__name__.replace("Adapter", "")))
    assert results[0] == results[1]


@pytest.mark.spec("data.select.dataset_args")
def test_dataset_argument_phrases(apis):
    tested, _ = apis
    with pytest.raises(ValueError, match="`y` should not be passed"):
        tested.get_data_adapter(tf_dataset("batched"), y=np.zeros(3))
    with pytest.raises(ValueError, match="`sample_weights` should not be passed"):
        tested.get_data_adapter((b for b in [(np.zeros(1),)]), sample_weight=np.zeros(3))


# -- generators -------------------------------------------------------------------------------

def generator(count: int, form: str = "xy") -> Any:
    for i in range(count):
        x = np.full((2, 1), float(i))
        yield {"xy": (x, x * 2), "x": (x,), "bare": x}[form]


@pytest.mark.spec("data.generator.batches", "data.class_weight.errors")
@pytest.mark.parametrize(("count", "form", "kwargs"), [
    (5, "xy", {}), (1, "x", {}), (0, "xy", {}), (3, "bare", {}),
    (3, "xy", {"class_weight": {0: 1.0}})])
def test_generator_batches_and_errors_match(apis, count, form, kwargs):
    results = []
    for api in apis:
        def read(api=api):
            adapter = api.get_data_adapter(generator(count, form), **kwargs)
            return adapter.num_batches, passes(adapter, 3)
        results.append(outcome(read))
    assert results[0] == results[1]


@pytest.mark.spec("data.generator.batches", "data.class_weight.errors")
def test_generator_error_phrases(apis):
    tested, _ = apis
    with pytest.raises(ValueError, match="at least one batch"):
        tested.get_data_adapter(generator(0))
    with pytest.raises(ValueError, match="must return a tuple"):
        tested.get_data_adapter(generator(2, "bare"))
    with pytest.raises(ValueError, match="not supported for Python generator"):
        tested.get_data_adapter(generator(2), class_weight={0: 1.0})


# -- PyDataset --------------------------------------------------------------------------------

def make_py_dataset(base: type, count: int | None, form: str = "xy",
                    call_super: bool = True) -> type:
    class Numbers(base):
        def __init__(self):
            if call_super:
                super().__init__()
            self.events = []

        @property
        def num_batches(self):
            return count

        def __getitem__(self, index):
            x = np.full((2, 1), float(index))
            y = np.array([index % 3, (index + 1) % 3])
            return {"xy": (x, y), "x": (x,), "bare": x, "list": [x, y], "xyw": (x, y, y * 1.0),
                    "four": (x, y, y, y), "dict": {"x": x}, "scalar": 3}[form]

        def on_epoch_begin(self):
            self.events.append("begin")

        def on_epoch_end(self):
            self.events.append("end")

    return Numbers


@pytest.mark.spec("data.py_dataset.batches")
@pytest.mark.parametrize("form", ["xy", "x", "bare", "list", "xyw", "four", "dict", "scalar"])
@pytest.mark.parametrize("shuffle", [False, True])
def test_py_dataset_batches_match(apis, form, shuffle):
    results = []
    for api in apis:
        random.seed(7)
        adapter = api.get_data_adapter(make_py_dataset(api.PyDataset, 5, form)(),
                                       shuffle=shuffle)
        results.append(outcome(lambda adapter=adapter: (adapter.num_batches,
                                                        passes(adapter, 3))))
    assert results[0] == results[1]


@pytest.mark.spec("data.py_dataset.batches", "data.class_weight.values",
                  "data.class_weight.errors")
@pytest.mark.parametrize("form", ["xy", "x", "xyw"])
def test_py_dataset_class_weight_matches(apis, form):
    results = []
    for api in apis:
        adapter = api.get_data_adapter(make_py_dataset(api.PyDataset, 3, form)(),
                                       class_weight={1: 2.0, 2: 0.5})
        results.append(outcome(lambda adapter=adapter: passes(adapter, 1)))
    assert results[0] == results[1]


@pytest.mark.spec("data.py_dataset.hooks", "data.epoch.hooks")
@pytest.mark.parametrize("steps_per_epoch", [None, 2, 4])
def test_py_dataset_hooks_match(apis, steps_per_epoch):
    results = []
    for api in apis:
        dataset = make_py_dataset(api.PyDataset, 3)()
        iterator = api.EpochIterator(dataset, steps_per_epoch=steps_per_epoch)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            epochs = [[(b, e, [canonical(x) for x in xs]) for b, e, xs in
                       iterator.enumerate_epoch()] for _ in range(3)]
        results.append((epochs, dataset.events))
    assert results[0] == results[1]


@pytest.mark.spec("data.py_dataset.hooks")
def test_py_dataset_without_super_init_warns(apis):
    results = []
    for api in apis:
        dataset = make_py_dataset(api.PyDataset, 2, call_super=False)()
        results.append(outcome(lambda d=dataset: (d.workers, d.use_multiprocessing,
                                                  d.max_queue_size)))
    assert results[0] == results[1]
    assert "should call `super().__init__(**kwargs)`" in results[0][1][0] or \
        "should call `super().__init__" in " ".join(results[0][1])


# -- utilities --------------------------------------------------------------------------------

@pytest.mark.spec("data.split.values")
@given(st.integers(2, 30), st.floats(0.05, 0.95), st.booleans())
def test_train_validation_split_matches(apis, n, fraction, with_none):
    tested, oracle = apis
    arrays = (np.arange(n * 2, dtype="float64").reshape(n, 2),
              None if with_none else {"a": np.arange(n), "b": np.ones((n, 1), "float16")})
    got = outcome(lambda: canonical(tested.train_validation_split(arrays, fraction)))
    assert got == outcome(lambda: canonical(oracle.train_validation_split(arrays, fraction)))


@pytest.mark.spec("data.split.values", "data.split.errors")
@pytest.mark.parametrize(("arrays", "fraction", "phrase"), [
    ((np.zeros(1), None), 0.3, "not sufficient to split it"),
    ((np.zeros(10),), 0.0, "not sufficient to split it"),
    ((np.zeros(10), [1, 2]), 0.2, "only supported for tensors or NumPy arrays"),
    ((None, None), 0.2, None)])
def test_train_validation_split_edges_match(apis, arrays, fraction, phrase):
    tested, oracle = apis
    got = outcome(lambda: canonical(tested.train_validation_split(arrays, fraction)))
    assert got == outcome(lambda: canonical(oracle.train_validation_split(arrays, fraction)))
    if phrase:
        with pytest.raises(ValueError, match=phrase):
            tested.train_validation_split(arrays, fraction)


@pytest.mark.spec("data.packing.roundtrip")
@pytest.mark.parametrize("data", [1, (1,), (1, 2), (1, 2, 3), [1, 2], [1, 2, 3], (1, 2, 3, 4),
                                  {"a": 1}, (None, 2)])
def test_unpack_matches(apis, data):
    tested, oracle = apis
    assert outcome(lambda: tested.unpack(data)) == outcome(lambda: oracle.unpack(data))


@pytest.mark.spec("data.packing.roundtrip")
@pytest.mark.parametrize("args", [(1,), ([1, 2],), ((1,),), (1, 2), (1, None, 3), (1, 2, 3)])
def test_pack_matches(apis, args):
    tested, oracle = apis
    assert tested.pack(*args) == oracle.pack(*args)


# -- EpochIterator ----------------------------------------------------------------------------

def run_epochs(api: Any, make_x: Any, epochs: int, **kwargs: Any) -> Any:
    iterator = api.EpochIterator(make_x(), **kwargs)
    iterator.reset()
    record = [iterator.num_batches]
    for _ in range(epochs):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            chunks = [(b, e, [canonical(x) for x in xs])
                      for b, e, xs in iterator.enumerate_epoch()]
        messages = [(w.category.__name__, str(w.message)[:50]) for w in caught]
        record.append((chunks, messages, iterator.num_batches))
    return record


SOURCES = {
    "array": lambda n: np.arange(n * 2).reshape(n, 2),
    "array_xy": lambda n: (np.arange(n), np.arange(n) * 2),
    "generator": lambda n: ((np.full((1, 1), i),) for i in range(n)),
    "tf": lambda n: tf_dataset_of(n),
    "tf_unknown": lambda n: tf_dataset_of(n).filter(lambda a: True),
    "tf_infinite": lambda n: tf_dataset_of(n).repeat(),
}


def tf_dataset_of(n: int) -> Any:
    import tensorflow as tf
    return tf.data.Dataset.range(n).map(lambda i: (tf.reshape(i, (1, 1)),))


@pytest.mark.spec("data.epoch.full_pass", "data.epoch.steps_per_epoch",
                  "data.epoch.out_of_data")
@given(st.sampled_from(sorted(SOURCES)), st.integers(1, 9), st.sampled_from([None, 1, 2, 4]),
       st.sampled_from([None, 1, 3, 5, 12]), st.sampled_from([1, 2, 3]))
def test_epoch_iteration_matches(apis, source, n, batch_size, steps_per_epoch, per_call):
    if source == "tf_infinite" and steps_per_epoch is None:
        steps_per_epoch = 4  # an endless epoch cannot be compared
    results = []
    make_x = SOURCES[source]
    for api in apis:
        kwargs = {"steps_per_epoch": steps_per_epoch, "steps_per_execution": per_call}
        data = lambda: make_x(n)  # noqa: E731 - a fresh source per implementation
        if source.startswith("array"):
            kwargs["batch_size"] = batch_size
            if source == "array_xy":
                x, y = make_x(n)
                data, kwargs["y"] = (lambda x=x: x), y
        results.append(run_epochs(api, data, 3, **kwargs))
    assert results[0] == results[1]


@pytest.mark.spec("data.epoch.out_of_data")
def test_out_of_data_warning_text(apis):
    tested, _ = apis
    iterator = tested.EpochIterator(np.zeros((4, 1)), batch_size=2, steps_per_epoch=3)
    with pytest.warns(UserWarning, match=OUT_OF_DATA):
        chunks = list(iterator.enumerate_epoch())
    assert [b for b, _, _ in chunks] == [0, 1]


@pytest.mark.spec("data.epoch.steps_per_epoch")
def test_infinite_dataset_with_steps_minus_one_reads_until_cut(apis):
    import itertools
    results = []
    for api in apis:
        iterator = api.EpochIterator(tf_dataset_of(3).repeat(), steps_per_epoch=-1)
        if isinstance(iterator, ref_data.EpochIterator):
            chunks = list(itertools.islice(iterator.enumerate_epoch(), 7))
        else:
            chunks = []
            for begin, end, source in iterator:
                chunks.append((begin, end, [next(source)]))
                if len(chunks) == 7:
                    break
        results.append((iterator.num_batches,
                        [(b, e, [canonical(x) for x in xs]) for b, e, xs in chunks]))
    assert results[0] == results[1]
