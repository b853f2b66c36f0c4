"""Right and wrong answers to assignment 4 (see tests/corpus/__init__.py).

Several functions share a name on purpose: each is one student's answer cell. Names they
use but do not define (sigmoid, relu, relu_backward, linear_forward, parameters_to_vector,
...) are the notebook's own when they run.
"""
# ruff: noqa: F811, F821

import numpy as np

from . import right, wrong

# ---------------------------------------------------------------- initialize_parameters

@wrong("zero weights: the hidden units stay identical", message="symmetry")
def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.zeros((n_h, n_x)), "b1": np.zeros((n_h, 1)),
            "W2": np.zeros((n_y, n_h)), "b2": np.zeros((n_y, 1))}


@wrong("every weight 0.01: small, but not random", message="symmetry")
def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.ones((n_h, n_x)) * 0.01, "b1": np.zeros((n_h, 1)),
            "W2": np.ones((n_y, n_h)) * 0.01, "b2": np.zeros((n_y, 1))}


@wrong("forgets the factor 0.01", message="small")
def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.random.randn(n_h, n_x), "b1": np.zeros((n_h, 1)),
            "W2": np.random.randn(n_y, n_h), "b2": np.zeros((n_y, 1))}


@wrong("W1 in the wrong orientation, (n_x, n_h)")
def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.random.randn(n_x, n_h) * 0.01, "b1": np.zeros((n_h, 1)),
            "W2": np.random.randn(n_y, n_h) * 0.01, "b2": np.zeros((n_y, 1))}


@wrong("random biases")
def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.random.randn(n_h, n_x) * 0.01, "b1": np.random.randn(n_h, 1) * 0.01,
            "W2": np.random.randn(n_y, n_h) * 0.01, "b2": np.random.randn(n_y, 1) * 0.01}


@wrong("assumes one output unit, as in the visible example", passes_visible=True)
def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.random.randn(n_h, n_x) * 0.01, "b1": np.zeros((n_h, 1)),
            "W2": np.random.randn(1, n_h) * 0.01, "b2": np.zeros((1, 1))}


@right("a generator of its own, normal numbers times 0.01")
def initialize_parameters(n_x, n_h, n_y):
    rng = np.random.default_rng(2)
    return {"W1": rng.normal(0, 0.01, size=(n_h, n_x)), "b1": np.zeros([n_h, 1]),
            "W2": rng.normal(0, 0.01, size=(n_y, n_h)), "b2": np.zeros([n_y, 1])}


@right("uniform numbers between -0.01 and 0.01, through dict()")
def initialize_parameters(n_x, n_h, n_y):
    W1 = np.random.uniform(-0.01, 0.01, (n_h, n_x))
    W2 = np.random.uniform(-0.01, 0.01, (n_y, n_h))
    return dict(W1=W1, b1=np.zeros((n_h, 1)), W2=W2, b2=np.zeros((n_y, 1)))

# ---------------------------------------------------------------- layer_shapes

@wrong("W shapes the wrong way round, (n[l-1], n[l])")
def layer_shapes(layer_dims):
    shapes = {}
    for l in range(1, len(layer_dims)):
        shapes["W" + str(l)] = (layer_dims[l - 1], layer_dims[l])
        shapes["b" + str(l)] = (layer_dims[l], 1)
    return shapes


@wrong("rank-1 bias shapes, (n[l],)")
def layer_shapes(layer_dims):
    shapes = {}
    for l in range(1, len(layer_dims)):
        shapes["W" + str(l)] = (layer_dims[l], layer_dims[l - 1])
        shapes["b" + str(l)] = (layer_dims[l],)
    return shapes


@wrong("keys counted from 0: W0, b0, ...")
def layer_shapes(layer_dims):
    shapes = {}
    for l in range(len(layer_dims) - 1):
        shapes["W" + str(l)] = (layer_dims[l + 1], layer_dims[l])
        shapes["b" + str(l)] = (layer_dims[l + 1], 1)
    return shapes


