"""Games and results in and out of files; Gambit ``.nfg`` files in :mod:`negsim.io.gambit`."""

from negsim.io.gambit import parse_nfg, read_nfg, save_nfg, write_nfg

__all__ = ["parse_nfg", "read_nfg", "save_nfg", "write_nfg"]
