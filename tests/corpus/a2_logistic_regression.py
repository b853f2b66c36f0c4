"""Right and wrong answers to assignment 2 (see tests/corpus/__init__.py).

Several functions share a name on purpose: each is one student's answer cell. Names they
use but do not define (sigmoid, propagate, train_set_x_orig, ...) are the notebook's own
when they run.
"""
# ruff: noqa: F811, F821

import math

import numpy as np

from . import answer_cell, right, wrong

# ---------------------------------------------------------------- dataset_sizes

answer_cell("dataset_sizes", """
m_train = train_set_x_orig.shape[1]
m_test = test_set_x_orig.shape[1]
num_px = train_set_x_orig.shape[1]
""", correct=False, why="reads the image height as the number of examples")

answer_cell("dataset_sizes", """
m_train = len(train_set_y)
m_test = len(test_set_y)
num_px = train_set_x_orig.shape[1]
""", correct=False, why="counts the rows of the (1, m) label arrays")

answer_cell("dataset_sizes", """
m_train = train_set_x_orig.shape[0]
m_test = test_set_x_orig.shape[0]
num_px = train_set_x_orig.shape[1:3]
""", correct=False, why="takes num_px as the tuple (height, width)")

answer_cell("dataset_sizes", """
m_train, num_px = train_set_x_orig.shape[:2]
m_test = len(test_set_x_orig)
""", correct=True, why="unpacks the shape tuple")

answer_cell("dataset_sizes", """
m_train = train_set_y.shape[1]
m_test = test_set_y.shape[1]
num_px = int(np.sqrt(train_set_x_orig[0].size // 3))
""", correct=True, why="counts labels and works out num_px from the size of an image")

# ---------------------------------------------------------------- prepare_data

answer_cell("prepare_data", """
train_set_x_flatten = train_set_x_orig.reshape(-1, m_train)
test_set_x_flatten = test_set_x_orig.reshape(-1, m_test)
train_set_x = train_set_x_flatten / 255
test_set_x = test_set_x_flatten / 255
""", correct=False, passes_visible=True, message="mixed pixels of different images",
    why="reshape(-1, m): the right shape, but every column mixes pixels of many images")

answer_cell("prepare_data", """
train_set_x_flatten = train_set_x_orig.reshape(m_train, -1).T
test_set_x_flatten = test_set_x_orig.reshape(-1, m_test)
train_set_x = train_set_x_flatten / 255
test_set_x = test_set_x_flatten / 255
""", correct=False, passes_visible=True, message="column 0 of test_set_x_flatten",
    why="flattens the training set right and scrambles the test set")

answer_cell("prepare_data", """
train_set_x_flatten = train_set_x_orig.reshape(m_train, -1)
test_set_x_flatten = test_set_x_orig.reshape(m_test, -1)
train_set_x = train_set_x_flatten / 255
test_set_x = test_set_x_flatten / 255
""", correct=False, why="one row per image: forgets the transpose")

answer_cell("prepare_data", """
train_set_x_flatten = train_set_x_orig.reshape(m_train, -1).T
test_set_x_flatten = test_set_x_orig.reshape(m_test, -1).T
train_set_x = train_set_x_flatten // 255
test_set_x = test_set_x_flatten // 255
""", correct=False, passes_visible=True, message="dtype",
    why="integer division: every pixel becomes 0 or 1")

answer_cell("prepare_data", """
train_set_x_flatten = train_set_x_orig.reshape(m_train, -1).T
test_set_x_flatten = test_set_x_orig.reshape(m_test, -1).T
train_set_x = train_set_x_flatten
test_set_x = test_set_x_flatten
""", correct=False, why="forgets to divide by 255")

answer_cell("prepare_data", """
train_set_x_flatten = train_set_x_orig.reshape(m_train, -1).T
test_set_x_flatten = test_set_x_orig.reshape(m_test, -1).T
train_set_x = train_set_x_flatten / 256
test_set_x = test_set_x_flatten / 256
""", correct=False, passes_visible=True, why="divides by 256: between 0 and 1, but not the pixels / 255")

