// Every /console page: the console stylesheet and the tRPC + TanStack Query client.
import type { ReactNode } from 'react';
import { ConsoleProviders } from './_components/providers';
import './console.css';

export const metadata = { title: 'Sigil console', robots: { index: false, follow: false } };
export const viewport = { width: 'device-width', initialScale: 1 };

export default function ConsoleLayout({ children }: { children: ReactNode }) {
  return <ConsoleProviders>{children}</ConsoleProviders>;
}
