import type { ReactNode } from 'react';
import './globals.css';

export const metadata = { title: 'Sigil', description: 'Sigil identity and access management' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
