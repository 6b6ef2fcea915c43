import csv
import json

from django.core.management.base import BaseCommand, CommandError

from analytics import selectors
from analytics.indicators import indicator_table, table_as_json
from survey.selectors import round_agency_id


class Command(BaseCommand):
    help = "Print the indicators of a round: table, JSON (a stable interface) or CSV."

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int)
        parser.add_argument("--by", default="", help="Breakdowns, e.g. target_group,sex")
        parser.add_argument("--weights", choices=["raking", "none"], default="none")
        parser.add_argument("--format", choices=["table", "json", "csv"], default="table")
        parser.add_argument("--exclude-flagged", action="store_true")

    def handle(self, *args, **options):
        round_id = options["round_id"]
        agency_id = round_agency_id(round_id=round_id)
        if agency_id is None:
            raise CommandError(f"No round with id {round_id}.")
        indicators = selectors.indicators_for(agency_id=agency_id)
        margins = selectors.latest_margins(agency_id=agency_id)
        if options["weights"] == "raking" and margins is None:
            raise CommandError("This agency has no population margins to rake to.")
        by = [b for b in options["by"].split(",") if b]
        try:
            table = indicator_table(
                [round_id],
                indicators,
                by=by,
                weights=options["weights"],
                margins=margins.cells if margins else None,
                exclude_flagged=options["exclude_flagged"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    table_as_json(table, round_ids=[round_id], weights=options["weights"]),
                    ensure_ascii=False,
                    indent=1,
                )
            )
        elif options["format"] == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(table.columns)
            for row in table.itertuples(index=False):
                writer.writerow(["" if v is None or v != v else v for v in row])
        else:
            shown = table.copy()
            for column in ("value", "lower", "upper"):
                shown[column] = shown[column].map(
                    lambda v: "—" if v is None or v != v else f"{100 * v:5.1f}%"
                )
            shown["n_eff"] = shown["n_eff"].map(
                lambda v: "—" if v is None or v != v else f"{v:.0f}"
            )
            shown["deff"] = shown["deff"].map(lambda v: "—" if v is None or v != v else f"{v:.2f}")
            shown["n"] = shown["n"].map(lambda v: "<min" if v is None or v != v else int(v))
            self.stdout.write(shown.to_string(index=False))
