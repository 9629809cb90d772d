"""The dashboard of one organisation and the portfolio of a consultant.

Figures come from daily rollups (models.py) kept up to date as mentions are
created or corrected (rollups.py), never counted from raw mentions per request.
"""
