'use client';
// customData: free-form JSON the user's tokens and your apps can read; validated as you type.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { JsonEditor, checkJsonObject, type JsonCheck } from '../../../_components/json-editor';
import { Button, Card, ErrorNotice, Notice } from '../../../_components/ui';
import { fieldProblem } from '../../../_lib/errors';
import { useTRPC } from '../../../_lib/trpc';

export function CustomDataCard({ id, customData, updatedAt }: { id: string; customData: Record<string, unknown>; updatedAt: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const saved = JSON.stringify(customData, null, 2);
  const [text, setText] = useState(saved);
  const [check, setCheck] = useState<JsonCheck>(() => checkJsonObject(saved));
  // A newer server copy (after a save, or someone else's change) replaces the editor's text.
  useEffect(() => {
    setText(saved);
    setCheck(checkJsonObject(saved));
  }, [saved, updatedAt]);
  const update = useMutation(trpc.users.update.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() }) }));
  const dirty = check.ok ? JSON.stringify(check.value) !== JSON.stringify(customData) : true;
  return (
    <Card title="Custom data" description="Arbitrary JSON kept on the user (replaced as a whole on save).">
      <form className="stack" onSubmit={(e) => (e.preventDefault(), check.ok && update.mutate({ userId: id, customData: check.value }))}>
        <JsonEditor label="customData" value={text} onChange={(t, c) => (setText(t), setCheck(c))} serverError={fieldProblem(update.error, 'customData')} />
        {update.error && !fieldProblem(update.error, 'customData') ? <ErrorNotice error={update.error} /> : null}
        {update.isSuccess && !dirty ? <Notice kind="success">Saved.</Notice> : null}
        <div><Button type="submit" variant="primary" disabled={!check.ok || !dirty} busy={update.isPending}>Save custom data</Button></div>
      </form>
    </Card>
  );
}
