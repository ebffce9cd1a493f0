"""Researcher breakdowns under disclosure control and a privacy budget (see ``service.run_breakdown``)."""
