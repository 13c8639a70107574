"""Import what a later step needs while this one waits on the network.

Some imports cost more than the work they serve: scikit-learn, for clustering a review's few dozen
papers, spends over a second of CPU importing SciPy. A step that mostly waits (snowballing: one
OpenAlex or arXiv request after another) can have them imported on a daemon thread meanwhile, so the
step that needs them finds them loaded. Only start it where nothing else is importing: two threads
importing modules that import each other can see one another's half-initialised modules.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading

log = logging.getLogger(__name__)


def preload(*modules: str) -> threading.Thread | None:
    """Import `modules` (those not imported yet) on a daemon thread; the thread, or None.

    A module that fails to import is logged and skipped: the step that needs it imports it
    again and says what is wrong then.
    """
    missing = [name for name in modules if name not in sys.modules]
    if not missing:
        return None

    def load() -> None:
        for name in missing:
            try:
                importlib.import_module(name)
            except Exception as error:  # noqa: BLE001 - the step that needs it will raise it properly
                log.debug("preloading %s failed: %s", name, error)

    thread = threading.Thread(target=load, name="preload", daemon=True)
    thread.start()
    return thread
