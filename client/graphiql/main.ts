/**
 * The GraphQL explorer served at `/graphiql/`: GraphiQL over this server's `/graphql`, queries
 * and mutations over HTTP, subscriptions over graphql-ws on the same path. Everything it
 * needs, Monaco's workers included, is bundled: it works with no network.
 */
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { parse, type DocumentNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { createElement, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { STARTER_QUERY } from './starter.js';

// Resolved against the page, not the host root, so the explorer keeps working behind a
// proxy that mounts gatewatch under a path prefix.
const endpoint = new URL('../graphql', window.location.href);
const socket = new URL(endpoint);
socket.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';

const toolkitFetcher = createGraphiQLFetcher({
  // The toolkit POSTs JSON (`content-type: application/json`), which Apollo's CSRF guard lets through.
  url: endpoint.href,
  wsClient: createClient({ url: socket.href }),
});

/**
 * The toolkit sends subscriptions over WebSocket when the document GraphiQL hands it says so,
 * but GraphiQL parses the editor 100 ms after the last keystroke: a subscription run right
 * after an edit would go over HTTP. Decide on the text actually sent.
 */
const fetcher: Fetcher = (params, options) =>
  toolkitFetcher(params, { ...options, documentAST: parsed(params.query) ?? options?.documentAST });

function parsed(query: string): DocumentNode | undefined {
  try {
    return parse(query);
  } catch {
    return undefined; // the server reports the syntax error
  }
}

const container = document.getElementById('graphiql');
if (!container) throw new Error('index.html has no #graphiql element');
createRoot(container).render(
  createElement(
    StrictMode,
    null,
    createElement(GraphiQL, { fetcher, defaultQuery: STARTER_QUERY }),
  ),
);
