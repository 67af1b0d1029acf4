import atexit
import gc
import os
import sys

try:
    from pipeline.lazy import importing

    with importing():
        from pipeline.cli import main

    code = main()
except KeyboardInterrupt:  # Ctrl-C while the modules are still loading: one line, like main's own
    print("interrupted", file=sys.stderr)
    code = 130
# The process ends here, and every command has closed what it wrote (outputs are written atomically and closed;
# the pool, the exports' process and a Dask client are ended). The exit handlers run (they save the models' derived
# data, `models.save_derived`), and the standard streams' buffers are written: output that cannot be (a full disk)
# is an error, as the teardown made it. The interpreter's teardown, which would free every object one by one
# (30-60 ms), is skipped.
gc.freeze()
atexit._run_exitfuncs()
for stream in (sys.stdout, sys.stderr):
    try:
        stream.flush()
    except (BrokenPipeError, ValueError):  # a closed pipe (`… | head`): nothing more to say
        pass
    except OSError as exc:
        try:
            print(f"error: cannot write the output ({exc.strerror or exc})", file=sys.stderr, flush=True)
        except (OSError, ValueError):
            pass
        code = code or 1
os._exit(code)
