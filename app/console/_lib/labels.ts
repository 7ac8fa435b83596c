// Display names for enum values the server sends.
export const APPLICATION_TYPE_LABELS: Record<string, string> = {
  MachineToMachine: 'Machine-to-machine',
  Traditional: 'Traditional web',
  SPA: 'Single-page app',
  Native: 'Native',
};

export const ROLE_TYPE_LABELS: Record<string, string> = { User: 'User', MachineToMachine: 'Machine-to-machine' };

/** How a user is named in lists: display name, else the first identifier they have. */
export const userLabel = (u: { name: string | null; username: string | null; primaryEmail: string | null; primaryPhone: string | null; id: string }) =>
  u.name || u.username || u.primaryEmail || (u.primaryPhone ? `+${u.primaryPhone}` : null) || u.id;
