"""Learning-rate schedules: pass one as an optimizer's ``learning_rate``."""

from refkeras.optimizers.schedules.cosine_decay import CosineDecay as CosineDecay
from refkeras.optimizers.schedules.exponential_decay import ExponentialDecay as ExponentialDecay
from refkeras.optimizers.schedules.identifiers import deserialize as deserialize
from refkeras.optimizers.schedules.identifiers import serialize as serialize
from refkeras.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule as LearningRateSchedule,
)
from refkeras.optimizers.schedules.piecewise_constant_decay import (
    PiecewiseConstantDecay as PiecewiseConstantDecay,
)

__all__ = [
    "CosineDecay", "ExponentialDecay", "LearningRateSchedule", "PiecewiseConstantDecay",
    "deserialize", "serialize",
]
