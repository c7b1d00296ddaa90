"""Run one documentation example (read from stdin) and report what happened.

The example runs as the real __main__ module (pickle and friends look
classes up there). The example's stdout is captured; the last line printed
is a JSON summary of the exception raised (if any), the warnings emitted
and the captured output, for the Rust side to compare with the claims.
"""
import io
import json
import sys
import types
import warnings
from contextlib import redirect_stdout

code = sys.stdin.read()
main = types.ModuleType("__main__")
main.__dict__["__builtins__"] = __builtins__
sys.modules["__main__"] = main
captured = io.StringIO()
result = {"exception": None, "message": None, "warnings": []}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        with redirect_stdout(captured):
            exec(compile(code, "<example>", "exec"), main.__dict__)
    except BaseException as exc:  # the claim may be any exception
        result["exception"] = type(exc).__name__
        result["message"] = str(exc)
    result["warnings"] = [f"{w.category.__name__}: {w.message}" for w in caught]
result["stdout"] = captured.getvalue()
sys.__stdout__.write("\n" + json.dumps(result) + "\n")
