export function buildIsStale(): boolean;
export function ensureBuild(): void;
