// The tokens the emulator accepts: one account each; each must paste into a shell and a header as it is.

/** The token the emulator accepts when given none: one account. */
export const DEFAULT_TOKEN = "vps_test_token";

/** A token that pastes into a shell unquoted and into an HTTP header as it is: RFC 6750's token68. */
export const PASTABLE_TOKEN = /^[A-Za-z0-9._~+/-]+=*$/;
export const TOKEN_RULE = "a token may hold only letters, digits and - . _ ~ + / (then =), as HTTP bearer tokens do";
