"""The RQ worker ``flask order-admin export-worker`` runs: RQ's, stopping in about a second.

RQ listens for its commands in a thread that waits up to 60 s for a message, and redis-py 5.3+ makes
stopping that thread wait for it to wake: a worker told to stop (or a burst worker with nothing left)
could sit for a minute after "quitting". Here the thread wakes every second instead (docs/design.md,
"Queue runners").
"""

from __future__ import annotations

from rq import SimpleWorker, Worker

COMMAND_POLL_SECONDS = 1


class _PromptStop:
    def subscribe(self) -> None:
        """RQ's subscription, with a listener thread that checks every second whether to stop."""
        self.log.info("Worker %s: subscribing to channel %s", self.name, self.pubsub_channel_name)  # type: ignore[attr-defined]
        self.pubsub = self.connection.pubsub()  # type: ignore[attr-defined]
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})  # type: ignore[attr-defined]
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=COMMAND_POLL_SECONDS, daemon=True,
            exception_handler=self._pubsub_exception_handler,  # type: ignore[attr-defined]
        )


class ExportWorker(_PromptStop, Worker):
    """A worker forking a work horse per job."""


class SimpleExportWorker(_PromptStop, SimpleWorker):
    """A worker running each job in its own process."""
