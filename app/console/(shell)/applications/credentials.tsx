'use client';
// The one moment a new application's secret is visible: after creation. Sigil stores only a keyed hash.
import { useRouter } from 'next/navigation';
import { Dialog } from '../../_components/dialog';
import { Button, CopyField, Notice } from '../../_components/ui';

export type CreatedApplication = { id: string; name: string; secret: string };

export function CredentialsDialog({ application, onClose }: { application: CreatedApplication | null; onClose: () => void }) {
  const router = useRouter();
  return (
    <Dialog
      open={application !== null}
      onClose={onClose}
      title={`${application?.name ?? 'Application'} created`}
      footer={
        <>
          <Button onClick={onClose}>Done</Button>
          <Button variant="primary" onClick={() => application && router.push(`/console/applications/${application.id}`)}>Open application</Button>
        </>
      }
    >
      <Notice kind="warning">Copy the secret now: it is shown only once. If it is lost, add a new secret on the application page.</Notice>
      {application ? (
        <>
          <CopyField label="App ID (client_id)" value={application.id} testId="created-app-id" />
          <CopyField label="App secret (client_secret)" value={application.secret} testId="created-app-secret" />
        </>
      ) : null}
    </Dialog>
  );
}
