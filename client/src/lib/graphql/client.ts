/**
 * The dashboard's GraphQL client: queries over HTTP POST (Apollo's CSRF guard refuses urql's
 * default GET), subscriptions over graphql-ws on the same path.
 */
import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';

export function createGraphQLClient(origin: URL = new URL(window.location.href)): Client {
  const http = new URL('/graphql', origin);
  const ws = new URL(http);
  ws.protocol = http.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = createWsClient({ url: ws.href, lazy: true, retryAttempts: Infinity });
  return new Client({
    url: http.href,
    preferGetMethod: false,
    // Pages show what the server has now; live updates come from subscriptions.
    requestPolicy: 'cache-and-network',
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: socket.subscribe({ ...request, query: request.query ?? '' }, sink),
          }),
        }),
      }),
    ],
  });
}
