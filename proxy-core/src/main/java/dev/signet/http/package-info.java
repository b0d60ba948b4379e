/**
 * HTTP semantics as pure functions, with no I/O and no Netty: byte ranges (RFC 9110 §14),
 * conditional requests (§13), HTTP-dates (§5.6.7) and entity tags (§8.8.3). The server asks
 * these what to answer and then does it.
 */
package dev.signet.http;
