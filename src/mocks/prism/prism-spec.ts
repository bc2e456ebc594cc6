import { isSpecNode, resolveSpecRef, type SpecNode, specDocument } from "../../core/spec-document.ts";
import { specOperations } from "../spec-operations.ts";

/** Options of {@link preparePrismSpec}. */
export interface PrismSpecOptions {
  /** Where Prism sends the commsNotifications callback: the bot's callback URL. */
  callbackUrl: string;
}

const jsonType = "application/json";

function withOnlyExample(media: SpecNode, name: string): SpecNode {
  const examples = media.examples;
  if (!isSpecNode(examples) || examples[name] === undefined) {
    throw new Error(`spec: media type has no example named ${name}`);
  }
  return { ...media, examples: { [name]: examples[name] } };
}

function callbackPathItem(flavour: string): SpecNode {
  const webhook = resolveSpecRef((specDocument.webhooks as SpecNode).commsNotifications);
  const post = resolveSpecRef(webhook.post);
  const requestBody = resolveSpecRef(post.requestBody);
  const content = requestBody.content as SpecNode;
  const media = withOnlyExample(resolveSpecRef(content[jsonType]), flavour);
  // The callback's security names a token Prism cannot produce; Prism would ignore it anyway.
  const { security: _unused, ...rest } = post;
  return {
    post: {
      ...rest,
      requestBody: { ...requestBody, content: { ...content, [jsonType]: media } },
    },
  };
}

function pinLocationExample(response: SpecNode, flavour: string): SpecNode {
  if (!isSpecNode(response.headers)) return response;
  const headers: SpecNode = {};
  for (const [name, raw] of Object.entries(response.headers)) {
    const header = resolveSpecRef(raw);
    headers[name] =
      isSpecNode(header.examples) && header.examples[flavour] !== undefined
        ? { ...header, examples: { [flavour]: header.examples[flavour] } }
        : raw;
  }
  return { ...response, headers };
}

/**
 * A copy of the bundled spec prepared for Prism's mock server, which cannot read the call's
 * `callbackUri` and picks a random example when there are several:
 * - each operation's `commsNotifications` callback is sent to `callbackUrl` (the spec names the
 *   seed's `https://bot.contoso.com/api/calls`), with the one notification example of the
 *   operation's contract (`seed` for `/app` and `/applications`, `current` for `/communications`);
 * - each success response's `Location` keeps only that contract's example, so the ids in the
 *   callback match the `Location` Prism returns.
 * The contract itself (`spec/openapi.yaml`) is unchanged. Known Prism 5.14 behaviour: callbacks go
 * without an `Authorization` header (Prism applies no security to callbacks, and did not send an
 * `Authorization` header parameter either when we tried), and a callback fires even when Prism
 * answered the request with an error (400, 401).
 *
 * @example
 * writeFileSync(file, JSON.stringify(preparePrismSpec({ callbackUrl: "http://127.0.0.1:3978/api/calls" })));
 */
export function preparePrismSpec(options: PrismSpecOptions): SpecNode {
  const document = structuredClone(specDocument);
  const paths = document.paths as SpecNode;
  for (const operation of specOperations()) {
    const pathItem = paths[operation.path] as SpecNode;
    const post = { ...(pathItem.post as SpecNode) };
    const responses = { ...(post.responses as SpecNode) };
    const success = String(operation.successStatus);
    responses[success] = pinLocationExample(resolveSpecRef(responses[success]), operation.flavour);
    post.responses = responses;
    post.callbacks = { commsNotifications: { [options.callbackUrl]: callbackPathItem(operation.flavour) } };
    paths[operation.path] = { ...pathItem, post };
  }
  const components = document.components as SpecNode;
  components.callbacks = {
    commsNotifications: { [options.callbackUrl]: { $ref: "#/webhooks/commsNotifications" } },
  };
  return document;
}
