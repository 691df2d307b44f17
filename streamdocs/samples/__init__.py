"""The samples as tests see them: which runs there are (cases.py), running one in
this process (runner.py), every sample against every answer shape (matrix.py), and
the complete example under the emulator's faults (faults.py)."""
