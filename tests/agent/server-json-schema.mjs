// A minimal JSON Schema of the MCP Registry's server.json, written here (not a copy of the
// registry's file) from its documented rules for what our entry uses: the 2025-12-11 format
// (https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json; the registry's
// docs/reference/server-json/ and CHANGELOG.md): reverse-DNS name with one slash, description of
// 1 to 100 characters, one specific version (no range, not "latest"), npm packages with
// identifier, version and a stdio transport, environment variables as named inputs.
const specificVersion = { type: 'string', minLength: 1, maxLength: 255, not: { anyOf: [{ const: 'latest' }, { pattern: '[\\^~<>=*\\s]|(^|\\.)[xX](\\.|$)' }] } };
const input = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    isRequired: { type: 'boolean' },
    isSecret: { type: 'boolean' },
    format: { enum: ['string', 'number', 'boolean', 'filepath'] },
    value: { type: 'string' },
    default: { type: 'string' },
    placeholder: { type: 'string' },
    choices: { type: 'array', items: { type: 'string' } },
  },
  required: ['name'],
  additionalProperties: false,
};

export const serverJsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    $schema: { const: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json' },
    name: { type: 'string', pattern: '^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$', minLength: 3, maxLength: 200 },
    title: { type: 'string', minLength: 1, maxLength: 100 },
    description: { type: 'string', minLength: 1, maxLength: 100 },
    version: specificVersion,
    websiteUrl: { type: 'string', format: 'uri' },
    repository: {
      type: 'object',
      properties: { url: { type: 'string', format: 'uri' }, source: { type: 'string' }, id: { type: 'string' }, subfolder: { type: 'string' } },
      required: ['url', 'source'],
    },
    packages: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          registryType: { enum: ['npm', 'pypi', 'nuget', 'oci', 'mcpb'] },
          registryBaseUrl: { type: 'string', format: 'uri' },
          identifier: { type: 'string', minLength: 1 },
          version: specificVersion,
          runtimeHint: { type: 'string' },
          transport: {
            type: 'object',
            properties: { type: { enum: ['stdio', 'streamable-http', 'sse'] }, url: { type: 'string' } },
            required: ['type'],
          },
          environmentVariables: { type: 'array', items: input },
        },
        required: ['registryType', 'identifier', 'version', 'transport'],
        additionalProperties: false,
      },
    },
  },
  required: ['$schema', 'name', 'description', 'version'],
  additionalProperties: false,
};
