"""Organisation: the municipality's MED structure and the rounds that follow its handleplaner.

models (places, rounds, milestones, read links) · tree (the structure in memory, no
database) · csv_import (the MED structure from a CSV file) · completeness (when a plan counts
as complete) · rollup (status per place and per level: a plain function) · places, rounds,
read_links (the database work) · reminders (mails to places without a plan before a round's
deadline) · exports (CSV/XLSX for the APV system) · views (the pages:
blueprint, tree_views, round_views, link_views, read_views) · templates/org and style.css.

A plan belongs to a place (action_plans.place_id); a workshop's group may too
(groups.place_id), and the plans it makes on the day inherit it. AfdelingsMED and
KommuneMED read their subtree through read links (/org/r/<token>), without an account.
"""
