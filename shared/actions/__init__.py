"""What a workflow does with an event: the actions, the team's emails, and each event type's default."""
