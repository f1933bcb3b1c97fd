export { createDownloadService, type DownloadService, type DownloadServiceDeps, type ProviderLookup } from './service.js';
export { createFilesRouter } from './http.js';
export { loadDownloadSettings, type DownloadSettings } from './config.js';
export { DOWNLOAD_MIGRATIONS } from './migrations.js';
export type { DownloadFormat, DownloadJob, DownloadOption, JobState, JobError } from './types.js';
