"""What goes out: the time budget, retries, and the HrFlow and Mandrill clients."""
