"""PET trainees: referrals (REF2), the provider's steps (SL2), attendance, cohorts."""
