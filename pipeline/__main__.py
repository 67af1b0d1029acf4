import gc
import os
import sys

try:
    from pipeline.cli import main

    code = main()
except KeyboardInterrupt:  # Ctrl-C while the modules are still loading: one line, like main's own
    print("interrupted", file=sys.stderr)
    code = 130
# The process ends here, and every command has closed what it wrote (outputs are written atomically and closed;
# the pool, the exports' process and a Dask client are ended): the interpreter's teardown, which would free every
# object one by one and run the exit handlers of what is already closed (30-60 ms), is skipped. Only the standard
# streams' buffers are left to write: output that cannot be (a full disk) is an error, as the teardown made it.
gc.freeze()
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
