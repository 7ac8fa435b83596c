// Logto's rules for `customClientMetadata.isDeviceFlow` (a Native app that signs people in with the device
// authorization flow): only Native apps may set it, and it is fixed at creation. A patch's
// customClientMetadata replaces the object in Logto (JSONB), so leaving the flag out of a patch means
// `false`: on a device-flow app that is a change, refused.
import { DomainError } from '../errors.ts';

const flag = (metadata: unknown) => Boolean(metadata && typeof metadata === 'object' && (metadata as { isDeviceFlow?: unknown }).isDeviceFlow === true);
const FIELD = 'customClientMetadata.isDeviceFlow';

export function checkDeviceFlowOnCreate(type: string, metadata: unknown): void {
  if (flag(metadata) && type !== 'Native') {
    throw new DomainError('unprocessable', 'application.device_flow_native_only', 'Only Native applications can use the device flow.', FIELD);
  }
}

export function checkDeviceFlowOnPatch(before: unknown, patch: unknown): void {
  if (patch === undefined) return;
  if (flag(before) !== flag(patch)) {
    throw new DomainError('unprocessable', 'application.device_flow_not_changeable', 'isDeviceFlow is fixed when the application is created.', FIELD);
  }
}
