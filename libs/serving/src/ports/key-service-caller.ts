/** Who a call to the masking-key-service is made for: the API's caller, as the authorizer established it. */
export interface KeyServiceCaller {
  /** The JWT `sub`. */
  readonly principal: string;
  /** The `cur:role` claim. */
  readonly role: string;
  /**
   * The caller's own bearer token, forwarded so the key service authorizes and audits the caller, not the API.
   * Absent when the API was invoked without one (a local in-process adapter does not need it).
   */
  readonly bearerToken?: string;
}
