"""The transactional outbox: follow-ups written in the same transaction as the change they follow.

A journey decision, a jury decision or a provisioning request records the tasks that must follow it as
:class:`~clea.outbox.models.OutboxMessage` rows, inside its own transaction (:func:`clea.outbox.writer.enqueue`).
Nothing is sent before the commit, nothing is lost after it:

* right after the commit, the rows of that transaction are relayed to the broker (``relay.relay_after_commit``);
  a broker that is down does not fail the request — the rows simply stay pending;
* the ``clea.tasks.outbox.relay_outbox`` task (Celery beat, every minute) and every worker at start relay
  whatever is still pending, oldest first, with exponential back-off per row;
* a row that cannot be sent after ``CLEA_OUTBOX_MAX_ATTEMPTS`` attempts is marked failed and listed beside
  the failed tasks, for the federation's admins to send again.

The row's id (a public-schema sequence: it never repeats, whatever happens to a tenant schema) is the
Celery task id (``outbox-<id>``); the tasks stay idempotent through the ledger (``clea.tasks.ledger``).
"""
