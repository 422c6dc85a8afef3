"""Personal data at rest, for every app: field-by-field encryption with a keyed blind index (`crypto`), the
normalising, validating and masking of identity numbers and phones (`identity`), setting and reading a record's
encrypted columns (`fields`), and the catalogue of those columns the key rotation walks (`fields.register`).

It lives in yaohai.core so that every app — the registry's people, the events' hotline callers, mediation's
parties, residents' accounts — seals its columns the same way (docs/adr/0010-personal-data-encryption.md).
"""
