"""SEC ownership filings (Forms 3, 4, 5) into the record: parsing, titles, names, matching,
applying with a ledger, and fetching from EDGAR."""
