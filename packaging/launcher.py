"""Entry script of the frozen app (PyInstaller needs a script, not a package's __main__)."""
import multiprocessing
import sys

from app.__main__ import main

if __name__ == "__main__":
    multiprocessing.freeze_support()   # `proofline check --parallel processes` in a frozen app
    sys.exit(main())
