/** Error codes in the cloud's `{errors: [{code, message, args}]}` shape. The first three are the cloud's own. */
export const ERROR_CODES = {
  MISSING_API_KEY: 1004,
  APPLICATION_NOT_FOUND: 10051,
  SUBJECT_VALUE_NOT_ALLOWED: 10726,
  VALIDATION: 40000,
  UNAUTHORIZED: 40100,
  /** Foreign Origin, missing or wrong CSRF token. */
  FORBIDDEN: 40300,
  NOT_FOUND: 40400,
  METHOD_NOT_ALLOWED: 40500,
  CONFLICT: 40900,
  PAYLOAD_TOO_LARGE: 41300,
  UNSUPPORTED_MEDIA_TYPE: 41500,
  TOO_MANY_REQUESTS: 42900,
  POLICY_VIOLATION: 42200,
  CA_FAILURE: 50200,
  DEK_UNAVAILABLE: 50300,
  /** The inventory is damaged: writes are refused (HTTP 503). */
  INVENTORY_DAMAGED: 50301,
  /** The disk that holds the inventory is full (HTTP 507). */
  DISK_FULL: 50700,
  INTERNAL: 50000,
} as const;