answer_cell("prepare_data", """
train_set_x_flatten = train_set_x_orig.T.reshape(-1, m_train)
test_set_x_flatten = test_set_x_orig.T.reshape(-1, m_test)
train_set_x = train_set_x_flatten / 255.
test_set_x = test_set_x_flatten / 255.
""", correct=True, why="transposes first: each column one image, unrolled channel by channel")

answer_cell("prepare_data", """
train_set_x_flatten = train_set_x_orig.reshape(m_train, num_px * num_px * 3, order="F").T
test_set_x_flatten = test_set_x_orig.reshape(m_test, num_px * num_px * 3, order="F").T
train_set_x = train_set_x_flatten / 255
test_set_x = test_set_x_flatten / 255
""", correct=True, why="reshape with order='F': still one image per column")

answer_cell("prepare_data", """
train_set_x_flatten = np.array([image.ravel() for image in train_set_x_orig]).T
test_set_x_flatten = np.stack([image.flatten() for image in test_set_x_orig], axis=1)
train_set_x = np.divide(train_set_x_flatten, 255)
test_set_x = test_set_x_flatten.astype(np.float32) / 255
""", correct=True, why="builds the columns image by image, float32 for the test set")

answer_cell("prepare_data", """
train_set_x_flatten = np.transpose(train_set_x_orig, (1, 2, 3, 0)).reshape(-1, m_train)
test_set_x_flatten = np.moveaxis(test_set_x_orig, 0, -1).reshape(-1, m_test)
train_set_x = train_set_x_flatten / 255
test_set_x = test_set_x_flatten / 255
""", correct=True, why="moves the example axis last before reshaping")

# ---------------------------------------------------------------- sigmoid

@wrong("uses math.exp, which takes one number, not an array")
def sigmoid(z):
    s = 1 / (1 + math.exp(-z))
    return s


@wrong("flips the sign of the exponent")
def sigmoid(z):
    s = 1 / (1 + np.exp(z))
    return s


@wrong("clips z to [-5, 5] 'to avoid overflow'", passes_visible=True)
def sigmoid(z):
    s = 1 / (1 + np.exp(-np.clip(z, -5, 5)))
    return s


@right("e^z / (1 + e^z)")
def sigmoid(z):
    e = np.exp(z)
    return e / (1 + e)


@right("through tanh")
def sigmoid(z):
    return 0.5 * (1 + np.tanh(z / 2))

# ---------------------------------------------------------------- initialize_with_zeros

@wrong("a rank-1 w", message="rank-1")
def initialize_with_zeros(dim):
    w = np.zeros(dim)
    b = 0.0
    return w, b


@wrong("w as a row")
def initialize_with_zeros(dim):
    w = np.zeros((1, dim))
    b = 0.0
    return w, b


@wrong("hard-codes dim = 3", passes_visible=True)
def initialize_with_zeros(dim):
    w = np.zeros((3, 1))
    b = 0.0
    return w, b


@wrong("an integer w", message="dtype")
def initialize_with_zeros(dim):
    w = np.zeros((dim, 1), dtype=int)
    b = 0
    return w, b


@wrong("b as a (1, 1) array", message="single number")
def initialize_with_zeros(dim):
    w = np.zeros((dim, 1))
    b = np.zeros((1, 1))
    return w, b


@wrong("small random weights instead of zeros")
def initialize_with_zeros(dim):
    w = np.random.default_rng(1).normal(size=(dim, 1)) * 0.01
    b = 0.0
    return w, b


@right("b = 0, an int")
def initialize_with_zeros(dim):
    w = np.zeros([dim, 1])
    b = 0
    return w, b


@right("a numpy float bias and float32 weights")
def initialize_with_zeros(dim):
    return np.zeros((dim, 1), dtype=np.float32), np.float64(0)

# ---------------------------------------------------------------- propagate
# The gradients and the cost earn a point each: an answer wrong in one keeps the other's.

