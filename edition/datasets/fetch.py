"""Bring the cat/non-cat files into this folder and verify them against manifest.json.

    python3 datasets/fetch.py [--from DIR] [--timeout S] [--offline]

Each file that is missing or corrupt comes from the first place that provides it verified:
a local folder (--from DIR, else $NNCOURSE_DATA_SOURCE) when one is named, then the base
addresses in $NNCOURSE_DATA_MIRRORS, then the mirrors listed in manifest.json. Files already
here and verified are left alone. `python3 course.py data` runs this; README.md beside it
says more. Needs only Python 3.11 or later: nothing has to be installed first.
"""

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the student package beside this folder, installed or not

from nncourse.datasets import DATA_SOURCE_ENV, DatasetError  # noqa: E402
from nncourse.download import DEFAULT_TIMEOUT, MIRRORS_ENV, fetch_files  # noqa: E402


def seconds(text):
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number of seconds")
    return value


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog=f"Addresses of your own: ${MIRRORS_ENV}='BASE_URL ...' "
                                            "(tried before the manifest's, each file at BASE_URL/NAME).")
    parser.add_argument("--from", dest="source", metavar="DIR", type=Path,
                        default=os.environ.get(DATA_SOURCE_ENV) or None,
                        help=f"a folder holding the .h5 files, tried first (default: ${DATA_SOURCE_ENV}, else none)")
    parser.add_argument("--timeout", metavar="SECONDS", type=seconds, default=DEFAULT_TIMEOUT,
                        help=f"seconds without data before a server counts as stalled (default: {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--offline", action="store_true", help="only the local folder: download nothing")
    args = parser.parse_args(argv)
    try:
        report = fetch_files(HERE, local=args.source, offline=args.offline, timeout=args.timeout, out=sys.stdout)
    except (DatasetError, OSError) as error:  # OSError: this folder cannot be written, say
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nInterrupted. Run this again to carry on: a broken download resumes where it stopped.",
              file=sys.stderr)
        return 130
    for line in report:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
