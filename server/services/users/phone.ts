// Phone numbers as Logto stores them: E.164 digits without the `+` (country code + national number), parsed
// by libphonenumber-js, so `+61 0412 345 678`, `610412345678` and `61412345678` are one number, stored as
// `61412345678`. Numbers stored before this normalisation (or imported) may still carry the national `0`,
// so the uniqueness check looks for both spellings, as Logto's `hasUserWithNormalizedPhone` does.
import { parsePhoneNumberWithError, type PhoneNumber } from 'libphonenumber-js';
import { unprocessable } from '../errors.ts';

function parse(raw: string): PhoneNumber | undefined {
  try {
    return parsePhoneNumberWithError(raw.startsWith('+') ? raw : `+${raw}`);
  } catch {
    return undefined;
  }
}

/** The stored form of `raw`; 422 `user.invalid_phone` when it is not a phone number at all. */
export function normalizePhone(raw: string): string {
  const parsed = parse(raw);
  if (!parsed) throw unprocessable('user.invalid_phone', `\`${raw}\` is not a valid phone number.`, 'primaryPhone');
  return `${parsed.countryCallingCode}${parsed.nationalNumber}`;
}

/** Every stored spelling that means the same number as `phone` (already normalised). */
export function phoneSpellings(phone: string): string[] {
  const parsed = parse(phone);
  if (!parsed) return [phone];
  const cc = parsed.countryCallingCode;
  return [...new Set([phone, `${cc}${parsed.nationalNumber}`, `${cc}0${parsed.nationalNumber}`])];
}
