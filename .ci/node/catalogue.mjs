// A tiny catalogue subgraph (what PTV or a municipal site would run): services with names, keyed by id.
// Used only by arvio's federation test. Services come from CATALOGUE_SERVICES (JSON [{id, name}]).
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse } from "graphql";

const services = JSON.parse(process.env.CATALOGUE_SERVICES ?? "[]");
const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Service @key(fields: "id") {
    id: ID!
    name: String!
  }
  type Query {
    services: [Service!]!
    service(id: ID!): Service
  }
`);
const resolvers = {
  Query: {
    services: () => services,
    service: (_, { id }) => services.find((s) => s.id === id) ?? null,
  },
  Service: {
    __resolveReference: (ref) => services.find((s) => s.id === ref.id) ?? null,
  },
};
const server = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs, resolvers }) });
const { url } = await startStandaloneServer(server, { listen: { host: "127.0.0.1", port: 0 } });
console.log(`ready ${url}`);
