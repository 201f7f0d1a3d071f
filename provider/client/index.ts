// The typed VPS.org API client.
export { type ClientOptions, VpsOrgClient } from "./client";
export { DEFAULT_API_URL, resolveConnection } from "./config";
export * from "./errors";
export type { RateLimiterStats, RateLimitSettings, RequestPriority } from "./limiter";
export type { Logger, LogLevel } from "./redact";
export type { BackupListQuery, BackupType } from "./resources/backups";
export type { Backup, Id, JobStatus, RestoreResponse, RetryNotice, Server, Snapshot } from "./types";
