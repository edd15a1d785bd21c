// How every script here configures openid-client against the test IdP: plain HTTP on loopback is allowed, and each
// request may take up to two minutes (the library's 30 s is too short on a CI machine running other suites; this is
// where a script gives up, not a timing check).
import * as client from 'openid-client';

export const loopback = { execute: [client.allowInsecureRequests], timeout: 120 };
