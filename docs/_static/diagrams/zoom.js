// Zoom and pan for diagrams wider than the column (vendored @panzoom/panzoom, pinned in
// pyproject.toml). A diagram opens at its readable size; drag to pan, Ctrl + wheel or the
// buttons to zoom, "Whole diagram" to see all of it at once. Diagrams that fit are left alone.
(() => {
  "use strict";
  const STEP = 1.25;

  function button(text, label, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "diagram-zoom-button";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.title = label;
    b.addEventListener("click", onClick);
    return b;
  }

  function enhance(pre) {
    const svg = pre.querySelector(":scope > svg");
    if (!svg || svg.dataset.zoom === "on") return;
    if (pre.scrollWidth <= pre.clientWidth + 1) return;
    svg.dataset.zoom = "on";
    const style = getComputedStyle(pre);
    const padX = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const padY = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
    const whole = () =>
      ((pre.clientWidth - padX) / svg.getBoundingClientRect().width) * panzoom.getScale();
    const panzoom = Panzoom(svg, {
      maxScale: 3,
      minScale: 0.1,
      origin: "0 0",
      cursor: "grab",
    });
    pre.classList.add("diagram-zoomable");
    const bar = document.createElement("div");
    bar.className = "diagram-zoom";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Zoom the diagram");
    bar.append(
      button("\u2212", "Zoom out", () => panzoom.zoom(panzoom.getScale() / STEP)),
      button("+", "Zoom in", () => panzoom.zoom(panzoom.getScale() * STEP)),
      button("Whole diagram", "Show the whole diagram", () => {
        panzoom.zoom(whole(), { animate: false });
        panzoom.pan(0, 0, { animate: false });
      }),
      button("Reset", "Back to the readable size", () => panzoom.reset()),
    );
    (pre.closest(".mermaid-container") || pre).before(bar);
    // The box follows the drawing's height, so a zoomed-out diagram leaves no empty space.
    svg.addEventListener("panzoomchange", () => {
      pre.style.height = panzoom.getScale() === 1 ? "" : `${svg.getBoundingClientRect().height + padY}px`;
    });
    pre.addEventListener("wheel", (event) => {
      if (event.ctrlKey) panzoom.zoomWithWheel(event);
    });
  }

  function scan() {
    document.querySelectorAll(".bd-article pre.mermaid").forEach(enhance);
  }

  // Mermaid draws after load (and again on a theme switch): look whenever a diagram changes.
  // (Its natural width applies a moment after it is inserted: look again shortly after.)
  const observer = new MutationObserver(() => {
    scan();
    setTimeout(scan, 400);
  });
  function start() {
    document.querySelectorAll(".bd-article pre.mermaid").forEach((pre) =>
      observer.observe(pre, { childList: true }),
    );
    scan();
    setTimeout(scan, 400);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
