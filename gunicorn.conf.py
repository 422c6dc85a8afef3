"""gunicorn's settings for the web process (gunicorn reads ./gunicorn.conf.py from the directory it starts in:
`make serve`, the Docker image and bench.http all start there). The command line's options (bind, workers,
timeout) still come from the Makefile; see docs/deployment.md, "Workers", for how many and why.

- preload_app: the master imports the application once, before it forks the workers, so their code and the
  data built at import (URL patterns, templates' libraries, translations) are shared pages instead of one copy per
  worker (the PSS of a worker, what it really costs, drops; its RSS, which counts shared pages, does not). The
  master opens no database connection while it loads (Django connects on a request's first query). Restarting
  the workers with HUP therefore keeps the old code: deploy with a restart of the service.
- gc.freeze() in the master once the application is loaded: the objects made at import move to a generation the
  collector never walks, so the workers' collections do not write to (and so copy) the pages they share.
"""

import gc

preload_app = True


def when_ready(server):
    gc.collect()
    gc.freeze()
