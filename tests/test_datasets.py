"""nncourse.datasets and datasets/fetch.py: finding, verifying, copying from a local folder and
loading the cat / non-cat files. Downloading is tested in test_fetch.py.

Everything except the last test runs on small HDF5 files that the tests write themselves,
in the schema of the real ones, with a manifest in the format of datasets/manifest.json.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

from nncourse import datasets, download
from nncourse.datasets import DatasetError, candidate_dirs, find_data_dir, load_cat_dataset
from nncourse.download import fetch_files

ROOT = Path(__file__).resolve().parent.parent
EDITION = ROOT / "edition"  # the student edition's root: datasets/ beside the nncourse package
NAMES = ("train_catvnoncat.h5", "test_catvnoncat.h5")
CLASSES = [b"non-cat", b"cat"]
# The folder beside the package: the repository's own datasets/ when nncourse is installed editable.
PACKAGE_DATASETS = Path(datasets.__file__).resolve().parent.parent / "datasets"


# ---------------------------------------------------------------- helpers


@pytest.fixture(autouse=True)
def _no_course_environment(monkeypatch):
    """The tests decide where the data are; the caller's environment does not."""
    monkeypatch.delenv(datasets.DATA_DIR_ENV, raising=False)
    monkeypatch.delenv(datasets.DATA_SOURCE_ENV, raising=False)
    monkeypatch.delenv(download.MIRRORS_ENV, raising=False)


def write_split(path, split, x, y, classes=CLASSES, leave_out=()):
    with h5py.File(path, "w") as f:
        for key, value in ((f"{split}_set_x", x), (f"{split}_set_y", y), ("list_classes", np.array(classes))):
            if key not in leave_out:
                f.create_dataset(key, data=value)


def write_manifest(folder, names=NAMES):
    """A manifest.json listing `names` as they are now in `folder`."""
    folder = Path(folder)
    files = [{"name": name,
              "bytes": (folder / name).stat().st_size,
              "sha256": hashlib.sha256((folder / name).read_bytes()).hexdigest()}
             for name in names]
    (folder / "manifest.json").write_text(json.dumps({"description": "test images", "files": files}, indent=2))


