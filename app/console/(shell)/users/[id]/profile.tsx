'use client';
// Identifiers and OIDC profile claims. Clearing an identifier sends null (Logto's PATCH semantics);
// the profile object is replaced, so fields not shown here (address) are carried over unchanged.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Button, Card, ErrorNotice, Field, Notice } from '../../../_components/ui';
import { fieldProblem } from '../../../_lib/errors';
import { useTRPC } from '../../../_lib/trpc';
import type { RouterOutputs } from '../../../_lib/types';

type User = RouterOutputs['users']['get'];
const IDENTIFIERS = [
  { key: 'username', label: 'Username', type: 'text' },
  { key: 'primaryEmail', label: 'Email', type: 'email' },
  { key: 'primaryPhone', label: 'Phone', type: 'tel' },
  { key: 'name', label: 'Display name', type: 'text' },
  { key: 'avatar', label: 'Avatar URL', type: 'url' },
] as const;
const PROFILE = [
  { key: 'givenName', label: 'Given name' },
  { key: 'familyName', label: 'Family name' },
  { key: 'middleName', label: 'Middle name' },
  { key: 'nickname', label: 'Nickname' },
  { key: 'preferredUsername', label: 'Preferred username' },
  { key: 'website', label: 'Website' },
  { key: 'gender', label: 'Gender' },
  { key: 'birthdate', label: 'Birthdate' },
  { key: 'locale', label: 'Locale' },
  { key: 'zoneinfo', label: 'Time zone' },
] as const;
type IdentifierKey = (typeof IDENTIFIERS)[number]['key'];
type ProfileKey = (typeof PROFILE)[number]['key'];

function formOf(u: User) {
  return {
    ids: Object.fromEntries(IDENTIFIERS.map((f) => [f.key, f.key === 'primaryPhone' && u.primaryPhone ? `+${u.primaryPhone}` : (u[f.key] ?? '')])) as Record<IdentifierKey, string>,
    profile: Object.fromEntries(PROFILE.map((f) => [f.key, (u.profile[f.key] as string | undefined) ?? ''])) as Record<ProfileKey, string>,
  };
}

export function ProfileCard({ user }: { user: User }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(() => formOf(user));
  useEffect(() => setForm(formOf(user)), [user]);
  const update = useMutation(trpc.users.update.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() }) }));
  const dirty = JSON.stringify(form) !== JSON.stringify(formOf(user));
  const unnamed = update.error && ![...IDENTIFIERS, ...PROFILE].some((f) => fieldProblem(update.error, f.key) || fieldProblem(update.error, `profile.${f.key}`));

  const save = () => {
    const ids = Object.fromEntries(IDENTIFIERS.map((f) => [f.key, form.ids[f.key].trim() === '' ? null : form.ids[f.key].trim()]));
    const profile: Record<string, unknown> = { ...user.profile };
    for (const f of PROFILE) {
      const v = form.profile[f.key].trim();
      if (v) profile[f.key] = v;
      else delete profile[f.key];
    }
    update.mutate({ userId: user.id, ...ids, profile });
  };

  return (
    <Card title="Profile">
      <form className="stack" onSubmit={(e) => (e.preventDefault(), save())}>
        <div className="form-grid">
          {IDENTIFIERS.map((f) => (
            <Field key={f.key} label={f.label} error={fieldProblem(update.error, f.key)}>
              {(p) => <input {...p} type={f.type} value={form.ids[f.key]} onChange={(e) => setForm({ ...form, ids: { ...form.ids, [f.key]: e.target.value } })} />}
            </Field>
          ))}
        </div>
        <details>
          <summary>OpenID Connect profile claims</summary>
          <div className="form-grid" style={{ marginTop: 12 }}>
            {PROFILE.map((f) => (
              <Field key={f.key} label={f.label} error={fieldProblem(update.error, `profile.${f.key}`)}>
                {(p) => <input {...p} value={form.profile[f.key]} onChange={(e) => setForm({ ...form, profile: { ...form.profile, [f.key]: e.target.value } })} />}
              </Field>
            ))}
          </div>
        </details>
        {unnamed ? <ErrorNotice error={update.error} /> : null}
        {update.isSuccess && !dirty ? <Notice kind="success">Saved.</Notice> : null}
        <div className="row">
          <Button type="submit" variant="primary" disabled={!dirty} busy={update.isPending}>Save profile</Button>
          {dirty ? <Button variant="ghost" onClick={() => setForm(formOf(user))}>Discard changes</Button> : null}
        </div>
      </form>
    </Card>
  );
}
