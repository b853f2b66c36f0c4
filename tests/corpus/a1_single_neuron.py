"""Right and wrong answers to assignment 1 (see tests/corpus/__init__.py).

Several functions share a name on purpose: each is one student's answer cell. Names they
use but do not define (sigmoid, numerical_gradient, ...) are the notebook's own when they run.
"""
# ruff: noqa: F811

import math

import numpy as np

from . import right, wrong

# ---------------------------------------------------------------- linear_hypothesis

@wrong("forgets the intercept theta[0]")
def linear_hypothesis(theta, X):
    h = np.dot(theta[1:].T, X)
    return h


@wrong("takes the intercept from the end of theta")
def linear_hypothesis(theta, X):
    h = np.dot(theta[:-1].T, X) + theta[-1, 0]
    return h


@wrong("returns a rank-1 array", message="rank-1")
def linear_hypothesis(theta, X):
    h = (theta[0, 0] + np.dot(theta[1:].T, X)).ravel()
    return h


@right("adds the row of ones, as the maths is written")
def linear_hypothesis(theta, X):
    ones = np.ones((1, X.shape[1]))
    h = theta.T @ np.vstack([ones, X])
    return h


@right("a (1, 1) intercept broadcast onto the (1, m) product")
def linear_hypothesis(theta, X):
    h = theta[:1] + theta[1:].T @ X
    return h


# ---------------------------------------------------------------- basic_sigmoid

@wrong("flips the sign of the exponent")
def basic_sigmoid(x):
    return 1 / (1 + math.exp(x))


@wrong("computes 1 - sigmoid(x)")
def basic_sigmoid(x):
    return math.exp(-x) / (1 + math.exp(-x))


@wrong("only right for x >= 0, which is all the visible example shows", passes_visible=True)
def basic_sigmoid(x):
    return 1 / (1 + math.exp(-abs(x)))


@right("through tanh")
def basic_sigmoid(x):
    return 0.5 * (1 + math.tanh(x / 2))


@right("with math.e ** and an int input")
def basic_sigmoid(x):
    s = 1.0 / (1.0 + math.e ** (-x))
    return s


# ---------------------------------------------------------------- sigmoid

@wrong("uses math.exp, which takes one number")
def sigmoid(x):
    return 1 / (1 + math.exp(-x))


@wrong("flips the sign of the exponent")
def sigmoid(x):
    return 1 / (1 + np.exp(x))


@wrong("only handles the first row")
def sigmoid(x):
    return 1 / (1 + np.exp(-x[:1]))


@wrong("loops over a hard-coded 2x3 shape", passes_visible=True)
def sigmoid(x):
    s = np.zeros((2, 3))
    for i in range(2):
        for j in range(3):
            s[i, j] = 1 / (1 + math.exp(-x[i, j]))
    return s


@right("np.reciprocal")
def sigmoid(x):
    return np.reciprocal(1 + np.exp(-x))


@right("through tanh")
def sigmoid(x):
    return 0.5 * (1 + np.tanh(x / 2))


@right("np.vectorize of math.exp")
def sigmoid(x):
    return np.vectorize(lambda v: 1 / (1 + math.exp(-v)), otypes=[float])(x)


# ---------------------------------------------------------------- sigmoid_derivative

@wrong("uses x where it needs sigmoid(x)")
def sigmoid_derivative(x):
    return x * (1 - x)


@wrong("s * (1 + s)")
def sigmoid_derivative(x):
    s = sigmoid(x)
    return s * (1 + s)


@wrong("forgets the square in the denominator")
def sigmoid_derivative(x):
    return np.exp(-x) / (1 + np.exp(-x))


@right("e^-x / (1 + e^-x)^2")
def sigmoid_derivative(x):
    return np.exp(-x) / (1 + np.exp(-x)) ** 2


@right("s - s**2")
def sigmoid_derivative(x):
    s = sigmoid(x)
    return s - s ** 2


# ---------------------------------------------------------------- logistic_neuron

@wrong("forgets the bias")
def logistic_neuron(w, b, X):
    return sigmoid(np.dot(w.T, X))


