"""Pure programme rules: no Django, no database, no clock. Money in integer fen.

Modules: `policy` (the dibao policy parameters, their national defaults, validation),
`resolution` (inheritance down the region tree), `working_days` (statutory clocks), `codes` (the
code lists the rules share), `labels` (Chinese labels without Django), `members` (co-residing
members), `income` (countable income), `property` (the property test), `dibao` (eligibility,
benefit lines, edge households, individual applications) and `dynamic` (gradual exit, review
dates). See `jiuzhu/programs/README.md`.
"""
