"""Development tools that are not part of the portal: the import-linter contract types."""
