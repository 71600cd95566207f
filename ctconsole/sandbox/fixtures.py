"""The fixed cast of the demo dataset: accounts, campaigns, cards, directories.

Kept apart from the generator (`data.py`) so the story is readable in one
place: who owns what, which campaign is big, where the hostile text lives.
"""

from __future__ import annotations

#: Main account credentials, usable against the sandbox only.
DEMO_CLIENT_ID = "ct_demo_main"
DEMO_CLIENT_SECRET = "ctDemoSecret2026sandboxQ7x9Lm3"  # 30 characters, like real secrets
MAIN_EMAIL = "owner@demo-agency.example.com"
BIG_CAMPAIGN = "cam_1003"
HOSTILE_CAMPAIGN = "cam_1006"

# Customer-typed text as real customers (or attackers) might type it.
HOSTILE_TEXT = (
    ("Summer [50% off] [/]", "[bold red]x[/]"),
    ("\x1b]2;pwned\x07", "Title"),
    ("Clip", "\x1b]52;c;ZXZpbA==\x07"),
    ("Csi\x9b31mRed", "Control"),
    ("\u202eevil.exe", "gnp.\u202c"),
    ("Looooong", "Supercalifragilistic " * 150),
    ("Multi\nline", "tab\there\r\n[link=https://evil.example]click[/link]"),
    ("\x1b[2J\x1b[H", "clear-screen"),
)

# (ID, code, name, type, status, folder, tags, category, created, start, end,
#  single_use, sessions) - `sessions` is how many stored sessions to seed.
MAIN_CAMPAIGNS = (
    ("cam_1001", "wk7c0f", "Welcome coffee — free espresso", "coupon", "active", "fol_7001",
     "welcome,coffee", "cat_12", "2025-03-02", "2025-03-10", "2026-12-31", "0", 46),
    ("cam_1002", "sp15nx", "Spring sale 2026 — 15% off", "coupon", "inactive", "fol_7002",
     "sale,spring", "cat_21", "2026-02-20", "2026-03-20", "2026-05-31", "0", 30),
    ("cam_1003", "bf26xq", "Black Friday 2026 — 20% off", "coupon", "active", "fol_7002",
     "sale,black-friday", "cat_21", "2026-10-15", "2026-11-01", "2026-11-30", "0", 0),
    ("cam_1004", "whl7pz", "Spin the wheel: summer prizes", "spin_wheel", "example", "",
     "game,summer", "cat_30", "2025-06-01", "2025-06-15", "2025-09-15", "0", 12),
    ("cam_1005", "vip9ev", "VIP evening — single-use invitations", "coupon", "active",
     "fol_7001", "vip,events", "cat_32", "2026-09-01", "2026-09-10", "2026-12-20", "1", 20),
    ("cam_1006", "smr50h", "Summer [50% off] [/]", "coupon", "active", "",
     "summer", "cat_11", "2026-05-01", "2026-06-01", "2026-12-31", "0", len(HOSTILE_TEXT)),
)

# (ID, username, company, first, last, email, language, currency, max_campaigns,
#  expiry, amountlogin, lastlogin, [(campaign ID, code, name, status, sessions)])
SUBACCOUNTS = (
    ("sub_2001", "brasseriepeeters", "Brasserie Peeters", "Lotte", "Peeters",
     "lotte@brasserie-peeters.example.com", "nl", "EUR", 5, "2027-06-30", 37,
     "2026-11-18 08:41:12",
     (("cam_2101", "hh2for", "Happy hour — 2 for 1", "active", 6),
      ("cam_2102", "mslmon", "Mussels Monday", "active", 4),
      ("cam_2103", "xms26m", "Christmas menu 2026", "example", 0))),
    ("sub_2002", "garciabakery", "Garcia Bakery LLC", "Olivia", "Garcia",
     "olivia@garciabakery.example.com", "en", "USD", 3, "2027-01-31", 12,
     "2026-11-02 15:03:40",
     (("cam_2201", "cookie", "Free cookie with any coffee", "active", 5),)),
    ("sub_2003", "muellersport", "Müller Sport GmbH", "Felix", "Müller",
     "felix@mueller-sport.example.com", "de", "EUR", 4, "2026-06-30", 58,
     "2026-06-29 17:22:05",
     (("cam_2301", "ski26x", "Ski season opener", "inactive", 3),
      ("cam_2302", "run10k", "10K run — free socks", "inactive", 2))),
    ("sub_2004", "studiorossi", "Studio Rossi", "Giulia", "Rossi",
     "giulia@studiorossi.example.com", "it", "EUR", 2, "2027-03-31", 0, "", ()),
    ("sub_2005", "dupontfleurs", "Dupont Fleurs SARL", "Camille", "Dupont",
     "camille@dupont-fleurs.example.com", "fr", "EUR", 6, "2027-09-30", 104,
     "2026-11-19 09:15:00",
     (("cam_2501", "rose14", "Valentine roses — 14% off", "inactive", 3),
      ("cam_2502", "mday26", "Mother's day bouquet", "inactive", 2),
      ("cam_2503", "tulipz", "Tulip Tuesday", "active", 4),
      ("cam_2504", "wedfl8", "Wedding flowers consult", "example", 1))),
)

