"""PET sector courses' employers: invitations, joining with guaranteed interviews, shares."""
