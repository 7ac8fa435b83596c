// Preloaded into the console process (node --import): when the protocol process that started it goes away,
// even by SIGKILL, its IPC channel closes, and the console process must not outlive it (it would hold the
// database and a port with nobody to forward to it).
if (typeof process.send === 'function') {
  process.on('disconnect', () => process.exit(0));
}
