"""Registry state changes. Each public function is one use case: it checks the actor's
capability and jurisdiction, runs in one transaction and writes its audit event."""
