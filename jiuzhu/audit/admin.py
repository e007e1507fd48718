"""The audit trail's admin is registered in `jiuzhu.accounts.admin` (`AuditEventAdmin`).

It is read-only and scoped by jurisdiction, and scoping needs `accounts.jurisdiction`, which sits
above `audit` in the import layers; `audit` itself must not import it.
"""
