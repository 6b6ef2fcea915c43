import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Agency
from survey.services import survey_import_xlsform
from survey.xlsform import XLSFormRefused


class Command(BaseCommand):
    help = "Import an XLSForm as a new draft survey of an agency; prints a JSON summary last."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", type=int, required=True, help="Agency id")
        parser.add_argument("--name", default="", help="Working name (default: the form title)")

    def handle(self, *args, **options):
        agency = Agency.objects.filter(pk=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency with id {options['agency']}.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        left_out: list[str] = []
        try:
            version = survey_import_xlsform(
                data=path.read_bytes(),
                agency=agency,
                by=None,
                name=options["name"],
                left_out=left_out,
            )
        except XLSFormRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise SystemExit(1) from None
        summary = {
            "survey": version.survey_id,
            "version": version.pk,
            "questions": version.questions.count(),
            "languages": version.languages,
            "left_out": left_out,  # metadata rows (start, end...): not questions
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
