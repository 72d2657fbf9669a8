/** The API's full semantic version: `info.version` of the OpenAPI document and the `API-Version` header of every response (NL API Design Rules /core/semver, /core/version-header). The URI carries the major only (`/v1`). */
export const API_VERSION = '1.0.0';
export const API_VERSION_HEADER = 'API-Version';
