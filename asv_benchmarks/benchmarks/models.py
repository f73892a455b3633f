"""Models: building a functional model over a wide graph, and ``summary()``.

The layer calls that make the graph happen in ``setup``, so ``ModelWidth``
times ``Model(inputs, outputs)`` itself: mapping the graph, tracking its
layers, planning the calls. Targets (``ratios.py``): at 8,000 branches refkeras
is at least 10x faster than upstream, and its own 16,000 / 8,000 time ratio
stays near linear (<= 2.3); ``summary()`` of a 500-layer model takes at most
half of upstream's time.
"""

from .implementations import IMPLEMENTATIONS, load


def _namespace(keras):
    """``Model``/``Input``/``Dense`` wherever the implementation exports them."""
    models = __import__(f"{keras.__name__}.models", fromlist=["Model"])
    layers = __import__(f"{keras.__name__}.layers", fromlist=["Dense"])
    return models.Model, layers.Input, layers.Dense


class ModelWidth:
    """``Model(x, outputs)`` where ``outputs`` are ``width`` parallel ``Dense(1)(x)``."""

    params = [IMPLEMENTATIONS, [8000, 16000]]
    param_names = ["implementation", "width"]
    # asv re-runs setup before every sample; making 16,000 layer calls takes seconds
    # (upstream: tens of seconds), so single-call samples, no warmup (see graph.py):
    # at least 4 (the growth ratio divides two minima, each noisy with few samples),
    # more while within a minute (setup time counts towards it).
    number = 1
    repeat = (4, 10, 60.0)
    rounds = 1
    warmup_time = 0.0
    timeout = 900

    def setup(self, implementation: str, width: int) -> None:
        self.Model, Input, Dense = _namespace(load(implementation))
        self.inputs = Input((4,))
        self.outputs = [Dense(1)(self.inputs) for _ in range(width)]

    def time_build_model(self, implementation: str, width: int) -> None:
        self.Model(self.inputs, self.outputs)


class Summary:
    """``summary(print_fn=...)`` of a functional chain of ``depth`` Dense(4) layers."""

    params = [IMPLEMENTATIONS, [500]]
    param_names = ["implementation", "depth"]
    number = 1
    repeat = (3, 10, 20.0)
    rounds = 1
    warmup_time = 0.0
    timeout = 600

    def setup(self, implementation: str, depth: int) -> None:
        Model, Input, Dense = _namespace(load(implementation))
        x = h = Input((4,))
        for _ in range(depth):
            h = Dense(4)(h)
        self.model = Model(x, h)

    def time_summary(self, implementation: str, depth: int) -> None:
        self.model.summary(print_fn=lambda text, **kwargs: None)
