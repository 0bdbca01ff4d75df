"""The training providers that deliver PET courses, managed by administrators and TPPMs."""
