import gc
import sys

try:
    from pipeline.lazy import importing

    with importing():
        from pipeline.cli import main

    code = main()
except KeyboardInterrupt:  # Ctrl-C while the modules are still loading: one line, like main's own
    print("interrupted", file=sys.stderr)
    code = 130
gc.freeze()  # the process ends: no last collection over everything it holds (~40 ms); destructors still run
raise SystemExit(code)
