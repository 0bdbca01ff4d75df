"""The LEP Employer Portal."""
