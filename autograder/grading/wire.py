"""The one format in which values cross between the judge and a student's kernel.

Only plain data crosses: None, bools, ints, floats, complex numbers, strings, numeric numpy
arrays and scalars, and lists, tuples and dicts of those. Anything else arrives as an
`Opaque` stand-in that names its type, so an object whose comparisons lie, or an ndarray
subclass, is never handed to a check. Decoding builds fresh objects with the judge's own
numpy from bytes, checking every size and type on the way.

This file is also sent, as source, into the student's kernel (stdlib and numpy only), so
both ends speak exactly the same format. Callables are sent by handle, for callbacks.
"""

import json
import struct

import numpy as np

DTYPE_KINDS = "biufc"
MAX_DEPTH = 32
MAX_ITEMS = 1_000_000


class WireError(ValueError):
    """The bytes are not a value in this format."""


class Opaque:
    """Stands for a value of a type that does not cross; it compares equal to nothing else."""

    def __init__(self, type_name, module, text):
        self.type_name, self.module, self.text = type_name, module, text

    def __repr__(self):
        return f"<{self.type_name} object: {self.text}>"


def opaque(type_name, module, text):
    """An Opaque whose class is named after the student's type, so messages name it."""
    cls = type(str(type_name)[:60] or "object", (Opaque,), {})
    return cls(type_name, module, text)


class Callback:
    """A handle to a function of the other end."""

    def __init__(self, handle):
        self.handle = handle


class Ref:
    """A name in the receiving end's own namespace (a function of the notebook passed back to it)."""

    def __init__(self, name):
        self.name = name


def dumps(value, callables=None):
    """bytes holding `value`; callables are replaced by handles registered in `callables` (a list)."""
    buffers = []
    tree = _encode(value, buffers, callables, 0)
    header = json.dumps(tree).encode()
    return struct.pack("<Q", len(header)) + header + b"".join(buffers)


def loads(data):
    """The value in `data` (bytes from `dumps`)."""
    try:
        (length,) = struct.unpack_from("<Q", data)
        tree = json.loads(data[8:8 + length].decode())
    except (struct.error, UnicodeDecodeError, ValueError, RecursionError) as error:
        raise WireError(f"not a value: {error}") from None
    return _decode(tree, memoryview(data)[8 + length:], 0, [0])


def suspicious(value):
    """Why a value looks made to fool a check (an ndarray subclass, a class of the notebook), or ''."""
    kind = type(value)
    if isinstance(value, np.ndarray) and kind is not np.ndarray:
        return f"an ndarray subclass {kind.__name__}"
    if getattr(kind, "__module__", "") == "__main__":
        return f"an object of {kind.__name__}, a class defined in the notebook"
    return ""


def _encode(value, buffers, callables, depth):
    if depth > MAX_DEPTH:
        return {"t": "opaque", "type": "deep", "module": "", "text": "nested too deeply", "why": ""}
    kind = type(value)
    if value is None:
        return {"t": "none"}
    if kind is bool:
        return {"t": "bool", "v": value}
    if kind is int:
        return {"t": "int", "v": str(value)}
    if kind is float:
        return {"t": "float", "v": repr(value)}
    if kind is complex:
        return {"t": "complex", "v": [repr(value.real), repr(value.imag)]}
    if kind is str:
        return {"t": "str", "v": value}
    if (kind is np.ndarray or isinstance(value, np.generic)) and np.dtype(value.dtype).kind in DTYPE_KINDS:
        array = np.array(value, order="C")
        offset = sum(len(b) for b in buffers)
        buffers.append(array.tobytes())
        return {"t": "array", "dtype": array.dtype.str, "shape": list(array.shape), "nbytes": array.nbytes,
                "offset": offset, "scalar": isinstance(value, np.generic)}
    if kind in (list, tuple):
        return {"t": kind.__name__, "v": [_encode(item, buffers, callables, depth + 1) for item in value]}
    if kind is dict:
        return {"t": "dict", "v": [[_encode(k, buffers, callables, depth + 1), _encode(v, buffers, callables, depth + 1)]
                                   for k, v in value.items()]}
    if isinstance(value, Callback):
        return {"t": "callback", "v": value.handle}
    if isinstance(getattr(value, "wire_ref", None), str):
        return {"t": "ref", "v": value.wire_ref}
    if callable(value) and callables is not None:
        callables.append(value)
        return {"t": "callback", "v": len(callables) - 1}
    try:
        text = repr(value)[:200]
    except Exception:  # a student's __repr__ may raise anything
        text = "(its repr failed)"
    return {"t": "opaque", "type": getattr(kind, "__name__", "object"), "module": str(getattr(kind, "__module__", "")),
            "text": text, "why": suspicious(value)}


def _decode(tree, buffer, depth, counter):
    counter[0] += 1
    if depth > MAX_DEPTH or counter[0] > MAX_ITEMS or not isinstance(tree, dict):
        raise WireError("too deep, too large or malformed")
    tag = tree.get("t")
    if tag == "none":
        return None
    if tag == "bool":
        return bool(tree["v"])
    if tag == "int":
        return int(str(tree["v"])[:4300])
    if tag == "float":
        return float(str(tree["v"]))
    if tag == "complex":
        return complex(float(tree["v"][0]), float(tree["v"][1]))
    if tag == "str":
        return str(tree["v"])
    if tag == "array":
        return _decode_array(tree, buffer)
    if tag in ("list", "tuple"):
        items = [_decode(item, buffer, depth + 1, counter) for item in tree["v"]]
        return items if tag == "list" else tuple(items)
    if tag == "dict":
        result = {}
        for key, value in tree["v"]:
            key = _decode(key, buffer, depth + 1, counter)
            if not isinstance(key, (str, int, float, bool, tuple, type(None))):
                raise WireError("a dict key that is not plain")
            result[key] = _decode(value, buffer, depth + 1, counter)
        return result
    if tag == "callback":
        return Callback(int(tree["v"]))
    if tag == "ref":
        return Ref(str(tree["v"]))
    if tag == "opaque":
        value = opaque(tree.get("type", "object"), tree.get("module", ""), str(tree.get("text", ""))[:200])
        value.why = str(tree.get("why", ""))[:200]
        return value
    raise WireError(f"unknown tag {tag!r}")


def _decode_array(tree, buffer):
    dtype = np.dtype(str(tree["dtype"]))
    shape = tuple(int(n) for n in tree["shape"])
    if dtype.kind not in DTYPE_KINDS or dtype.itemsize > 16 or any(n < 0 for n in shape) or len(shape) > 32:
        raise WireError(f"an array of dtype {dtype} and shape {shape} is not allowed")
    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    offset = int(tree["offset"])
    if nbytes != int(tree["nbytes"]) or offset < 0 or offset + nbytes > len(buffer):
        raise WireError("an array's bytes do not match its shape")
    array = np.frombuffer(buffer[offset:offset + nbytes], dtype=dtype).reshape(shape).copy()
    return array[()] if tree.get("scalar") else array
