"""Random numbers: stateless sampling functions, seed generators, global seeding.

Pass ``seed=`` an int for repeatable values, a :class:`SeedGenerator` for new
values on every call, or leave it None to use the global generator (reset by
:func:`set_random_seed`).
"""

from refkeras.random.distributions import normal as normal
from refkeras.random.distributions import randint as randint
from refkeras.random.distributions import truncated_normal as truncated_normal
from refkeras.random.distributions import uniform as uniform
from refkeras.random.seed_generator import SeedGenerator as SeedGenerator
from refkeras.random.seed_generator import make_default_seed as make_default_seed
from refkeras.random.seeding import draw_seed as draw_seed
from refkeras.random.seeding import get_random_seed as get_random_seed
from refkeras.random.seeding import global_seed_generator as global_seed_generator
from refkeras.random.seeding import set_random_seed as set_random_seed
from refkeras.random.transforms import dropout as dropout
from refkeras.random.transforms import shuffle as shuffle

__all__ = [
    "SeedGenerator", "draw_seed", "dropout", "get_random_seed", "global_seed_generator",
    "make_default_seed", "normal", "randint", "set_random_seed", "shuffle", "truncated_normal",
    "uniform",
]
