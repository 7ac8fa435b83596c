'use client';
// Shown above the playground while the saved script is tripped: it kept timing out, so issuance does not
// run it until the cool-down ends (then one trial run decides). Saving the script resets it.
import { Notice, formatTime } from '../../_components/ui';

export type BreakerStatus = { state: 'open' | 'trial'; reason: string; trippedAt: number; retryAt: number };

export function BreakerNotice({ breaker, blockIssuanceOnError }: { breaker: BreakerStatus; blockIssuanceOnError: boolean }) {
  const effect = blockIssuanceOnError
    ? <>token requests fail with <code>invalid_request</code> (issuance is blocked on errors)</>
    : <>tokens are issued <strong>without</strong> custom claims</>;
  return (
    <div data-testid="breaker-notice">
      <Notice kind="warning">
        <strong>Tripped:</strong> this script {breaker.reason} (at {formatTime(breaker.trippedAt)}), so issuance does not run it and {effect}.{' '}
        {breaker.state === 'open'
          ? <>One trial run is allowed after {new Date(breaker.retryAt).toLocaleTimeString()}; if it does not time out, the script runs again as usual.</>
          : <>The cool-down is over: the next token request runs it as a trial.</>}{' '}
        Saving the script resets this. Each trip is in the audit log as <code>JwtCustomizer.Tripped</code>.
      </Notice>
    </div>
  );
}
