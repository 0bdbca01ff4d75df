"""The recruitment subsidy, paperless: vouchers on job outcomes, claimed by the employer in one
step, approved in bulk by the DAM (large accounts they manage) or by the district's LEP
coordinator, and paid by the payment run (`flask vouchers pay`)."""

from flask import Blueprint

bp = Blueprint("vouchers", __name__, cli_group="vouchers")