@wrong("forgets the 1/m in dw", earns=1)
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = np.dot(X, (A - Y).T)
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": db}, cost


@wrong("dw in the wrong orientation, (1, n_x)", earns=1)
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = np.dot(A - Y, X.T) / m
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": db}, cost


@wrong("forgets the bias in the forward pass")
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X))
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = np.dot(X, (A - Y).T) / m
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": db}, cost


@wrong("dZ = Y - A: the gradients point the wrong way", earns=1)
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dZ = Y - A
    return {"dw": np.dot(X, dZ.T) / m, "db": np.sum(dZ) / m}, cost


@wrong("the cost without its minus sign", earns=1)
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = np.dot(X, (A - Y).T) / m
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": db}, cost


@wrong("a rank-1 dw", message="rank-1", earns=1)
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = np.sum(X * (A - Y), axis=1) / m
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": db}, cost


@wrong("the cost as a (1, 1) array", message="single number", earns=1)
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T)) / m
    dw = np.dot(X, (A - Y).T) / m
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": db}, cost


@wrong("hard-codes m = 3, the size of the visible example", passes_visible=True)
def propagate(w, b, X, Y):
    m = 3
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = np.dot(X, (A - Y).T) / m
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": db}, cost


@right("@, np.mean, and the cost as a plain float")
def propagate(w, b, X, Y):
    A = sigmoid(w.T @ X + b)
    cost = float(np.mean(-(Y * np.log(A) + (1 - Y) * np.log(1 - A))))
    dZ = A - Y
    return {"dw": X @ dZ.T / X.shape[1], "db": dZ.mean()}, cost


@right("the cost through np.dot, squeezed to a 0-d array")
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = np.squeeze(-(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T)) / m)
    dw = (1 / m) * np.dot(X, (A - Y).T)
    db = (1 / m) * np.sum(A - Y)
    return {"dw": dw, "db": db}, cost


@right("picks log(a) or log(1 - a) with np.where")
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -np.sum(np.log(np.where(Y == 1, A, 1 - A))) / m
    dw = np.sum(X * (A - Y), axis=1, keepdims=True) / m
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": db}, cost

# ---------------------------------------------------------------- optimize

@wrong("gradient ascent: adds the gradients")
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w + learning_rate * grads["dw"]
        b = b + learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


@wrong("never updates the bias")
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


@wrong("ignores learning_rate: always 0.009", passes_visible=True)
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - 0.009 * grads["dw"]
        b = b - 0.009 * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


@wrong("records the cost at every iteration")
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        costs.append(cost)
    return {"w": w, "b": b}, grads, costs


@wrong("prints the cost at every iteration, flooding the notebook", passes_visible=True, message="printed 1000 lines")
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
        if print_cost:
            print(f"iteration {i}: cost {cost}")
    return {"w": w, "b": b}, grads, costs


@wrong("ignores print_cost", passes_visible=True, message="printed nothing")
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


@wrong("prints the cost whatever print_cost says", passes_visible=True,
       message="Print the cost only when print_cost is True")
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
            print(f"cost after iteration {i}: {cost}")
    return {"w": w, "b": b}, grads, costs


@wrong("returns the gradients at the learned parameters, not those of the last iteration")
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    grads, _ = propagate(w, b, X, Y)
    return {"w": w, "b": b}, grads, costs


@right("updates in place, keeps the costs as floats, prints with print")
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    w = w.copy()
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w -= learning_rate * grads["dw"]
        b -= learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(float(cost))
            if print_cost:
                print("Cost after iteration %i: %f" % (i, cost))
    return {"w": w, "b": b}, grads, costs


@right("a while loop, and the costs returned as a numpy array")
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    i = 0
    while i < num_iterations:
        grads, cost = propagate(w, b, X, Y)
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print(i, cost)
        w, b = w - learning_rate * grads["dw"], b - learning_rate * grads["db"]
        i += 1
    return dict(w=w, b=b), grads, np.array(costs)

# ---------------------------------------------------------------- predict

