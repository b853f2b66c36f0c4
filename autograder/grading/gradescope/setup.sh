#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image; the zip is in
# /autograder/source. It installs Python 3.11 or later, the course's environment (.venv) and
# checks the data files; release/ and gradebook.db came in the zip.
set -euo pipefail
cd "$(dirname "$0")"

if python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  PYTHON=python3
else
  # Ubuntu 22.04, Gradescope's default base image, has Python 3.10; its universe has 3.11.
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3.11 python3.11-venv
  PYTHON=python3.11
fi
"$PYTHON" course.py setup --no-release
# Tell the instructor now, in the build log, if this image cannot build the grader's sandbox
# (every submission would then get results.json saying it was not graded).
unshare --user --map-root-user --mount --pid --net --fork true \
  || echo "WARNING: this image cannot make Linux user namespaces: the grader will refuse to grade here."
