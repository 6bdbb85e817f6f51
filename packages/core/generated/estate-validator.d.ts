/** The estate schema's validator, precompiled by `pnpm gen:validators` (ajv standalone code). */
export declare function validate(data: unknown): boolean;
export default validate;
