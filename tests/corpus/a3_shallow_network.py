"""Right and wrong answers to assignment 3 (see tests/corpus/__init__.py).

Several functions share a name on purpose: each is one student's answer cell. Names they
use but do not define (forward_propagation, layer_sizes, ...) are the notebook's own
when they run.
"""
# ruff: noqa: F811, F821

import numpy as np

from . import right, wrong

# ---------------------------------------------------------------- layer_sizes

@wrong("counts the examples as inputs")
def layer_sizes(X, Y):
    return X.shape[1], 4, Y.shape[0]


@wrong("hard-codes the flower's sizes (2, 4, 1)")
def layer_sizes(X, Y):
    return 2, 4, 1


@wrong("works out n_h from n_x", passes_visible=True)
def layer_sizes(X, Y):
    n_x = X.shape[0]
    return n_x, n_x - 1, Y.shape[0]


@right("len() of the arrays")
def layer_sizes(X, Y):
    return len(X), 4, len(Y)

# ---------------------------------------------------------------- initialize_parameters

@wrong("zero weights: every hidden unit stays the same")
def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.zeros((n_h, n_x)), "b1": np.zeros((n_h, 1)),
            "W2": np.zeros((n_y, n_h)), "b2": np.zeros((n_y, 1))}


@wrong("random weights that are not scaled down")
def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.random.randn(n_h, n_x), "b1": np.zeros((n_h, 1)),
            "W2": np.random.randn(n_y, n_h), "b2": np.zeros((n_y, 1))}


@wrong("W1 transposed, (n_x, n_h)")
def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.random.randn(n_x, n_h) * 0.01, "b1": np.zeros((n_h, 1)),
            "W2": np.random.randn(n_y, n_h) * 0.01, "b2": np.zeros((n_y, 1))}


@wrong("rank-1 biases", message="rank-1")
def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.random.randn(n_h, n_x) * 0.01, "b1": np.zeros(n_h),
            "W2": np.random.randn(n_y, n_h) * 0.01, "b2": np.zeros(n_y)}


@wrong("a random W1 but a constant W2", passes_visible=True, message="symmetry")
def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.random.randn(n_h, n_x) * 0.01, "b1": np.zeros((n_h, 1)),
            "W2": np.full((n_y, n_h), 0.01), "b2": np.zeros((n_y, 1))}


@wrong("hard-codes the shapes of the flower network", passes_visible=True)
def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.random.randn(4, 2) * 0.01, "b1": np.zeros((4, 1)),
            "W2": np.random.randn(1, 4) * 0.01, "b2": np.zeros((1, 1))}


@right("numpy's Generator, and a division by 100")
def initialize_parameters(n_x, n_h, n_y):
    rng = np.random.default_rng()
    return {"W1": rng.standard_normal((n_h, n_x)) / 100, "b1": np.zeros((n_h, 1)),
            "W2": rng.standard_normal((n_y, n_h)) / 100, "b2": np.zeros((n_y, 1))}


@right("small uniform weights")
def initialize_parameters(n_x, n_h, n_y):
    W1 = np.random.uniform(-0.01, 0.01, size=(n_h, n_x))
    W2 = np.random.uniform(-0.01, 0.01, size=(n_y, n_h))
    return dict(W1=W1, b1=np.zeros((n_h, 1)), W2=W2, b2=np.zeros((n_y, 1)))

# ---------------------------------------------------------------- forward_propagation

@wrong("a sigmoid hidden layer instead of tanh")
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = 1 / (1 + np.exp(-Z1))
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


@wrong("tanh at the output")
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = np.tanh(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


@wrong("forgets b1")
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X)
    A1 = np.tanh(Z1)
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


@wrong("feeds X to the second layer's cache as A1")
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    return A2, {"Z1": Z1, "A1": Z1, "Z2": Z2, "A2": A2}


@wrong("reshapes b1 to (3, 1), the visible example's size", passes_visible=True)
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"].reshape(3, 1)
    A1 = np.tanh(Z1)
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


@right("@, tanh written out with exponentials, the sigmoid through tanh")
def forward_propagation(X, parameters):
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = (np.exp(Z1) - np.exp(-Z1)) / (np.exp(Z1) + np.exp(-Z1))
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = 0.5 * (1 + np.tanh(Z2 / 2))
    return A2, dict(Z1=Z1, A1=A1, Z2=Z2, A2=A2)

