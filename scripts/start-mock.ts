/** `npm start`: placeholder until the Prism mock lands (issue: mocks). Prints what exists. */
console.log("graph-comms-kit: spec/openapi.yaml, generated/openapi.json and generated/schema.d.ts exist.");
console.log("The Prism mock server is not wired up yet.");