@wrong("stops one layer early: range(1, L) with L = len(layer_dims) - 1")
def layer_shapes(layer_dims):
    shapes = {}
    L = len(layer_dims) - 1
    for l in range(1, L):
        shapes["W" + str(l)] = (layer_dims[l], layer_dims[l - 1])
        shapes["b" + str(l)] = (layer_dims[l], 1)
    return shapes


@wrong("shapes as lists", message="tuple")
def layer_shapes(layer_dims):
    shapes = {}
    for l in range(1, len(layer_dims)):
        shapes["W" + str(l)] = [layer_dims[l], layer_dims[l - 1]]
        shapes["b" + str(l)] = [layer_dims[l], 1]
    return shapes


@wrong("hard-codes three layers, as in the visible example", passes_visible=True)
def layer_shapes(layer_dims):
    shapes = {}
    for l in (1, 2, 3):
        shapes["W" + str(l)] = (layer_dims[l], layer_dims[l - 1])
        shapes["b" + str(l)] = (layer_dims[l], 1)
    return shapes


@right("zip of neighbouring sizes and enumerate")
def layer_shapes(layer_dims):
    shapes = {}
    for l, (n_prev, n) in enumerate(zip(layer_dims[:-1], layer_dims[1:]), start=1):
        shapes[f"W{l}"] = (n, n_prev)
        shapes[f"b{l}"] = (n, 1)
    return shapes


@right("one dict comprehension, b keys before W keys")
def layer_shapes(layer_dims):
    L = len(layer_dims) - 1
    return {key: shape for l in range(L, 0, -1)
            for key, shape in ((f"b{l}", (layer_dims[l], 1)), (f"W{l}", (layer_dims[l], layer_dims[l - 1])))}

# ---------------------------------------------------------------- initialize_parameters_deep

@wrong("zero weights", message="symmetry")
def initialize_parameters_deep(layer_dims):
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.zeros((layer_dims[l], layer_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


@wrong("forgets the factor 0.01", message="small")
def initialize_parameters_deep(layer_dims):
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


@wrong("misses the last layer: range(1, L)")
def initialize_parameters_deep(layer_dims):
    parameters = {}
    L = len(layer_dims) - 1
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


@wrong("W in the wrong orientation, (n[l-1], n[l])")
def initialize_parameters_deep(layer_dims):
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l - 1], layer_dims[l]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


@wrong("rank-1 biases", message="rank-1")
def initialize_parameters_deep(layer_dims):
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.zeros(layer_dims[l])
    return parameters


@wrong("hard-codes two layers, as in the visible example", passes_visible=True)
def initialize_parameters_deep(layer_dims):
    parameters = {}
    for l in [1, 2]:
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


@right("builds on layer_shapes, with a generator of its own")
def initialize_parameters_deep(layer_dims):
    rng = np.random.default_rng()
    return {name: (np.zeros(shape) if name.startswith("b") else 0.01 * rng.standard_normal(shape))
            for name, shape in layer_shapes(layer_dims).items()}


@right("a while loop and np.random.normal")
def initialize_parameters_deep(layer_dims):
    parameters = {}
    l = 1
    while l < len(layer_dims):
        parameters[f"W{l}"] = np.random.normal(scale=0.01, size=(layer_dims[l], layer_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros(shape=(layer_dims[l], 1))
        l += 1
    return parameters

# ---------------------------------------------------------------- linear_forward

@wrong("W in the wrong orientation: W.T A")
def linear_forward(A, W, b):
    Z = np.dot(W.T, A) + b
    return Z, (A, W, b)


@wrong("forgets the bias")
def linear_forward(A, W, b):
    Z = np.dot(W, A)
    return Z, (A, W, b)


@wrong("adds b.T, which broadcasts the wrong way")
def linear_forward(A, W, b):
    Z = np.dot(W, A) + b.T
    return Z, (A, W, b)


@wrong("the cache in the wrong order, (W, A, b)")
def linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    return Z, (W, A, b)


@wrong("returns Z alone, without the cache", message="pair")
def linear_forward(A, W, b):
    return np.dot(W, A) + b


@right("the @ operator")
def linear_forward(A, W, b):
    return W @ A + b, (A, W, b)


@right("np.einsum, and the cache as a list")
def linear_forward(A, W, b):
    Z = np.einsum("ij,jk->ik", W, A) + b
    return Z, [A, W, b]


@right("np.matmul and np.add")
def linear_forward(A, W, b):
    Z = np.add(np.matmul(W, A), b)
    cache = (A, W, b)
    return Z, cache

# ---------------------------------------------------------------- linear_activation_forward

@wrong("swaps the activations")
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A = relu(Z) if activation == "sigmoid" else sigmoid(Z)
    return A, (linear_cache, Z)


@wrong("ignores activation: ReLU every time")
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A = relu(Z)
    return A, (linear_cache, Z)


@wrong("keeps A instead of Z as the activation cache")
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A = sigmoid(Z) if activation == "sigmoid" else relu(Z)
    return A, (linear_cache, A)


@wrong("the cache in the wrong order, (Z, linear_cache)")
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A = sigmoid(Z) if activation == "sigmoid" else relu(Z)
    return A, (Z, linear_cache)


@wrong("a leaky ReLU: max(0.01 z, z)")
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A = sigmoid(Z) if activation == "sigmoid" else np.maximum(0.01 * Z, Z)
    return A, (linear_cache, Z)


@right("its own formulas with np.where and np.exp, no linear_forward")
def linear_activation_forward(A_prev, W, b, activation):
    Z = W @ A_prev + b
    if activation == "relu":
        A = np.where(Z > 0, Z, 0)
    else:
        A = 1 / (1 + np.exp(-Z))
    return A, ((A_prev, W, b), Z)


@right("a dict of activation functions")
def linear_activation_forward(A_prev, W, b, activation):
    g = {"sigmoid": sigmoid, "relu": lambda z: z * (z > 0)}[activation]
    Z, linear_cache = linear_forward(A_prev, W, b)
    return g(Z), (linear_cache, Z)

# ---------------------------------------------------------------- L_model_forward

@wrong("forgets the final sigmoid: ReLU in every layer")
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    return A, caches


@wrong("sigmoid where the ReLU belongs")
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "sigmoid")
        caches.append(cache)
    return A, caches


@wrong("skips a hidden layer: range(1, L - 1)")
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L - 1):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches


@wrong("counts the layers as len(parameters)")
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters)
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches


