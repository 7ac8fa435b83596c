// The end-user pages' frame: a centred card, the app's name, no client JavaScript.
import type { ReactNode } from 'react';
import './sign-in.css';

export function Card({ title, lead, children }: { title: string; lead?: ReactNode; children?: ReactNode }) {
  return (
    <main className="si-page">
      <div className="si-card">
        {lead ? <p className="si-lead">{lead}</p> : null}
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="si-notice" role="alert">
      {children}
    </div>
  );
}

/** The hidden fields every form carries: the interaction, its app and the form token. */
export function FormTokens({ uid, appId, csrf }: { uid: string; appId: string; csrf: string }) {
  return (
    <>
      <input type="hidden" name="uid" value={uid} />
      <input type="hidden" name="app_id" value={appId} />
      <input type="hidden" name="csrf" value={csrf} />
    </>
  );
}

export function Expired() {
  return (
    <Card title="This sign-in link has expired">
      <p className="si-muted">Return to the application and sign in again.</p>
    </Card>
  );
}
