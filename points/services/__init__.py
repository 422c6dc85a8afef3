"""The points app's writes: the ledger (ledger.py); service records, rules and rewards come in their own modules."""
