"""What HrFlow relays from CVs and job posts, made safe for where it goes, and redaction."""
