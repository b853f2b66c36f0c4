"""nncourse.download and datasets/fetch.py: getting the data files from a local folder or
from download addresses, always verified.

Every address is on a small HTTP server the tests run on 127.0.0.1, and any connection
elsewhere fails the test: nothing here touches the internet. The files are small random
payloads whose size and SHA-256 the tests put in a manifest of their own.
"""

import hashlib
import io
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from nncourse import datasets, download
from nncourse.datasets import DatasetError
from nncourse.download import fetch_files

ROOT = Path(__file__).resolve().parent.parent
EDITION = ROOT / "edition"
TRAIN, TEST = "train_catvnoncat.h5", "test_catvnoncat.h5"
_random = random.Random(2024)
PAYLOADS = {TRAIN: _random.randbytes(200_000), TEST: _random.randbytes(70_000)}
QUICK = 0.5  # the timeout, in seconds, of the tests whose server stalls
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")

# The public copies listed in ../shared/datasets/MIRRORS.md, in its order: each serves FILE below its base.
MIRROR_BASES = [
    "https://raw.githubusercontent.com/greyhatguy007/deep-learning-specialization/main/"
    "C1-NeuralNetworksAndDeepLearning/week2/W2A2/datasets/",
    "https://raw.githubusercontent.com/y33-j3T/Coursera-Deep-Learning/master/Neural%20Networks%20and%20Deep%20Learning/"
    "Week%202/Logistic%20Regression%20as%20a%20Neural%20Network/datasets/",
    "https://raw.githubusercontent.com/JudasDie/deeplearning.ai/master/Neural%20Networks%20and%20Deep%20Learning/"
    "week2/datasets/",
    "https://raw.githubusercontent.com/robbertliu/deeplearning.ai-andrewNG/master/"
    "COURSE%201%20Neural%20Networks%20and%20Deep%20Learning/Week%202/Logistic%20Regression%20as%20a%20Neural%20Network/"
    "datasets/",
]
MIRRORS_MD = ROOT.parent / "shared" / "datasets" / "MIRRORS.md"


# ---------------------------------------------------------------- a server the tests control


class Handler(BaseHTTPRequestHandler):
    """Serves `server.routes[path]`: a file (honouring Range or not, cut short, stalling) or a redirect."""

    def do_GET(self):
        server = self.server
        server.requests.append((self.path, self.headers.get("Range")))
        route = server.routes.get(self.path)
        if route is None:
            self.send_error(404)
        elif "redirect" in route:
            self.send_response(route["code"])
            self.send_header("Location", route["redirect"])
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_file(route)

    def send_file(self, route):
        if route.get("stall") == "headers":
            self.server.release.wait(10)
            return
        body, wanted = route["body"], self.headers.get("Range")
        start = int(re.fullmatch(r"bytes=(\d+)-", wanted).group(1)) if wanted and route.get("ranges", True) else 0
        if start:
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        else:
            self.send_response(200)
        rest = body[start:]
        length = route.get("length", len(rest))
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        sent = rest[: route["cut"]] if "cut" in route else rest
        # Counted before it is written: the client may have it all before this thread goes on.
        self.server.sent[self.path] = self.server.sent.get(self.path, 0) + len(sent)
        self.wfile.write(sent)
        self.wfile.flush()
        if route.get("stall") == "body":
            self.server.release.wait(10)
        # Returning closes the connection (HTTP/1.0): with "cut", before the announced length.

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes, self.requests, self.sent = {}, [], {}
        self.release = threading.Event()  # lets stalled handlers finish when the test ends

    def url(self, path):
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def serve(self, path, body, **how):
        """Serve `body` at `path`; `how`: ranges=False, cut=N bytes, stall="headers"|"body", length=N|None."""
        self.routes[path] = {"body": body, **how}
        return self.url(path)

    def redirect(self, path, to, code=302):
        self.routes[path] = {"redirect": self.url(to), "code": code}
        return self.url(path)

    def handle_error(self, request, client_address):
        pass  # the client hanging up on a stalled or cut response is what the tests do


