// The console's left navigation. A feature adds its page with ONE entry here (keep the array order:
// it is the order on screen) and its page under app/console/(shell)/<segment>/page.tsx.
// `section` groups entries under a heading; entries without one sit at the top.
import type { IconName } from './_components/icons';

export type NavItem = { href: string; label: string; icon?: IconName; section?: string };

export const NAV: NavItem[] = [
  { href: '/console', label: 'Dashboard', icon: 'dashboard' },
  { href: '/console/applications', label: 'Applications', icon: 'apps', section: 'Access' },
  { href: '/console/resources', label: 'API resources', icon: 'resource', section: 'Access' },
  { href: '/console/roles', label: 'Roles', icon: 'role', section: 'Access' },
  { href: '/console/users', label: 'Users', icon: 'users', section: 'Access' },
  { href: '/console/webhooks', label: 'Webhooks', icon: 'webhook', section: 'Developers' },
  { href: '/console/audit-logs', label: 'Audit logs', icon: 'list', section: 'Developers' },
  { href: '/console/api-reference', label: 'API reference', icon: 'book', section: 'Developers' },
  { href: '/console/sign-in-experience', label: 'Sign-in', icon: 'user', section: 'Settings' },
  { href: '/console/signing-keys', label: 'Signing keys', icon: 'key', section: 'Settings' },
  { href: '/console/custom-jwt', label: 'Custom JWT', icon: 'code', section: 'Settings' },
  { href: '/console/administrators', label: 'Administrators', icon: 'settings', section: 'Settings' },
];
