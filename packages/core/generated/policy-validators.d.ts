import type { ValidateFunction } from 'ajv/dist/2020.js';

/** The policy and rule schemas' validators, precompiled by `pnpm gen:validators` (ajv standalone code). */
export declare const policy: ValidateFunction;
export declare const rule: ValidateFunction;
