// arvio's GraphiQL page: GraphiQL, React and ReactDOM are served by arvio itself (no CDN), so the page works
// offline and under a Content-Security-Policy that allows this origin only (schema/http/graphiql.py).
"use strict";
(function () {
  var fetcher = GraphiQL.createFetcher({ url: "/graphql" });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: "# arvio's API; write a query and press Ctrl-Enter.\n{\n  services(first: 5) {\n    id\n    name\n  }\n}\n",
    shouldPersistHeaders: false,
  }));
})();
