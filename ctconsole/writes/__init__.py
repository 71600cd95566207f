"""Safe edits: plan, guard, journal, apply and undo writes.

No UI here (no textual): forms and preview screens are built on this API.

    plan = await plan_write(client, "loyalty.user_update",
                            {"loyaltycard": "loy_3001", "user": "lus_30010", "stamps": 3},
                            reason="TICKET-42")
    plan.diff(); plan.warnings; plan.refusals; plan.as_request(); plan.confirmation
    outcome = await apply_write(client, plan, journal=Journal(),
                                context=WriteContext.from_settings(settings))
    outcome.status  # ok / failed / unknown / refused; outcome.state: the object now
    undo = await plan_undo(client, Journal().get(outcome.entry_id))
"""

from typing import TYPE_CHECKING

from ctconsole import lazy

if TYPE_CHECKING:  # for type checkers and IDEs: the same names, eagerly
    from .apply import WriteOutcome, apply_write, check_allowed, classify, context_refusals
    from .context import WriteContext
    from .guards import MASS_THRESHOLD, RULES
    from .inverse import Inverse, inverse_of, plan_undo, reason_no_inverse
    from .journal import Journal, JournalEntry, default_path
    from .plan import WritePlan, field_problems, plan_write, request_of
    from .reasons import ConfirmationMismatch, GuardWarning, ReadOnly, Reason, Refusal
    from .specs import SPECS, Target

#: Each name loads its module on first use: a start that only points the
#: journal at the demo's file (``--demo``) needs none of the engine.
__getattr__, __dir__ = lazy.attributes(__name__, {
    **dict.fromkeys(("WriteOutcome", "apply_write", "check_allowed", "classify",
                     "context_refusals"), ".apply"),
    "WriteContext": ".context",
    **dict.fromkeys(("MASS_THRESHOLD", "RULES"), ".guards"),
    **dict.fromkeys(("Inverse", "inverse_of", "plan_undo", "reason_no_inverse"), ".inverse"),
    **dict.fromkeys(("Journal", "JournalEntry", "default_path"), ".journal"),
    **dict.fromkeys(("WritePlan", "field_problems", "plan_write", "request_of"), ".plan"),
    **dict.fromkeys(("ConfirmationMismatch", "GuardWarning", "ReadOnly", "Reason", "Refusal"),
                    ".reasons"),
    **dict.fromkeys(("SPECS", "Target"), ".specs"),
})

__all__ = [
    "ConfirmationMismatch", "GuardWarning", "Inverse", "Journal", "JournalEntry",
    "MASS_THRESHOLD", "RULES", "ReadOnly", "Reason", "Refusal", "SPECS", "Target",
    "WriteContext", "WriteOutcome", "WritePlan", "apply_write", "check_allowed", "classify",
    "context_refusals", "default_path", "field_problems", "inverse_of", "plan_undo", "plan_write",
    "reason_no_inverse", "request_of",
]