@pytest.fixture
def server():
    running = Server()
    thread = threading.Thread(target=running.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield running
    running.release.set()
    running.shutdown()
    running.server_close()


@pytest.fixture(autouse=True)
def _only_this_machine(monkeypatch):
    """No proxy, none of the caller's data settings, and no connection beyond 127.0.0.1."""
    for name in (*PROXY_VARIABLES, datasets.DATA_DIR_ENV, datasets.DATA_SOURCE_ENV, download.MIRRORS_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    connect = socket.create_connection

    def local_only(address, *args, **kwargs):
        assert address[0] in ("127.0.0.1", "localhost"), f"a test tried to reach {address}"
        return connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", local_only)


# ---------------------------------------------------------------- helpers


def entry_for(name, urls):
    body = PAYLOADS[name]
    return {"name": name, "bytes": len(body), "sha256": hashlib.sha256(body).hexdigest(), "urls": urls}


def make_target(folder, urls):
    """A datasets folder whose manifest lists each name of `urls` (name -> addresses)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = [entry_for(name, addresses) for name, addresses in urls.items()]
    (folder / "manifest.json").write_text(json.dumps({"description": "test payloads", "files": files}, indent=2))
    return folder


def fetch(target, **options):
    options.setdefault("out", io.StringIO())
    return fetch_files(target, **options)


def failure_of(target, **options):
    with pytest.raises(DatasetError) as caught:
        fetch(target, **options)
    return str(caught.value)


def assert_verified(target, *names):
    for name in names:
        assert (target / name).read_bytes() == PAYLOADS[name]
        assert not (target / f"{name}.partial").exists()


def assert_nothing_under_the_real_name(target, name=TRAIN):
    assert not (target / name).exists(), f"{name} was left in place after a failure"


# ---------------------------------------------------------------- one address


def test_a_good_file_is_downloaded_and_verified(server, tmp_path):
    target = make_target(tmp_path / "datasets", {TRAIN: [server.serve("/a/train", PAYLOADS[TRAIN])],
                                                 TEST: [server.serve("/a/test", PAYLOADS[TEST])]})
    report = fetch(target)
    assert report == [f"{TRAIN}: downloaded from {server.url('/a/train')} and verified",
                      f"{TEST}: downloaded from {server.url('/a/test')} and verified"]
    assert_verified(target, TRAIN, TEST)
    assert sorted(p.name for p in target.iterdir()) == sorted([TRAIN, TEST, "manifest.json"])


def test_files_already_verified_are_left_alone(server, tmp_path):
    target = make_target(tmp_path / "datasets", {TRAIN: [server.serve("/train", PAYLOADS[TRAIN])]})
    fetch(target)
    before = (target / TRAIN).stat().st_mtime_ns
    assert fetch(target) == [f"{TRAIN}: already present and verified"]
    assert (target / TRAIN).stat().st_mtime_ns == before
    assert len(server.requests) == 1


def test_a_corrupt_download_is_refused(server, tmp_path):
    wrong = bytes(b ^ 0xFF for b in PAYLOADS[TRAIN])  # the right size, the wrong bytes
    url = server.serve("/train", wrong)
    target = make_target(tmp_path / "datasets", {TRAIN: [url]})
    message = failure_of(target)
    assert f"  {url}: the download does not match its SHA-256 checksum" in message
    assert_nothing_under_the_real_name(target)
    assert not (target / f"{TRAIN}.partial").exists(), "a download known to be wrong was kept"


def test_a_truncated_download_is_refused_and_kept_to_resume(server, tmp_path):
    url = server.serve("/train", PAYLOADS[TRAIN], cut=80_000)  # announces 200,000 bytes, sends 80,000
    target = make_target(tmp_path / "datasets", {TRAIN: [url]})
    message = failure_of(target)
    assert f"  {url}: " in message
    assert re.search(r"closed after \d+ of 200000 bytes|IncompleteRead", message), message
    assert_nothing_under_the_real_name(target)
    kept = (target / f"{TRAIN}.partial").read_bytes()
    assert PAYLOADS[TRAIN].startswith(kept) and len(kept) <= 80_000


def test_a_server_offering_the_wrong_size_is_refused_before_downloading(server, tmp_path):
    """Like a Git LFS pointer (131 bytes) served instead of the file."""
    pointer = b"version https://git-lfs.github.com/spec/v1\noid sha256:0123\nsize 200000\n"
    url = server.serve("/train", pointer)
    target = make_target(tmp_path / "datasets", {TRAIN: [url]})
    message = failure_of(target)
    assert f"  {url}: the server offers {len(pointer)} bytes; expected 200000 (a wrong file)" in message
    assert_nothing_under_the_real_name(target)


def test_a_server_sending_too_much_without_a_length_is_cut_off(server, tmp_path):
    url = server.serve("/train", PAYLOADS[TRAIN] * 3, length=None)
    target = make_target(tmp_path / "datasets", {TRAIN: [url]})
    message = failure_of(target)
    assert f"  {url}: the server sends more than the expected 200000 bytes" in message
    assert not list(target.glob(f"{TRAIN}*"))


def test_a_missing_file_on_the_server(server, tmp_path):
    url = server.url("/nothing/here")
    target = make_target(tmp_path / "datasets", {TRAIN: [url]})
    message = failure_of(target)
    assert f"  {url}: HTTP 404 " in message
    assert not list(target.glob(f"{TRAIN}*"))


@pytest.mark.parametrize("stall", ["headers", "body"])
def test_a_stalled_server_fails_after_the_timeout(server, tmp_path, stall):
    url = server.serve("/train", PAYLOADS[TRAIN], cut=1000, stall=stall)
    target = make_target(tmp_path / "datasets", {TRAIN: [url]})
    started = time.monotonic()
    message = failure_of(target, timeout=QUICK)
    assert time.monotonic() - started < 5 * QUICK
    assert f"  {url}: stalled: nothing received for {QUICK:g} s" in message
    assert "--timeout" in message
    assert_nothing_under_the_real_name(target)


@pytest.mark.parametrize("code", [301, 302, 307])
def test_redirects_are_followed(server, tmp_path, code):
    server.serve("/moved/here/train", PAYLOADS[TRAIN])
    url = server.redirect("/train", "/moved/here/train", code)
    target = make_target(tmp_path / "datasets", {TRAIN: [url]})
    assert fetch(target) == [f"{TRAIN}: downloaded from {url} and verified"]
    assert_verified(target, TRAIN)
    assert [path for path, _ in server.requests] == ["/train", "/moved/here/train"]


def test_an_address_that_is_not_http_is_refused_without_trying_it(tmp_path):
    target = make_target(tmp_path / "datasets", {TRAIN: [f"file://{tmp_path}/{TRAIN}"]})
    assert "not an http or https address" in failure_of(target)


# ---------------------------------------------------------------- several addresses


def test_the_second_mirror_serves_when_the_first_fails(server, tmp_path):
    first, second = server.url("/gone"), server.serve("/second", PAYLOADS[TRAIN])
    target = make_target(tmp_path / "datasets", {TRAIN: [first, second]})
    out = io.StringIO()
    assert fetch(target, out=out) == [f"{TRAIN}: downloaded from {second} and verified"]
    assert_verified(target, TRAIN)
    assert f"  {first}: HTTP 404 Not Found" in out.getvalue()


@pytest.mark.parametrize("bad", ["corrupt", "cut", "stall", "wrong size"])
def test_any_failure_falls_through_to_the_next_mirror(server, tmp_path, bad):
    how = {"corrupt": {"body": PAYLOADS[TRAIN][::-1]}, "cut": {"cut": 5000},
           "stall": {"stall": "body", "cut": 10}, "wrong size": {"body": b"<html>not found</html>"}}[bad]
    first = server.serve("/first", **{"body": PAYLOADS[TRAIN], **how})
    second = server.serve("/second", PAYLOADS[TRAIN])
    target = make_target(tmp_path / "datasets", {TRAIN: [first, second]})
    assert fetch(target, timeout=QUICK) == [f"{TRAIN}: downloaded from {second} and verified"]
    assert_verified(target, TRAIN)


def test_the_addresses_of_the_environment_come_before_the_manifest(server, tmp_path, monkeypatch):
    server.serve(f"/ours/{TRAIN}", PAYLOADS[TRAIN])
    manifest_url = server.serve("/public/train", PAYLOADS[TRAIN])
    monkeypatch.setenv(download.MIRRORS_ENV, f"{server.url('/down')}  {server.url('/ours/')}")
    target = make_target(tmp_path / "datasets", {TRAIN: [manifest_url]})
    assert fetch(target) == [f"{TRAIN}: downloaded from {server.url(f'/ours/{TRAIN}')} and verified"]
    assert [path for path, _ in server.requests] == [f"/down/{TRAIN}", f"/ours/{TRAIN}"]


def test_the_local_folder_is_tried_first(server, tmp_path):
    local = tmp_path / "local"
    local.mkdir()
    (local / TRAIN).write_bytes(PAYLOADS[TRAIN])
    target = make_target(tmp_path / "datasets", {TRAIN: [server.serve("/train", PAYLOADS[TRAIN])]})
    assert fetch(target, local=local) == [f"{TRAIN}: copied from {local / TRAIN} and verified"]
    assert_verified(target, TRAIN)
    assert server.requests == []


def test_a_local_folder_without_the_file_falls_through_to_the_mirrors(server, tmp_path):
    local = tmp_path / "local"
    local.mkdir()
    (local / TRAIN).write_bytes(PAYLOADS[TRAIN][:1000])
    url = server.serve("/train", PAYLOADS[TRAIN])
    target = make_target(tmp_path / "datasets", {TRAIN: [url]})
    out = io.StringIO()
    assert fetch(target, local=local, out=out) == [f"{TRAIN}: downloaded from {url} and verified"]
    assert f"  {local / TRAIN}: has 1000 bytes; expected 200000" in out.getvalue()


def test_offline_tries_only_the_local_folder(server, tmp_path):
    url = server.serve("/train", PAYLOADS[TRAIN])
    target = make_target(tmp_path / "datasets", {TRAIN: [url]})
    message = failure_of(target, local=tmp_path / "empty", offline=True)
    assert f"  {tmp_path / 'empty' / TRAIN}: missing" in message
    assert server.requests == []


# ---------------------------------------------------------------- resuming


def test_a_broken_download_resumes_with_a_range_request(server, tmp_path):
    url = server.serve("/train", PAYLOADS[TRAIN])
    target = make_target(tmp_path / "datasets", {TRAIN: [url]})
    (target / f"{TRAIN}.partial").write_bytes(PAYLOADS[TRAIN][:123_456])
    out = io.StringIO()
    assert fetch(target, out=out) == [f"{TRAIN}: downloaded from {url} and verified"]
    assert_verified(target, TRAIN)
    assert server.requests == [("/train", "bytes=123456-")]
    assert server.sent["/train"] == 200_000 - 123_456
    assert "resuming after the 123,456 bytes of an earlier try" in out.getvalue()


def test_a_server_that_ignores_range_sends_everything_again(server, tmp_path):
    url = server.serve("/train", PAYLOADS[TRAIN], ranges=False)
    target = make_target(tmp_path / "datasets", {TRAIN: [url]})
    (target / f"{TRAIN}.partial").write_bytes(PAYLOADS[TRAIN][:123_456])
    fetch(target)
    assert_verified(target, TRAIN)
    assert server.requests == [("/train", "bytes=123456-")]
    assert server.sent["/train"] == 200_000


def test_a_cut_download_is_finished_by_the_next_mirror(server, tmp_path):
    first = server.serve("/first", PAYLOADS[TRAIN], cut=150_000)
    second = server.serve("/second", PAYLOADS[TRAIN])
    target = make_target(tmp_path / "datasets", {TRAIN: [first, second]})
    assert fetch(target) == [f"{TRAIN}: downloaded from {second} and verified"]
    assert_verified(target, TRAIN)
    (path, wanted), = [request for request in server.requests if request[0] == "/second"]
    assert wanted is not None and wanted.startswith("bytes=")
    assert server.sent["/second"] == 200_000 - int(wanted[6:-1])


def test_a_resumed_download_that_does_not_verify_starts_again_from_zero(server, tmp_path):
    """The bytes kept from the earlier try were the bad ones."""
    url = server.serve("/train", PAYLOADS[TRAIN])
    target = make_target(tmp_path / "datasets", {TRAIN: [url]})
    (target / f"{TRAIN}.partial").write_bytes(b"\0" * 50_000)
    fetch(target)
    assert_verified(target, TRAIN)
    assert server.requests == [("/train", "bytes=50000-"), ("/train", None)]


def test_a_partial_file_too_long_to_resume_is_thrown_away(server, tmp_path):
    url = server.serve("/train", PAYLOADS[TRAIN])
    target = make_target(tmp_path / "datasets", {TRAIN: [url]})
    (target / f"{TRAIN}.partial").write_bytes(b"\0" * 300_000)
    fetch(target)
    assert_verified(target, TRAIN)
    assert server.requests == [("/train", None)]


# ---------------------------------------------------------------- everything failing


def unused_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_everything_failing_names_each_place_and_reason_and_the_way_by_hand(server, tmp_path):
    local = tmp_path / "local"
    local.mkdir()
    refused = f"http://127.0.0.1:{unused_port()}/train"
    urls = [server.url("/missing"), server.serve("/corrupt", PAYLOADS[TRAIN][::-1]),
            server.serve("/stalls", PAYLOADS[TRAIN], stall="headers"), refused]
    target = make_target(tmp_path / "datasets", {TRAIN: urls, TEST: [server.serve("/test", PAYLOADS[TEST])]})
    message = failure_of(target, local=local, timeout=QUICK)

    assert message.startswith("Could not get 1 of the course's data files. Tried:\n")
    tried = [f"  {local / TRAIN}: missing",
             f"  {urls[0]}: HTTP 404 Not Found",
             f"  {urls[1]}: the download does not match its SHA-256 checksum",
             f"  {urls[2]}: stalled: nothing received for {QUICK:g} s",
             f"  {refused}: could not connect ("]
    positions = [message.index(line) for line in tried]
    assert positions == sorted(positions), "the places are not listed in the order they were tried"
    assert f"{TRAIN} (200000 bytes, SHA-256 {entry_for(TRAIN, [])['sha256']}):" in message
    # By hand: which address (the first that did not answer with a wrong file), where to put
    # the file, and the command that takes it from there.
    assert f"download with a browser:\n  {TRAIN}: {urls[2]}\n" in message
    assert "Save them in a folder of your choice" in message and f"straight into {target} " in message
    assert "python3 course.py data --from THAT_FOLDER" in message
    assert "python3 datasets/fetch.py --from THAT_FOLDER" in message
    assert datasets.DATA_SOURCE_ENV in message
    assert TEST not in message.split("download with a browser")[1], "a file that was fetched is listed by hand"
    assert_nothing_under_the_real_name(target)
    assert_verified(target, TEST)


def test_by_hand_the_first_address_is_named_when_each_answered_wrongly(server, tmp_path):
    urls = [server.url("/missing"), server.serve("/corrupt", PAYLOADS[TRAIN][::-1])]
    target = make_target(tmp_path / "datasets", {TRAIN: urls})
    assert f"download with a browser:\n  {TRAIN}: {urls[0]}\n" in failure_of(target)


def test_by_hand_offline_names_the_manifests_first_address(tmp_path):
    target = make_target(tmp_path / "datasets", {TRAIN: ["https://example.org/a/train.h5", "https://example.org/b"]})
    message = failure_of(target, local=tmp_path, offline=True)
    assert f"download with a browser:\n  {TRAIN}: https://example.org/a/train.h5\n" in message


def test_a_bad_file_under_the_real_name_does_not_stay_there(server, tmp_path):
    target = make_target(tmp_path / "datasets", {TRAIN: [server.url("/missing")]})
    (target / TRAIN).write_bytes(PAYLOADS[TRAIN][::-1])
    failure_of(target)
    assert_nothing_under_the_real_name(target)


def test_a_bad_file_under_the_real_name_is_replaced(server, tmp_path):
    target = make_target(tmp_path / "datasets", {TRAIN: [server.serve("/train", PAYLOADS[TRAIN])]})
    (target / TRAIN).write_bytes(PAYLOADS[TRAIN][:5000])
    assert fetch(target) == [f"{TRAIN}: downloaded from {server.url('/train')} and verified"]
    assert_verified(target, TRAIN)


def test_a_download_that_cannot_be_written_is_reported_as_such(server, tmp_path, monkeypatch):
    def disk_full(path, mode):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(download, "open", disk_full, raising=False)
    url = server.serve("/train", PAYLOADS[TRAIN])
    target = make_target(tmp_path / "datasets", {TRAIN: [url]})
    assert f"  {url}: OSError: [Errno 28] No space left on device" in failure_of(target)
    assert not list(target.glob(f"{TRAIN}*"))


def test_a_manifest_without_addresses_and_no_folder(tmp_path):
    target = make_target(tmp_path / "datasets", {TRAIN: []})
    message = failure_of(target)
    assert "nothing: no local folder was named and manifest.json lists no address for it" in message
    assert f"{TRAIN}: (no address known: ask your instructor for this file)" in message


# ---------------------------------------------------------------- progress


def test_progress_in_a_log_is_a_few_whole_lines_with_bytes_and_percent(server, tmp_path):
    target = make_target(tmp_path / "datasets", {TRAIN: [server.serve("/train", PAYLOADS[TRAIN])]})
    out = io.StringIO()
    fetch(target, out=out)
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue()
    assert 2 <= len(lines) <= 5
    assert all(re.fullmatch(rf"  {TRAIN}: [\d,]+ of 200,000 bytes \(\d+%\)", line) for line in lines), lines
    assert lines[-1] == f"  {TRAIN}: 200,000 of 200,000 bytes (100%)"


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_on_a_terminal_is_rewritten_on_one_line(server, tmp_path):
    target = make_target(tmp_path / "datasets", {TRAIN: [server.serve("/train", PAYLOADS[TRAIN])]})
    out = Terminal()
    fetch(target, out=out)
    text = out.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    updates = text.rstrip("\n").split("\r")[1:]
    assert len(updates) >= 2
    assert updates[-1] == f"  {TRAIN}: 200,000 of 200,000 bytes (100%)"


def test_a_broken_progress_line_is_ended_before_the_reason(server, tmp_path):
    target = make_target(tmp_path / "datasets", {TRAIN: [server.serve("/train", PAYLOADS[TRAIN], cut=100_000)]})
    out = Terminal()
    failure_of(target, out=out)
    assert f"\n  {server.url('/train')}: " in out.getvalue()


# ---------------------------------------------------------------- datasets/fetch.py


@pytest.fixture
def course(tmp_path):
    """tmp/course/datasets/{fetch.py, manifest.json}: fetch.py writes into its own folder, so it runs from a copy."""
    datasets_dir = tmp_path / "course" / "datasets"
    datasets_dir.mkdir(parents=True)
    shutil.copy(EDITION / "datasets" / "fetch.py", datasets_dir / "fetch.py")
    return datasets_dir


def run_fetch(datasets_dir, *args, **env):
    ours = (*PROXY_VARIABLES, datasets.DATA_DIR_ENV, datasets.DATA_SOURCE_ENV, download.MIRRORS_ENV)
    clean = {k: v for k, v in os.environ.items() if k not in ours}
    return subprocess.run([sys.executable, str(datasets_dir / "fetch.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=60, cwd=datasets_dir.parent,
                          env={**clean, "no_proxy": "127.0.0.1,localhost", **env})


def test_fetch_downloads_then_leaves_verified_files_alone(server, course):
    make_target(course, {TRAIN: [server.serve("/train", PAYLOADS[TRAIN])],
                         TEST: [server.url("/gone"), server.serve("/test", PAYLOADS[TEST])]})
    result = run_fetch(course)
    assert result.returncode == 0, result.stderr
    assert_verified(course, TRAIN, TEST)
    assert f"{TRAIN}: downloaded from {server.url('/train')} and verified" in result.stdout
    assert f"  {TRAIN}: 200,000 of 200,000 bytes (100%)" in result.stdout
    assert f"  {server.url('/gone')}: HTTP 404 Not Found" in result.stdout
    again = run_fetch(course)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("already present and verified") == 2
    assert len(server.requests) == 3


def test_fetch_exits_1_with_the_message_when_everything_fails(server, course):
    make_target(course, {TRAIN: [server.url("/gone")]})
    result = run_fetch(course)
    assert result.returncode == 1
    assert result.stderr.startswith("error: Could not get 1 of the course's data files.")
    assert f"  {server.url('/gone')}: HTTP 404 Not Found" in result.stderr
    assert "--from THAT_FOLDER" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(course.glob("*.h5*"))


def test_fetch_timeout_option(server, course):
    make_target(course, {TRAIN: [server.serve("/train", PAYLOADS[TRAIN], stall="headers")]})
    started = time.monotonic()
    result = run_fetch(course, "--timeout", QUICK)
    assert time.monotonic() - started < 20
    assert result.returncode == 1
    assert f"stalled: nothing received for {QUICK:g} s" in result.stderr


def test_fetch_refuses_a_timeout_that_is_not_positive(course):
    result = run_fetch(course, "--timeout", "0")
    assert result.returncode == 2 and "not a positive number of seconds" in result.stderr


def test_fetch_offline_downloads_nothing(server, course, tmp_path):
    make_target(course, {TRAIN: [server.serve("/train", PAYLOADS[TRAIN])]})
    local = tmp_path / "local"
    local.mkdir()
    result = run_fetch(course, "--offline", "--from", local)
    assert result.returncode == 1
    assert f"  {local / TRAIN}: missing" in result.stderr
    assert server.requests == []
    (local / TRAIN).write_bytes(PAYLOADS[TRAIN])
    result = run_fetch(course, "--offline", **{datasets.DATA_SOURCE_ENV: str(local)})
    assert result.returncode == 0, result.stderr
    assert_verified(course, TRAIN)
    assert server.requests == []


def test_fetch_takes_addresses_of_ones_own_from_the_environment(server, course):
    server.serve(f"/ours/{TRAIN}", PAYLOADS[TRAIN])
    make_target(course, {TRAIN: [server.url("/gone")]})
    result = run_fetch(course, **{download.MIRRORS_ENV: server.url("/ours")})
    assert result.returncode == 0, result.stderr
    assert [path for path, _ in server.requests] == [f"/ours/{TRAIN}"]


# ---------------------------------------------------------------- the committed manifest


def test_the_committed_manifest_lists_the_public_mirrors_in_order_https_only():
    entries = datasets.read_manifest(EDITION / "datasets")
    assert [entry["name"] for entry in entries] == [TRAIN, TEST]
    for entry in entries:
        urls = entry["urls"]
        assert all(url.startswith("https://") for url in urls), urls
        mirrors = [base + entry["name"] for base in MIRROR_BASES]
        assert [url for url in urls if url in mirrors] == mirrors, f"{entry['name']}: a mirror missing or out of order"
        assert len(set(urls)) == len(urls)


def test_the_committed_manifest_agrees_with_mirrors_md():
    """The instructor's ../shared/datasets/MIRRORS.md, where it exists, lists the same addresses."""
    if not MIRRORS_MD.is_file():
        pytest.skip(f"no {MIRRORS_MD} on this machine")
    listed = re.findall(r"https?://\S+?\.h5", MIRRORS_MD.read_text())
    for entry in datasets.read_manifest(EDITION / "datasets"):
        from_md = [url for url in listed if url.endswith("/" + entry["name"])]
        assert from_md and all(url in entry["urls"] for url in from_md)
        assert [url for url in entry["urls"] if url in from_md] == from_md
