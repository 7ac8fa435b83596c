'use client';
// Sign-in experience: whether people may register on the sign-in page, and the length new passwords must
// have. The same settings (and service) as the Management API's GET/PATCH /api/sign-in-exp; the sign-in
// page reads them on every view, so a change applies at once.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Button, Card, ErrorNotice, Field, Loading, Notice, PageHeader, Switch } from '../../_components/ui';
import { fieldProblem } from '../../_lib/errors';
import { useTRPC } from '../../_lib/trpc';
import type { RouterOutputs } from '../../_lib/types';

type Experience = RouterOutputs['signIn']['experience'];
type Form = { signUp: boolean; min: string; max: string };

const toForm = (e: Experience): Form => ({ signUp: e.signInMode === 'SignInAndRegister', min: String(e.passwordPolicy.length.min), max: String(e.passwordPolicy.length.max) });

export default function SignInExperiencePage() {
  const trpc = useTRPC();
  const experience = useQuery(trpc.signIn.experience.queryOptions({}));
  return (
    <>
      <PageHeader
        title="Sign-in experience"
        description="What end users see on Sigil's sign-in page. Changes apply to the next page view, on every instance."
      />
      {experience.isPending ? <Loading /> : experience.error ? <ErrorNotice error={experience.error} /> : <SettingsCard experience={experience.data} />}
    </>
  );
}

function SettingsCard({ experience }: { experience: Experience }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const initial = toForm(experience);
  const [form, setForm] = useState(initial);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => setForm(toForm(experience)), [experience]);
  const update = useMutation(trpc.signIn.updateExperience.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.signIn.experience.queryKey() }) }));
  const dirty = JSON.stringify(form) !== JSON.stringify(initial);
  const lengthProblem = fieldProblem(update.error, 'passwordPolicy');
  return (
    <Card title="Settings">
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          update.mutate({
            signInMode: form.signUp ? 'SignInAndRegister' : 'SignIn',
            passwordPolicy: { length: { min: Number(form.min), max: Number(form.max) } },
          });
        }}
      >
        <Switch
          label="Allow sign-up"
          checked={form.signUp}
          onChange={(signUp) => setForm({ ...form, signUp })}
          description="When on, the sign-in page offers “Create one” and people can register a username and password. When off, only existing users can sign in."
        />
        <div className="grid-2">
          <Field label="Minimum password length" hint="8 to 256 characters; applies to new passwords." error={lengthProblem}>
            {(p) => <input {...p} type="number" inputMode="numeric" min={8} max={256} required value={form.min} onChange={(e) => setForm({ ...form, min: e.target.value })} />}
          </Field>
          <Field label="Maximum password length" hint="At least the minimum, at most 256.">
            {(p) => <input {...p} type="number" inputMode="numeric" min={8} max={256} required value={form.max} onChange={(e) => setForm({ ...form, max: e.target.value })} />}
          </Field>
        </div>
        {update.error && !lengthProblem ? <ErrorNotice error={update.error} /> : null}
        {update.isSuccess && !dirty ? <Notice kind="success">Saved.</Notice> : null}
        <div><Button type="submit" variant="primary" disabled={!dirty} busy={update.isPending}>Save</Button></div>
      </form>
    </Card>
  );
}