# ---------------------------------------------------------------- compute_cost

@wrong("forgets the minus sign")
def compute_cost(A2, Y):
    m = Y.shape[1]
    return np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m


@wrong("forgets the 1/m")
def compute_cost(A2, Y):
    return -np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2))


@wrong("returns a (1, 1) array", message="single number")
def compute_cost(A2, Y):
    m = Y.shape[1]
    return -(np.dot(Y, np.log(A2).T) + np.dot(1 - Y, np.log(1 - A2).T)) / m


@wrong("hard-codes m = 3", passes_visible=True)
def compute_cost(A2, Y):
    return -np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / 3


@right("np.mean of np.multiply")
def compute_cost(A2, Y):
    return -np.mean(np.multiply(Y, np.log(A2)) + np.multiply(1 - Y, np.log(1 - A2)))


@right("np.dot, squeezed to a float")
def compute_cost(A2, Y):
    m = Y.shape[1]
    return float(np.squeeze(-(np.dot(Y, np.log(A2).T) + np.dot(1 - Y, np.log(1 - A2).T)) / m))

# ---------------------------------------------------------------- backward_propagation
# The output layer's gradients earn 1 point, the hidden layer's 2: a mistake in the tanh
# derivative or the first layer's 1/m keeps the output layer's point.

@wrong("the sigmoid's derivative A1 (1 - A1) for tanh", earns=1)
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dZ1 = np.dot(parameters["W2"].T, dZ2) * A1 * (1 - A1)
    return {"dW1": np.dot(dZ1, X.T) / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
            "dW2": np.dot(dZ2, A1.T) / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}


@wrong("rank-1 biases: np.sum without keepdims", message="rank-1")
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dZ1 = np.dot(parameters["W2"].T, dZ2) * (1 - A1 ** 2)
    return {"dW1": np.dot(dZ1, X.T) / m, "db1": np.sum(dZ1, axis=1) / m,
            "dW2": np.dot(dZ2, A1.T) / m, "db2": np.sum(dZ2, axis=1) / m}


@wrong("forgets the 1/m in the first layer", earns=1)
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dZ1 = np.dot(parameters["W2"].T, dZ2) * (1 - A1 ** 2)
    return {"dW1": np.dot(dZ1, X.T), "db1": np.sum(dZ1, axis=1, keepdims=True),
            "dW2": np.dot(dZ2, A1.T) / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}


@wrong("tanh derivative as 1 - Z1**2", earns=1)
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dZ1 = np.dot(parameters["W2"].T, dZ2) * (1 - cache["Z1"] ** 2)
    return {"dW1": np.dot(dZ1, X.T) / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
            "dW2": np.dot(dZ2, A1.T) / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}


@wrong("hard-codes m = 4", passes_visible=True)
def backward_propagation(parameters, cache, X, Y):
    m = 4
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dZ1 = np.dot(parameters["W2"].T, dZ2) * (1 - A1 ** 2)
    return {"dW1": np.dot(dZ1, X.T) / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
            "dW2": np.dot(dZ2, A1.T) / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}


@right("the tanh derivative from Z1, with @ and np.mean")
def backward_propagation(parameters, cache, X, Y):
    dZ2 = cache["A2"] - Y
    dZ1 = (parameters["W2"].T @ dZ2) * (1 - np.tanh(cache["Z1"]) ** 2)
    m = Y.shape[1]
    return {"dW1": dZ1 @ X.T / m, "db1": dZ1.mean(axis=1, keepdims=True),
            "dW2": dZ2 @ cache["A1"].T / m, "db2": dZ2.mean(axis=1, keepdims=True)}


@right("np.multiply and reshaped sums")
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    dZ1 = np.multiply(np.dot(parameters["W2"].T, dZ2), 1 - np.power(cache["A1"], 2))
    db1 = np.sum(dZ1, axis=1).reshape(-1, 1) / m
    db2 = np.sum(dZ2, axis=1).reshape(-1, 1) / m
    return {"dW1": (1 / m) * np.dot(dZ1, X.T), "db1": db1, "dW2": (1 / m) * np.dot(dZ2, cache["A1"].T), "db2": db2}

# ---------------------------------------------------------------- update_parameters

@wrong("adds the gradients")
def update_parameters(parameters, grads, learning_rate=1.2):
    return {key: parameters[key] + learning_rate * grads["d" + key] for key in ["W1", "b1", "W2", "b2"]}