@wrong("the caches in reverse order")
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.insert(0, cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.insert(0, cache)
    return AL, caches


@wrong("hard-codes three layers, as in the visible example", passes_visible=True)
def L_model_forward(X, parameters):
    caches = []
    A = X
    for l in (1, 2):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W3"], parameters["b3"], "sigmoid")
    caches.append(cache)
    return AL, caches


@right("one loop over all L layers, choosing the activation in it")
def L_model_forward(X, parameters):
    L = len([key for key in parameters if key.startswith("W")])
    A, caches = X, []
    for l in range(1, L + 1):
        activation = "sigmoid" if l == L else "relu"
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], activation)
        caches.append(cache)
    return A, caches


@right("a while loop, and the caches built by hand")
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    l = 1
    while l < L:
        W, b = parameters["W%d" % l], parameters["b%d" % l]
        Z = W @ A + b
        caches.append(((A, W, b), Z))
        A = np.maximum(Z, 0)
        l += 1
    W, b = parameters["W%d" % L], parameters["b%d" % L]
    Z = W @ A + b
    caches.append(((A, W, b), Z))
    return sigmoid(Z), caches

# ---------------------------------------------------------------- compute_cost

@wrong("forgets the minus sign")
def compute_cost(AL, Y):
    m = Y.shape[1]
    return np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m


@wrong("forgets the 1/m")
def compute_cost(AL, Y):
    return -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))


@wrong("the cost as a (1, 1) array", message="single number")
def compute_cost(AL, Y):
    m = Y.shape[1]
    return -(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)) / m


@wrong("forgets the (1 - y) log(1 - a) term")
def compute_cost(AL, Y):
    m = Y.shape[1]
    return -np.sum(Y * np.log(AL)) / m


