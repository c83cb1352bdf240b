"""The directory of customer organizations, their people, and support staff."""

from bot.directory.loader import CONTACTS_ENV, DirectoryError, load_directory, parse_directory
from bot.directory.models import (
    ContactRole,
    Directory,
    Organization,
    Person,
    PersonRecord,
    PersonRole,
    Staff,
)

__all__ = [
    "CONTACTS_ENV",
    "ContactRole",
    "Directory",
    "DirectoryError",
    "Organization",
    "Person",
    "PersonRecord",
    "PersonRole",
    "Staff",
    "load_directory",
    "parse_directory",
]
