"""What arrives: the catalogue of event types, the request's headers, the signature and the event it covers."""