@wrong("hard-codes m = 3, the size of the visible example", passes_visible=True)
def compute_cost(AL, Y):
    return -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / 3


@right("np.mean, as a plain float")
def compute_cost(AL, Y):
    return float(-np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))


@right("np.dot, squeezed to a 0-d array")
def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = (-1 / m) * (np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T))
    return np.squeeze(cost)


@right("picks log(a) or log(1 - a) with np.where")
def compute_cost(AL, Y):
    return -np.log(np.where(Y == 1, AL, 1 - AL)).sum() / AL.shape[1]

# ---------------------------------------------------------------- linear_backward

@wrong("forgets the 1/m in dW and db")
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    return np.dot(W.T, dZ), np.dot(dZ, A_prev.T), np.sum(dZ, axis=1, keepdims=True)


@wrong("a rank-1 db: np.sum without keepdims", message="rank-1")
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return np.dot(W.T, dZ), np.dot(dZ, A_prev.T) / m, np.sum(dZ, axis=1) / m


@wrong("dW in the wrong orientation: A_prev dZ^T, the shape of W.T")
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return np.dot(W.T, dZ), np.dot(A_prev, dZ.T) / m, np.sum(dZ, axis=1, keepdims=True) / m


@wrong("divides dA_prev by m too")
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return np.dot(W.T, dZ) / m, np.dot(dZ, A_prev.T) / m, np.sum(dZ, axis=1, keepdims=True) / m


@wrong("db sums over every entry of dZ, not over the examples")
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return np.dot(W.T, dZ), np.dot(dZ, A_prev.T) / m, np.sum(dZ) / m * np.ones(b.shape)


@wrong("takes m from the number of units (dZ.shape[0])", passes_visible=True)
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = dZ.shape[0]
    return np.dot(W.T, dZ), np.dot(dZ, A_prev.T) / m, np.sum(dZ, axis=1, keepdims=True) / m


@right("@ and mean(axis=1, keepdims=True)")
def linear_backward(dZ, cache):
    A_prev, W, _ = cache
    dW = dZ @ A_prev.T / dZ.shape[1]
    db = dZ.mean(axis=1, keepdims=True)
    dA_prev = W.T @ dZ
    return dA_prev, dW, db


@right("np.einsum, with 1/m as a factor in front")
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = (1 / m) * np.einsum("ik,jk->ij", dZ, A_prev)
    db = (1 / m) * np.sum(dZ, axis=1).reshape(b.shape)
    dA_prev = np.einsum("ji,jk->ik", W, dZ)
    return dA_prev, dW, db

# ---------------------------------------------------------------- linear_activation_backward

@wrong("swaps the backward helpers")
def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = sigmoid_backward(dA, activation_cache)
    else:
        dZ = relu_backward(dA, activation_cache)
    return linear_backward(dZ, linear_cache)


@wrong("ReLU slope from A = relu(Z) with the threshold A >= 0, which is always true")
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        A = np.maximum(0, Z)
        dZ = dA * (A >= 0)
    else:
        dZ = sigmoid_backward(dA, Z)
    return linear_backward(dZ, linear_cache)


@wrong("uses relu(Z) as the ReLU's slope")
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = dA * relu(Z)
    else:
        dZ = sigmoid_backward(dA, Z)
    return linear_backward(dZ, linear_cache)


@wrong("forgets dA in the sigmoid branch: dZ = s (1 - s)")
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = relu_backward(dA, Z)
    else:
        s = sigmoid(Z)
        dZ = s * (1 - s)
    return linear_backward(dZ, linear_cache)


@wrong("ignores activation: the ReLU's slope every time")
def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    dZ = relu_backward(dA, activation_cache)
    return linear_backward(dZ, linear_cache)


@wrong("passes the gradient only where Z > 0.1", passes_visible=True)
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = dA * (Z > 0.1)
    else:
        dZ = sigmoid_backward(dA, Z)
    return linear_backward(dZ, linear_cache)


