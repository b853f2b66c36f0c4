"""The cat / non-cat images: where they live, checking them, loading them.

The course folder's `datasets/manifest.json` names each file with its size, its SHA-256 and
the addresses it can be downloaded from. The files themselves are not in the repository;
`nncourse.download.fetch_files` brings them in, and `load_cat_dataset` refuses a file that
does not match the manifest, with a message that says what it expected, where it looked and
what to run.

Only the standard library is imported at module level, so `datasets/fetch.py` can use
this module before numpy and h5py are installed.
"""

import hashlib
import json
import os
from pathlib import Path

MANIFEST = "manifest.json"
DATA_DIR_ENV = "NNCOURSE_DATA_DIR"          # where the loader reads the files
DATA_SOURCE_ENV = "NNCOURSE_DATA_SOURCE"    # a local folder the fetcher tries before downloading
FIX = ("To get the data, run `python3 course.py data` in the course folder (the folder of the course "
       "you were given; on Windows `py course.py data`; where the course was installed with pip alone, "
       "`python datasets/fetch.py`): it downloads the files from the mirrors listed in "
       "datasets/manifest.json and checks them. Without a network, copy them from a folder: "
       f"add `--from DIR`, or name the folder in {DATA_SOURCE_ENV}.")


class DatasetError(Exception):
    """The data files are missing, corrupt or not where they were looked for."""


def read_manifest(directory):
    """The manifest's file entries: dicts with name, bytes, sha256 and urls (a list, maybe empty)."""
    path = Path(directory) / MANIFEST
    try:
        files = json.loads(path.read_text())["files"]
        for entry in files:
            entry["name"], entry["bytes"], entry["sha256"]  # noqa: B018 (each entry must have all three)
            entry.setdefault("urls", [])
            if not isinstance(entry["urls"], list) or not all(isinstance(url, str) for url in entry["urls"]):
                raise TypeError(f"the urls of {entry['name']} are not a list of addresses")
        return files
    except FileNotFoundError:
        raise DatasetError(f"No {MANIFEST} in {Path(directory).resolve()}.\n{FIX}") from None
    except (ValueError, KeyError, TypeError) as error:
        raise DatasetError(f"{path} is not a valid manifest ({type(error).__name__}: {error}).") from None


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def problem_with(path, entry):
    """Why the file at `path` is not the manifest's `entry`, or None when it is."""
    path = Path(path)
    if not path.is_file():
        return f"{path} is missing"
    problem = mismatch(path, entry)
    return f"{path} {problem}" if problem else None


def mismatch(path, entry):
    """How the existing file at `path` differs from the manifest's `entry`, or None when it does not."""
    size = Path(path).stat().st_size
    if size != entry["bytes"]:
        return f"has {size} bytes; expected {entry['bytes']} (a partial or wrong copy)"
    if sha256(path) != entry["sha256"]:
        return "does not match its SHA-256 checksum (the file is corrupt)"
    return None


def candidate_dirs():
    """Where the loader looks for the data when NNCOURSE_DATA_DIR is not set, in order."""
    candidates = [Path(__file__).resolve().parent.parent / "datasets"]
    # nbgrader runs notebooks in autograded/<student>/<assignment>/ below the course folder.
    for folder in [Path.cwd(), *Path.cwd().parents]:
        candidates.append(folder / "datasets")
    unique = []
    for folder in candidates:
        if folder not in unique:
            unique.append(folder)
    return unique


def find_data_dir():
    """The folder named by NNCOURSE_DATA_DIR, else the first candidate folder that holds a manifest."""
    named = os.environ.get(DATA_DIR_ENV)
    if named:
        if (Path(named) / MANIFEST).is_file():
            return Path(named)
        raise DatasetError(f"{DATA_DIR_ENV} is set to {named}, which has no {MANIFEST}. "
                           f"Point it at the course's datasets folder, or unset it.\n{FIX}")
    candidates = candidate_dirs()
    for folder in candidates:
        if (folder / MANIFEST).is_file():
            return folder
    looked = "\n".join(f"  {folder}" for folder in candidates)
    raise DatasetError(f"Could not find the course's datasets folder (with {MANIFEST}). Looked in:\n{looked}\n{FIX}")


def load_cat_dataset(data_dir=None):
    """Load the cat / non-cat images.

    Returns (train_x_orig, train_y, test_x_orig, test_y, classes): images as uint8 arrays
    of shape (m, num_px, num_px, 3), labels as int arrays of shape (1, m), and the class
    names as bytes, b'non-cat' for 0 and b'cat' for 1.
    """
    directory = Path(data_dir) if data_dir is not None else find_data_dir()
    entries = {entry["name"]: entry for entry in read_manifest(directory)}
    train_x, train_y, classes = _read_split(directory, entries, "train")
    test_x, test_y, _ = _read_split(directory, entries, "test")
    return train_x, train_y, test_x, test_y, classes


def _read_split(directory, entries, split):
    import h5py
    import numpy as np

    name = f"{split}_catvnoncat.h5"
    if name not in entries:
        raise DatasetError(f"{directory / MANIFEST} does not list {name}.")
    path = directory / name
    problem = problem_with(path, entries[name])
    if problem:
        raise DatasetError(f"The {split} images could not be loaded: {problem}.\n{FIX}")
    try:
        with h5py.File(path, "r") as f:
            x = np.array(f[f"{split}_set_x"])
            y = np.array(f[f"{split}_set_y"])
            classes = np.array(f["list_classes"])
    except (OSError, KeyError) as error:
        raise DatasetError(f"{path} is not a cat/non-cat HDF5 file ({error}).\n{FIX}") from None
    if x.ndim != 4 or x.shape[3] != 3 or x.shape[1] != x.shape[2] or x.dtype != np.uint8:
        raise DatasetError(f"{path}: {split}_set_x has shape {x.shape} and dtype {x.dtype}; "
                           "expected (m, num_px, num_px, 3) uint8 images.")
    if y.shape != (x.shape[0],):
        raise DatasetError(f"{path}: {split}_set_y has shape {y.shape}; expected ({x.shape[0]},), one label per image.")
    return x, y.reshape(1, -1), classes
