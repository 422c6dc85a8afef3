"""Sign-in input checked before anything records it: a user name longer than any account's is refused with a
form error, so django-axes never tries to store it (its attempt record holds 255 characters)."""

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.serializers import AuthTokenSerializer

# The longest user name any account can have; a longer one is refused before authenticate() is called.
USERNAME_MAX_LENGTH = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length or 150
AXES_FIELD_MAX_LENGTH = 255  # axes.models.AccessBase.username

TOO_LONG = _("A user name has at most %(limit_value)d characters (this one has %(show_value)d).")


def _limit_username(form):
    field = form.fields["username"]
    field.max_length = USERNAME_MAX_LENGTH
    field.validators.append(MaxLengthValidator(USERNAME_MAX_LENGTH, message=TOO_LONG))


class LoginForm(AuthenticationForm):
    """The sign-in page's form: an over-long user name is a field error; authenticate() is never reached."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_username(self)


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's sign-in form, with the same limit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_username(self)


class TokenRequestSerializer(AuthTokenSerializer):
    """The token endpoint's input, with the same limit: 400 with the field's error, nothing recorded."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].max_length = USERNAME_MAX_LENGTH
        self.fields["username"].validators.append(MaxLengthValidator(USERNAME_MAX_LENGTH, message=TOO_LONG))


def axes_username(request, credentials=None):
    """The user name django-axes records, cut to what its table holds: any other sign-in path that does not
    check the length first still cannot make the attempt's record fail (AXES_USERNAME_CALLABLE)."""
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    return username[:AXES_FIELD_MAX_LENGTH] if isinstance(username, str) else username