@right("its own slopes: np.where for the ReLU, the sigmoid formula written out")
def linear_activation_backward(dA, cache, activation):
    (A_prev, W, b), Z = cache
    if activation == "relu":
        dZ = np.where(Z > 0, dA, 0)
    else:
        s = 1 / (1 + np.exp(-Z))
        dZ = np.multiply(dA, s * (1 - s))
    dA_prev, dW, db = linear_backward(dZ, (A_prev, W, b))
    return dA_prev, dW, db


@right("a dict of backward helpers, and no linear_backward")
def linear_activation_backward(dA, cache, activation):
    helpers = {"relu": relu_backward, "sigmoid": sigmoid_backward}
    (A_prev, W, b), Z = cache
    dZ = helpers[activation](dA, Z)
    m = A_prev.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, dZ.sum(axis=1, keepdims=True) / m

# ---------------------------------------------------------------- L_model_backward

@wrong("dAL with the wrong sign")
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dAL = np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \
        linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(1, L)):
        grads["dA" + str(l - 1)], grads["dW" + str(l)], grads["db" + str(l)] = \
            linear_activation_backward(grads["dA" + str(l)], caches[l - 1], "relu")
    return grads


@wrong("the sigmoid's slope where the ReLU belongs")
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in reversed(range(1, L + 1)):
        grads["dA" + str(l - 1)], grads["dW" + str(l)], grads["db" + str(l)] = \
            linear_activation_backward(dA, caches[l - 1], "sigmoid")
        dA = grads["dA" + str(l - 1)]
    return grads


@wrong("keys off by one: dA1 ... dAL, no dA0", message="dA0")
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    grads["dA" + str(L)], grads["dW" + str(L)], grads["db" + str(L)] = \
        linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(1, L)):
        grads["dA" + str(l)], grads["dW" + str(l)], grads["db" + str(l)] = \
            linear_activation_backward(grads["dA" + str(l + 1)], caches[l - 1], "relu")
    return grads


@wrong("off by one in the caches: layer l uses caches[l]")
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \
        linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(L - 1)):
        grads["dA" + str(l)], grads["dW" + str(l + 1)], grads["db" + str(l + 1)] = \
            linear_activation_backward(grads["dA" + str(l + 1)], caches[l + 1], "relu")
    return grads


@wrong("feeds dAL to every layer instead of the layer above's dA_prev")
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \
        linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(1, L)):
        grads["dA" + str(l - 1)], grads["dW" + str(l)], grads["db" + str(l)] = \
            linear_activation_backward(dAL, caches[l - 1], "relu")
    return grads


@wrong("hard-codes two layers, as in the visible example", passes_visible=True)
def L_model_backward(AL, Y, caches):
    grads = {}
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    grads["dA1"], grads["dW2"], grads["db2"] = linear_activation_backward(dAL, caches[1], "sigmoid")
    grads["dA0"], grads["dW1"], grads["db1"] = linear_activation_backward(grads["dA1"], caches[0], "relu")
    return grads


@right("dZ of the output layer as AL - Y, straight into linear_backward")
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    linear_cache, _ = caches[-1]
    dZ = AL - Y.reshape(AL.shape)
    grads[f"dA{L - 1}"], grads[f"dW{L}"], grads[f"db{L}"] = linear_backward(dZ, linear_cache)
    for l in range(L - 1, 0, -1):
        grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = \
            linear_activation_backward(grads[f"dA{l}"], caches[l - 1], "relu")
    return grads


