/** "AB:CD:..." for fingerprints, serials and key ids, as certificate viewers show them. */
export function colonHex(hex: string): string {
  return (hex.toUpperCase().match(/.{1,2}/g) ?? []).join(':');
}
