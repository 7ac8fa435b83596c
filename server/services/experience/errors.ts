// Experience API failures, with Logto's codes (phrases/errors: session.*, user.*, guard.*) and statuses.
export class ExperienceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const sessionNotFound = () => new ExperienceError(400, 'session.not_found', 'Session not found. Please go back and sign in again.');
export const interactionNotFound = () => new ExperienceError(404, 'session.interaction_not_found', 'Interaction not found. Start it with PUT /api/experience.');
export const verificationNotFound = () => new ExperienceError(404, 'session.verification_session_not_found', 'The verification was not found or does not belong to this interaction.');
export const invalidCredentials = () => new ExperienceError(422, 'session.invalid_credentials', 'Incorrect account or password. Please check your input.');
export const identifierNotFound = () => new ExperienceError(404, 'session.identifier_not_found', 'User identifier not found. Please go back and sign in again.');