@wrong("ignores learning_rate: always 1.2")
def update_parameters(parameters, grads, learning_rate=1.2):
    return {key: parameters[key] - 1.2 * grads["d" + key] for key in ["W1", "b1", "W2", "b2"]}


@wrong("updates the biases with the weight gradients' layer swapped")
def update_parameters(parameters, grads, learning_rate=1.2):
    return {"W1": parameters["W1"] - learning_rate * grads["dW1"], "b1": parameters["b1"] - learning_rate * grads["db2"],
            "W2": parameters["W2"] - learning_rate * grads["dW2"], "b2": parameters["b2"] - learning_rate * grads["db1"]}


@wrong("a default learning rate of 0.01", passes_visible=True)
def update_parameters(parameters, grads, learning_rate=0.01):
    return {key: parameters[key] - learning_rate * grads["d" + key] for key in ["W1", "b1", "W2", "b2"]}


@right("in place")
def update_parameters(parameters, grads, learning_rate=1.2):
    for key in ["W1", "b1", "W2", "b2"]:
        parameters[key] -= learning_rate * grads["d" + key]
    return parameters

# ---------------------------------------------------------------- nn_model

@wrong("calls update_parameters but drops its result: nothing is ever learned")
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        cost = compute_cost(A2, Y)
        grads = backward_propagation(parameters, cache, X, Y)
        update_parameters(dict(parameters), grads)
    return parameters


@wrong("ignores n_h: takes the hidden size from layer_sizes")
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, n_h, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)
    return parameters


@wrong("initialises again in every iteration")
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, _, n_y = layer_sizes(X, Y)
    for i in range(num_iterations):
        parameters = initialize_parameters(n_x, n_h, n_y)
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)
    return parameters


@wrong("a learning rate of 1.0 instead of update_parameters' default", passes_visible=True)
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads, learning_rate=1.0)
    return parameters


@wrong("one iteration short: range(1, num_iterations)", passes_visible=True)
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(1, num_iterations):
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)
    return parameters


@right("names its steps differently and passes the learning rate explicitly")
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y)
    for iteration in range(num_iterations):
        output, memory = forward_propagation(X, parameters)
        gradients = backward_propagation(parameters, memory, X, Y)
        parameters = update_parameters(parameters, gradients, learning_rate=1.2)
        if print_cost and iteration % 1000 == 0:
            print("cost", iteration, compute_cost(output, Y))
    return parameters


@right("calls initialize_parameters by keyword")
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x=n_x, n_h=n_h, n_y=n_y)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        cost = compute_cost(A2, Y)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)
        if print_cost and i % 1000 == 0:
            print(f"cost after iteration {i:5d}: {float(cost):.6f}")
    return parameters


@right("calls initialize_parameters with positional and keyword arguments, in another order")
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_y=n_y, n_h=n_h)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        if print_cost and i % 1000 == 0:
            print("Cost after iteration %i: %f" % (i, compute_cost(A2, Y)))
        parameters = update_parameters(parameters, grads, 1.2)
    return parameters


@wrong("ignores print_cost", passes_visible=True, message="printed nothing")
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)
    return parameters


@wrong("prints the cost whatever print_cost says", passes_visible=True,
       message="Print the cost only when print_cost is True")
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        cost = compute_cost(A2, Y)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)
        if i % 1000 == 0:
            print(f"cost after iteration {i:5d}: {float(cost):.6f}")
    return parameters

# ---------------------------------------------------------------- predict

@wrong("returns the probabilities")
def predict(parameters, X):
    A2, _ = forward_propagation(X, parameters)
    return A2


@wrong("thresholds Z2 at 0.5")
def predict(parameters, X):
    _, cache = forward_propagation(X, parameters)
    return (cache["Z2"] > 0.5).astype(float)


@wrong("a rank-1 result", message="rank-1")
def predict(parameters, X):
    A2, _ = forward_propagation(X, parameters)
    return (A2[0] > 0.5).astype(int)


@right("np.round, which rounds 0.5 down to the even 0")
def predict(parameters, X):
    A2, _ = forward_propagation(X, parameters)
    return np.round(A2)


@right("np.where")
def predict(parameters, X):
    return np.where(forward_propagation(X, parameters)[0] > 0.5, 1, 0)
