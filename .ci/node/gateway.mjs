// A real Apollo gateway composing the catalogue subgraph with arvio's /subgraph (IntrospectAndCompose).
// Used only by arvio's federation test: CATALOGUE_URL and ARVIO_URL name the subgraphs.
import { ApolloGateway, IntrospectAndCompose } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

const gateway = new ApolloGateway({
  supergraphSdl: new IntrospectAndCompose({
    subgraphs: [
      { name: "catalogue", url: process.env.CATALOGUE_URL },
      { name: "arvio", url: process.env.ARVIO_URL },
    ],
  }),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { host: "127.0.0.1", port: 0 } });
console.log(`ready ${url}`);
