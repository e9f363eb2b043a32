package io.calltrack.routing;

/**
 * Who places the call calltrack routes, and so which destinations it can use: Asterisk dials Asterisk dial strings
 * ({@code PJSIP/101}) that calltrack sends over FastAGI; a PBX that follows the SIP redirect's {@code 302} reaches
 * SIP URIs ({@code sip:101@pbx.example.com}).
 */
public enum Telephony {
    ASTERISK,
    SIP_REDIRECT
}