def make_data_folder(folder, train_m=5, test_m=3, px=4, seed=0):
    """A datasets folder with both files and their manifest; returns the arrays written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    data = {
        "train_x": rng.integers(0, 256, size=(train_m, px, px, 3), dtype=np.uint8),
        "train_y": np.array([i % 2 for i in range(train_m)], dtype=np.int64),
        "test_x": rng.integers(0, 256, size=(test_m, px, px, 3), dtype=np.uint8),
        "test_y": np.array([(i + 1) % 2 for i in range(test_m)], dtype=np.int64),
    }
    write_split(folder / NAMES[0], "train", data["train_x"], data["train_y"])
    write_split(folder / NAMES[1], "test", data["test_x"], data["test_y"])
    write_manifest(folder)
    return data


def flip_middle(path, count=16):
    """Corrupt the file without changing its size."""
    raw = bytearray(Path(path).read_bytes())
    middle = len(raw) // 2
    for i in range(middle, middle + count):
        raw[i] ^= 0xFF
    Path(path).write_bytes(bytes(raw))


def truncate(path):
    raw = Path(path).read_bytes()
    Path(path).write_bytes(raw[: len(raw) // 2])
    return len(raw) // 2, len(raw)


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    make_data_folder(folder)
    return folder


def error_of(call, *args):
    with pytest.raises(DatasetError) as caught:
        call(*args)
    return str(caught.value)


# ---------------------------------------------------------------- loading


def test_load_returns_what_was_written(tmp_path):
    data = make_data_folder(tmp_path / "data", train_m=5, test_m=3, px=4)
    train_x, train_y, test_x, test_y, classes = load_cat_dataset(tmp_path / "data")

    assert train_x.shape == (5, 4, 4, 3) and train_x.dtype == np.uint8
    assert test_x.shape == (3, 4, 4, 3) and test_x.dtype == np.uint8
    assert train_y.shape == (1, 5) and test_y.shape == (1, 3)
    assert np.issubdtype(train_y.dtype, np.integer) and np.issubdtype(test_y.dtype, np.integer)
    np.testing.assert_array_equal(train_x, data["train_x"])
    np.testing.assert_array_equal(test_x, data["test_x"])
    np.testing.assert_array_equal(train_y, data["train_y"].reshape(1, -1))
    np.testing.assert_array_equal(test_y, data["test_y"].reshape(1, -1))
    assert list(classes) == CLASSES


def test_load_accepts_a_string_path(data_dir):
    train_x, *_ = load_cat_dataset(str(data_dir))
    assert train_x.shape == (5, 4, 4, 3)


def test_load_reads_the_folder_named_by_the_environment(data_dir, tmp_path, monkeypatch):
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv(datasets.DATA_DIR_ENV, str(data_dir))

    assert find_data_dir() == data_dir
    train_x, train_y, test_x, test_y, classes = load_cat_dataset()
    assert (train_x.shape, train_y.shape, test_x.shape, test_y.shape) == ((5, 4, 4, 3), (1, 5), (3, 4, 4, 3), (1, 3))


def test_environment_folder_comes_before_the_repository_and_the_working_directory(data_dir, tmp_path, monkeypatch):
    course = tmp_path / "course"
    make_data_folder(course / "datasets", seed=1)
    nested = course / "autograded" / "student" / "a2"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    monkeypatch.setenv(datasets.DATA_DIR_ENV, str(data_dir))

    assert find_data_dir() == data_dir


def test_environment_folder_without_a_manifest_is_an_error_not_ignored(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv(datasets.DATA_DIR_ENV, str(empty))

    message = error_of(find_data_dir)
    assert datasets.DATA_DIR_ENV in message and str(empty) in message and "manifest.json" in message
    assert "python3 course.py data" in message


def test_candidates_walk_up_from_a_nested_working_directory(tmp_path, monkeypatch):
    course = tmp_path / "course"
    nested = course / "autograded" / "student" / "a2"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)

    candidates = candidate_dirs()
    # Without NNCOURSE_DATA_DIR: the repository's own datasets/ first, then cwd and each parent.
    assert candidates[0] == PACKAGE_DATASETS
    walk = [folder / "datasets" for folder in [Path.cwd(), *Path.cwd().parents]]
    assert candidates[1:] == walk
    assert walk[:4] == [nested / "datasets", nested.parent / "datasets",
                        course / "autograded" / "datasets", course / "datasets"]
    assert len(set(candidates)) == len(candidates), "a folder is listed twice"


def test_an_empty_environment_variable_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv(datasets.DATA_DIR_ENV, "")
    monkeypatch.chdir(tmp_path)
    assert candidate_dirs()[0] == PACKAGE_DATASETS


def test_load_finds_the_course_folder_above_a_nested_working_directory(tmp_path, monkeypatch):
    """The nbgrader case: cwd is <course>/autograded/<student>/<assignment>.

    The repository's own datasets/ (found next to the package) would win, so the package
    is made to look as if it lived in a folder with no datasets beside it.
    """
    package = tmp_path / "installed" / "nncourse"
    package.mkdir(parents=True)
    monkeypatch.setattr(datasets, "__file__", str(package / "datasets.py"))
    course = tmp_path / "course"
    data = make_data_folder(course / "datasets", train_m=6, test_m=2, px=3)
    nested = course / "autograded" / "student" / "a2"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)

    assert find_data_dir() == course / "datasets"
    train_x, train_y, test_x, test_y, _ = load_cat_dataset()
    np.testing.assert_array_equal(train_x, data["train_x"])
    assert test_y.shape == (1, 2)


def test_nothing_found_lists_every_folder_and_the_fix(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    package = tmp_path / "installed" / "nncourse"
    package.mkdir(parents=True)
    monkeypatch.setattr(datasets, "__file__", str(package / "datasets.py"))
    nested = tmp_path / "work" / "a1"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    looked = candidate_dirs()
    if any((folder / "manifest.json").is_file() for folder in looked):
        pytest.fail(f"a manifest outside the test's folders is in the way: {looked}")

    message = error_of(find_data_dir)
    assert "Could not find" in message
    for folder in looked:
        assert f"  {folder}\n" in message, f"{folder} is not listed"
    assert str(package.parent / "datasets") in message
    assert str(nested / "datasets") in message
    assert "python3 course.py data" in message
    assert "mirrors listed in datasets/manifest.json" in message
    assert datasets.DATA_SOURCE_ENV in message
    # load_cat_dataset() reports the same thing, not a raw exception.
    assert "Could not find" in error_of(load_cat_dataset)


def test_nothing_found_with_candidate_dirs_replaced(tmp_path, monkeypatch):
    folders = [tmp_path / "a", tmp_path / "b" / "datasets"]
    monkeypatch.setattr(datasets, "candidate_dirs", lambda: folders)
    message = error_of(load_cat_dataset)
    assert str(folders[0]) in message and str(folders[1]) in message
    assert "python3 course.py data" in message


# ---------------------------------------------------------------- refusing bad files


@pytest.mark.parametrize("name", NAMES)
def test_missing_file_is_named_with_the_fix(data_dir, name):
    (data_dir / name).unlink()
    message = error_of(load_cat_dataset, data_dir)
    assert str(data_dir / name) in message
    assert "missing" in message
    assert "python3 course.py data" in message


@pytest.mark.parametrize("name", NAMES)
def test_corrupt_file_is_refused(data_dir, name):
    size = (data_dir / name).stat().st_size
    flip_middle(data_dir / name)
    assert (data_dir / name).stat().st_size == size
    message = error_of(load_cat_dataset, data_dir)
    assert str(data_dir / name) in message
    assert "checksum" in message and "corrupt" in message
    assert "python3 course.py data" in message


def test_truncated_file_is_refused_with_its_size(data_dir):
    now, expected = truncate(data_dir / NAMES[0])
    message = error_of(load_cat_dataset, data_dir)
    assert str(data_dir / NAMES[0]) in message
    assert f"{now} bytes" in message and f"expected {expected}" in message


def test_a_file_that_is_not_hdf5_is_refused_cleanly(data_dir):
    (data_dir / NAMES[1]).write_bytes(b"this is not an HDF5 file\n" * 40)
    write_manifest(data_dir)  # the manifest agrees with the garbage
    with pytest.raises(DatasetError) as caught:
        load_cat_dataset(data_dir)
    message = str(caught.value)
    assert "is not a cat/non-cat HDF5 file" in message
    assert str(data_dir / NAMES[1]) in message
    assert not isinstance(caught.value, OSError)


def test_a_file_without_the_labels_is_refused(tmp_path):
    folder = tmp_path / "data"
    make_data_folder(folder)
    write_split(folder / NAMES[0], "train", np.zeros((5, 4, 4, 3), np.uint8), np.zeros(5, np.int64),
                leave_out=("train_set_y",))
    write_manifest(folder)
    message = error_of(load_cat_dataset, folder)
    assert "is not a cat/non-cat HDF5 file" in message
    assert "train_set_y" in message
    assert str(folder / NAMES[0]) in message


def test_labels_that_do_not_match_the_images_are_refused(tmp_path):
    folder = tmp_path / "data"
    make_data_folder(folder)
    write_split(folder / NAMES[0], "train", np.zeros((5, 4, 4, 3), np.uint8), np.zeros(4, np.int64))
    write_manifest(folder)
    message = error_of(load_cat_dataset, folder)
    assert "train_set_y" in message and "(4,)" in message and "(5,)" in message


@pytest.mark.parametrize("x", [np.zeros((5, 4, 4, 3), np.float64),   # not uint8
                               np.zeros((5, 4, 3, 3), np.uint8),      # not square
                               np.zeros((5, 4, 4), np.uint8)],        # no colour axis
                         ids=["float", "not-square", "grey"])
def test_images_of_the_wrong_shape_or_type_are_refused(tmp_path, x):
    folder = tmp_path / "data"
    make_data_folder(folder)
    write_split(folder / NAMES[0], "train", x, np.zeros(5, np.int64))
    write_manifest(folder)
    message = error_of(load_cat_dataset, folder)
    assert "train_set_x" in message and str(x.shape) in message


def test_a_manifest_that_does_not_list_a_file_is_refused(data_dir):
    write_manifest(data_dir, names=NAMES[:1])
    message = error_of(load_cat_dataset, data_dir)
    assert "does not list" in message and NAMES[1] in message


def test_a_folder_without_a_manifest_is_refused(tmp_path):
    message = error_of(load_cat_dataset, tmp_path)
    assert "manifest.json" in message and str(tmp_path) in message
    assert "python3 course.py data" in message


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", '{"files": [{"name": "x.h5"}]}', '{"files": 3}'],
                         ids=["not-json", "a-list", "entry-without-checksum", "files-not-a-list"])
def test_a_broken_manifest_is_refused(data_dir, text):
    (data_dir / "manifest.json").write_text(text)
    message = error_of(load_cat_dataset, data_dir)
    assert "not a valid manifest" in message and str(data_dir / "manifest.json") in message


# ---------------------------------------------------------------- copying from a local folder


def copy_in(source, target):
    """Bring the files in from the folder `source` only, as `datasets/fetch.py --offline --from` does."""
    return fetch_files(target, local=source, offline=True)


@pytest.fixture
def source_and_target(tmp_path):
    source, target = tmp_path / "source", tmp_path / "target"
    make_data_folder(source)
    target.mkdir()
    shutil.copy(source / "manifest.json", target / "manifest.json")
    return source, target


def leftovers(folder):
    return sorted(p.name for p in Path(folder).iterdir() if p.name != "manifest.json")


def test_copy_in_copies_and_verifies(source_and_target):
    source, target = source_and_target
    report = copy_in(source, target)
    assert len(report) == 2
    for name, line in zip(NAMES, report):
        assert line.startswith(f"{name}: copied from") and "verified" in line
        assert (target / name).read_bytes() == (source / name).read_bytes()
    assert leftovers(target) == sorted(NAMES)
    assert load_cat_dataset(target)[0].shape == (5, 4, 4, 3)


def test_copy_in_twice_reports_already_present(source_and_target):
    source, target = source_and_target
    copy_in(source, target)
    before = {name: (target / name).stat().st_mtime_ns for name in NAMES}
    shutil.rmtree(source)  # the second call must not need the source
    report = copy_in(source, target)
    assert report == [f"{name}: already present and verified" for name in NAMES]
    assert {name: (target / name).stat().st_mtime_ns for name in NAMES} == before


def test_copy_in_names_a_missing_source_file(source_and_target):
    source, target = source_and_target
    (source / NAMES[1]).unlink()
    message = error_of(copy_in, source, target)
    assert NAMES[1] in message and str(source / NAMES[1]) in message
    assert "--from" in message and datasets.DATA_SOURCE_ENV in message
    assert NAMES[1] not in leftovers(target)


def test_copy_in_from_a_folder_that_does_not_exist(tmp_path, source_and_target):
    _, target = source_and_target
    nowhere = tmp_path / "nowhere"
    message = error_of(copy_in, nowhere, target)
    assert str(nowhere / NAMES[0]) in message and "missing" in message


@pytest.mark.parametrize("spoil", [flip_middle, truncate], ids=["corrupt", "truncated"])
def test_copy_in_leaves_nothing_behind_from_a_bad_source_file(source_and_target, spoil):
    source, target = source_and_target
    spoil(source / NAMES[0])
    message = error_of(copy_in, source, target)
    assert str(source / NAMES[0]) in message
    # The good file is still brought in; of the bad one, nothing is left, not even a .partial.
    assert leftovers(target) == [NAMES[1]], "a bad or partial file was left in the target"
    assert datasets.problem_with(target / NAMES[1], datasets.read_manifest(target)[1]) is None


def test_copy_in_removes_a_copy_that_went_wrong(source_and_target, monkeypatch):
    """The source verifies, but the copy does not (a disk or network fault)."""
    source, target = source_and_target

    def faulty_copy(origin, destination):
        Path(destination).write_bytes(Path(origin).read_bytes())
        flip_middle(destination)

    monkeypatch.setattr(download.shutil, "copyfile", faulty_copy)
    message = error_of(copy_in, source, target)
    assert "went wrong" in message and str(source / NAMES[0]) in message
    assert leftovers(target) == []


def test_copy_in_turns_a_failed_write_into_a_clear_error(source_and_target, monkeypatch):
    """The disk fills up half-way through: no traceback, and no .partial left behind."""
    source, target = source_and_target

    def disk_full(origin, destination):
        Path(destination).write_bytes(Path(origin).read_bytes()[:100])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(download.shutil, "copyfile", disk_full)
    message = error_of(copy_in, source, target)
    assert "No space left on device" in message and str(target) in message
    assert leftovers(target) == []


@pytest.mark.parametrize("spoil", [flip_middle, truncate], ids=["corrupt", "truncated"])
def test_copy_in_replaces_a_bad_file_in_the_target(source_and_target, spoil):
    source, target = source_and_target
    copy_in(source, target)
    spoil(target / NAMES[0])
    report = copy_in(source, target)
    assert report[0].startswith(f"{NAMES[0]}: copied from")
    assert report[1] == f"{NAMES[1]}: already present and verified"
    assert (target / NAMES[0]).read_bytes() == (source / NAMES[0]).read_bytes()
    assert leftovers(target) == sorted(NAMES)


# ---------------------------------------------------------------- datasets/fetch.py


@pytest.fixture
def course(tmp_path):
    """tmp/course/datasets/{fetch.py, manifest.json} and a source folder tmp/source.

    fetch.py copies into its own folder, so it runs from a copy, never the repository's.
    """
    source = tmp_path / "source"
    make_data_folder(source)
    datasets_dir = tmp_path / "course" / "datasets"
    datasets_dir.mkdir(parents=True)
    shutil.copy(EDITION / "datasets" / "fetch.py", datasets_dir / "fetch.py")
    shutil.copy(source / "manifest.json", datasets_dir / "manifest.json")
    return datasets_dir, source


def run_fetch(datasets_dir, *args, env_source=None, cwd=None):
    ours = (datasets.DATA_DIR_ENV, datasets.DATA_SOURCE_ENV, download.MIRRORS_ENV)
    env = {k: v for k, v in os.environ.items() if k not in ours}
    if env_source is not None:
        env[datasets.DATA_SOURCE_ENV] = str(env_source)
    return subprocess.run([sys.executable, str(datasets_dir / "fetch.py"), *map(str, args)],
                          capture_output=True, text=True, env=env, cwd=cwd or datasets_dir.parent.parent,
                          timeout=120)


def assert_copied(datasets_dir, source):
    for name in NAMES:
        assert (datasets_dir / name).read_bytes() == (source / name).read_bytes()
    assert not list(datasets_dir.glob("*.partial"))


def test_fetch_copies_from_the_named_folder(course):
    datasets_dir, source = course
    result = run_fetch(datasets_dir, "--from", source)
    assert result.returncode == 0, result.stderr
    assert_copied(datasets_dir, source)
    assert result.stdout.count("copied from") == 2
    again = run_fetch(datasets_dir, "--from", source)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("already present and verified") == 2


def test_fetch_from_a_bad_folder_fails_with_a_message(course, tmp_path):
    datasets_dir, _ = course
    bad = tmp_path / "bad"
    bad.mkdir()
    result = run_fetch(datasets_dir, "--from", bad)
    assert result.returncode == 1
    assert "error:" in result.stderr
    assert str(bad / NAMES[0]) in result.stderr and NAMES[0] in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(datasets_dir.glob("*.h5*"))


def test_fetch_uses_the_environment_variable_without_from(course):
    datasets_dir, source = course
    result = run_fetch(datasets_dir, env_source=source)
    assert result.returncode == 0, result.stderr
    assert_copied(datasets_dir, source)


def test_fetch_prefers_from_to_the_environment_variable(course, tmp_path):
    datasets_dir, source = course
    result = run_fetch(datasets_dir, "--from", source, env_source=tmp_path / "nowhere")
    assert result.returncode == 0, result.stderr
    assert_copied(datasets_dir, source)


def test_fetch_without_a_folder_does_not_look_beside_the_course(course, tmp_path):
    """No --from and no NNCOURSE_DATA_SOURCE: the manifest's addresses only (none in this one).

    ../shared/datasets is the instructor's folder; their course.py names it with --from.
    """
    datasets_dir, source = course
    shutil.copytree(source, tmp_path / "shared" / "datasets")
    result = run_fetch(datasets_dir, cwd=tmp_path)
    assert result.returncode == 1
    assert str(tmp_path / "shared") not in result.stderr
    for name in NAMES:
        assert f"{name}: (no address known" in result.stderr
    assert "no local folder was named" in result.stderr and "--from" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(datasets_dir.glob("*.h5*"))


def test_fetch_offline_copies_from_the_named_folder(course):
    datasets_dir, source = course
    result = run_fetch(datasets_dir, "--offline", "--from", source)
    assert result.returncode == 0, result.stderr
    assert_copied(datasets_dir, source)


def test_fetch_offline_without_a_folder_says_to_name_one(course):
    datasets_dir, _ = course
    result = run_fetch(datasets_dir, "--offline")
    assert result.returncode == 1
    assert "Offline" in result.stderr and "--from" in result.stderr and datasets.DATA_SOURCE_ENV in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- the real files


def test_the_real_cat_files_load_with_the_documented_shapes():
    """Fails (does not skip) without the files: `python3 course.py setup` copies them in."""
    try:
        train_x, train_y, test_x, test_y, classes = load_cat_dataset(EDITION / "datasets")
    except DatasetError as error:
        pytest.fail(str(error))
    assert train_x.shape == (209, 64, 64, 3) and train_x.dtype == np.uint8
    assert train_y.shape == (1, 209)
    assert test_x.shape == (50, 64, 64, 3) and test_x.dtype == np.uint8
    assert test_y.shape == (1, 50)
    assert int(train_y.sum()) == 72 and int(test_y.sum()) == 33
    assert set(np.unique(train_y)) == {0, 1} and set(np.unique(test_y)) == {0, 1}
    assert list(classes) == CLASSES
