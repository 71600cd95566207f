"""Batches: one action on a list of identifiers, previewed, applied, resumable, undoable.

No UI here (no textual): `ctconsole batch` and the TUI's batch screen are thin over it.

    parsed = parse_text(pasted)                       # or read_file(path, column="code")
    accounts = Accounts(client, everywhere=False)
    rows = await resolve(rows_for(parsed.items), Resolver(accounts, action.target),
                         pool=16, on_row=...)         # found / not_found / ambiguous / error
    apply_picks(rows, {4: "s7rq3t…", 9: SKIP})         # ambiguous rows settled (or [problems])
    plan = plan_batch(action_named("validate"), rows, action.fields({}), reason="INC-7")
    plan.summary(); plan.rows[0].changes(); plan.steps   # the preview; nothing sent
    report = await apply_batch(plan, accounts, journal=journal, context=context,
                               confirm=plan.confirmation, pause=event)
    fresh = await plan_retry(journal, plan, accounts)                # the failed ones
    fresh, status = await plan_resume(journal, batch_id, accounts)   # after a crash
    undo = await plan_undo_batch(journal, batch_id, accounts)
"""

from .accounts import Accounts
from .actions import ACTIONS, Action, action_named
from .apply import DEFAULT_CONCURRENCY, ApplyReport, apply_batch, check_batch
from .inputs import MAX_ITEMS, InputError, Item, ParsedInput, parse_csv, parse_text, read_file
from .plan import CHUNK, OUTCOME_LABELS, OUTCOMES, BatchPlan, RowPlan, Step, plan_batch
from .progress import Progress
from .resolve import (DEFAULT_POOL, LOYALTY, SESSION, SKIP, Found, ResolveStopped, Resolver,
                      Row, apply_picks, resolve, rows_for)
from .resume import (APPLIED, FAILED, NOT_STARTED, UNKNOWN, BatchNotFound, BatchStatus,
                     batch_status, batches, plan_resume, plan_retry, plan_undo_batch)

__all__ = [
    "ACTIONS", "APPLIED", "Accounts", "Action", "ApplyReport", "BatchNotFound", "BatchPlan",
    "BatchStatus", "CHUNK", "DEFAULT_CONCURRENCY", "DEFAULT_POOL", "FAILED", "Found",
    "InputError", "Item", "LOYALTY", "MAX_ITEMS", "NOT_STARTED", "OUTCOMES", "OUTCOME_LABELS",
    "ParsedInput", "Progress", "ResolveStopped", "Resolver", "Row", "RowPlan", "SESSION", "SKIP",
    "Step",
    "UNKNOWN", "action_named", "apply_batch", "apply_picks", "batch_status", "batches", "check_batch",
    "parse_csv", "parse_text", "plan_batch", "plan_resume", "plan_retry", "plan_undo_batch",
    "read_file", "resolve", "rows_for",
]
