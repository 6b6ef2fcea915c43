"""What the platform's .xlsx files have in common: texts stay texts."""

from __future__ import annotations

from typing import Any


def texts_not_formulas(workbook: Any) -> None:
    """Write every cell that looks like a formula as the text it is.

    openpyxl takes any string that starts with "=" for a formula. A label such
    as "=5 or more", or one a mischief typed as "=HYPERLINK(…)", would then be
    run by the spreadsheet of whoever opens the file, and refused by our own
    importer (xlsform.read_workbook), so the file would not come back in. The
    platform never writes formulas: call this before saving.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
