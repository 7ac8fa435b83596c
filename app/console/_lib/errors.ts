// What a failed call says to the operator: the server's message, and the field it is about when known.
import { TRPCClientError } from '@trpc/client';

export type Problem = { message: string; field?: string; code?: string };

export function problemOf(error: unknown): Problem | null {
  if (!error) return null;
  if (error instanceof TRPCClientError) {
    const data = error.data as { field?: string; code?: string; httpStatus?: number } | undefined;
    if (data?.httpStatus === undefined && /fetch|network/i.test(error.message)) {
      return { message: 'The server could not be reached. Check your connection and try again.' };
    }
    return { message: error.message, field: data?.field ?? undefined, code: data?.code };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

/** The message for one form field, when the error is about it. */
export function fieldProblem(error: unknown, field: string): string | undefined {
  const p = problemOf(error);
  // Update procedures nest the changes under `patch`; the form's fields are the patch's fields.
  const f = p?.field?.replace(/^patch\./, '');
  return f === field || f?.startsWith(`${field}.`) ? p!.message : undefined;
}
