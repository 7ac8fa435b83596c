'use client';
// Custom JWT: one getCustomJwtClaims script per token type (Logto's two), each with its playground.
import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useCallback, useState } from 'react';
import { ErrorNotice, Loading, PageHeader } from '../../_components/ui';
import { useTRPC } from '../../_lib/trpc';
import { BreakerNotice } from './breaker-notice';
import { Playground, type SavedCustomizer } from './playground';
import { TOKEN_TYPES, type TokenType } from './samples';
import { LEAVE_MESSAGE } from './unsaved';
import './custom-jwt.css';

export default function CustomJwtPage() {
  return (
    <Suspense fallback={<Loading />}>
      <CustomJwt />
    </Suspense>
  );
}

function CustomJwt() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const tokenType: TokenType = params.get('type') === 'client-credentials' ? 'client-credentials' : 'access-token';
  const trpc = useTRPC();
  // While the script is tripped, poll, so the notice goes away when a trial run succeeds.
  const query = useQuery({
    ...trpc.jwtCustomizer.playground.queryOptions({ tokenType }),
    refetchOnWindowFocus: false,
    refetchInterval: (q) => (q.state.data?.customizer?.breaker ? 10_000 : false),
  });
  const breaker = query.data?.customizer?.breaker ?? null;
  const [dirty, setDirty] = useState(false);
  const onDirtyChange = useCallback((d: boolean) => setDirty(d), []);
  const current = TOKEN_TYPES.find((t) => t.value === tokenType)!;

  const switchTo = (value: TokenType) => {
    if (value === tokenType) return;
    if (dirty && !window.confirm(LEAVE_MESSAGE)) return;
    setDirty(false);
    router.replace(`${pathname}?type=${value}`);
  };

  return (
    <>
      <PageHeader
        title="Custom JWT"
        description={
          <>
            Add claims to access tokens with a <code>getCustomJwtClaims</code> script. It runs in an isolated sandbox at
            every issuance of its token type; reserved claims (<code>sub</code>, <code>aud</code>, <code>scope</code>,{' '}
            <code>exp</code>, <code>client_id</code>, <code>act</code>, …) can never be replaced.
          </>
        }
      />
      <div role="tablist" aria-label="Token type" className="token-tabs">
        {TOKEN_TYPES.map((t) => (
          <button
            key={t.value}
            type="button"
            role="tab"
            aria-selected={t.value === tokenType}
            className={`token-tab ${t.value === tokenType ? 'active' : ''}`}
            onClick={() => switchTo(t.value)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <p className="muted token-tab-description">{current.description}</p>
      {query.isPending ? (
        <Loading />
      ) : query.error ? (
        <ErrorNotice error={query.error} />
      ) : (
        <>
          {breaker ? <BreakerNotice breaker={breaker} blockIssuanceOnError={query.data.customizer!.value.blockIssuanceOnError} /> : null}
          <Playground key={tokenType} tokenType={tokenType} saved={query.data.customizer as SavedCustomizer} onDirtyChange={onDirtyChange} />
        </>
      )}
      {query.data ? (
        <p className="muted small">
          Limits per run: {query.data.limits.timeoutMs} ms, {Math.round(query.data.limits.memoryBytes / 1024 / 1024)} MiB of memory,{' '}
          {Math.round(query.data.limits.maxOutputBytes / 1024)} KB of claims; scripts up to 50 KB, up to 50 environment variables.
        </p>
      ) : null}
    </>
  );
}
