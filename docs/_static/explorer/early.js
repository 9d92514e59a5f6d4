// Inventory explorer, first step: inlined in the page's <head>, it fetches and inflates
// the data while the rest of the page is parsed and its deferred scripts run; explorer.js (a
// module, which only starts after those) then takes the promise from `inventoryExplorerData`.
// The same steps as fetchInflated in data.js, which is used when this did not run.
(() => {
  const url = document.currentScript.dataset.src;
  const buffer = fetch(url).then(async (resp) => {
    if (!resp.ok) throw new Error(`${url}: HTTP ${resp.status}`);
    const buf = await resp.arrayBuffer();
    const head = new Uint8Array(buf, 0, 2);
    if (head[0] !== 0x1f || head[1] !== 0x8b) return buf; // already inflated (Content-Encoding)
    const stream = new Blob([buf]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer();
  });
  buffer.catch(() => {}); // explorer.js reports the failure
  window.inventoryExplorerData = { url, buffer };
})();
