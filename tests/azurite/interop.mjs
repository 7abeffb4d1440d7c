// Interop with the official SDK (@azure/data-tables), driven by AzureTableStoreInteropTests:
//   node interop.mjs read  <connectionString> <table> <partitionKey> <rowKey>
//     prints {"properties": {name: {"value": string, "type": EDM type}}, "raw": the service's JSON}
//     (raw matters for integral doubles: the service sends 2.0 unannotated and JavaScript numbers
//     can't tell it from 2, so the SDK reports Int32 for them, also for entities it wrote itself)
//   node interop.mjs write <connectionString> <table> <partitionKey> <rowKey>
//     writes one entity holding every EDM type and prints "ok"
import { TableClient } from "@azure/data-tables";

const [command, connectionString, table, partitionKey, rowKey] = process.argv.slice(2);
if (!command || !connectionString || !table || partitionKey === undefined || rowKey === undefined) {
  console.error("usage: node interop.mjs read|write <connectionString> <table> <partitionKey> <rowKey>");
  process.exit(2);
}
// Azurite listens on plain http on loopback.
const client = TableClient.fromConnectionString(connectionString, table, { allowInsecureConnection: true });

if (command === "read") {
  // Without type conversion the SDK reports the EDM type it saw (or inferred) for each property.
  let raw = "";
  const entity = await client.getEntity(partitionKey, rowKey, {
    disableTypeConversion: true,
    onResponse: (response) => { raw = response.bodyAsText ?? ""; },
  });
  const properties = {};
  for (const [name, value] of Object.entries(entity)) {
    if (!["partitionKey", "rowKey", "etag", "timestamp", "odata.metadata"].includes(name)) {
      properties[name] = { value: String(value.value), type: value.type };
    }
  }
  console.log(JSON.stringify({ partitionKey: entity.partitionKey, rowKey: entity.rowKey, properties, raw }));
} else if (command === "write") {
  await client.createEntity({
    partitionKey,
    rowKey,
    Str: "héllo O'Brien 😀",
    Empty: "",
    Int32: 42,
    Int64: 9007199254740993n,
    DoubleIntegral: { value: 2, type: "Double" },
    DoubleFraction: 0.25,
    Date: new Date("2024-05-06T07:08:09.123Z"),
    Guid: { value: "3f2504e0-4f89-11d3-9a0c-0305e82c3301", type: "Guid" },
    Binary: new Uint8Array([0, 1, 2, 254, 255]),
    Bool: true,
  });
  console.log("ok");
} else {
  console.error(`unknown command ${command}`);
  process.exit(2);
}
