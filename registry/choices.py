"""The registry's closed lists: each is also a CHECK constraint on its column."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HouseUse(models.TextChoices):
    OWNER_OCCUPIED = "owner_occupied", _("Owner-occupied")
    RENTED = "rented", _("Rented")
    VACANT = "vacant", _("Standing empty")
    COMMERCIAL = "commercial", _("Commercial")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class DocumentType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident identity card")
    PASSPORT = "passport", _("Passport")
    HK_MACAO_TAIWAN = "hmt_permit", _("Hong Kong, Macao or Taiwan permit")
    FOREIGN_PERMANENT = "foreign_permanent", _("Foreigner's permanent residence card")
    OTHER = "other", _("Other document")
    NONE = "none", _("No document")


class Registration(models.TextChoices):
    """户籍 / 流动 / 境外."""

    REGISTERED = "registered", _("Registered (户籍)")
    FLOATING = "floating", _("Floating (流动)")
    OVERSEAS = "overseas", _("Overseas (境外)")


class ResidentStatus(models.TextChoices):
    LIVING = "living", _("Living here")
    MOVED_OUT = "moved_out", _("Moved out")
    DECEASED = "deceased", _("Deceased")


class Relation(models.TextChoices):
    """A member's relation to the head of the household."""

    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    SIBLING = "sibling", _("Sibling")
    TENANT = "tenant", _("Tenant")
    OTHER = "other", _("Other")


class HouseholdChangeKind(models.TextChoices):
    FORMED = "formed", _("New household")
    MOVED_IN = "moved_in", _("Moved in")
    MOVED_OUT = "moved_out", _("Moved out")
    DISSOLVED = "dissolved", _("Household dissolved")


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    SHOP = "shop", _("Shop")
    SCHOOL = "school", _("School")
    SOCIAL = "social", _("Social organisation")
    PUBLIC = "public", _("Public institution")
    PROPERTY = "property", _("Property company")
    OTHER = "other", _("Other organisation")


class ThingStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("In service")
    DAMAGED = "damaged", _("Damaged")
    REMOVED = "removed", _("Removed")


class PersonalField(models.TextChoices):
    """What an access record says was seen."""

    ID_NUMBER = "id_number", _("Identity number")
    PHONE = "phone", _("Phone")
    CONTACT_PHONE = "contact_phone", _("Contact phone")


class AccessKind(models.TextChoices):
    REVEAL = "reveal", _("Revealed on screen")
    EXPORT = "export", _("Exported in a sheet")
    LOOKUP = "lookup", _("Exact look-up")


def check(field: str, choices) -> dict:
    """The keyword arguments of the CHECK constraint that keeps `field` within `choices`."""
    from django.db.models import Q

    return {"condition": Q(**{f"{field}__in": choices.values}), "name": "%(app_label)s_%(class)s_" + field + "_valid"}
