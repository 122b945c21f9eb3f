// Serves one example site on 127.0.0.1 from its own entry file: a taken port
// is a clear message naming the variable that changes it (exit 1); SIGINT
// and SIGTERM close the server, then the site's stores (exit 0).
export function serve({ app, close, port, variable, banner }) {
  const server = app.listen(port, '127.0.0.1', (error) => {
    if (error) {
      console.error(error.code === 'EADDRINUSE' ? `Port ${port} is already in use: choose another with ${variable}.` : error.message);
      close().then(() => process.exit(1));
      return;
    }
    console.log(banner);
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    server.close(() => close().then(() => process.exit(0)));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
