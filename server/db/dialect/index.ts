// Every difference between SQLite's and PostgreSQL's SQL lives in this folder, each named by what it means
// and written with both variants side by side. Services call these and never ask which database they run
// on (tests/unit/dialect-seam.test.ts keeps it that way).
export { containsFilter, escapeLike, includesText, likeMatch, posixMatch, similarToMatch } from './text-match.ts';
export { jsonText, keyPrefix, placeholders, timeBucket } from './raw-sql.ts';
export { auditLogSince } from './audit-window.ts';
export { serializeWrites } from './write-lock.ts';
export { claimDueDeliveries, type ClaimedDelivery, type Lease } from './delivery-lease.ts';
