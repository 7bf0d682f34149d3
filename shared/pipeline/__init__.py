"""The one path every request takes, from `_request` to the Catch response, and the probe's."""