@wrong("forgets the sigmoid")
def logistic_neuron(w, b, X):
    return np.dot(w.T, X) + b


@wrong("multiplies w without transposing it")
def logistic_neuron(w, b, X):
    return sigmoid(np.dot(w, X) + b)


@right("@ and its own exponential, through X^T w")
def logistic_neuron(w, b, X):
    z = (X.T @ w).T + b
    return 1 / (1 + np.exp(-z))


@right("a loop over the examples")
def logistic_neuron(w, b, X):
    A = np.zeros((1, X.shape[1]))
    for i in range(X.shape[1]):
        A[0, i] = sigmoid(np.sum(w[:, 0] * X[:, i]) + b)
    return A


# ---------------------------------------------------------------- image2vector

@wrong("returns a rank-1 array", message="rank-1")
def image2vector(image):
    return image.reshape(-1)


@wrong("returns a row instead of a column")
def image2vector(image):
    return image.reshape(1, -1)


@wrong("unrolls in column-major order")
def image2vector(image):
    return image.reshape(-1, 1, order="F")


@wrong("hard-codes the visible example's size", passes_visible=True)
def image2vector(image):
    return image.reshape(12, 1)


@right("reshape(-1, 1)")
def image2vector(image):
    return image.reshape(-1, 1)


@right("flatten and add an axis")
def image2vector(image):
    return image.flatten()[:, np.newaxis]


@right("np.ravel and image.size")
def image2vector(image):
    return np.ravel(image).reshape(image.size, 1)


# ---------------------------------------------------------------- normalize_rows

@wrong("normalises the columns")
def normalize_rows(x):
    return x / np.linalg.norm(x, axis=0, keepdims=True)


@wrong("divides by the norm of the whole matrix")
def normalize_rows(x):
    return x / np.linalg.norm(x)


@wrong("divides by the sum of each row (L1, not L2)")
def normalize_rows(x):
    return x / np.sum(x, axis=1, keepdims=True)


@wrong("drops keepdims, so the norms broadcast along the wrong axis")
def normalize_rows(x):
    return x / np.linalg.norm(x, axis=1)


@right("sqrt of the row sums of squares, reshaped")
def normalize_rows(x):
    return x / np.sqrt((x ** 2).sum(axis=1)).reshape(-1, 1)


@right("a loop over the rows, in place")
def normalize_rows(x):
    for i in range(x.shape[0]):
        x[i] = x[i] / math.sqrt(np.dot(x[i], x[i]))
    return x


# ---------------------------------------------------------------- softmax

@wrong("normalises each column")
def softmax(x):
    x_exp = np.exp(x)
    return x_exp / np.sum(x_exp, axis=0, keepdims=True)


@wrong("normalises by the sum of the whole matrix")
def softmax(x):
    x_exp = np.exp(x)
    return x_exp / np.sum(x_exp)


@wrong("forgets the exponential")
def softmax(x):
    return x / np.sum(x, axis=1, keepdims=True)


@wrong("drops keepdims, so the row sums broadcast along the wrong axis")
def softmax(x):
    x_exp = np.exp(x)
    return x_exp / np.sum(x_exp, axis=1)


