/**
 * The GraphiQL page a browser gets on `GET /graphql`. Every asset is local (`/graphiql/…`).
 * The API key is asked once and kept in this tab's sessionStorage, then sent as a Bearer header.
 */
export function graphiqlPage(): string {
  return `<!doctype html>
<html lang="es">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Música API · GraphiQL</title>
  <link rel="stylesheet" href="/graphiql/graphiql.css">
  <style>
    html, body, #graphiql { height: 100%; margin: 0; }
    #keybar { font: 14px system-ui, sans-serif; padding: 6px 10px; background: #1f2937; color: #f9fafb; display: flex; gap: 8px; align-items: center; }
    #keybar input { flex: 1; max-width: 420px; padding: 4px 6px; }
    #graphiql { height: calc(100% - 40px); }
  </style>
</head>
<body>
  <div id="keybar">
    <label for="apikey">Clave API</label>
    <input id="apikey" type="password" autocomplete="off" placeholder="mk_…">
    <span>Se guarda solo en esta pestaña.</span>
  </div>
  <div id="graphiql">Cargando GraphiQL…</div>
  <script src="/graphiql/react.js"></script>
  <script src="/graphiql/react-dom.js"></script>
  <script src="/graphiql/graphiql.js"></script>
  <script>
    const input = document.getElementById('apikey');
    input.value = sessionStorage.getItem('musica-api-key') || '';
    // GraphiQL loads the schema once; with a new key, start again so the docs and autocompletion load.
    input.addEventListener('change', () => {
      sessionStorage.setItem('musica-api-key', input.value.trim());
      location.reload();
    });
    const fetcher = GraphiQL.createFetcher({
      url: '/graphql',
      fetch: (url, options) => {
        const key = input.value.trim();
        const headers = Object.assign({}, options.headers, key ? { authorization: 'Bearer ' + key } : {});
        return fetch(url, Object.assign({}, options, { headers }));
      },
    });
    const defaultQuery = '# Música API\\n# Escribe tu clave arriba y prueba:\\n{\\n  searchTracks(query: "Leonard Cohen", first: 5) {\\n    source\\n    nodes { id title artist duration releaseDate }\\n  }\\n}\\n';
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: false }),
    );
  </script>
</body>
</html>`;
}
