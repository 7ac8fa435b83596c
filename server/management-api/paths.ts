/** /api/* except what Next.js serves itself (tRPC, console sign-in, cron). */
export function isManagementApiPath(path: string): boolean {
  return path.startsWith('/api/') && !path.startsWith('/api/trpc') && !path.startsWith('/api/auth') && !path.startsWith('/api/cron');
}
