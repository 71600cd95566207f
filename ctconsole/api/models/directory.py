"""Directories, their registered users, and categories (operations D1-D7).

A directory is an app grouping campaigns and loyalty cards, optionally behind
a login and a payment; its users register and may have paid access until a
date. Categories (`cat_…`) form a tree through `parent`.
"""

from __future__ import annotations

from pydantic import Field

from .base import ApiModel, Count, Day, DayOrTime, EntityId, Flag, Reply, Text, UtcTime, id_field


class Directory(ApiModel):
    """One directory as `directory.list` describes it."""

    id: EntityId = id_field()
    name: Text = ""
    url: Text = ""
    status: Text = ""
    #: Visitors must register/log in to see the directory.
    login_required: Flag = None
    #: Visitors must pay to see the directory.
    payment_required: Flag = None
    created_date: DayOrTime = None


class DirectoryDetail(Directory):
    """One directory as `directory.info` describes it."""

    description: Text = ""
    amount_of_users: Count = None
    amount_of_campaigns: Count = None
    amount_of_loyaltycards: Count = None
    #: Category ID (`cat_…`, "" when none).
    category: Text = ""


class DirectoryList(Reply):
    """`directory.list`."""

    amount_of_directories: Count = None
    directories: list[Directory] = Field(alias="directory")

    @property
    def items(self) -> list[Directory]:
        return self.directories


class DirectoryInfo(Reply):
    """`directory.info`."""

    directory: DirectoryDetail


class DirectoryCampaign(ApiModel):
    """A campaign shown in a directory."""

    id: EntityId = id_field()
    code: Text = ""
    name: Text = ""
    url: Text = ""
    status: Text = ""
    category: Text = ""


class DirectoryCampaigns(Reply):
    """`directory.campaigns`."""

    #: The directory ID the campaigns belong to.
    directory: Text = ""
    amount_of_campaigns: Count = None
    campaigns: list[DirectoryCampaign]

    @property
    def items(self) -> list[DirectoryCampaign]:
        return self.campaigns


class DirectoryUser(ApiModel):
    """A user registered in a directory (`reg_…`)."""

    id: EntityId = id_field()
    firstname: Text = ""
    lastname: Text = ""
    email: Text = ""
    phone: Text = ""
    registration_date_utc: UtcTime = None
    #: "paid", "unpaid" or "" (the directory takes no payment).
    payment_status: Text = ""
    #: Paid access ends on this date; None when not set.
    payment_expiry_date: Day = None
    blocked: Flag = None

    @property
    def is_paid(self) -> bool:
        """Marked paid (the expiry date is not checked: that needs a clock)."""
        return self.payment_status.strip().lower() == "paid"

    @property
    def is_blocked(self) -> bool:
        return bool(self.blocked)


class DirectoryUserPage(Reply):
    """One page of `directory.users` (100 a page, newest first)."""

    directory: Text = ""
    #: This page's number, 1-based.
    page: Count = None
    #: Users in the whole directory, not just this page.
    amount_of_users: Count = None
    users: list[DirectoryUser]

    @property
    def items(self) -> list[DirectoryUser]:
        return self.users


class DirectoryUserUpdated(Reply):
    """`directory.user_payment`: the user's payment status after the change."""

    directory: Text = ""
    user: Text = ""
    payment_status: Text = ""
    expiry_date: Day = None

    @property
    def is_paid(self) -> bool:
        return self.payment_status.strip().lower() == "paid"


class Category(ApiModel):
    """A directory category."""

    id: EntityId = id_field()
    name: Text = ""
    #: Parent category ID, "" at the top level.
    parent: Text = ""


class CategoryList(Reply):
    """`category.list` and `category.level3`."""

    amount_of_categories: Count = None
    categories: list[Category] = Field(alias="category")

    @property
    def items(self) -> list[Category]:
        return self.categories
