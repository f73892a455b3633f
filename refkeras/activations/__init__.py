"""Activation functions, and their lookup by name (``get``, ``serialize``, ``deserialize``)."""

from refkeras.activations.identifiers import ALL_OBJECTS_DICT as ALL_OBJECTS_DICT
from refkeras.activations.identifiers import deserialize as deserialize
from refkeras.activations.identifiers import get as get
from refkeras.activations.identifiers import serialize as serialize
from refkeras.activations.relu import ReLU as ReLU
from refkeras.activations.relu import relu as relu
from refkeras.activations.standard import Mish as Mish
from refkeras.activations.standard import celu as celu
from refkeras.activations.standard import elu as elu
from refkeras.activations.standard import exponential as exponential
from refkeras.activations.standard import gelu as gelu
from refkeras.activations.standard import glu as glu
from refkeras.activations.standard import hard_shrink as hard_shrink
from refkeras.activations.standard import hard_sigmoid as hard_sigmoid
from refkeras.activations.standard import hard_silu as hard_silu
from refkeras.activations.standard import hard_tanh as hard_tanh
from refkeras.activations.standard import leaky_relu as leaky_relu
from refkeras.activations.standard import linear as linear
from refkeras.activations.standard import log_sigmoid as log_sigmoid
from refkeras.activations.standard import log_softmax as log_softmax
from refkeras.activations.standard import mish as mish
from refkeras.activations.standard import relu6 as relu6
from refkeras.activations.standard import selu as selu
from refkeras.activations.standard import sigmoid as sigmoid
from refkeras.activations.standard import silu as silu
from refkeras.activations.standard import soft_shrink as soft_shrink
from refkeras.activations.standard import softmax as softmax
from refkeras.activations.standard import softplus as softplus
from refkeras.activations.standard import softsign as softsign
from refkeras.activations.standard import sparse_plus as sparse_plus
from refkeras.activations.standard import sparse_sigmoid as sparse_sigmoid
from refkeras.activations.standard import sparsemax as sparsemax
from refkeras.activations.standard import squareplus as squareplus
from refkeras.activations.standard import tanh as tanh
from refkeras.activations.standard import tanh_shrink as tanh_shrink
from refkeras.activations.standard import threshold as threshold

swish = silu
hard_swish = hard_silu