@wrong("returns the probabilities instead of labels")
def predict(w, b, X):
    return sigmoid(np.dot(w.T, X) + b)


@wrong("thresholds z instead of the probability")
def predict(w, b, X):
    z = np.dot(w.T, X) + b
    return (z > 0.5).astype(float)


@wrong("a rank-1 result", message="rank-1")
def predict(w, b, X):
    A = sigmoid(np.dot(w.T, X) + b)
    return (A > 0.5).astype(float).ravel()


@wrong("forgets the bias", passes_visible=True)
def predict(w, b, X):
    A = sigmoid(np.dot(w.T, X))
    return (A > 0.5).astype(float)


@wrong("loops over 3 columns, the size of the visible example", passes_visible=True)
def predict(w, b, X):
    Y_prediction = np.zeros((1, X.shape[1]))
    A = sigmoid(np.dot(w.T, X) + b)
    for i in range(3):
        Y_prediction[0, i] = 1 if A[0, i] > 0.5 else 0
    return Y_prediction


@right("a loop over the examples")
def predict(w, b, X):
    m = X.shape[1]
    Y_prediction = np.zeros((1, m))
    A = sigmoid(np.dot(w.T, X) + b)
    for i in range(m):
        if A[0, i] > 0.5:
            Y_prediction[0, i] = 1
    return Y_prediction


@right("np.where with integer labels")
def predict(w, b, X):
    return np.where(sigmoid(w.T @ X + b) > 0.5, 1, 0)


@right("a boolean array")
def predict(w, b, X):
    return sigmoid(w.T @ X + b) > 0.5

# ---------------------------------------------------------------- model

@wrong("trains on the test set")
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_test, Y_test, num_iterations, learning_rate, print_cost)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
            "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}


@wrong("ignores learning_rate: optimize's default is used")
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations=num_iterations)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
            "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}


@wrong("swaps num_iterations and learning_rate in the call to optimize")
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, learning_rate, num_iterations, print_cost)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
            "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}


@wrong("reports the default number of iterations in the dict", passes_visible=True)
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
            "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": 2000}


@wrong("returns the initial parameters, not the learned ones")
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)
    return {"costs": costs, "Y_prediction_test": predict(params["w"], params["b"], X_test),
            "Y_prediction_train": predict(params["w"], params["b"], X_train), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}


@wrong("calls optimize with print_cost=False", passes_visible=True, message="printed nothing")
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost=False)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
            "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}


@wrong("leaves print_cost out of the call to optimize", passes_visible=True, message="printed nothing")
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
            "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}


@wrong("always asks optimize to print the costs", passes_visible=True,
       message="Print the cost only when print_cost is True")
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, True)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
            "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}


@right("prints the accuracies whatever print_cost says")
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations=num_iterations,
                                    learning_rate=learning_rate, print_cost=print_cost)
    w = params["w"]
    b = params["b"]
    Y_prediction_test = predict(w, b, X_test)
    Y_prediction_train = predict(w, b, X_train)
    print("train accuracy: {} %".format(100 - np.mean(np.abs(Y_prediction_train - Y_train)) * 100))
    print("test accuracy: {} %".format(100 - np.mean(np.abs(Y_prediction_test - Y_test)) * 100))
    return {"costs": costs, "Y_prediction_test": Y_prediction_test, "Y_prediction_train": Y_prediction_train,
            "w": w, "b": b, "learning_rate": learning_rate, "num_iterations": num_iterations}


@right("keyword arguments, and its own zeros")
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = np.zeros((X_train.shape[0], 1)), 0
    params, _, costs = optimize(w, b, X_train, Y_train, num_iterations=num_iterations,
                                learning_rate=learning_rate, print_cost=print_cost)
    return dict(costs=costs,
                Y_prediction_test=predict(params["w"], params["b"], X_test),
                Y_prediction_train=predict(params["w"], params["b"], X_train),
                w=params["w"], b=params["b"], learning_rate=learning_rate, num_iterations=num_iterations)
