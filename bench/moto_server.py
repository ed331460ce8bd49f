"""``python -m moto.server``, with moto's transactions backing up only the item index (see
``local.moto_speedups.moto_transactions_copy_the_item_index``): the bench's moto server in a process of its own.

    python -m bench.moto_server [-H HOST] [-p PORT]
"""

import sys

from moto.server import main

from local.moto_speedups import moto_transactions_copy_the_item_index

if __name__ == "__main__":
    with moto_transactions_copy_the_item_index():
        sys.exit(main(sys.argv[1:]))
