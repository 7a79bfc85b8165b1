/** Lower-case, accent-free, punctuation-free text: the form that search and matching compare. */
export function foldText(value: string | null | undefined): string {
  if (!value) return '';
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9\s]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The trigram-indexed search key of a person or organisation record. */
export function searchKey(parts: { givenName?: string | null; familyName?: string | null; fullName?: string | null }): string {
  const composed = [parts.givenName, parts.familyName].filter(Boolean).join(' ');
  return foldText(composed || parts.fullName);
}
