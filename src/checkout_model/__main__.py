"""``python -m checkout_model``: the same as the ``checkout-model`` command."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
