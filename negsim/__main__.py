"""``python -m negsim``: the same as the ``negsim`` command."""

from negsim.cli import main

main()
