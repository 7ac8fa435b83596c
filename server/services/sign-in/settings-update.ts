// The console's Settings -> Sign-in page changes the sign-in experience through the one change function the
// Management API's PATCH /api/sign-in-exp uses (settings.ts): omitted fields keep their value, Logto's
// `Register` mode means sign-up on, and the password length range must not be empty.
export { patchSignInExperience as updateSignInExperience } from './settings.ts';
