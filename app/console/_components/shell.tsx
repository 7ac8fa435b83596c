'use client';
// The console frame: left navigation from nav.ts (a drawer behind a menu button on narrow screens),
// the signed-in administrator, sign-out, and the page.
import { signOut } from 'next-auth/react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';
import { NAV, type NavItem } from '../nav';
import { Icon } from './icons';

/** Sections in order of first appearance in NAV; "Settings" always last. */
function grouped(items: NavItem[]): Array<{ section: string | null; items: NavItem[] }> {
  const groups: Array<{ section: string | null; items: NavItem[] }> = [];
  for (const item of items) {
    const section = item.section ?? null;
    let group = groups.find((g) => g.section === section);
    if (!group) groups.push((group = { section, items: [] }));
    group.items.push(item);
  }
  const rank = (g: { section: string | null }) => (g.section === null ? 0 : g.section === 'Settings' ? 2 : 1);
  return groups.map((g, i) => ({ g, i })).sort((a, b) => rank(a.g) - rank(b.g) || a.i - b.i).map(({ g }) => g);
}

function isActive(pathname: string, href: string): boolean {
  if (href === '/console') return pathname === '/console';
  return pathname === href || pathname.startsWith(`${href}/`);
}

export function Shell({ email, children }: { email: string; children: ReactNode }) {
  const pathname = usePathname() ?? '/console';
  const [open, setOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <div className={`shell ${open ? 'nav-open' : ''}`}>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <button type="button" className="icon-btn nav-toggle" aria-label={open ? 'Close navigation' : 'Open navigation'} aria-expanded={open} aria-controls="console-nav" onClick={() => setOpen(!open)}>
          <Icon name={open ? 'close' : 'menu'} />
        </button>
        <Link href="/console" className="brand">
          <Logo /> Sigil
        </Link>
      </header>
      <aside className="sidebar" id="console-nav">
        <Link href="/console" className="brand brand-side">
          <Logo /> Sigil <span className="muted small">console</span>
        </Link>
        <nav aria-label="Console">
          {grouped(NAV).map(({ section, items }) => (
            <div className="nav-group" key={section ?? '-'}>
              {section ? <p className="nav-section">{section}</p> : null}
              <ul>
                {items.map((item) => {
                  const active = isActive(pathname, item.href);
                  return (
                    <li key={item.href}>
                      <Link href={item.href} className={`nav-link ${active ? 'active' : ''}`} aria-current={active ? 'page' : undefined}>
                        {item.icon ? <Icon name={item.icon} /> : <span className="icon" />}
                        {item.label}
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </div>
          ))}
        </nav>
        <div className="sidebar-footer">
          <p className="small muted account" title={email}>
            <Icon name="user" size={16} /> <span data-testid="signed-in-as">{email}</span>
          </p>
          <button
            type="button"
            className="btn btn-ghost signout"
            disabled={signingOut}
            onClick={async () => {
              setSigningOut(true);
              await signOut({ redirect: false });
              window.location.assign('/console/sign-in');
            }}
          >
            <Icon name="logout" size={16} /> Sign out
          </button>
        </div>
      </aside>
      <div className="scrim" onClick={() => setOpen(false)} aria-hidden />
      <main id="main" className="content" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

export function Logo() {
  return (
    <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden className="logo">
      <path d="M12 2l8.5 4.5v11L12 22l-8.5-4.5v-11z" fill="var(--accent)" />
      <path d="M8 12.5l2.7 2.7L16 9.8" fill="none" stroke="#fff" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
