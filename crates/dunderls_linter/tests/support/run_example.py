"""Run one documentation example (read from stdin) and report what happened.

Prints the example's own stdout, then a last line with a JSON summary of the
exception raised (if any) and the warnings emitted, so the Rust test can
compare them with the example's claims.
"""
import io
import json
import sys
import warnings
from contextlib import redirect_stdout

code = sys.stdin.read()
captured = io.StringIO()
result = {"exception": None, "message": None, "warnings": []}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        with redirect_stdout(captured):
            exec(compile(code, "<example>", "exec"), {"__name__": "__main__"})
    except BaseException as exc:  # the claim may be any exception
        result["exception"] = type(exc).__name__
        result["message"] = str(exc)
    result["warnings"] = [f"{w.category.__name__}: {w.message}" for w in caught]
result["stdout"] = captured.getvalue()
print(json.dumps(result))