# (ID, owner, name, type, code, status, created, stamps_required, users)
LOYALTY_CARDS = (
    ("loy_3001", "main", "Coffee stamp card", "stamp", "stmp10", "active", "2025-02-01", 10, 24),
    ("loy_3002", "main", "Bookshop points", "points", "bkpts1", "active", "2025-08-12", 0, 18),
    ("loy_3003", "main", "Old punch card", "stamp", "punch8", "inactive", "2024-11-05", 8, 3),
    ("loy_3101", "sub_2001", "Brasserie stamp card", "stamp", "brsstp", "active", "2025-09-09", 8, 6),
)

# (ID, owner, name, slug, login_required, payment_required, created, category,
#  campaigns, loyalty cards, users)
DIRECTORIES = (
    ("dir_5001", "main", "Ghent city deals", "ghentdeals", "1", "0", "2025-01-15", "cat_10",
     ("cam_1001", "cam_1003", "cam_1006"), ("loy_3001",), 263),
    ("dir_5002", "main", "Premium members club", "premiumclub", "1", "1", "2025-10-01", "cat_32",
     ("cam_1005", "cam_1002"), ("loy_3002",), 42),
    ("dir_5101", "sub_2005", "Fleurs du quartier", "fleursquartier", "0", "0", "2026-02-01",
     "cat_20", ("cam_2503",), (), 5),
)

# (ID, name, parent) - categories, then the 3rd level ones.
CATEGORIES = (
    ("cat_10", "Food & drink", ""), ("cat_11", "Restaurants", "cat_10"),
    ("cat_12", "Cafés & bakeries", "cat_10"), ("cat_20", "Shopping", ""),
    ("cat_21", "Fashion", "cat_20"), ("cat_22", "Books & music", "cat_20"),
    ("cat_30", "Leisure", ""), ("cat_31", "Sport & fitness", "cat_30"),
    ("cat_32", "Culture & events", "cat_30"),
)
LEVEL3 = (
    ("cat_111", "Brunch", "cat_11"), ("cat_112", "Pizza", "cat_11"),
    ("cat_121", "Coffee bars", "cat_12"), ("cat_211", "Shoes", "cat_21"),
    ("cat_311", "Gyms", "cat_31"),
)

PERMISSIONS = (
    "access_dashboard", "access_directory", "access_validation_widget", "access_settings",
    "access_validation_app", "access_support", "access_contactpage", "access_stats",
    "access_stats_export", "email_report", "show_amount_campaigns", "access_addcampaign",
    "access_updatecampaign", "access_removecampaign", "access_loyaltycards", "access_addloyalty",
    "access_updateloyalty", "access_removeloyalty", "enable_webhooks", "enable_review_manager",
)

#: One session of each lifecycle state, seeded first in every stored campaign
#: (stage, claim type, wallet, voided, locked) so each state is on screen.
LIFECYCLE = (
    ("created", "", False, False, False),
    ("opened", "", False, False, False),
    ("played", "", False, False, False),
    ("claimed", "email", False, False, False),
    ("claimed", "sms", False, False, False),
    ("claimed", "wallet", True, False, False),
    ("claimed", "print", False, False, False),
    ("claimed", "direct", False, False, False),
    ("validated", "email", False, False, False),
    ("validated", "wallet", True, False, False),
    ("claimed", "email", False, True, False),
    ("opened", "", False, True, False),
    ("claimed", "sms", False, False, True),
    ("validated", "direct", False, True, True),
)
