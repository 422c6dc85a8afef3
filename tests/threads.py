"""Run jobs in threads that start together, for the concurrency tests on PostgreSQL."""

import threading

from django.db import close_old_connections, connection


def run_threads(jobs, *, timeout=120):
    """Start every job at once and return their results; re-raise the first failure.

    Each thread opens and closes its own database connection, so the test's flush sees no stray session.
    """
    barrier = threading.Barrier(len(jobs))
    failures, results = [], []

    def wrap(job):
        try:
            close_old_connections()
            barrier.wait(timeout=30)
            results.append(job())
        except BaseException as exc:  # reported to the test below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    if failures:
        raise failures[0]
    return results


def run_in_thread(flow, *, timeout=300):
    """Run one job in its own thread and re-raise its failure here.

    The browser flows run Playwright's sync API, which refuses to start inside a running event loop; a thread of
    their own keeps them apart from other browser modules. The thread closes its own database connection.
    """
    failures = []

    def target():
        try:
            flow()
        except BaseException as exc:  # re-raised in the test's thread
            failures.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=timeout)
    assert not thread.is_alive(), "the flow hung"
    if failures:
        raise failures[0]
