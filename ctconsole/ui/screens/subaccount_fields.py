"""A subaccount's fields (`subaccount.info`, or a `subaccount.list` item) in
readable groups.

Support questions about a subaccount are "who is it", "is it paid up / over
quota", "how does it connect" and "what may it do"; the groups follow those.
The twenty permission flags are shown a group per line (`✓ add ✗ update …`)
instead of twenty `yes`/`no` rows. Every field is shown: fields this module
does not know (a newer API) land in "Other", so nothing the API sent is
hidden. Secrets must be masked by the caller (`text.shown_payload`) first.
"""

from __future__ import annotations

from typing import Any, Mapping

from ctconsole.ui.widgets.sections import Section, flags_content
from ctconsole.ui.text import flatten, plain

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Account", ("ID", "username", "company_name", "first_name", "last_name", "email",
                 "language", "currency")),
    ("Package and usage", ("package", "expiry_date", "max_campaigns", "has_campaigns",
                           "available_campaigns", "lastlogin", "amountlogin")),
    ("API and webhooks", ("api_key", "api_secret", "webhook_endpoint", "webhook_type")),
    ("Builder", ("buildertype", "shown_templates", "integrations")),
)

#: Permission flags by area: (line label, ((flag, short label), ...)).
PERMISSIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("dashboard", (("access_dashboard", "dashboard"), ("access_settings", "settings"),
                   ("access_support", "support"), ("access_contactpage", "contact"))),
    ("campaign", (("access_addcampaign", "add"), ("access_updatecampaign", "update"),
                   ("access_removecampaign", "remove"), ("show_amount_campaigns", "show count"))),
    ("loyalty", (("access_loyaltycards", "cards"), ("access_addloyalty", "add"),
                 ("access_updateloyalty", "update"), ("access_removeloyalty", "remove"))),
    ("statistics", (("access_stats", "stats"), ("access_stats_export", "export"),
                    ("email_report", "e-mail report"))),
    ("validation", (("access_validation_widget", "widget"), ("access_validation_app", "app"))),
    ("features", (("access_directory", "directory"), ("enable_webhooks", "webhooks"),
                  ("enable_review_manager", "review manager"))),
)


def _is_flag(name: str) -> bool:
    return name.startswith(("access_", "enable_"))


def campaigns_text(campaigns: Any) -> str:
    """The subaccount's embedded campaign list as one line: `cam_1 (active), …`."""
    if not isinstance(campaigns, list):
        return plain(campaigns)
    parts = []
    for entry in campaigns:
        if isinstance(entry, Mapping):
            cid = plain(entry.get("ID", entry.get("id", "?")))
            status = plain(entry.get("status", ""))
            parts.append(f"{cid} ({status})" if status else cid)
        else:
            parts.append(plain(entry))
    return ", ".join(parts)


def subaccount_sections(record: Mapping[str, Any]) -> list[Section]:
    """The record's fields grouped; unknown fields (and unknown flags) at the end."""
    used: set[str] = set()
    sections = []
    for title, names in GROUPS:
        rows = [(name, record[name]) for name in names if name in record]
        used.update(name for name, _ in rows)
        sections.append(Section(title, rows))
    if "campaigns" in record:
        sections[1].rows.append(("campaigns", campaigns_text(record["campaigns"])))
        used.add("campaigns")
    permissions = Section("Permissions")
    for label, flags in PERMISSIONS:
        present = [(short, record[name]) for name, short in flags if name in record]
        used.update(name for name, _ in flags if name in record)
        if present:
            permissions.rows.append((label, flags_content(present)))
    extra_flags = [(name, record[name]) for name in record if _is_flag(name) and name not in used]
    if extra_flags:
        permissions.rows.append(("other", flags_content(extra_flags)))
        used.update(name for name, _ in extra_flags)
    sections.insert(3, permissions)
    rest = {k: v for k, v in record.items() if k not in used}
    sections.append(Section("Other", flatten(rest)))
    return sections
