/**
 * The `appid` of Graph's calling service, which requests the tokens of its notifications: "the
 * appid of our service" in the 2018 Graph docs (microsoft-graph-docs `concepts/calling-notifications.md`),
 * and the `appid` of a live token (MicrosoftDocs/bot-docs#2242).
 */
export const graphCallingAppId = "26a18ebc-cdf7-4a6a-91cb-beb352805e81";
