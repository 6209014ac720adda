"""Keeping Python's cyclic garbage collector off the dossier's long-lived objects, and
its full passes out of `mkdocs serve` rebuilds.

A dossier of a few thousand articles is several hundred thousand objects (mentions,
targets, positions, index lists) that live until the build ends, or across `mkdocs serve`
rebuilds. Every full collection walks them all (about 0.5 s at N=2000 under serve), and
a build allocates enough to trigger one.

- `mkdocs serve`, always: once a build ends, the garbage it left is collected after a
  short idle spell (a timer thread), so that the next rebuild, after the editor's next
  save, starts with nothing pending and does not run that full pass itself. A rebuild
  that starts first cancels the timer; after MAX_SKIPPED rebuilds in a row without an
  idle spell, that rebuild collects at once, so cyclic garbage cannot pile up while
  edits keep coming. Nothing is frozen for this.
- Opt-in (the plugin's `freeze_gc` option), since the freeze holds every object alive in
  the process, not only the dossier's: `gc.freeze()` moves everything alive once the
  dossier is loaded to a generation that collections skip; reference counting still
  frees what is dropped, and cyclic garbage among frozen objects waits until `release`.
  `mkdocs build` lets go when the build ends; `mkdocs serve` at the idle collection,
  which then freezes what survives.
"""

from __future__ import annotations

import gc
import threading

#: Idle collections a run of back-to-back rebuilds may skip before unfreezing at once.
MAX_SKIPPED = 5


class GcFreeze:
    """Freezes the objects alive at a point of the build (`gc.freeze`) and lets them go
    later; with `idle_seconds`, collects each build's garbage once the process idles."""

    def __init__(self, idle_seconds: float | None = None) -> None:
        # None: release at once; else collect (and refreeze) after this many idle seconds.
        self.idle_seconds = idle_seconds
        self.frozen = False
        self.skipped = 0  # idle collections missed in a row
        self._pending = False  # an idle collection is waiting for its timer
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def freeze(self) -> None:
        """Keep collections off every object alive now."""
        self.cancel()
        with self._lock:
            gc.freeze()
            self.frozen = True

    def release(self) -> None:
        """The build ended: let collections see the frozen objects again at once, or
        (with `idle_seconds`) collect after an idle spell, frozen or not."""
        if self.idle_seconds is None:
            if self.frozen:
                with self._lock:
                    self._unfreeze()
            return
        self.cancel()
        self._pending = True
        timer = threading.Timer(self.idle_seconds, self._collect_when_idle)
        timer.daemon = True
        self._timer = timer
        timer.start()

    def cancel(self) -> None:
        """Drop a pending idle collection (a new build is starting)."""
        timer, self._timer = self._timer, None
        if timer is None:
            return
        timer.cancel()
        timer.join()
        with self._lock:
            if self._pending:  # the idle collection did not happen
                self._pending = False
                self.skipped += 1
                if self.skipped >= MAX_SKIPPED:
                    self._unfreeze()
                    gc.collect()

    def _collect_when_idle(self) -> None:
        with self._lock:
            self._pending = False
            refreeze = self.frozen
            self._unfreeze()
            gc.collect()
            if refreeze:
                gc.freeze()
                self.frozen = True
            self.skipped = 0

    def _unfreeze(self) -> None:
        if self.frozen:
            gc.unfreeze()
            self.frozen = False
        self.skipped = 0
