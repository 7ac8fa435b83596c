'use client';
// One user: identifiers and profile, custom data (JSON), roles, suspension, password, deletion.
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'next/navigation';
import { Badge, Card, ErrorNotice, Loading, PageHeader, formatTime } from '../../../_components/ui';
import { userLabel } from '../../../_lib/labels';
import { useTRPC } from '../../../_lib/trpc';
import { ImpersonatePanel } from '../impersonate-panel';
import { AccountCard, DeleteUserCard } from './account';
import { CustomDataCard } from './custom-data';
import { ProfileCard } from './profile';
import { SignInsCard } from './sign-ins';
import { UserRolesCard } from './roles';

export default function UserPage() {
  const { id } = useParams<{ id: string }>();
  const trpc = useTRPC();
  const user = useQuery(trpc.users.get.queryOptions({ userId: id }));
  if (user.isPending) return <Loading />;
  if (user.error) {
    return (
      <>
        <PageHeader title="User" back={{ href: '/console/users', label: 'Users' }} />
        <ErrorNotice error={user.error} />
      </>
    );
  }
  const u = user.data;
  return (
    <>
      <PageHeader
        title={userLabel(u)}
        back={{ href: '/console/users', label: 'Users' }}
        description={
          <span className="row">
            {u.isSuspended ? <Badge tone="danger">suspended</Badge> : <Badge tone="success">active</Badge>}
            <span className="mono small">{u.id}</span>
          </span>
        }
      />
      <ProfileCard user={u} />
      <div className="grid-2">
        <CustomDataCard id={u.id} customData={u.customData} updatedAt={u.updatedAt} />
        <Card title="Activity">
          <dl className="facts">
            <dt>Created</dt><dd>{formatTime(u.createdAt)}</dd>
            <dt>Updated</dt><dd>{formatTime(u.updatedAt)}</dd>
            <dt>Last sign-in</dt><dd>{formatTime(u.lastSignInAt)}</dd>
            <dt>Password</dt><dd>{u.hasPassword ? 'Set' : 'None'}</dd>
          </dl>
        </Card>
      </div>
      <UserRolesCard id={u.id} />
      <SignInsCard userId={u.id} label={userLabel(u)} />
      <ImpersonatePanel userId={u.id} isSuspended={u.isSuspended} />
      <AccountCard user={u} />
      <DeleteUserCard id={u.id} label={userLabel(u)} />
    </>
  );
}
