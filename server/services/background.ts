// Background work of a long-lived self-hosted process. Nothing here is needed for correctness of a
// request: on Vercel the same jobs run from the cron route.
export function startBackgroundWork(): () => void {
  const stops: Array<() => void> = [];
  return () => stops.forEach((stop) => stop());
}
