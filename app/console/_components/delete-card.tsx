'use client';
// The "delete this entity" card of a detail page: a danger button and a type-the-name confirmation.
// The page owns the mutation (what to call, where to go after); this owns the interaction.
import { useState, type ReactNode } from 'react';
import { ConfirmDialog } from './dialog';
import { Button, Card } from './ui';

export type DeleteMutation = { mutate: () => void; reset: () => void; isPending: boolean; error: unknown };

export function DeleteCard({ noun, description, name, remove, children }: {
  /** What is deleted, e.g. "API resource": used in the title, button and dialog. */
  noun: string;
  description: string;
  /** The entity's name, which the administrator must type to confirm. */
  name: string;
  remove: DeleteMutation;
  /** What the deletion takes with it, shown in the dialog. */
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Card title={`Delete ${noun}`} description={description}>
      <Button variant="danger" icon="trash" onClick={() => (remove.reset(), setOpen(true))}>Delete {noun}</Button>
      <ConfirmDialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Delete ${noun}`}
        confirmLabel="Delete"
        typeToConfirm={name}
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
      >
        {children}
      </ConfirmDialog>
    </Card>
  );
}
