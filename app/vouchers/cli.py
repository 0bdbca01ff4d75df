"""`flask vouchers pay FILE`: the payment run, run each working day by the finance team's
scheduler. It marks every approved claim paid and writes the payment file the finance
system takes in (one line per voucher: reference, employer, amount, approval date)."""

from __future__ import annotations

import csv

import click

from app import clock
from app.csv_files import csv_cell
from app.extensions import db
from app.formatting import london
from app.vouchers import bp, services


@bp.cli.command("pay")
@click.argument("payment_file", type=click.File("w", encoding="utf-8", lazy=True))
def pay_command(payment_file) -> None:
    """Mark approved recruitment subsidy claims paid and write them to PAYMENT_FILE (CSV).

    Each claim is paid once, however often this runs: a claim moves to paid only while it is
    still approved. The file is written only after the run is committed."""
    now = clock.now()
    run = f"PR-{london(now):%Y%m%d-%H%M}"
    rows: list[list[str]] = []
    while True:
        vouchers = services.pay(run, now)
        rows.extend(
            [
                voucher.reference,
                voucher.organisation.name,
                f"{voucher.amount:.2f}",
                london(voucher.decided_at).date().isoformat() if voucher.decided_at else "",
                run,
            ]
            for voucher in vouchers
        )
        db.session.commit()
        if not vouchers:
            break
    writer = csv.writer(payment_file)
    writer.writerow(["reference", "employer", "amount", "approved_on", "payment_run"])
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    total = sum(float(row[2]) for row in rows)
    click.echo(f"Payment run {run}: {len(rows)} claims paid, £{total:,.2f} in all.")
