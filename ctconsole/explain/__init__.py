"""Investigations: why a customer cannot redeem, and the case note for the ticket.

`facts` (what is known), `rules` (pure verdicts, one rule per table row),
`gather` (builds the facts from the API and the journal), `note` (the case
note in Markdown). Nothing here imports Textual.
"""
