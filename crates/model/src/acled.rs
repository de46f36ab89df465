//! ACLED event types and sub-event types, spelled as ACLED spells them.