@right("one loop over the reversed caches, carrying dA along")
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dA = np.multiply(-1, np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l, cache in reversed(list(enumerate(caches, start=1))):
        dA, dW, db = linear_activation_backward(dA, cache, "sigmoid" if l == L else "relu")
        grads.update({"dA%d" % (l - 1): dA, "dW%d" % l: dW, "db%d" % l: db})
    return grads

# ---------------------------------------------------------------- update_parameters

@wrong("gradient ascent: adds the gradients")
def update_parameters(params, grads, learning_rate):
    parameters = params.copy()
    for l in range(1, len(parameters) // 2 + 1):
        parameters["W" + str(l)] = params["W" + str(l)] + learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = params["b" + str(l)] + learning_rate * grads["db" + str(l)]
    return parameters


@wrong("ignores learning_rate: a full gradient step")
def update_parameters(params, grads, learning_rate):
    parameters = params.copy()
    for l in range(1, len(parameters) // 2 + 1):
        parameters["W" + str(l)] = params["W" + str(l)] - grads["dW" + str(l)]
        parameters["b" + str(l)] = params["b" + str(l)] - grads["db" + str(l)]
    return parameters


@wrong("misses the last layer: range(1, L)")
def update_parameters(params, grads, learning_rate):
    parameters = params.copy()
    L = len(parameters) // 2
    for l in range(1, L):
        parameters["W" + str(l)] = params["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = params["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters


@wrong("updates the weights only")
def update_parameters(params, grads, learning_rate):
    parameters = params.copy()
    for l in range(1, len(parameters) // 2 + 1):
        parameters["W" + str(l)] = params["W" + str(l)] - learning_rate * grads["dW" + str(l)]
    return parameters


@wrong("a fixed learning rate of 0.1, the visible example's", passes_visible=True)
def update_parameters(params, grads, learning_rate):
    parameters = params.copy()
    for l in range(1, len(parameters) // 2 + 1):
        parameters["W" + str(l)] = params["W" + str(l)] - 0.1 * grads["dW" + str(l)]
        parameters["b" + str(l)] = params["b" + str(l)] - 0.1 * grads["db" + str(l)]
    return parameters


@wrong("hard-codes two layers, as in the visible example", passes_visible=True)
def update_parameters(params, grads, learning_rate):
    parameters = params.copy()
    for l in (1, 2):
        parameters["W" + str(l)] = params["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = params["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters


@right("a dict comprehension over the keys")
def update_parameters(params, grads, learning_rate):
    return {key: value - learning_rate * grads["d" + key] for key, value in params.items()}


@right("updates the caller's arrays in place")
def update_parameters(params, grads, learning_rate):
    L = len(params) // 2
    for l in range(L, 0, -1):
        params[f"W{l}"] -= learning_rate * grads[f"dW{l}"]
        params[f"b{l}"] -= learning_rate * grads[f"db{l}"]
    return params

# ---------------------------------------------------------------- gradient_check

@wrong("divides by epsilon instead of 2 epsilon")
def gradient_check(parameters, grads, X, Y, epsilon=1e-7):
    theta = parameters_to_vector(parameters)
    grad = gradients_to_vector(grads, parameters)
    gradapprox = np.zeros(theta.shape)
    for i in range(theta.shape[0]):
        plus, minus = np.copy(theta), np.copy(theta)
        plus[i] += epsilon
        minus[i] -= epsilon
        J_plus = compute_cost(L_model_forward(X, vector_to_parameters(plus, parameters))[0], Y)
        J_minus = compute_cost(L_model_forward(X, vector_to_parameters(minus, parameters))[0], Y)
        gradapprox[i] = (J_plus - J_minus) / epsilon
    return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))


@wrong("a one-sided difference, (J(theta + eps) - J(theta)) / eps", passes_visible=True)
def gradient_check(parameters, grads, X, Y, epsilon=1e-7):
    theta = parameters_to_vector(parameters)
    grad = gradients_to_vector(grads, parameters)
    gradapprox = np.zeros(theta.shape)
    J = compute_cost(L_model_forward(X, parameters)[0], Y)
    for i in range(theta.shape[0]):
        plus = np.copy(theta)
        plus[i] += epsilon
        J_plus = compute_cost(L_model_forward(X, vector_to_parameters(plus, parameters))[0], Y)
        gradapprox[i] = (J_plus - J) / epsilon
    return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))


@wrong("ignores epsilon: always 1e-7", passes_visible=True)
def gradient_check(parameters, grads, X, Y, epsilon=1e-7):
    theta = parameters_to_vector(parameters)
    grad = gradients_to_vector(grads, parameters)
    gradapprox = np.zeros(theta.shape)
    for i in range(theta.shape[0]):
        plus, minus = np.copy(theta), np.copy(theta)
        plus[i] += 1e-7
        minus[i] -= 1e-7
        J_plus = compute_cost(L_model_forward(X, vector_to_parameters(plus, parameters))[0], Y)
        J_minus = compute_cost(L_model_forward(X, vector_to_parameters(minus, parameters))[0], Y)
        gradapprox[i] = (J_plus - J_minus) / 2e-7
    return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))


@wrong("no copy: theta_plus and theta_minus are theta itself")
def gradient_check(parameters, grads, X, Y, epsilon=1e-7):
    theta = parameters_to_vector(parameters)
    grad = gradients_to_vector(grads, parameters)
    gradapprox = np.zeros(theta.shape)
    for i in range(theta.shape[0]):
        theta_plus = theta
        theta_plus[i] += epsilon
        J_plus = compute_cost(L_model_forward(X, vector_to_parameters(theta_plus, parameters))[0], Y)
        theta_minus = theta
        theta_minus[i] -= epsilon
        J_minus = compute_cost(L_model_forward(X, vector_to_parameters(theta_minus, parameters))[0], Y)
        gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
    return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))


