// GENERATED from protocol/src/main/resources/dev/switchboard/protocol/switchboard.schema.json by
// client-js/scripts/protocol-types.mjs: do not edit; change the schema and run `npm run types`.
export {};
