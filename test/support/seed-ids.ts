/**
 * The ids of the seed page's exchange (REFERENCE.md), shared by every test folder: the call and
 * operation as a Location spells them (lowercase dashed) and as the 2018 notification does
 * (uppercase, 32 hex digits), and the bot's app id.
 */
export const callId = "57dab8b1-894c-409a-b240-bd8beae78896";
export const operationId = "0fe0623f-d628-42ed-b4bd-8ac290072cc5";
export const upperCallId = "57DAB8B1894C409AB240BD8BEAE78896";
export const upperOperationId = "0FE0623FD62842EDB4BD8AC290072CC5";
export const appId = "2a4a42e9-6bd0-4c86-8d3c-4b8e6d1e3a1f";
