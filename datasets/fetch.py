"""Copy the cat/non-cat files into this folder and verify them against manifest.json.

    python3 datasets/fetch.py [--from DIR]

The source folder is, in order: --from, $NNCOURSE_DATA_SOURCE, ../shared/datasets beside
the course folder. `python3 course.py data` runs this.
"""

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the course package, installed or not

from nncourse.datasets import DATA_SOURCE_ENV, DatasetError, copy_in  # noqa: E402

DEFAULT_SOURCE = HERE.parent.parent / "shared" / "datasets"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path,
                        default=Path(os.environ.get(DATA_SOURCE_ENV) or DEFAULT_SOURCE),
                        help=f"folder holding the .h5 files (default: ${DATA_SOURCE_ENV} or {DEFAULT_SOURCE})")
    args = parser.parse_args(argv)
    try:
        for line in copy_in(args.source, HERE):
            print(line)
    except DatasetError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
