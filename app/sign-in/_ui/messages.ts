// What each error code shown on the sign-in page means for the person reading it. One message for any
// wrong identifier or password: the page never tells which of the two was wrong.
export function errorMessage(code: string | undefined, retry: string | undefined, minPassword: number): string | null {
  switch (code) {
    case undefined:
    case '':
      return null;
    case 'invalid_credentials':
      return 'Incorrect username, email or password.';
    case 'throttled': {
      const seconds = Number(retry);
      const wait = Number.isFinite(seconds) && seconds > 0 ? (seconds < 60 ? `${Math.ceil(seconds)} seconds` : `${Math.ceil(seconds / 60)} minutes`) : 'a while';
      return `Too many failed attempts. Try again in ${wait}.`;
    }
    case 'suspended':
      return 'This account is suspended.';
    case 'form_expired':
      return 'The form has expired. Please try again.';
    case 'sign_up_disabled':
      return 'Creating an account is not enabled.';
    case 'invalid_identifier':
      return 'Enter an email address, or a username of letters, digits and _ that does not start with a digit.';
    case 'invalid_password':
      return `The password must be at least ${minPassword} characters.`;
    case 'password_mismatch':
      return 'The passwords do not match.';
    case 'identifier_in_use':
      return 'This username or email is already in use.';
    default:
      return 'Something went wrong. Please try again.';
  }
}