@right("subtracts each row's maximum first")
def softmax(x):
    shifted = x - np.max(x, axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


@right("through the log-sum-exp")
def softmax(x):
    log_norm = np.log(np.sum(np.exp(x), axis=1)).reshape(-1, 1)
    return np.exp(x - log_norm)


@right("a loop over the rows")
def softmax(x):
    s = np.empty(x.shape)
    for i, row in enumerate(x):
        s[i] = np.exp(row) / sum(math.exp(v) for v in row)
    return s


# ---------------------------------------------------------------- L1 and L2

@wrong("forgets the absolute value")
def L1(yhat, y):
    return np.sum(y - yhat)


@wrong("averages instead of summing")
def L1(yhat, y):
    return np.mean(np.abs(y - yhat))


@wrong("returns the absolute differences, not their sum")
def L1(yhat, y):
    return np.abs(y - yhat)


@right("np.linalg.norm with ord 1 of the flattened difference")
def L1(yhat, y):
    return np.linalg.norm((yhat - y).ravel(), 1)


@right("a generator over the entries, returning a Python float")
def L1(yhat, y):
    return float(sum(abs(a - b) for a, b in zip(yhat.ravel(), y.ravel())))


@wrong("the length of the difference, not its square")
def L2(yhat, y):
    return np.sqrt(np.sum((y - yhat) ** 2))


@wrong("the L1 loss")
def L2(yhat, y):
    return np.sum(np.abs(y - yhat))


@wrong("np.dot of two (1, m) arrays")
def L2(yhat, y):
    return np.dot(y - yhat, y - yhat)


@right("sum of squares")
def L2(yhat, y):
    return np.sum((yhat - y) ** 2)


@right("the squared norm")
def L2(yhat, y):
    return np.linalg.norm(yhat - y) ** 2


@right("a dot product of a row with its transpose, as a 0-d array")
def L2(yhat, y):
    d = (y - yhat).reshape(1, -1)
    return np.dot(d, d.T).reshape(())


# ---------------------------------------------------------------- nudge_slope

@wrong("forgets to divide by h")
def nudge_slope(f, x, h=0.001):
    return f(x + h) - f(x)


@wrong("ignores h and always nudges by 0.001", passes_visible=True)
def nudge_slope(f, x, h=0.001):
    return (f(x + 0.001) - f(x)) / 0.001


@wrong("nudges backwards and divides by h")
def nudge_slope(f, x, h=0.001):
    return (f(x) - f(x - h)) / h


@right("rise over run")
def nudge_slope(f, x, h=0.001):
    rise = f(x + h) - f(x)
    run = h
    return rise / run


# ---------------------------------------------------------------- graph_forward

@wrong("3 * a + b * c: the 3 only multiplies a")
def graph_forward(a, b, c):
    u = b * c
    v = a + u
    J = 3 * a + u
    return J, {"a": a, "b": b, "c": c, "u": u, "v": v}


@wrong("u = b + c")
def graph_forward(a, b, c):
    u = b + c
    v = a + u
    J = 3 * v
    return J, {"a": a, "b": b, "c": c, "u": u, "v": v}


@wrong("caches a tuple, not a dict")
def graph_forward(a, b, c):
    u = b * c
    v = a + u
    return 3 * v, (a, b, c, u, v)


@right("J in one line, the cache from locals")
def graph_forward(a, b, c):
    J = 3 * (a + b * c)
    cache = dict(a=a, b=b, c=c, u=b * c, v=a + b * c)
    return J, cache


# ---------------------------------------------------------------- graph_backward

@wrong("swaps db and dc")
def graph_backward(cache):
    b, c = cache["b"], cache["c"]
    return {"dv": 3, "du": 3, "da": 3, "db": 3 * b, "dc": 3 * c}


@wrong("forgets the factor 3 from J = 3v")
def graph_backward(cache):
    b, c = cache["b"], cache["c"]
    return {"dv": 1, "du": 1, "da": 1, "db": c, "dc": b}


@wrong("right for the visible b = 3, c = 2 only", passes_visible=True)
def graph_backward(cache):
    return {"dv": 3, "du": 3, "da": 3, "db": 6, "dc": 9}


@right("floats, computed from the cache in one go")
def graph_backward(cache):
    return {"dv": 3.0, "du": 3.0, "da": 3.0, "db": 3.0 * cache["c"], "dc": 3.0 * cache["b"]}


# ---------------------------------------------------------------- circuit_gradients

@wrong("multiply gate without the swap: dz = z")
def circuit_gradients(x, y, z):
    q = x + y
    return q * z, {"dx": z, "dy": z, "dz": z}


@wrong("the add gate's local slope 1, without the chain rule")
def circuit_gradients(x, y, z):
    q = x + y
    return q * z, {"dx": 1.0, "dy": 1.0, "dz": q}


@wrong("dx = x * z, as if f were x * y * z")
def circuit_gradients(x, y, z):
    q = x + y
    return q * z, {"dx": x * z, "dy": y * z, "dz": q}


@right("the gradients written directly")
def circuit_gradients(x, y, z):
    return (x + y) * z, {"dx": z, "dy": z, "dz": x + y}


# ---------------------------------------------------------------- neuron_forward_backward

@wrong("forgets the sigmoid's slope: dz = f")
def neuron_forward_backward(w, b, x):
    f = float(sigmoid(np.dot(w.T, x) + b)[0, 0])
    dz = f
    return f, {"dw": x * dz, "db": dz, "dx": w * dz}


@wrong("swaps dw and dx")
def neuron_forward_backward(w, b, x):
    f = float(sigmoid(np.dot(w.T, x) + b)[0, 0])
    dz = f * (1 - f)
    return f, {"dw": w * dz, "db": dz, "dx": x * dz}


@wrong("db = 1, the local slope only")
def neuron_forward_backward(w, b, x):
    f = float(sigmoid(np.dot(w.T, x) + b)[0, 0])
    dz = f * (1 - f)
    return f, {"dw": x * dz, "db": 1.0, "dx": w * dz}


@wrong("returns f as a (1, 1) array", message="single number")
def neuron_forward_backward(w, b, x):
    f = sigmoid(np.dot(w.T, x) + b)
    dz = float(f[0, 0] * (1 - f[0, 0]))
    return f, {"dw": x * dz, "db": dz, "dx": w * dz}


@right("with sigmoid_derivative and .item()")
def neuron_forward_backward(w, b, x):
    z = (w.T @ x).item() + b
    f = sigmoid(np.array(z)).item()
    dz = sigmoid_derivative(np.array(z)).item()
    return f, {"dw": dz * x, "db": dz, "dx": dz * w}


@right("numpy floats from np.sum")
def neuron_forward_backward(w, b, x):
    z = np.sum(w * x) + b
    f = 1 / (1 + np.exp(-z))
    dz = f * (1 - f)
    return f, {"dw": x * dz, "db": dz, "dx": w * dz}


# ---------------------------------------------------------------- numerical_gradient

@wrong("one-sided difference")
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        base = f(x)
        x[index] = original + h
        grad[index] = (f(x) - base) / h
        x[index] = original
    return grad


@wrong("divides by h instead of 2h")
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        plus = f(x)
        x[index] = original - h
        minus = f(x)
        x[index] = original
        grad[index] = (plus - minus) / h
    return grad


@wrong("never puts the entries back", message="x after")
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        x[index] += h
        plus = f(x)
        x[index] -= 2 * h
        minus = f(x)
        grad[index] = (plus - minus) / (2 * h)
    return grad


@wrong("ignores h", passes_visible=True)
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + 1e-5
        plus = f(x)
        x[index] = original - 1e-5
        minus = f(x)
        x[index] = original
        grad[index] = (plus - minus) / 2e-5
    return grad


@right("copies instead of changing x, over flat indices")
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in range(x.size):
        step = np.zeros(x.shape)
        step.flat[i] = h
        grad.flat[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


@right("np.nditer with readwrite")
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        up = f(x)
        x[i] = old - h
        down = f(x)
        x[i] = old
        grad[i] = (up - down) / (2 * h)
        it.iternext()
    return grad


# ---------------------------------------------------------------- gradient_check

@wrong("the norm of the difference, not relative")
def gradient_check(analytic, numeric):
    return np.linalg.norm(analytic - numeric)


@wrong("divides by the analytic norm only")
def gradient_check(analytic, numeric):
    return np.linalg.norm(analytic - numeric) / np.linalg.norm(analytic)


@wrong("sums absolute values instead of Euclidean norms")
def gradient_check(analytic, numeric):
    return np.sum(np.abs(analytic - numeric)) / (np.sum(np.abs(analytic)) + np.sum(np.abs(numeric)))


@right("norms written out with sqrt and sums")
def gradient_check(analytic, numeric):
    top = np.sqrt(np.sum((analytic - numeric) ** 2))
    bottom = np.sqrt(np.sum(analytic ** 2)) + np.sqrt(np.sum(numeric ** 2))
    return float(top / bottom)


# ---------------------------------------------------------------- neuron_gradient_check

@wrong("leaves db out of both stacks", passes_visible=True)
def neuron_gradient_check(neuron, w, b, x):
    _, grads = neuron(w, b, x)
    numeric_dw = numerical_gradient(lambda w_: neuron(w_, b, x)[0], w.copy())
    numeric_dx = numerical_gradient(lambda x_: neuron(w, b, x_)[0], x.copy())
    analytic = np.concatenate([grads["dw"].ravel(), grads["dx"].ravel()])
    numeric = np.concatenate([numeric_dw.ravel(), numeric_dx.ravel()])
    return gradient_check(analytic, numeric)


@wrong("one-sided nudges instead of centred differences: a correct neuron looks wrong")
def neuron_gradient_check(neuron, w, b, x):
    h = 1e-5
    f, grads = neuron(w, b, x)
    numeric = []
    for i in range(w.shape[0]):
        nudged = w.copy()
        nudged[i, 0] += h
        numeric.append((neuron(nudged, b, x)[0] - f) / h)
    numeric.append((neuron(w, b + h, x)[0] - f) / h)
    for i in range(x.shape[0]):
        nudged = x.copy()
        nudged[i, 0] += h
        numeric.append((neuron(w, b, nudged)[0] - f) / h)
    analytic = np.concatenate([grads["dw"].ravel(), [grads["db"]], grads["dx"].ravel()])
    return gradient_check(analytic, np.array(numeric))


@wrong("always checks neuron_forward_backward, ignoring the neuron it is given")
def neuron_gradient_check(neuron, w, b, x):
    _, grads = neuron_forward_backward(w, b, x)
    numeric_dw = numerical_gradient(lambda w_: neuron_forward_backward(w_, b, x)[0], w.copy())
    numeric_db = numerical_gradient(lambda b_: neuron_forward_backward(w, b_[0], x)[0], np.array([float(b)]))
    numeric_dx = numerical_gradient(lambda x_: neuron_forward_backward(w, b, x_)[0], x.copy())
    analytic = np.concatenate([grads["dw"].ravel(), [grads["db"]], grads["dx"].ravel()])
    numeric = np.concatenate([numeric_dw.ravel(), numeric_db, numeric_dx.ravel()])
    return gradient_check(analytic, numeric)


@right("stacks columns with np.vstack, bias as a (1, 1) array")
def neuron_gradient_check(neuron, w, b, x):
    _, grads = neuron(w, b, x)
    numeric_w = numerical_gradient(lambda v: neuron(v, b, x)[0], w.copy())
    numeric_b = numerical_gradient(lambda v: neuron(w, v[0, 0], x)[0], np.array([[b]], dtype=float))
    numeric_x = numerical_gradient(lambda v: neuron(w, b, v)[0], x.copy())
    analytic = np.vstack([grads["dw"], np.array([[grads["db"]]]), grads["dx"]])
    return gradient_check(analytic, np.vstack([numeric_w, numeric_b, numeric_x]))


@right("its own centred differences, in the order x, b, w")
def neuron_gradient_check(neuron, w, b, x):
    h = 1e-6
    _, grads = neuron(w, b, x)
    numeric, analytic = [], []
    for i in range(x.shape[0]):
        up, down = x.copy(), x.copy()
        up[i, 0] += h
        down[i, 0] -= h
        numeric.append((neuron(w, b, up)[0] - neuron(w, b, down)[0]) / (2 * h))
        analytic.append(grads["dx"][i, 0])
    numeric.append((neuron(w, b + h, x)[0] - neuron(w, b - h, x)[0]) / (2 * h))
    analytic.append(grads["db"])
    for i in range(w.shape[0]):
        up, down = w.copy(), w.copy()
        up[i, 0] += h
        down[i, 0] -= h
        numeric.append((neuron(up, b, x)[0] - neuron(down, b, x)[0]) / (2 * h))
        analytic.append(grads["dw"][i, 0])
    return gradient_check(np.array(analytic), np.array(numeric))
