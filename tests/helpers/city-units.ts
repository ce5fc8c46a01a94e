// The city of the shipped catalogue (schemas/) and its 32 wards before the 2025 reorganisation
// (GSO codes), for tests that write a row per ward.
export const CITY = '164';
export const WARDS_OF_CITY = ['05431', '05434', '05437', '05440', '05443', '05446', '05449', '05452', '05455', '05458',
  '05461', '05464', '05467', '05470', '05473', '05476', '05479', '05482', '05485', '05488', '05491', '05494', '05497',
  '05500', '05503', '05653', '05659', '05695', '05701', '05710', '05713', '05914'];
