"""The dbt_shop example: see README.md beside this package."""
