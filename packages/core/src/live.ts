/** Live collection from AWS: a separate entry point because it loads the AWS SDK. */
export { collectLiveEstate, LIVE_SERVICES } from './sources/live/collect.js';
export type { LiveCollectOptions, LiveCollection, LiveProgress, ClientTarget, CoverageCounts } from './sources/live/types.js';
export { iamActionFor } from './sources/live/iam-actions.js';
export { DEFAULT_ROLE_NAME } from './sources/live/runtime.js';
