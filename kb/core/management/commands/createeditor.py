"""manage.py createeditor USERNAME [--email E] [--staff-readonly] [--password P]

Creates an admin user in the Editors group (or, with --staff-readonly, the read-only Staff
group). The password comes from --password, else DJANGO_EDITOR_PASSWORD, else a prompt; with
CI=true or --no-input nothing is asked and a missing password is an error.
"""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from kb.core.roles import EDITORS, STAFF, ensure_roles

PASSWORD_VARIABLE = "DJANGO_EDITOR_PASSWORD"  # noqa: S105 - a variable name, not a secret


class Command(BaseCommand):
    help = "Create an editor (Editors group) or a read-only staff member (Staff group)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--staff-readonly",
            action="store_true",
            help="Read-only access (Staff group) instead of an editor.",
        )
        parser.add_argument(
            "--password",
            help=f"The password (visible to other local users; prefer {PASSWORD_VARIABLE}).",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Never prompt (also the case when CI=true).",
        )

    def handle(self, *args, username: str, email: str, staff_readonly: bool, **options):
        User = get_user_model()
        username = username.strip()
        try:
            User.username_validator(username)
        except ValidationError as error:
            raise CommandError(
                _("Invalid username %(name)r: %(reason)s")
                % {"name": username[:150], "reason": " ".join(error.messages)}
            ) from error
        if len(username) > User._meta.get_field("username").max_length:
            raise CommandError(_("The username is too long (150 characters at most)."))
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(_("A user named %(name)r already exists.") % {"name": username})
        if email:
            try:
                validate_email(email)
            except ValidationError as error:
                raise CommandError(
                    _("Invalid email address %(email)r.") % {"email": email[:254]}
                ) from error

        password = self.password(options, username, email)
        role = STAFF if staff_readonly else EDITORS
        with transaction.atomic():
            ensure_roles()
            user = User.objects.create_user(username, email=email, password=password)
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(Group.objects.get(name=role))
        self.stdout.write(
            _("Created %(name)s in the %(group)s group; they can sign in at /admin/.")
            % {"name": username, "group": role}
        )

    def password(self, options: dict, username: str, email: str) -> str:
        interactive = options["interactive"] and os.environ.get("CI", "").lower() != "true"
        password = options.get("password") or os.environ.get(PASSWORD_VARIABLE, "")
        if not password:
            if not interactive:
                raise CommandError(
                    _("No password: give --password or set %(variable)s.")
                    % {"variable": PASSWORD_VARIABLE}
                )
            password = getpass.getpass(_("Password: "))
            if password != getpass.getpass(_("Password (again): ")):
                raise CommandError(_("The two passwords differ."))
        user = get_user_model()(username=username, email=email)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(
                _("Password refused: %(reasons)s") % {"reasons": " ".join(error.messages)}
            ) from error
        return password