@wrong("returns the plain distance ||grad - gradapprox||, not the relative difference")
def gradient_check(parameters, grads, X, Y, epsilon=1e-7):
    theta = parameters_to_vector(parameters)
    grad = gradients_to_vector(grads, parameters)
    gradapprox = np.zeros(theta.shape)
    for i in range(theta.shape[0]):
        plus, minus = np.copy(theta), np.copy(theta)
        plus[i] += epsilon
        minus[i] -= epsilon
        J_plus = compute_cost(L_model_forward(X, vector_to_parameters(plus, parameters))[0], Y)
        J_minus = compute_cost(L_model_forward(X, vector_to_parameters(minus, parameters))[0], Y)
        gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
    return np.linalg.norm(grad - gradapprox)


@wrong("stacks the gradients b before W, out of step with theta")
def gradient_check(parameters, grads, X, Y, epsilon=1e-7):
    theta = parameters_to_vector(parameters)
    L = len(parameters) // 2
    grad = np.concatenate([grads[f"d{p}{l}"].reshape(-1, 1) for l in range(1, L + 1) for p in ("b", "W")])
    gradapprox = np.zeros(theta.shape)
    for i in range(theta.shape[0]):
        plus, minus = np.copy(theta), np.copy(theta)
        plus[i] += epsilon
        minus[i] -= epsilon
        J_plus = compute_cost(L_model_forward(X, vector_to_parameters(plus, parameters))[0], Y)
        J_minus = compute_cost(L_model_forward(X, vector_to_parameters(minus, parameters))[0], Y)
        gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
    return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))


@right("nudges each entry of the parameter arrays in place and puts it back, no flat vector")
def gradient_check(parameters, grads, X, Y, epsilon=1e-7):
    grad, gradapprox = [], []
    for key, value in parameters.items():
        for index in np.ndindex(value.shape):
            original = value[index]
            value[index] = original + epsilon
            J_plus = compute_cost(L_model_forward(X, parameters)[0], Y)
            value[index] = original - epsilon
            J_minus = compute_cost(L_model_forward(X, parameters)[0], Y)
            value[index] = original
            gradapprox.append((J_plus - J_minus) / (2 * epsilon))
            grad.append(grads["d" + key][index])
    grad, gradapprox = np.array(grad), np.array(gradapprox)
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    return float(numerator / denominator)


@right("the nudges as rows of an identity matrix")
def gradient_check(parameters, grads, X, Y, epsilon=1e-7):
    theta = parameters_to_vector(parameters)
    grad = gradients_to_vector(grads, parameters)

    def J(vector):
        return compute_cost(L_model_forward(X, vector_to_parameters(vector, parameters))[0], Y)

    nudges = np.eye(theta.shape[0]) * epsilon
    gradapprox = np.array([[(J(theta + e.reshape(-1, 1)) - J(theta - e.reshape(-1, 1))) / (2 * epsilon)]
                           for e in nudges])
    return np.sqrt(np.sum((grad - gradapprox) ** 2)) / (np.sqrt(np.sum(grad ** 2)) + np.sqrt(np.sum(gradapprox ** 2)))
