import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * E.164 ("+13125550142") as people write it ("+1 312 555 0142"); anything unparseable is shown as stored.
 * Kept apart from format.ts because its metadata is ~120 kB: only pages that show phones load it.
 */
export function formatPhone(value: string | null | undefined): string {
  if (!value) return '—';
  return parsePhoneNumberFromString(value)?.formatInternational() ?? value;
}
