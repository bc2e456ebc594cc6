/**
 * Where each Microsoft cloud publishes the keys that sign calling notifications, and the issuers
 * their tokens carry. Each value cites its source; what Microsoft documents nowhere is said so in
 * the README's table of clouds, and a receiver whose tokens differ passes `auth.keySources`.
 */
import { graphCallingAppId } from "../../core/calling-service.ts";

export { graphCallingAppId };

/** A Microsoft cloud with a preset: `gcc` is the worldwide cloud's, China the one 21Vianet operates. */
export type MicrosoftCloud = "public" | "gcc" | "gccHigh" | "dod" | "china";

/** One publisher of signing keys and the issuers of the tokens its keys sign. */
export interface KeySource {
  /** The OpenID configuration naming the JWKS (`jwks_uri`); https, or http on a loopback host. */
  openIdConfigurationUrl: string | URL;
  /**
   * Accepted `iss` values of tokens signed by these keys. `{tenantid}` stands for the token's own
   * `tid` claim, as in Azure AD's OpenID configuration (`https://sts.windows.net/{tenantid}/`).
   */
  issuers: readonly string[];
  /**
   * Accepted `appid` (or, in v2.0 tokens, `azp`) of the service that requested the token; a token
   * without one is refused.
   *
   * @default any (no check)
   */
  allowedAppIds?: readonly string[];
}

/**
 * Graph's own signing keys (Skype's key service) and issuers: microsoft-graph-comms-samples
 * `Samples/Common/Sample.Common/Authentication/AuthenticationProvider.cs` (`authDomain`,
 * `authIssuers`); msteams-docs `bots/calls-and-meetings/call-notifications.md`.
 */
const graphKeys: KeySource = {
  openIdConfigurationUrl: "https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration",
  issuers: ["https://graph.microsoft.com", "https://api.botframework.com"],
};

/**
 * Azure AD's keys for notification tokens it issues, which Graph announced and asked bots to accept
 * (microsoft-graph-docs `concepts/calling-notifications.md`, 2018: v1 `https://sts.windows.net/{tenantId}/`,
 * v2 `https://login.microsoftonline.com/{tenantId}/v2.0`); held to Graph's calling service as the
 * requester, so a token another app requested for the bot is refused. The configuration is the one
 * botbuilder's `ToBotFromEmulatorOpenIdMetadataUrl` names.
 */
const azureAdKeys: KeySource = {
  openIdConfigurationUrl: "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
  issuers: ["https://sts.windows.net/{tenantid}/", "https://login.microsoftonline.com/{tenantid}/v2.0"],
  allowedAppIds: [graphCallingAppId],
};

/**
 * Azure AD in the US Government clouds: botbuilder-dotnet `GovernmentAuthenticationConstants`
 * (`ToBotFromEmulatorOpenIdMetadataUrl`), v1 tokens still from `sts.windows.net` (botbuilder-dotnet
 * `SkillValidation.cs`, "Auth for US Gov, 1.0 token").
 */
const azureAdUsGovKeys: KeySource = {
  openIdConfigurationUrl:
    "https://login.microsoftonline.us/cab8a31a-1906-4287-a0d8-4eef66b95f6e/v2.0/.well-known/openid-configuration",
  issuers: ["https://sts.windows.net/{tenantid}/", "https://login.microsoftonline.us/{tenantid}/v2.0"],
  allowedAppIds: [graphCallingAppId],
};

/**
 * Azure AD operated by 21Vianet: bot-docs `how-to-deploy-china-cloud.md`
 * (`ToBotFromEmulatorOpenIdMetadataUrl`); v1 issuer per docs.azure.cn token samples.
 */
const azureAdChinaKeys: KeySource = {
  openIdConfigurationUrl:
    "https://login.partner.microsoftonline.cn/a55a4d5b-9241-49b1-b4ff-befa8db00269/v2.0/.well-known/openid-configuration",
  issuers: [
    "https://sts.chinacloudapi.cn/{tenantid}/",
    "https://login.partner.microsoftonline.cn/{tenantid}/v2.0",
  ],
  allowedAppIds: [graphCallingAppId],
};

/**
 * The key sources of each cloud. GCC uses the worldwide endpoints (microsoft-graph-docs
 * `concepts/deployments.md`). For GCC High and DoD no calling key endpoint is documented; the one
 * field report (microsoft-graph-comms-samples#865) shows the worldwide issuer, so Graph's worldwide
 * keys are kept beside the US Government's Azure AD. For China none is documented at all.
 */
export const cloudKeySources: Readonly<Record<MicrosoftCloud, readonly KeySource[]>> = {
  public: [graphKeys, azureAdKeys],
  gcc: [graphKeys, azureAdKeys],
  gccHigh: [graphKeys, azureAdUsGovKeys],
  dod: [graphKeys, azureAdUsGovKeys],
  china: [azureAdChinaKeys],
};

/** The OpenID configuration of Graph's own notification signing keys (worldwide). */
export const defaultOpenIdConfigurationUrl = graphKeys.openIdConfigurationUrl as string;
/** The issuers of Graph's own notification tokens. */
export const defaultIssuers: readonly string[] = graphKeys.issuers;
