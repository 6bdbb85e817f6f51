export type * from './plan-types.js';
export { loadPlan, parsePlanText, recognisePlan, isSupportedPlanFormat } from './load-plan.js';
export { planToResources, UNKNOWN_REGION, type PlanToResourcesOptions } from './map-plan.js';
export { resolvePlanTarget, PLACEHOLDER_ACCOUNT, PLACEHOLDER_ACCOUNT_NAME, type PlanTargetOptions } from './target.js';
export { overlayPlan, isPlannedChange } from './overlay.js';
export { locatePlanResources, type LocateOptions } from './locate.js';
export { PLAN_MAPPERS } from './mappers.js';
