from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from survey.models import SurveyVersion
from survey.services import version_export_xlsform


class Command(BaseCommand):
    help = "Write a survey version as an XLSForm (.xlsx) that KoboToolbox and ODK read."

    def add_arguments(self, parser):
        parser.add_argument("version_id", type=int)
        parser.add_argument("out", type=Path)

    def handle(self, *args, **options):
        version = SurveyVersion.objects.filter(pk=options["version_id"]).first()
        if version is None:
            raise CommandError(f"No survey version with id {options['version_id']}.")
        options["out"].write_bytes(version_export_xlsform(version=version))
        self.stdout.write(str(options["out"]))
